"""The build pipeline: load → validate → model → pages → render → write.

Three things keep a build fast (docs/performance.md has the figures):

- a build whose inputs are all unchanged since the last one (see `cache.site_key`)
  links the previous output into the new one and does nothing else; the pipeline's
  modules (YAML, Markdown, Jinja) are imported only when there is work for them,
  because importing them costs more than such a build;
- documents are loaded by two processes (`sources.PROCESSES`), and Pagefind indexes each
  year's pages while the build process renders the rest;
- the disk cache (`cache.DiskCache`) keeps loaded documents by content, and a page
  whose fingerprint (see `fingerprint`) is unchanged is linked from the previous
  output instead of rendered again.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import os
import time
from dataclasses import dataclass
from pathlib import Path

from site_gen import cache, write
from site_gen.cache import DiskCache, Manifest, OutputFile, OutputFiles
from site_gen.load.sources import PROCESSES, Sources, stat_key_or_none
from site_gen.problems import Problems, SiteGenError
from site_gen.progress import Progress
from site_gen.times import last_day_passed
from site_gen.write import (
    MARKER,
    Staging,
    check_output_folder,
    one_build_at_a_time,
    recover_interrupted_builds,
    remove_file,
    replace_copy,
    replace_file,
)

OUTPUT_DIR = "output"
SCANS_TABLE = "attachment-scans"  # what reading PDF and office attachments found


@dataclass
class BuildResult:
    pages: int
    files: int
    seconds: float
    problems: Problems
    rendered: int = 0  # pages rendered this time (the others were unchanged)
    untouched: bool = False  # nothing had changed: the output was left as it was


def load_site(root: Path, problems: Problems, use_cache: bool = True):
    """Load, validate and assemble the site; None when site.yml cannot be used."""
    return Builder(root, use_cache=use_cache).load(problems)


def check_site(root: Path, use_cache: bool = True) -> Problems:
    """Every problem in the site's sources and templates, without building (and, without
    the cache, without writing anything)."""
    problems = Problems(root=root.absolute())
    builder = Builder(root, use_cache=use_cache)
    site = builder.load(problems)
    if site is not None:
        problems.items += builder.template_problems(site)
    return problems


def _judged_another_day(problems: Problems) -> bool:
    """Whether a problem the passing of days settles (a justering dated ahead) was found
    on another day than today: the problems are judged again, not told again."""
    today = last_day_passed(()).isoformat()
    return any(p.as_of and p.as_of != today for p in problems.items)


def build(root: Path, output: Path | None = None, progress: Progress | None = None,
          strict: bool = False, use_cache: bool = True) -> BuildResult:
    """Build the site once, into a fresh folder swapped into place."""
    builder = Builder(root, output, use_cache=use_cache, keep_documents=False)
    try:
        return builder.build(progress=progress, strict=strict)
    finally:
        gc.unfreeze()  # a caller that builds again can collect this site once it lets go


@dataclass
class _LastBuild:
    """The site as the last build made it, kept by a builder that builds again
    (site-gen serve), for a quick rebuild after an edit of a protokoll's text."""

    site: object  # model.Site
    pages: list  # pages.Page
    copies: int
    fingerprints: object  # fingerprint.Fingerprinter
    problems: Problems
    env: object
    theme: Path
    globals_digest: str
    meeting_of: dict[Path, object]  # protokoll source -> its meeting
    # id(meeting) -> the pages showing its text; key None: pages showing every meeting's
    pages_of: dict[int | None, list]
    attachments: dict[Path, tuple[int, int, int]]  # attachment file -> its stat key

    @classmethod
    def of(cls, site, pages, copies, fingerprints, problems, env, theme, globals_digest) -> _LastBuild:
        pages_of: dict[int | None, list] = {}
        for page in pages:
            if not page.summary_only:
                for key in [None] if page.depends is None else [id(m) for m in page.depends]:
                    pages_of.setdefault(key, []).append(page)
        meeting_of = {m.protokoll.source: m for m in site.meetings if m.protokoll}
        attachments = {a.source: stat_key_or_none(a.source) for m in site.meetings
                       for document in (m.protokoll, m.kallelse) if document
                       for a in document.attachments if a.source is not None}
        return cls(site, pages, copies, fingerprints, problems, env, theme, globals_digest,
                   meeting_of, pages_of, attachments)

    def attachments_changed(self) -> bool:
        return any(stat_key_or_none(path) != key for path, key in self.attachments.items())


