"""Full-text search: Pagefind indexes the written pages into `pagefind/<year>/`.

The theme marks what is indexed (`data-pagefind-body` on protokoll, kallelse and
attachment pages; filters organ, ämne and år; the decision and the topics of each § as
metadata), and the search page's script reads the index in the browser: no server is
needed. Pagefind picks Swedish stemming from `<html lang="sv">`.

The index is cut in one bundle per year. The newest year's is the primary bundle: it
also holds Pagefind's script and WebAssembly, and the search page merges the other
years into it (Pagefind's `mergeIndex`). A build indexes again only the years whose
pages changed, so an edit costs one year's indexing, not the whole archive's.

The Pagefind program ships inside the PyPI package `pagefind_bin` (a dependency of
site-gen), so nothing is downloaded at build time. SITE_GEN_PAGEFIND names another
program to run instead.
"""

from __future__ import annotations

import contextlib
import fnmatch
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cbor2

from site_gen.cache import hash_parts
from site_gen.problems import SiteGenError
from site_gen.site import urls
from site_gen.write import STAGING_PREFIX, swap_in

PROGRAM_VARIABLE = "SITE_GEN_PAGEFIND"
ERROR_LINES = 5  # of Pagefind's own output, shown when it fails
# Pagefind uses every core itself (1.4 cores on average for one year's bundle): a
# second run beside it made builds no faster and added its memory, about 40 MiB.
PARALLEL_RUNS = 1
BACKGROUND_NICENESS = 10  # see _lower_priority_of_this_thread
LOWEST_PRIORITY = 19  # the largest niceness
# What a bundle keeps of Pagefind's output: its index, and in the primary bundle the
# script and WebAssembly the browser runs. Pagefind's ready-made UI is not used.
INDEX_FILES = ("pagefind-entry.json", "pagefind.*.pf_meta", "index", "fragment", "filter")
RUNTIME_FILES = ("pagefind.js", "pagefind-worker.js", "wasm.*.pagefind")


@dataclass(frozen=True)
class Bundle:
    year: int
    primary: bool
    fingerprint: str  # changes whenever one of its pages, or Pagefind, changes

    @property
    def path(self) -> str:
        return urls.search_bundle_path(self.year)


def plan(fingerprints: dict[str, str]) -> list[Bundle]:
    """The search bundles of a site whose output files have these fingerprints,
    newest year (the primary bundle) first."""
    years: dict[int, list[str]] = {}
    for file, fingerprint in fingerprints.items():
        year = urls.search_year(file)
        if year is not None:
            years.setdefault(year, []).append(f"{file}\0{fingerprint}")
    bundles = []
    for year in sorted(years, reverse=True):
        primary = not bundles
        parts = [_pagefind_version(), str(primary), *sorted(years[year])]
        bundles.append(Bundle(year, primary, "search:" + hash_parts(parts)))
    return bundles


def pagefind_program() -> Path:
    """The Pagefind executable: SITE_GEN_PAGEFIND, else the one in the pagefind_bin package."""
    chosen = os.environ.get(PROGRAM_VARIABLE)
    if chosen:
        return Path(chosen)
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise SiteGenError(
            "the search index could not be built: Pagefind is not installed. Install site-gen "
            "again (pip install -e .) to get the package pagefind[bin]") from None
    try:
        return get_executable()
    except FileNotFoundError as exc:
        raise SiteGenError(f"the search index could not be built: {exc}. Reinstall the package "
                           "pagefind_bin (pip install --force-reinstall pagefind_bin)") from None


@lru_cache(maxsize=1)
def _pagefind_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind_bin") + os.environ.get(PROGRAM_VARIABLE, "")
    except PackageNotFoundError:
        return os.environ.get(PROGRAM_VARIABLE, "")


