"""The build pipeline: load → validate → model → pages → render → write."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

import jinja2

from . import render
from .assemble import assemble
from .checks import run_checks
from .config import load_config
from .load import CONTENT_DIR, discover, load_document
from .model import Site
from .pages import files_to_copy, site_pages
from .problems import Problems, SiteGenError
from .write import Staging

OUTPUT_DIR = "output"


@dataclass
class BuildResult:
    pages: int
    files: int
    seconds: float
    problems: Problems


class Progress:
    """A one-line counter on a terminal, shown only once work takes over a second."""

    def __init__(self, stream=None, delay: float = 1.0):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.start = time.monotonic()
        self.delay = delay
        self.shown = False

    def update(self, label: str, done: int, total: int) -> None:
        if not self.enabled or (done % 50 and done != total):
            return
        if time.monotonic() - self.start < self.delay:
            return
        self.stream.write(f"\r{label} {done}/{total}\033[K")
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()


def load_site(root: Path, problems: Problems) -> Site | None:
    """Load, validate and assemble the site; None when site.yml cannot be used."""
    config = load_config(root, problems)
    if config is None:
        return None
    documents = []
    for path in discover(root / CONTENT_DIR):
        document = load_document(path, config, problems)
        if document is not None:
            documents.append(document)
    site = assemble(config, documents, problems)
    run_checks(site, problems)
    return site


def check_site(root: Path) -> Problems:
    """Every problem in the site's sources, without building."""
    problems = Problems(root=root.absolute())
    load_site(root.absolute(), problems)
    return problems


def build(root: Path, output: Path | None = None, progress: Progress | None = None,
          strict: bool = False) -> BuildResult:
    started = time.monotonic()
    root = root.absolute()
    output = output or root / OUTPUT_DIR
    problems = Problems(root=root)
    site = load_site(root, problems)
    if site is None or problems.errors:
        raise SiteGenError("the site has errors; nothing was published", problems.sorted())
    if strict and problems.warnings:
        raise SiteGenError("the site has warnings and --strict is on; nothing was published",
                           problems.sorted())
    theme = render.theme_dir(root, site.config.theme)
    if theme is None:
        raise SiteGenError(f"site.yml: the theme '{site.config.theme}' was not found "
                           f"(looked in {root / 'themes'} and the themes shipped with site-gen)")
    progress = progress or Progress()
    pages = site_pages(site)
    env = render.environment(root, theme)
    copies = files_to_copy(site, render.static_dirs(root, theme))
    with Staging(output) as staging:
        for index, page in enumerate(pages, 1):
            staging.write(page.file, _render(env, site, page).encode("utf-8"))
            progress.update("Skriver sidor", index, len(pages))
        for relative, source in copies.items():
            staging.copy(relative, source)
        staging.commit()
    progress.finish()
    return BuildResult(pages=len(pages), files=len(copies), seconds=time.monotonic() - started,
                       problems=problems)


def _render(env, site, page) -> str:
    try:
        return render.render_page(env, site, page)
    except jinja2.TemplateSyntaxError as exc:
        raise SiteGenError(f"{exc.filename or exc.name}:{exc.lineno}: template error: {exc.message}") from exc
    except jinja2.TemplateNotFound as exc:
        raise SiteGenError(f"template not found: {exc.name} (needed for {page.file})") from exc
    except jinja2.UndefinedError as exc:
        raise SiteGenError(f"template error while writing {page.file} with {page.template}: "
                           f"{exc.message}") from exc
