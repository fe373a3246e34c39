"""Load and validate site.yml, the site configuration."""

from __future__ import annotations

import codecs
import os
import re
from importlib import resources
from pathlib import Path
from urllib.parse import SplitResult, quote, urlsplit

from site_gen.load.frontmatter import SourceSyntaxError, parse_yaml
from site_gen.model import AccessibilityStatement, OrganConfig, SiteConfig
from site_gen.problems import Problems
from site_gen.site.urls import RESERVED_FOLDERS
from site_gen.validate import formats
from site_gen.validate.personal_data import check_config_personnummer
from site_gen.validate.schema import Context

CONFIG_NAME = "site.yml"
ORGAN_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# A theme is a folder beside the site or shipped with site-gen, named by one plain
# folder name: never a path that could lead out of themes/.
THEME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]{0,99}$")
# A language tag (BCP 47) as written in practice: sv, sv-SE, se-FI, en-GB.
LANGUAGE_RE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*\Z")
# Characters a web address never holds unencoded; base_url is written into pages as is.
UNSAFE_URL_CHARS = re.compile(r"[\s\"<>\\^`{|}]")
DEFAULT_BRIST = ("Bilagor som publiceras som filer (till exempel PDF) har inte granskats och kan "
                 "vara svåra att läsa med skärmläsare.")


def load_config(root: Path, problems: Problems) -> SiteConfig | None:
    """site.yml, checked; None when it cannot be used (every problem is reported)."""
    path = root / CONFIG_NAME
    located = _read_config(root, path, problems)
    if located is None:
        return None
    ctx = Context(located, problems, path)
    data = formats.CONFIG.check(located.data, (), ctx)
    if not data:
        return None
    config = SiteConfig(
        title=data.get("title", ""), organisation=data.get("organisation", ""),
        base_url=_base_url(data, ctx), language=_language(data, ctx), theme=_theme(root, data, ctx),
        organs=_organs(data, ctx), root=root, feeds=data.get("feeds", SiteConfig.feeds))
    _warn_of_what_is_missing(path, data, located, problems, config)
    # Without a title or organisation (an error told already) the sources are still
    # checked, so that every problem is told in one run; nothing is published.
    config.tillganglighet = _accessibility(data.get("tillganglighet", {}), config.organisation)
    return config


def why_no_config(root: Path, command: str = "site-gen") -> tuple[str, str] | None:
    """(message, hint) when the site's folder has no site.yml file to read; None when it has."""
    path = root / CONFIG_NAME
    if path.is_file():
        return None
    if path.is_symlink() and not path.exists():
        return (f"{CONFIG_NAME} in {root} is a link to {os.readlink(path)}, which is not there",
                "make the link point at the site's configuration, or put the file itself in its place")
    if path.exists():  # a folder, say, made by mistake where the file belongs
        return (f"{CONFIG_NAME} in {root} is not a file (a folder, or another kind of entry)",
                f"rename or remove it and write {CONFIG_NAME} as a file; 'site-gen init' in an "
                "empty folder shows one")
    return (f"no {CONFIG_NAME} found in {root}",
            f"run 'site-gen init' to create a site, or run {command} in the site's folder")


def _read_config(root: Path, path: Path, problems: Problems):
    """site.yml parsed, with the lines of its keys; None, reported, when it cannot be."""
    missing = why_no_config(root)
    if missing is not None:
        problems.error(path, 0, *missing)
        return None
    try:
        text = read_text(path)
        located = parse_yaml(text, 1)
    except SourceSyntaxError as exc:
        for each in exc.each():
            problems.error(path, each.line, each.message, each.hint, column=each.column)
        return None
    except UnicodeDecodeError as exc:
        problems.error(path, 0, f"the file is not UTF-8 text ({exc.reason})",
                       "save it as UTF-8")
        return None
    except OSError as exc:
        problems.error(path, 0, f"the file cannot be read ({exc.strerror})",
                       "give site-gen permission to read it")
        return None
    check_config_personnummer(path, text, located, problems)
    return located


def _organs(data: dict, ctx: Context) -> dict[str, OrganConfig]:
    organs = {}
    for slug, organ in data.get("organs", {}).items():
        if not organ_id_allowed(slug):
            ctx.error(("organs", slug), f"the organ id '{slug}' cannot be used",
                      "use lower-case letters a-z, digits and '-', and not one of: "
                      + ", ".join(sorted(RESERVED_FOLDERS)))
            continue
        organs[slug] = OrganConfig(slug=slug, name=organ.get("name", slug),
                                   förvaras=organ.get("förvaras", ""), anslag_hos=organ.get("anslag_hos", ""))
    return organs


def _base_url(data: dict, ctx: Context) -> str:
    base_url = data.get("base_url", "")
    if not base_url:
        return ""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or UNSAFE_URL_CHARS.search(base_url):
        ctx.error(("base_url",), f"base_url '{base_url}' is not a web address",
                  "write it like https://example.se/protokoll/")
        return ""
    base_url = _as_sent(parts)
    return base_url if base_url.endswith("/") else base_url + "/"


def _language(data: dict, ctx: Context) -> str:
    language = data.get("language", SiteConfig.language)
    if not LANGUAGE_RE.match(language):
        # It becomes <html lang="…">, which browsers, screen readers and the search's
        # stemming read; Pagefind even stopped on a long made-up one.
        ctx.error(("language",), f"the language '{language}' is not a language code",
                  "write a code such as 'sv', or 'sv-SE'")
        return SiteConfig.language
    return language