class Indexing:
    """Bundles of a site being written, each indexed as soon as its pages are all in
    place, beside whatever the build goes on doing (Pagefind is a program of its own:
    the thread that runs it only waits). Pagefind runs at low priority, so that the
    build, which has the longer way to go, keeps a core to itself. Leaving the `with`
    block waits for every bundle, and raises the first failure."""

    def __init__(self, site: Path):
        self.site = site
        self._started: list[Future] = []

    def __enter__(self) -> Indexing:
        self._pool = ThreadPoolExecutor(max_workers=PARALLEL_RUNS, thread_name_prefix="pagefind",
                                        initializer=_lower_priority_of_this_thread)
        return self

    def index(self, bundle: Bundle) -> None:
        """Index `bundle` once a run is free; every page of its year must be written.
        Raises the failure of an earlier run, so that the build stops early."""
        if not self._started:
            pagefind_program()  # a missing program stops the build before any run
        for started in self._started:
            if started.done():
                started.result()
        self._started.append(self._pool.submit(_index_bundle, self.site, bundle, self.site / bundle.path))

    def wait(self, report) -> None:
        """Wait for every run, calling `report(done, total)` as each ends; raises the
        first failure."""
        for done, started in enumerate(as_completed(self._started), 1):
            started.result()
            report(done, len(self._started))

    def __exit__(self, kind, error, trace) -> None:
        # After a failure elsewhere, the runs not yet started are of no use.
        self._pool.shutdown(wait=True, cancel_futures=error is not None)
        if error is None:
            for started in self._started:
                started.result()


def _index_bundle(site: Path, bundle: Bundle, target: Path) -> None:
    _run_pagefind(site, urls.searchable_pages(bundle.year), ["--output-path", str(target)])
    if not (target / ENTRY_FILE).is_file():  # another program, or another Pagefind's layout
        raise SiteGenError(f"the search index could not be built: {pagefind_program()} ended without "
                           f"writing one (site-gen runs Pagefind {PAGEFIND_SERIES})")
    make_stable(target)
    kept = INDEX_FILES + (RUNTIME_FILES if bundle.primary else ())
    for child in target.iterdir():
        if not any(fnmatch.fnmatchcase(child.name, pattern) for pattern in kept):
            shutil.rmtree(child) if child.is_dir() else child.unlink()


def reindex_in_place(output: Path, bundles: list[Bundle], changed_years: set[int]) -> None:
    """Index a live output folder again: the bundles of the years whose pages changed
    and any that became or stopped being the primary; each is swapped in whole, so the
    served site never mixes files of two indexes. Bundles of years gone are removed."""
    for bundle in bundles:
        current = output / bundle.path
        if (bundle.year in changed_years or not current.is_dir()
                or (current / RUNTIME_FILES[0]).exists() != bundle.primary):
            fresh = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX + "search-", dir=output.parent))
            try:
                _index_bundle(output, bundle, fresh / "bundle")
                swap_in(fresh / "bundle", current)
            finally:
                shutil.rmtree(fresh, ignore_errors=True)
    folder = output / urls.SEARCH_FOLDER
    wanted = {str(bundle.year) for bundle in bundles}
    for child in folder.iterdir() if folder.is_dir() else []:
        if child.name not in wanted:
            shutil.rmtree(child, ignore_errors=True)


class BackgroundIndexer:
    """Indexes a live output folder again in a thread of its own, for `site-gen serve`:
    a page is served at once after an edit, and the search catches up when Pagefind is
    done with the year's bundle. Edits made meanwhile give one more run."""

    def __init__(self, output: Path):
        self.output = output
        self._wanted = threading.Event()
        self._lock = threading.Lock()
        self._bundles: list[Bundle] = []
        self._changed: set[int] = set()
        self._thread: threading.Thread | None = None

    def request(self, output: Path, bundles: list[Bundle], changed_years: set[int]) -> None:
        """Index these years again soon; fits Builder.on_pages_changed."""
        with self._lock:
            self._bundles = bundles
            self._changed |= changed_years
        self._wanted.set()
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="search-index", daemon=True)
            self._thread.start()

    def _work(self) -> None:
        # So that the dev server's next rebuild is not kept waiting by the search catching up.
        _lower_priority_of_this_thread()
        while True:
            self._wanted.wait()
            self._wanted.clear()
            with self._lock:
                bundles, changed, self._changed = self._bundles, self._changed, set()
            try:
                reindex_in_place(self.output, bundles, changed)
            except (SiteGenError, OSError) as exc:  # the thread must live on for the next edit
                with self._lock:
                    self._changed |= changed  # tried again with the next edit
                print(f"site-gen: {exc}; the search still uses the previous index", file=sys.stderr)


