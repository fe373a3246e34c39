"""Render pages with the theme's Jinja2 templates; a site may override any template."""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from babel.dates import format_date
from babel.numbers import format_decimal

from site_gen import cache, domain, times
from site_gen.load import markdown
from site_gen.load.config import shipped_theme
from site_gen.model import DEFAULT_THEME, Site
from site_gen.problems import Problem, Problems, SiteGenError
from site_gen.render import ics
from site_gen.site import opendata, urls
from site_gen.site.pages import ABSOLUTE, FROM_ROOT, Page

SITE_TEMPLATES = "templates"
SITE_STATIC = "static"


def template_dirs(root: Path, theme: Path) -> list[Path]:
    """Where templates are looked for, first found wins: the site's own, the theme's, and
    the default theme's for any template a theme of the site's own leaves out."""
    folders = [root / SITE_TEMPLATES] + [layer / "templates" for layer in _theme_layers(theme)]
    return [d for d in folders if d.is_dir()]


def static_dirs(root: Path, theme: Path) -> list[Path]:
    """Where static files come from, a later folder's file replacing an earlier one's."""
    return [layer / "static" for layer in reversed(_theme_layers(theme))] + [root / SITE_STATIC]


def _theme_layers(theme: Path) -> list[Path]:
    default = shipped_theme(DEFAULT_THEME)
    return [theme] if theme == default else [theme, default]


def environment(root: Path, theme: Path, bytecode_folder: Path | None = None) -> jinja2.Environment:
    """The theme's templates, overridden by the site's own; compiled templates are kept
    in `bytecode_folder` (Jinja checks each against its source) when one is given."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(root, theme)]),
        bytecode_cache=_CheckedBytecodeCache(str(bytecode_folder)) if bytecode_folder else None,
        autoescape=_escapes_html,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        url=_url_of(urls.path_of_anything),
        protokoll_url=_url_of(urls.meeting_path),
        kallelse_url=_url_of(urls.kallelse_path),
        extract_url=_url_of(urls.extract_path),
        year_url=_url_of(urls.year_path),
        organ_year_url=_url_of(urls.organ_year_path),
        topic_year_url=_url_of(urls.topic_year_path),
        decisions_year_url=_url_of(urls.decisions_year_path),
        notice_year_url=_url_of(urls.notice_year_path),
        longdate=long_date,
        file_size=file_size,
        isodate=lambda d: d.isoformat() if d else "",
        ranges=domain.format_ranges,
        anchor=urls.paragraph_anchor,
        item_anchor=urls.item_anchor,
        notice_anchor=urls.notice_anchor,
        posting_key=urls.posting_key,
        absolute=_absolute,
        daystamp=times.day_stamp,
        ics_text=ics.escape_text,
        ics_date=ics.date_value,
        ics_stamp=ics.utc_stamp,
        ics_local=ics.local_time_value,
        time_span=times.time_span,
        table_pieces=markdown.table_pieces,
        headings_moved=markdown.headings_moved,
        table_name=markdown.table_name,
    )
    # A site's own few rules, beside the theme's stylesheet rather than instead of it. The
    # environment is made again whenever a static file changes (the globals digest).
    env.globals["extra_css"] = (root / SITE_STATIC / EXTRA_CSS).is_file()
    env.globals["paths"] = urls.SITE_PATHS
    return env


# The links the url filters made while the current page rendered (see _stray_link).
_links_made: list[str] = []


class _CheckedBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's compiled templates on disk, each entry with a digest of itself: one cut
    short, edited or with a byte flipped is compiled again, never run (its code would be
    unpickled and executed as it is)."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = Path(self._get_cache_filename(bucket)).read_bytes()
        except OSError:
            return
        digest, code = data[:_DIGEST_SIZE], data[_DIGEST_SIZE:]
        if hashlib.sha1(code).digest() == digest:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = bucket.bytecode_to_string()
        cache.write_entry(Path(self._get_cache_filename(bucket)),
                          lambda handle: handle.write(hashlib.sha1(code).digest() + code))


_DIGEST_SIZE = 20  # SHA-1


def _url_of(path_function):
    """A filter giving the link to what `path_function` gives the path of. A name the
    template got wrong ('paths.archiv') is told as such, not as an object without a URL."""
    def link(obj, *args) -> str:
        if isinstance(obj, jinja2.Undefined):
            str(obj)  # raises the undefined error, naming what was not there
        made = urls.ROOT + path_function(obj, *args)
        _links_made.append(made)
        return made

    return link


def _stray_link(text: str, page: Page, template: jinja2.Template, root: Path) -> None:
    """A link is made relative where it stands in a double-quoted href, src or action
    attribute (urls.relativize); anywhere else it would reach the reader as '@/…'."""
    stray = next((made for made in _links_made if made in text), None) if urls.ROOT in text else None
    if stray is not None:
        raise SiteGenError("a template has an error; nothing was published", [_template_problem(
            root, template.filename or page.template, 0,
            f"while writing {page.file}: the link to '{stray.removeprefix(urls.ROOT)}' made with the url "
            "filter (here or in a template this one extends or includes) is not in a double-quoted "
            "href, src or action attribute, where it is made relative to the page",
            'write it as href="{{ … |url }}"; in a feed or calendar, use the absolute filter')])


EXTRA_CSS = "extra.css"


def _escapes_html(name: str | None) -> bool:
    """HTML and XML templates escape what they insert; calendar and plain-text ones do not."""
    return not (name or "").endswith((".ics", ".txt"))


@jinja2.pass_context
def _absolute(context, obj) -> str:
    """The full URL of a model object or path, for files read outside the site."""
    return urls.absolute(obj, context["config"].base_url)


@lru_cache(maxsize=4096)
def long_date(day: dt.date) -> str:
    """'tisdag 1 juni 2021'."""
    return format_date(day, "EEEE d MMMM y", locale="sv")


def file_size(size: int) -> str:
    """'850 byte', '24 kB', '1,2 MB': a file's size as a Swedish reader reads it."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        value = size / scale
        if round(value, 1) >= 1:  # 999,999 bytes are '1 MB', not '1 000 kB'
            pattern = "#,##0.#" if value < 9.95 else "#,##0"  # a decimal only below 10
            return f"{format_decimal(value, format=pattern, locale='sv')} {unit}"
    return f"{size} byte"


