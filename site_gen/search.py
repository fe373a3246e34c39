"""Full-text search: Pagefind indexes the written pages into a `pagefind/` folder.

The theme marks what is indexed (`data-pagefind-body` on protokoll, kallelse and
attachment pages; filters organ, ämne and år; the decision of each § as metadata), and
the search page's script reads the index in the browser: no server is needed. Pagefind
picks Swedish stemming from `<html lang="sv">`.

The Pagefind program ships inside the PyPI package `pagefind_bin` (a dependency of
site-gen), so nothing is downloaded at build time. SITE_GEN_PAGEFIND names another
program to run instead.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import cbor2

from . import urls
from .problems import SiteGenError
from .write import STAGING_PREFIX, exchange

BUNDLE_DIR = "pagefind"
PROGRAM_VARIABLE = "SITE_GEN_PAGEFIND"
ERROR_LINES = 5  # of Pagefind's own output, shown when it fails


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


def index_site(folder: Path) -> None:
    """Write the search index of the site in `folder` into `folder`/pagefind/."""
    _run_pagefind(folder, ["--output-subdir", BUNDLE_DIR])
    make_stable(folder / BUNDLE_DIR)


def reindex_in_place(output: Path) -> None:
    """Index a live output folder again, swapping the new index in whole so the
    served site never mixes files of two indexes."""
    fresh = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX + "search-", dir=output.parent))
    try:
        _run_pagefind(output, ["--output-path", str(fresh / BUNDLE_DIR)])
        make_stable(fresh / BUNDLE_DIR)
        current = output / BUNDLE_DIR
        if not current.exists():
            os.rename(fresh / BUNDLE_DIR, current)
        elif not exchange(fresh / BUNDLE_DIR, current):
            shutil.rmtree(current)
            os.rename(fresh / BUNDLE_DIR, current)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


class BackgroundIndexer:
    """Indexes a live output folder again in a thread of its own, for `site-gen serve`:
    a page is served at once after an edit, and the search catches up when Pagefind is
    done (about 10 s for 1000 meetings). Edits made meanwhile give one more run."""

    def __init__(self, output: Path):
        self.output = output
        self._wanted = threading.Event()
        self._thread: threading.Thread | None = None

    def request(self, output: Path | None = None) -> None:
        """Index again soon; `output` is accepted to fit Builder.on_pages_changed."""
        self._wanted.set()
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="search-index", daemon=True)
            self._thread.start()

    def _work(self) -> None:
        while True:
            self._wanted.wait()
            self._wanted.clear()
            try:
                reindex_in_place(self.output)
            except (SiteGenError, OSError) as exc:  # the thread must live on for the next edit
                print(f"site-gen: {exc}; the search still uses the previous index", file=sys.stderr)


def _run_pagefind(site: Path, where: list[str]) -> None:
    program = pagefind_program()
    # Pagefind also reads PAGEFIND_* variables and a pagefind.yml in its working folder;
    # neither should change what a build writes, so it runs without them, in the site.
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    try:
        finished = subprocess.run([str(program), "--site", str(site), "--glob", urls.SEARCHABLE_PAGES,
                                   *where, "--silent"],
                                  cwd=site, env=environment, capture_output=True, text=True)
    except OSError as exc:
        raise SiteGenError(f"the search index could not be built: {program} could not be "
                           f"started ({exc.strerror})") from None
    if finished.returncode != 0:
        said = (finished.stderr or finished.stdout).strip().splitlines()[-ERROR_LINES:]
        detail = ("; Pagefind said: " + " / ".join(said)) if said else ""
        raise SiteGenError(f"the search index could not be built: {program} stopped with "
                           f"status {finished.returncode}{detail}")


# --- byte-identical output ---------------------------------------------------------
#
# Pagefind 1.5 writes its filter indexes, and the list of them in each language's
# metadata file, in hash-map order, which changes from run to run (upstream issue
# Pagefind/pagefind#638: page fragments are stable, filter and metadata indexes are
# not). Those files are put in order here and named again after their new content;
# the browser side reads the names from the metadata file and pagefind-entry.json and
# does not care about the order. Each file is gzip("pagefind_dcd" + CBOR).

SIGNATURE = b"pagefind_dcd"
ENTRY_FILE = "pagefind-entry.json"
FILTERS_FIELD = 3  # index of the [[filter name, file hash], ...] list in a .pf_meta file


def make_stable(bundle: Path) -> None:
    """Rewrite a Pagefind bundle so the same pages always give the same bytes."""
    entry = json.loads((bundle / ENTRY_FILE).read_text(encoding="utf-8"))
    languages = {}
    for name, language in sorted(entry["languages"].items()):
        meta_file = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = _read(meta_file)
        filters = []
        for filter_name, file_hash in sorted(meta[FILTERS_FIELD]):
            filter_file = bundle / "filter" / f"{file_hash}.pf_filter"
            field, values = _read(filter_file)
            filter_file.unlink()
            new_hash = _write(bundle / "filter", file_hash, [field, sorted(values)], ".pf_filter", 7)
            filters.append([filter_name, new_hash])
        meta[FILTERS_FIELD] = filters
        meta_file.unlink()
        language["hash"] = _write(bundle, language["hash"], meta, ".pf_meta", 10, prefix="pagefind.")
        languages[name] = language
    entry["languages"] = languages
    (bundle / ENTRY_FILE).write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                                     encoding="utf-8")


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
    (folder / f"{prefix}{new_hash}{suffix}").write_bytes(gzip.compress(data, mtime=0))
    return new_hash