_background = threading.local()  # .lower: this thread starts programs at low priority


def _lower_priority_of_this_thread() -> None:
    """Start every program from this thread on at a priority below the build's.

    Linux keeps a priority per thread, and a program started from a thread begins with
    that thread's, all its own threads included. Elsewhere each program is lowered
    once started, which misses the threads it has made by then."""
    _background.lower = True
    if sys.platform.startswith("linux"):
        _lower_priority(threading.get_native_id())


def _lower_priority(who: int) -> None:
    """Lower the priority of a thread (Linux) or process by BACKGROUND_NICENESS steps:
    a build that already runs at low priority keeps its programs below itself."""
    if not hasattr(os, "setpriority"):  # Windows
        return
    with contextlib.suppress(OSError):  # not allowed, or a program that has finished
        niceness = os.getpriority(os.PRIO_PROCESS, who) + BACKGROUND_NICENESS
        os.setpriority(os.PRIO_PROCESS, who, min(niceness, LOWEST_PRIORITY))


PAGEFIND_SERIES = "1.5.x"  # make_stable knows the layout of its index (pyproject.toml pins it)
NOTHING_INDEXED = "not able to build an index"  # what Pagefind says when no page held any text


def _run_pagefind(site: Path, pages: str, where: list[str]) -> None:
    """Run Pagefind on the site, to read the `pages` (a glob)."""
    program = pagefind_program()
    # Pagefind also reads PAGEFIND_* variables and a pagefind.yml in its working folder;
    # neither should change what a build writes, so it runs without them, in the site.
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    try:
        process = subprocess.Popen([str(program), "--site", str(site), "--glob", pages, *where, "--silent"],
                                   cwd=site, env=environment, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
    except OSError as exc:
        raise SiteGenError(f"the search index could not be built: {program} could not be "
                           f"started ({exc.strerror})") from None
    if getattr(_background, "lower", False) and not sys.platform.startswith("linux"):
        _lower_priority(process.pid)
    stdout, stderr = process.communicate()
    if process.returncode != 0 and NOTHING_INDEXED in stderr + stdout:
        raise SiteGenError(f"the search index could not be built: Pagefind found nothing to index in "
                           f"{pages}. It reads only pages with an <html> element, and of those the "
                           "part marked data-pagefind-body: check the theme's base.html and document "
                           "templates (docs/templates.md, The search index)")
    if process.returncode != 0:
        said = (stderr or stdout).strip().splitlines()[-ERROR_LINES:]
        detail = ("; Pagefind said: " + " / ".join(said)) if said else ""
        raise SiteGenError(f"the search index could not be built: {program} stopped with "
                           f"status {process.returncode}{detail}")


# --- byte-identical output ---------------------------------------------------------
#
# Pagefind 1.5 writes its filter indexes, and the list of them in each language's
# metadata file, in hash-map order, which changes from run to run (upstream issue
# Pagefind/pagefind#638: page fragments are stable, filter and metadata indexes are
# not). It also numbers the pages in the order the file system lists them, which is
# another on tmpfs than on ext4, and on ext4 depends on each file system's own hash
# seed: the same site built on a laptop and on a CI runner gave other index files.
# Here the pages are numbered again in the order of their fragment's name (a hash of
# the page's content), the filters are put in order, and every file is named again
# after its new content; the browser side reads the names from the metadata file and
# pagefind-entry.json. Each file is gzip("pagefind_dcd" + CBOR).

SIGNATURE = b"pagefind_dcd"
COMPRESSION = 6  # gzip's level: as small as Pagefind's own files, in half the time of level 9
ENTRY_FILE = "pagefind-entry.json"
# The fields of a .pf_meta file: [version, pages, index chunks, filters, sorts, meta fields].
PAGES_FIELD, CHUNKS_FIELD, FILTERS_FIELD, SORTS_FIELD = 1, 2, 3, 4
# A page is [fragment hash, word count]; an index chunk [from, to, file hash]; a word
# of an index chunk [word, pages, variants], a variant [form, pages], where each page is
# [page number, locations, meta locations] with the number told as the difference to the
# page before; a filter value [value, page numbers]; a sort [name, page numbers in the
# sort's order].


def make_stable(bundle: Path) -> None:
    """Rewrite a Pagefind bundle so the same pages always give the same bytes, on any
    file system."""
    entry = json.loads((bundle / ENTRY_FILE).read_text(encoding="utf-8"))
    languages = {}
    for name, language in sorted(entry["languages"].items()):
        meta_file = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = _read(meta_file)
        pages = meta[PAGES_FIELD]
        order = sorted(range(len(pages)), key=lambda number: pages[number][0])
        new_number = {old: new for new, old in enumerate(order)}
        meta[PAGES_FIELD] = [pages[old] for old in order]
        for chunk in meta[CHUNKS_FIELD]:
            chunk_file = bundle / "index" / f"{chunk[2]}.pf_index"
            (words,) = _read(chunk_file)
            for word in words:
                word[1] = _renumbered_locations(word[1], new_number)
                for variant in word[2]:
                    variant[1] = _renumbered_locations(variant[1], new_number)
                word[2].sort(key=lambda variant: variant[0])  # found in the order of the pages
            chunk_file.unlink()
            chunk[2] = _write(bundle / "index", chunk[2], [words], ".pf_index", 7)
        filters = []
        for filter_name, file_hash in sorted(meta[FILTERS_FIELD]):
            filter_file = bundle / "filter" / f"{file_hash}.pf_filter"
            field, values = _read(filter_file)
            filter_file.unlink()
            values = sorted([value, sorted(new_number[old] for old in numbers)] for value, numbers in values)
            new_hash = _write(bundle / "filter", file_hash, [field, values], ".pf_filter", 7)
            filters.append([filter_name, new_hash])
        meta[FILTERS_FIELD] = filters
        # A sort keeps its order. Pages of one sort value stay in the order Pagefind
        # found them: the values are not in the bundle (the default theme has no sort).
        for sort in meta[SORTS_FIELD]:
            sort[1] = [new_number[old] for old in sort[1]]
        meta_file.unlink()
        language["hash"] = _write(bundle, language["hash"], meta, ".pf_meta", 10, prefix="pagefind.")
        languages[name] = language
    entry["languages"] = languages
    (bundle / ENTRY_FILE).write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                                     encoding="utf-8")


def _renumbered_locations(pages: list, new_number: dict[int, int]) -> list:
    """A word's [page number, locations, meta locations] entries with the pages' new
    numbers, in the order of those numbers. As Pagefind writes them, each entry's page
    number is the difference to the entry before it."""
    number = 0
    for page in pages:
        number += page[0]
        page[0] = new_number[number]
    pages = sorted(pages, key=lambda page: page[0])
    previous = 0
    for page in pages:
        page[0], previous = page[0] - previous, page[0]
    return pages


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise SiteGenError(f"{path}: not a Pagefind index file this version of site-gen knows")
    return cbor2.loads(data[len(SIGNATURE):])


def _write(folder: Path, old_hash: str, value, suffix: str, digits: int, prefix: str = "") -> str:
    """Write `value` under a name made of the old name's language and a hash of the
    content, as Pagefind names its files; the new hash."""
    data = SIGNATURE + cbor2.dumps(value)
    language = old_hash.rpartition("_")[0]
    new_hash = f"{language}_{hashlib.sha256(data).hexdigest()[:digits]}"
    (folder / f"{prefix}{new_hash}{suffix}").write_bytes(gzip.compress(data, COMPRESSION, mtime=0))
    return new_hash
