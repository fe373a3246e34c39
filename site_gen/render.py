"""Render pages with the theme's Jinja2 templates; a site may override any template."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from babel.dates import format_date

from . import urls
from .model import Site
from .pages import Page

SITE_TEMPLATES = "templates"
SITE_STATIC = "static"


def theme_dir(root: Path, theme: str) -> Path | None:
    """A theme from the site's own themes/ folder, else one shipped with site-gen."""
    local = root / "themes" / theme
    if local.is_dir():
        return local
    shipped = Path(str(resources.files("site_gen.themes"))) / theme
    return shipped if shipped.is_dir() else None


def template_dirs(root: Path, theme: Path) -> list[Path]:
    return [d for d in (root / SITE_TEMPLATES, theme / "templates") if d.is_dir()]


def static_dirs(root: Path, theme: Path) -> list[Path]:
    return [theme / "static", root / SITE_STATIC]


def environment(root: Path, theme: Path, bytecode_folder: Path | None = None) -> jinja2.Environment:
    """The theme's templates, overridden by the site's own; compiled templates are kept
    in `bytecode_folder` (Jinja checks each against its source) when one is given."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(root, theme)]),
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(bytecode_folder)) if bytecode_folder else None,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        url=urls.url,
        protokoll_url=lambda meeting: urls.ROOT + urls.meeting_path(meeting),
        kallelse_url=lambda meeting: urls.ROOT + urls.kallelse_path(meeting),
        longdate=long_date,
        isodate=lambda d: d.isoformat() if d else "",
        ranges=format_ranges,
        anchor=urls.paragraph_anchor,
        item_anchor=urls.item_anchor,
    )
    return env


@lru_cache(maxsize=4096)
def long_date(day: dt.date) -> str:
    """'tisdag 1 juni 2021'."""
    return format_date(day, "EEEE d MMMM y", locale="sv")


def format_ranges(ranges) -> str:
    """((42, 47), (49, 56)) -> '§ 42–47, 49–56'."""
    parts = [f"{a}" if a == b else f"{a}–{b}" for a, b in ranges]
    return "§ " + ", ".join(parts)


def render_page(env: jinja2.Environment, site: Site, page: Page) -> str:
    template = env.get_template(page.template)
    html = template.render(site=site, config=site.config, page=page, **page.context)
    if page.path == "404.html" and site.config.base_url:
        # The 404 page is served at any depth, so its links start from the site's path.
        return urls.absolutize(html, urlsplit(site.config.base_url).path)
    return urls.relativize(html, page.path)