def _theme(root: Path, data: dict, ctx: Context) -> str:
    """The theme's name; the default one after an error, which stops the build while the
    sources are checked on."""
    theme = data.get("theme", SiteConfig.theme)
    if not THEME_RE.match(theme):
        ctx.error(("theme",), f"the theme '{theme}' is not a folder name",
                  "write the name of a folder under themes/, such as 'default'")
        return SiteConfig.theme
    if theme_dir(root, theme) is None:
        ctx.error(("theme",), f"the theme '{theme}' was not found",
                  f"looked in {root / 'themes'} and among the themes shipped with site-gen; "
                  "write 'default' or the name of a folder under themes/")
        return SiteConfig.theme
    return theme


def _warn_of_what_is_missing(path: Path, data: dict, located, problems: Problems,
                             config: SiteConfig) -> None:
    if config.feeds and "base_url" not in data:  # one given but wrong is an error above
        problems.warning(path, 1,  # a missing key: the top of the file
                         "base_url is not set, so no Atom feeds and no sitemap.xml are written, the "
                         "404 page's links work only for missing pages in the site's top folder, and the "
                         "open data's addresses start at the host's root ('/styrelsen/…'), wrong in a "
                         "sub-folder",
                         "set base_url to the site's public address, e.g. "
                         "https://example.se/protokoll/, or write 'feeds: false'")
    if "kontakt" not in data.get("tillganglighet", {}):
        # The law on accessibility of public websites asks for a way to tell the body
        # about content that cannot be used; the organisation's name alone is none.
        problems.warning(path, located.lines.get(("tillganglighet",), 1),
                         "the accessibility statement (tillganglighet/) gives no way to contact you",
                         "add 'tillganglighet:' with 'kontakt:' and an e-mail address or phone number, "
                         "e.g. 'kontakt: kansliet@example.se eller 090-123 45'")
    if "datum" not in data.get("tillganglighet", {}):
        # The statement must say when it was made or last reviewed (DIGG's regulations,
        # MDFFS 2019:2); only the owner knows the day.
        problems.warning(path, located.lines.get(("tillganglighet",), 1),
                         "the accessibility statement (tillganglighet/) does not say when it was made or "
                         "last reviewed",
                         "add 'datum:' under 'tillganglighet:' with that day, e.g. 'datum: 2024-05-20'")


def theme_dir(root: Path, theme: str) -> Path | None:
    """A theme from the site's own themes/ folder, else one shipped with site-gen."""
    local = root / "themes" / theme
    if local.is_dir():
        return local
    shipped = shipped_theme(theme)
    return shipped if shipped.is_dir() else None


def shipped_theme(theme: str) -> Path:
    return Path(str(resources.files("site_gen.themes"))) / theme


def _accessibility(data: dict, organisation: str) -> AccessibilityStatement:
    """The statement's facts, with defaults that hold for a site built with the default theme."""
    bedomning = data.get("bedomning", AccessibilityStatement.bedomning)
    default_brister = [] if bedomning == "helt förenlig" else [DEFAULT_BRIST]
    return AccessibilityStatement(
        kontakt=data.get("kontakt", organisation),
        bedomning=bedomning,
        brister=data.get("brister", default_brister),
        granskning=data.get("granskning", "Vi har själva bedömt webbplatsen mot kraven i WCAG 2.1 "
                                          "nivå AA (EN 301 549)."),
        datum=data.get("datum"),
    )


def organ_id_allowed(slug: str) -> bool:
    return bool(ORGAN_SLUG_RE.match(slug)) and slug not in RESERVED_FOLDERS


def _as_sent(parts: SplitResult) -> str:
    """A web address as browsers send it: a host with å, ä or ö in its IDNA form, and
    any other character outside ASCII percent-encoded. Sitemaps, feeds and calendars
    must hold such addresses; a browser shows them as written."""
    login, at, host = parts.netloc.rpartition("@")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")  # label by label; a port stays
        except UnicodeError:
            pass  # left as written: browsers that can reach it at all will manage
    netloc = quote(login, safe=":%!$&'()*+,;=~") + at + host
    return parts._replace(netloc=netloc, path=quote(parts.path, safe="/%:@!$&'()*+,;=~"),
                          query=quote(parts.query, safe="=&%/:+"), fragment="").geturl()


def read_text(path: Path) -> str:
    """Read a source as UTF-8, without byte-order mark, with '\\n' line ends."""
    return decode(path.read_bytes())


# Å, Ä, Ö, É, Ü, å, ä, ö, é, ü and the marks minutes are full of (§, –, —, ’, ”, “, ½) as
# Windows-1252 writes them (the letters as Latin-1 does too). In UTF-8 none of these bytes
# can stand where the text first fails to decode: each either opens a character of
# several bytes, which the next byte did not continue, or may only continue one. So the
# first of them in a text that is not UTF-8 tells a file saved the old way.
_WINDOWS_1252_TELLS = frozenset(b"\xc5\xc4\xd6\xc9\xdc\xe5\xe4\xf6\xe9\xfc"  # the letters
                                b"\xa7\x96\x97\x92\x94\x93\xbd")  # the marks


def decode(raw: bytes) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Notepad's "Unicode"
        raise UnicodeDecodeError("utf-8", raw, 0, 2, "it is saved as UTF-16")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if raw[exc.start] in _WINDOWS_1252_TELLS:
            raise UnicodeDecodeError("utf-8", raw, exc.start, exc.end, "it looks saved as Windows-1252 "
                                     f"or Latin-1: '{raw[exc.start:exc.start + 1].decode('cp1252')}' "
                                     "is one byte") from None
        raise
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
