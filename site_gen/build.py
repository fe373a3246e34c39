"""The build pipeline: load → validate → model → pages → render → write."""

from __future__ import annotations

import hashlib
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import jinja2

from . import render, search
from .assemble import assemble
from .checks import run_checks
from .config import CONFIG_NAME, load_config, warn_about_publishing
from .fingerprint import Fingerprinter, files_digest
from .load import CONTENT_DIR, SourceDocument, discover, linked_folders, load_document
from .model import Site
from .pages import files_to_copy, site_pages
from .problems import Problem, Problems, SiteGenError
from .write import Staging, remove_file, replace_copy, replace_file

OUTPUT_DIR = "output"


@dataclass
class BuildResult:
    pages: int
    files: int
    seconds: float
    problems: Problems
    rendered: int = 0  # pages rendered this time (the others were unchanged)


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
    return Builder(root).load(problems)


def check_site(root: Path) -> Problems:
    """Every problem in the site's sources, without building."""
    problems = Problems(root=root.absolute())
    load_site(root.absolute(), problems)
    return problems


def build(root: Path, output: Path | None = None, progress: Progress | None = None,
          strict: bool = False) -> BuildResult:
    """Build the site once, into a fresh folder swapped into place."""
    return Builder(root, output).build(progress=progress, strict=strict)


def _stat_key(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


@dataclass
class _Loaded:
    key: tuple[int, int, int]
    document: SourceDocument | None
    problems: list[Problem]


class Builder:
    """Builds one site, again and again when asked, redoing only what changed.

    Source files are read again only when their size or time changed; pages are
    rendered again only when their fingerprint changed (see `fingerprint`).
    """

    def __init__(self, root: Path, output: Path | None = None):
        self.root = root.absolute()
        self.output = (output or self.root / OUTPUT_DIR).absolute()
        self._documents: dict[Path, _Loaded] = {}
        self._config_key: tuple | None = None
        self._written: dict[str, str] = {}  # output file -> fingerprint of what is there now
        self._environment: tuple[str, jinja2.Environment] | None = None
        # Called with the output folder after an in-place update changed pages; serve
        # puts a search.BackgroundIndexer here so that its rebuilds never wait for Pagefind.
        self.on_pages_changed = search.reindex_in_place

    # --- load, validate, assemble ----------------------------------------------

    def load(self, problems: Problems) -> Site | None:
        config = load_config(self.root, problems)
        if config is None:
            return None
        config_key = _stat_key(self.root / CONFIG_NAME)
        if config_key != self._config_key:  # organs may have changed: read everything again
            self._documents.clear()
            self._config_key = config_key
        documents = []
        for folder in linked_folders(self.root / CONTENT_DIR):
            problems.error(folder, 0, "this folder is a link to another place; site-gen does not "
                           "follow links to folders", "copy the folder into content/ instead")
        paths = discover(self.root / CONTENT_DIR)
        for path in paths:
            loaded = self._load_document(path, config)
            problems.items.extend(loaded.problems)
            if loaded.document is not None:
                documents.append(loaded.document)
        for gone in set(self._documents) - set(paths):
            del self._documents[gone]
        site = assemble(config, documents, problems)
        run_checks(site, problems)
        return site

    def _load_document(self, path: Path, config) -> _Loaded:
        try:
            key = _stat_key(path)
        except OSError:
            key = (0, 0, 0)
        loaded = self._documents.get(path)
        if loaded is None or loaded.key != key:
            problems = Problems(root=self.root)
            document = load_document(path, config, problems)
            loaded = self._documents[path] = _Loaded(key, document, problems.items)
        return loaded

    # --- render and write --------------------------------------------------------

    def build(self, progress: Progress | None = None, strict: bool = False,
              in_place: bool = False) -> BuildResult:
        """Build the site. `in_place` updates an output folder this builder wrote
        before, file by file, instead of writing a fresh folder and swapping it in."""
        started = time.monotonic()
        problems = Problems(root=self.root)
        site = self.load(problems)
        if site is not None:
            warn_about_publishing(site.config, problems)
        if site is None or problems.errors:
            raise SiteGenError("the site has errors; nothing was published", problems.sorted())
        if strict and problems.warnings:
            raise SiteGenError("the site has warnings and --strict is on; nothing was published",
                               problems.sorted())
        theme = render.theme_dir(self.root, site.config.theme)
        if theme is None:
            raise SiteGenError(f"site.yml: the theme '{site.config.theme}' was not found (looked in "
                               f"{self.root / 'themes'} and the themes shipped with site-gen)")
        progress = progress or Progress()
        pages = site_pages(site)
        copies = files_to_copy(site, render.static_dirs(self.root, theme))
        globals_digest = self._globals_digest(theme)
        fingerprints = Fingerprinter(site, globals_digest)
        wanted = {page.file: fingerprints.page(page) for page in pages}
        env = self._env(theme, globals_digest)
        if in_place and self._written and self.output.is_dir():
            rendered = self._update_in_place(env, site, pages, wanted, copies, progress)
        else:
            rendered = self._write_fresh(env, site, pages, copies, progress)
        self._written = wanted
        progress.finish()
        return BuildResult(pages=len(pages), files=len(copies), rendered=rendered,
                           seconds=time.monotonic() - started, problems=problems)

    def _env(self, theme: Path, globals_digest: str) -> jinja2.Environment:
        """The Jinja environment, kept while templates are unchanged: it caches them compiled."""
        if self._environment is None or self._environment[0] != globals_digest:
            self._environment = (globals_digest, render.environment(self.root, theme))
        return self._environment[1]

    def _globals_digest(self, theme: Path) -> str:
        """Everything every page depends on: templates, static files, configuration."""
        folders = render.template_dirs(self.root, theme) + render.static_dirs(self.root, theme)
        config = (self.root / CONFIG_NAME).read_bytes()
        return hashlib.sha1(files_digest(folders).encode() + config).hexdigest()

    def _write_fresh(self, env, site, pages, copies, progress) -> int:
        with Staging(self.output) as staging:
            for index, page in enumerate(pages, 1):
                staging.write(page.file, _render(env, site, page).encode("utf-8"))
                progress.update("Skriver sidor", index, len(pages))
            for relative, source in copies.items():
                staging.copy(relative, source)
            search.index_site(staging.path)
            staging.commit()
        return len(pages)

    def _update_in_place(self, env, site, pages, wanted, copies, progress) -> int:
        # Render everything that changed before touching a file, so a template
        # error leaves the served site as it was.
        changed = [p for p in pages if self._written.get(p.file) != wanted[p.file]
                   or not (self.output / p.file).is_file()]
        output = {}
        for index, page in enumerate(changed, 1):
            output[page.file] = _render(env, site, page).encode("utf-8")
            progress.update("Skriver sidor", index, len(changed))
        for relative, data in output.items():
            replace_file(self.output, relative, data)
        for relative, source in copies.items():
            replace_copy(self.output, relative, source)
        current = set(wanted) | set(copies)
        removed = set(self._written) - current
        for relative in removed:
            remove_file(self.output, relative)
        if changed or removed:
            self.on_pages_changed(self.output)
        return len(changed)


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