def render_page(env: jinja2.Environment, site: Site, page: Page) -> str:
    """The text of `page`; a mistake in a template is a SiteGenError naming its line."""
    try:
        return _render_page(env, site, page)
    except SiteGenError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever a template's line raised; the rest is raised again
        problem = _template_mistake(exc, page, site.config.root)
        if problem is None:
            raise  # not a template's mistake, but site-gen's own
        raise SiteGenError("a template has an error; nothing was published", [problem]) from exc


def _template_mistake(exc: Exception, page: Page, root: Path) -> Problem | None:
    """`exc` told as a problem at the template line it came from; None when it came from
    no template's line."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return _template_problem(root, exc.filename or exc.name, exc.lineno, exc.message,
                                 _syntax_hint(exc.message))
    where = _template_line(exc)
    if not where and not isinstance(exc, jinja2.TemplateError):
        return None
    path, _, line = where.rpartition(":") if where else (page.template, "", "0")
    if isinstance(exc, jinja2.TemplateNotFound):
        return _template_problem(root, path, int(line), f"the template '{exc.name}' was not found",
                                 "check its name, or add it to templates/")
    what = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    hint = ("site-gen's docs/templates.md lists the names each template gets"
            if isinstance(exc, jinja2.UndefinedError) else "")
    return _template_problem(root, path, int(line), f"while writing {page.file}: {what}", hint)


def theme_problems(env: jinja2.Environment, root: Path, theme_files: dict[Path, str]) -> list[Problem]:
    """What stops the theme and the site's own templates and static files from being used:
    files that cannot be read (their digest in `theme_files` is ''), and templates that
    cannot be compiled. Hidden files are neither rendered nor published."""
    unreadable = [_unreadable(root, path) for path, digest in theme_files.items()
                  if not digest and not path.name.startswith(".") and path.is_file()]
    return unreadable or template_problems(env, root)


def _unreadable(root: Path, path: Path) -> Problem:
    try:  # opened again only to tell why, for the rare file that could not be read
        path.open("rb").close()
        reason = "it changed while it was read"
    except OSError as exc:
        reason = exc.strerror or str(exc)
    return _template_problem(root, path, 0, f"the file cannot be read ({reason})",
                             "give site-gen permission to read it")


def template_problems(env: jinja2.Environment, root: Path) -> list[Problem]:
    """Every template that cannot be compiled (a syntax error, an unknown filter), all at
    once, before any page is written; `site-gen check` tells them too."""
    found = []
    # Not hidden files: an editor's lock or swap file beside a template ('.#base.html').
    for name in env.list_templates(filter_func=lambda name: name.endswith(TEMPLATE_SUFFIXES)
                                   and not name.rsplit("/", 1)[-1].startswith(".")):
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            found.append(_template_problem(root, exc.filename or name, exc.lineno, exc.message,
                                           _syntax_hint(exc.message)))
    return found


TEMPLATE_SUFFIXES = (".html", ".xml", ".ics", ".txt")


def _syntax_hint(message: str) -> str:
    if message.startswith("No filter named"):
        return "site-gen's docs/templates.md lists the filters a template can use"
    return "check the {% %} and {{ }} of this line, and the block it opens or closes"


def _template_problem(root: Path, path, line: int, message: str, hint: str) -> Problem:
    problems = Problems(root=root)
    problems.error(path, line, message, hint)
    return problems.items[0]


def _template_line(exc: Exception) -> str:
    """'path/to/x.html:12', the innermost template line the error passed through, or ''.
    Jinja rewrites a rendering error's traceback so that its frames are template lines."""
    found = ""
    trace = exc.__traceback__
    while trace is not None:
        name = trace.tb_frame.f_code.co_filename
        if not name.endswith(".py") and not name.startswith("<"):
            found = f"{name}:{trace.tb_lineno}"
        trace = trace.tb_next
    return found


def _render_page(env: jinja2.Environment, site: Site, page: Page) -> str:
    base_url = site.config.base_url
    if page.data is not None:
        return opendata.as_text(page.data(site, lambda obj: urls.absolute(obj, base_url)))
    template = env.get_template(page.template)
    _links_made.clear()
    text = template.render(site=site, config=site.config, page=page, **page.context)
    if page.links == ABSOLUTE:  # the template wrote full URLs with the 'absolute' filter
        text = ics.content_lines(text) if page.path.endswith(".ics") else text
    elif page.links == FROM_ROOT and base_url:
        text = urls.absolutize(text, urlsplit(base_url).path)
    else:
        text = urls.relativize(text, page.path)
    _stray_link(text, page, template, site.config.root)
    return text