class Builder:
    """Builds one site, again and again when asked, redoing only what changed.

    In memory, source files are read again only when their size or time changed;
    on disk, documents are cached by content. Pages are rendered again only when
    their fingerprint changed (see `fingerprint`).
    """

    def __init__(self, root: Path, output: Path | None = None, use_cache: bool = True,
                 processes: int = PROCESSES, keep_documents: bool = True):
        self.root = root.absolute()
        self.output = (output or self.root / OUTPUT_DIR).absolute()
        self.disk = DiskCache(self.root / cache.CACHE_DIR) if use_cache else None
        self._cache_trouble = self.disk.why_unusable() if self.disk else None
        if self._cache_trouble:
            self.disk = None
        self.sources = Sources(self.root, self.disk, processes, keep=keep_documents)
        self._written: dict[str, str] = {}  # output file -> fingerprint of what is there now
        self._copied: set[str] = set()  # output files copied from static files and attachments
        self._environment: tuple[str, object] | None = None
        self._last: _LastBuild | None = None
        # Called with the output folder after an in-place update changed pages (default:
        # index it again at once); serve puts a search.BackgroundIndexer here so that its
        # rebuilds never wait for Pagefind.
        self.on_pages_changed = _index_again

    # --- load, validate, assemble ----------------------------------------------

    def load(self, problems: Problems, progress: Progress | None = None):
        from site_gen import domain
        from site_gen.load import attachments
        from site_gen.load.config import CONFIG_NAME, load_config
        from site_gen.load.documents import CONTENT_DIR, document_names, left_out
        from site_gen.model.assemble import assemble
        from site_gen.validate.checks import run_checks

        if self._cache_trouble:
            problems.warning(self.root / cache.CACHE_DIR, 0, f"the build cache cannot be used "
                             f"({self._cache_trouble}), so everything is read and written anew",
                             "delete the folder (that is always safe), or give this user the "
                             "right to write it")
        config = load_config(self.root, problems)
        if config is None:
            return None
        for path, message, hint in left_out(self.root / CONTENT_DIR):
            problems.error(path, 0, message, hint)
        self.sources.start(self.root / CONFIG_NAME, document_names(self.root / CONTENT_DIR))
        holidays = self.disk.table("holidays") if self.disk else {}
        domain.use_holiday_table(holidays)
        scans = self.disk.table(SCANS_TABLE) if self.disk else {}
        attachments.use_scan_table(scans, progress, self.sources.known_digest)

        def documents():
            total = len(self.sources.paths)
            for done, loaded in enumerate(self.sources.load(config), 1):
                if progress:
                    progress.update("Reading sources", done, total)
                problems.items.extend(loaded.problems)
                if loaded.document is not None:
                    yield loaded.document

        # Each document is assembled into the model as it comes, then let go: a large
        # site is never held in memory as documents, only as its model.
        site = assemble(config, documents(), problems)
        run_checks(site, problems)
        if self.disk and len(domain.holiday_table()) > len(holidays):
            self.disk.store_table("holidays", domain.holiday_table())
        if self.disk and attachments.scan_table().keys() != scans.keys():
            self.disk.store_table(SCANS_TABLE, attachments.scan_table())
        return site

    # --- render and write --------------------------------------------------------

    def build(self, progress: Progress | None = None, strict: bool = False,
              in_place: bool = False) -> BuildResult:
        """Build the site. `in_place` updates an output folder this builder wrote
        before, file by file, instead of writing a fresh folder and swapping it in."""
        started = time.monotonic()
        progress = progress or Progress()
        # Before anything is read or cached: an output folder that is not ours stops the
        # build with nothing written anywhere. The sources' problems are told as well.
        try:
            check_output_folder(self.output)
        except SiteGenError as exc:
            raise SiteGenError(str(exc), check_site(self.root, use_cache=False).sorted()) from None
        # No site here: make no cache or output for one. ("site.yml" is config.CONFIG_NAME:
        # config is not imported by a build that finds nothing to do.)
        if not (self.root / "site.yml").is_file():
            raise SiteGenError("the site has errors; nothing was published",
                               check_site(self.root, use_cache=False).sorted())
        with one_build_at_a_time(self.disk.lock_file(self.output) if self.disk else None):
            result = self._build(started, progress, strict, in_place)
        # The build has ended: a stop from now on (serve waiting for saves) interrupts
        # nothing it began, and must not be told as one after a swap.
        write.published.clear()
        return result

    def _build(self, started: float, progress: Progress, strict: bool, in_place: bool) -> BuildResult:
        if in_place and self._last is not None and not strict:
            quick = self._rebuild_text_edit(started)
            if quick is not None:
                return quick
        self._last = None
        site_key = ""
        self.sources.forget_digests()
        if self.disk and not in_place:
            site_key = cache.site_key(self.root, self.output, self.sources.digests)
            reused = self._reuse_unchanged(site_key, strict, started)
            if reused is not None:
                return reused
        try:
            return self._build_all(progress, strict, in_place, site_key, started)
        finally:
            progress.finish()  # also when the build fails: its message starts a line of its own

    def _build_all(self, progress: Progress, strict: bool, in_place: bool, site_key: str,
                   started: float) -> BuildResult:
        """Load everything, then write every page that changed."""
        from site_gen import render
        from site_gen.load.config import theme_dir
        from site_gen.site.fingerprint import Fingerprinter
        from site_gen.site.pages import files_to_copy, site_pages

        problems = Problems(root=self.root)
        with _collector_paused(freeze_after=not self.sources.keep):
            site = self.load(problems, progress)
        self.sources.forget_document_digests()
        if site is None or problems.errors:
            raise SiteGenError("the site has errors; nothing was published", problems.sorted())
        if strict and problems.warnings:
            raise SiteGenError("the site has warnings and --strict is on; nothing was published",
                               problems.sorted())
        theme = theme_dir(self.root, site.config.theme)  # found: load_config checked it
        pages = site_pages(site)
        copies = files_to_copy(site, render.static_dirs(self.root, theme))
        theme_files = self._theme_files(theme)
        globals_digest = self._globals_digest(theme, theme_files)
        fingerprints = Fingerprinter(site, globals_digest)
        wanted = {page.file: fingerprints.page(page) for page in pages}
        env = self._env(theme, globals_digest)
        template_problems = render.theme_problems(env, self.root, theme_files)
        if template_problems:
            raise SiteGenError("the site's templates or static files have errors; nothing was published",
                               template_problems)
        if in_place and self._written and self.output.is_dir():
            rendered = self._update_in_place(env, site, pages, wanted, copies, progress)
        else:
            rendered = self._write_fresh(env, site, pages, wanted, copies, progress, site_key, problems)
        self._written = wanted
        self._copied = set(copies)
        if self.sources.keep:
            self._last = _LastBuild.of(site, pages, len(copies), fingerprints, problems, env, theme,
                                       globals_digest)
        return BuildResult(pages=len(pages), files=len(copies), rendered=rendered,
                           seconds=time.monotonic() - started, problems=problems)

    def _rebuild_text_edit(self, started: float) -> BuildResult | None:
        """The quick way for the commonest edit while serving: one protokoll changed
        in the text of its paragraphs alone (assemble.changes_text_only). Only that
        meeting's own pages can change, so its model is updated in place and only they
        are rendered again. None, with nothing changed, for any other change."""
        from site_gen.load.config import CONFIG_NAME
        from site_gen.load.documents import CONTENT_DIR, document_names
        from site_gen.model import assemble

        last = self._last
        if (not self.sources.config_unchanged(self.root / CONFIG_NAME)
                or self._globals_digest(last.theme) != last.globals_digest
                or last.attachments_changed()):
            return None
        edited = self.sources.the_one_edited(document_names(self.root / CONTENT_DIR))
        if edited is None or edited[0] not in last.meeting_of:
            return None
        path, key = edited
        old = self.sources.loaded(path)
        new = self.sources.parse_again(path, key, last.site.config)
        relative = last.problems.relative(path)
        # The checks of the assembled site found these in the file. They read its front
        # matter and headings, which a text edit leaves as they are; one about the text
        # itself (a § reference's line) would need them run again.
        of_site = [p for p in last.problems.items if p.path == relative and p not in old.problems]
        if (old.document is None or new.document is None or _judged_another_day(last.problems)
                or any(p.severity == "error" for p in new.problems)
                or any(p.line >= old.document.body_line for p in of_site)
                or not assemble.changes_text_only(old.document, new.document)):
            return None
        meeting = last.meeting_of[path]
        self._last = None  # until the pages are written: a failure leaves a full build next
        assemble.replace_paragraph_texts(meeting, new.document)
        self.sources.remember(path, new)
        # The one check that reads a paragraph's text, run on the new one. (Imported here:
        # a build with nothing changed runs no check, and starts sooner without it.)
        from site_gen.validate.people import check_justerare_as_chosen

        of_text = Problems(root=self.root)
        check_justerare_as_chosen(meeting, of_text)
        last.problems.items = ([p for p in last.problems.items if p.path != relative] + new.problems + of_site
                               + of_text.items)
        last.fingerprints.meeting_changed(meeting)
        pages = last.pages_of.get(id(meeting), []) + last.pages_of.get(None, [])
        wanted = {page.file: last.fingerprints.page(page) for page in pages}
        changed = [page for page in pages if self._written.get(page.file) != wanted[page.file]]
        rendered = self._replace_pages(last.env, last.site, changed, {**self._written, **wanted})
        self._last = last
        return BuildResult(pages=len(last.pages), files=last.copies, rendered=rendered,
                           seconds=time.monotonic() - started, problems=last.problems)

    def _reuse_unchanged(self, site_key: str, strict: bool, started: float) -> BuildResult | None:
        """When no input changed since the last build into this output folder, and
        that output still holds exactly the files written, nothing else, the output
        is already what a full build would write: it is left as it is."""
        recover_interrupted_builds(self.output)
        manifest = self.disk.manifest(self.output)
        if manifest.site_key != site_key or not manifest.files or not (self.output / MARKER).is_file():
            return None
        problems = Problems(root=self.root, items=list(manifest.problems))
        if strict and problems.warnings:
            return None  # let the full build explain
        if _judged_another_day(problems):
            return None
        expected = manifest.files
        found = 0
        try:
            for relative, stat in _walk_files(self.output):
                if relative == MARKER:
                    continue
                entry = expected.get(relative)
                if entry is None or not entry.matches(stat):
                    return None
                found += 1
        except OSError:
            return None
        if found != len(expected):
            return None
        self._written = {r: e.fingerprint for r, e in expected.items() if e.fingerprint}
        return BuildResult(pages=manifest.pages, files=manifest.copies, rendered=0, untouched=True,
                           seconds=time.monotonic() - started, problems=problems)

    def template_problems(self, site) -> list:
        """What is wrong in the templates the site is rendered with (render.template_problems)."""
        from site_gen import render
        from site_gen.load.config import theme_dir

        theme = theme_dir(self.root, site.config.theme)
        if theme is None:
            return []  # load_config has said so
        files = self._theme_files(theme)
        return render.theme_problems(self._env(theme, self._globals_digest(theme, files)), self.root, files)

    def _env(self, theme: Path, globals_digest: str):
        """The Jinja environment, kept while templates are unchanged: it caches them compiled."""
        from site_gen import render

        if self._environment is None or self._environment[0] != globals_digest:
            bytecode = self.disk.jinja_folder() if self.disk else None
            self._environment = (globals_digest, render.environment(self.root, theme, bytecode))
        return self._environment[1]

    def _globals_digest(self, theme: Path, theme_files: dict[Path, str] | None = None) -> str:
        """Everything every page depends on: templates, static files, configuration and
        site-gen itself, by content (`theme_files`, when the caller has them already)."""
        files = self._theme_files(theme) if theme_files is None else theme_files
        return cache.digest_of(files, self.root) + cache.code_digest()

    def _theme_files(self, theme: Path) -> dict[Path, str]:
        """The digest of each template, static file and site.yml ('' for one that cannot be read)."""
        from site_gen import render
        from site_gen.load.config import CONFIG_NAME

        folders = render.template_dirs(self.root, theme) + render.static_dirs(self.root, theme)
        return cache.file_digests([f for f in folders if f.is_dir()] + [self.root / CONFIG_NAME])

    def _write_fresh(self, env, site, pages, wanted, copies, progress, site_key, problems) -> int:
        manifest = self.disk.manifest(self.output) if self.disk else Manifest()
        previous = manifest.files if (self.output / MARKER).is_file() else OutputFiles()
        with Staging(self.output, self._spare()) as staging:
            # Pages made as before. Whether the file is still the one written is asked
            # when it is linked (_linked_if_unchanged).
            unchanged = []
            for page in pages:
                staging.claim(page.file)
                entry = previous.get(page.file)
                if entry is not None and entry.fingerprint == wanted[page.file]:
                    unchanged.append(page.file)
            copied = {}
            for relative, source in copies.items():
                fingerprint = "copy:" + self.sources.digest_of(source)
                copied[relative] = fingerprint
                entry = previous.get(relative)
                if self._unchanged(entry, fingerprint, relative):
                    staging.link(relative, self.output / relative, entry.inode)
                else:
                    staging.copy(relative, source)
            searched, stale = self._link_unchanged_search_bundles(staging, wanted, previous)
            # Before any page is indexed: a page left over in the spare must not be.
            staging.remove_unclaimed()
            rendered, indexed = _render_and_index(env, site, pages, previous.only(unchanged), self.output,
                                                  staging, stale, progress)
            files = _files_in(staging, previous, {**wanted, **copied, **searched}, indexed)
            staging.commit(before_swap=lambda folder: self._remember(
                site_key, files, problems, len(pages), len(copies)))
        if staging.left_behind:
            folder, reason = staging.left_behind
            problems.warning(folder, 0, f"the site was published, but the output it replaced could not be "
                             f"removed ({reason})", "remove the folder yourself (it was written by another "
                             "user, or its files were made read-only)")
        return rendered

    def _link_unchanged_search_bundles(self, staging: Staging, wanted: dict[str, str],
                                       previous: OutputFiles) -> tuple[dict[str, str], list]:
        """Link each search bundle whose pages are unchanged since the previous output:
        (linked file -> the bundle's fingerprint, the bundles to index again)."""
        from site_gen.site import urls
        from site_gen.write import search

        earlier: dict[str, list[str]] = {}  # bundle path -> its files in the previous output
        for relative in previous:
            if relative.startswith(urls.SEARCH_FOLDER + "/"):
                bundle_path = "/".join(relative.split("/", 2)[:2]) + "/"
                earlier.setdefault(bundle_path, []).append(relative)
        linked, stale = {}, []
        for bundle in search.plan(wanted):
            files = earlier.get(bundle.path, [])
            entries = {relative: previous[relative] for relative in files}
            if files and all(self._unchanged(e, bundle.fingerprint, r) for r, e in entries.items()):
                for relative, entry in entries.items():
                    staging.link(relative, self.output / relative, entry.inode)
                    linked[relative] = bundle.fingerprint
            else:
                stale.append(bundle)
        return linked, stale

    def _spare(self) -> Path | None:
        """Where the output replaced by a build is kept, to start the next one from."""
        return self.disk.spare_folder(self.output) if self.disk else None

    def _unchanged(self, entry: OutputFile | None, fingerprint: str, relative: str) -> bool:
        if entry is None or entry.fingerprint != fingerprint:
            return False
        try:
            return entry.matches((self.output / relative).stat())
        except OSError:
            return False

    def _remember(self, site_key: str, files: OutputFiles, problems: Problems, pages: int,
                  copies: int) -> None:
        """Record every file of the finished staging folder, before it becomes the output."""
        if self.disk:
            self.disk.store_manifest(self.output, Manifest(site_key, files, problems.sorted(), pages, copies))

    def _update_in_place(self, env, site, pages, wanted, copies, progress) -> int:
        changed = [p for p in pages if self._written.get(p.file) != wanted[p.file]
                   or not (self.output / p.file).is_file()]
        # A static file or attachment removed from the sources leaves the served site too:
        # output/ may be published straight from a preview.
        removed = (set(self._written) | self._copied) - set(wanted) - set(copies)
        return self._replace_pages(env, site, changed, wanted, copies, removed, progress)

    def _replace_pages(self, env, site, changed, wanted: dict[str, str], copies=None, removed=(),
                       progress=None) -> int:
        """Write the changed pages (and the copied files) into the live output folder
        and delete the removed files; then the search catches up. `wanted`: every
        page's new fingerprint."""
        from site_gen import render

        # Render everything before touching a file, so a template error leaves the
        # served site as it was.
        output = {}
        for index, page in enumerate(changed, 1):
            output[page.file] = render.render_page(env, site, page).encode("utf-8")
            if progress:
                progress.update("Writing pages", index, len(changed))
        if self.disk:  # the folder is about to change under the manifest's feet
            self.disk.forget_manifest(self.output)
        for relative, data in output.items():
            replace_file(self.output, relative, data)
        for relative, source in (copies or {}).items():
            replace_copy(self.output, relative, source)
        for relative in removed:
            remove_file(self.output, relative)
        self._written = wanted
        if changed or removed:
            from site_gen.site import urls
            from site_gen.write import search

            years = {urls.search_year(p.file) for p in changed} | {urls.search_year(r) for r in removed}
            self.on_pages_changed(self.output, search.plan(wanted), years - {None})
        return len(changed)


def _index_again(output: Path, bundles, changed_years: set[int]) -> None:
    from site_gen.write import search

    search.reindex_in_place(output, bundles, changed_years)


def _render_and_index(env, site, pages, unchanged: OutputFiles, output: Path,
                      staging: Staging, bundles, progress) -> tuple[int, dict[str, OutputFile]]:
    """Put the claimed `pages` into `staging`, the `unchanged` ones linked from
    `output` and the others rendered, and index its search `bundles`: (how many pages
    were rendered, the manifest entry of each file the indexing wrote).

    The pages Pagefind reads come first, year by year, and each year's bundle is
    indexed as soon as its pages are in place, on the other core, while the build
    process renders (or links) the rest. A render helper beside it would copy most of
    the site it reads (CPython writes reference counts into every object it touches):
    twice the memory, for no gain in time while Pagefind has work."""
    from site_gen import render
    from site_gen.site import urls
    from site_gen.write import search

    waiting = {bundle.year: bundle for bundle in bundles}
    jobs = []  # (page, the year whose bundle waits for it, or None)
    for page in pages:
        year = urls.search_year(page.file)
        jobs.append((page, year if year in waiting else None))
    left = collections.Counter(year for _, year in jobs if year is not None)  # pages still to write
    jobs.sort(key=lambda job: 1 if job[1] is None else -job[1])  # newest year first, the rest last
    rendered = 0
    with search.Indexing(staging.path) as indexing:
        for year in [year for year in waiting if not left[year]]:
            indexing.index(waiting.pop(year))
        for done, (page, year) in enumerate(jobs, 1):
            entry = unchanged.get(page.file)
            if entry is None or not _linked_if_unchanged(staging, page.file, output / page.file, entry):
                staging.write_claimed(page.file, render.render_page(env, site, page).encode("utf-8"))
                rendered += 1
            progress.update("Writing pages", done, len(jobs))
            if year is not None:
                left[year] -= 1
                if not left[year]:
                    indexing.index(waiting.pop(year))
        indexing.wait(lambda done, total: progress.update("Indexing the search", done, total))
    return rendered, {bundle.path + relative: OutputFile.of(bundle.fingerprint, stat)
                      for bundle in bundles for relative, stat in _walk_files(staging.path / bundle.path)}


def _files_in(staging: Staging, previous: OutputFiles, fingerprints: dict[str, str],
              indexed: dict[str, OutputFile]) -> OutputFiles:
    """Every file of the finished staging folder, as the manifest lists it. A linked
    file is the previous output's own (the same inode), so its entry is known without
    asking the disk: after one edit at 20,000 meetings, 70,000 files not looked at again."""
    def entry(relative: str) -> OutputFile:
        if relative in staging.linked:
            return previous[relative]._replace(fingerprint=fingerprints.get(relative, ""))
        return OutputFile.of(fingerprints.get(relative, ""), os.stat(staging.path / relative))

    return OutputFiles([*((relative, entry(relative)) for relative in staging.written), *indexed.items()])


def _linked_if_unchanged(staging: Staging, relative: str, source: Path, entry: OutputFile) -> bool:
    """Link a page from the live output if it is still the file the manifest lists:
    it may have been replaced or removed (by hand, or by a `serve` writing into the
    same folder), even while this build runs. False: it must be rendered."""
    try:
        if entry.matches(source.stat()):
            staging.link_claimed(relative, source, entry.inode)
            return True
    except OSError:  # gone meanwhile
        pass
    return False


@contextlib.contextmanager
def _collector_paused(freeze_after: bool):
    """Python's cycle collector, paused while the site is loaded and assembled.

    Loading makes hundreds of thousands of objects that all live on, and the collector
    kept walking through them: a third of the time of a build after one edit. A build
    that runs once then freezes them until it is done, so that collections while
    rendering leave them alone; a builder that builds again (serve) does not, so that
    the sites it replaces can be collected.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze_after:
            gc.freeze()
        if enabled:
            gc.enable()


def _walk_files(folder: Path):
    """(relative path, stat) of every file below `folder`."""
    stack = [(folder, "")]
    while stack:
        current, prefix = stack.pop()
        with os.scandir(current) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((Path(entry.path), prefix + entry.name + "/"))
                else:
                    yield prefix + entry.name, entry.stat(follow_symlinks=False)
