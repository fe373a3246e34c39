"""Where each source document of a build comes from: from memory (a builder that
builds again keeps what it read), from the disk cache (by content), or read and parsed
anew, by helper processes when there are many. Which documents there are is
`documents.document_names`; reading one is `documents.load_document`."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from site_gen import cache
from site_gen.cache import DiskCache
from site_gen.problems import Problem, Problems

# Both cores of a small machine; more processes than cores only add copying.
PROCESSES = min(2, os.cpu_count() or 1)
# Below this many documents, starting helper processes costs more than it saves.
PARALLEL_MINIMUM = 48

StatKey = tuple[int, int, int]


@dataclass
class Loaded:
    """A source as loaded: its document (None when it could not be read) and the
    problems found in it, with the stat key of the file that was read."""

    key: StatKey
    document: object | None  # documents.SourceDocument
    problems: list[Problem]


def stat_key(path: Path | str) -> StatKey:
    stat = os.stat(path)
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


def stat_key_or_none(path: Path | str) -> StatKey:
    """The stat key of a source, or zeros for one that cannot be read: then it is read
    again (and its problem reported) at every build."""
    try:
        return stat_key(path)
    except OSError:
        return (0, 0, 0)


class Sources:
    """The documents of one site, build after build."""

    def __init__(self, root: Path, disk: DiskCache | None, processes: int = PROCESSES, keep: bool = True):
        self.root = root
        self.disk = disk
        self.processes = processes
        # A builder that builds once need not keep the loaded documents for next time:
        # on a large site they are a good part of the memory the build needs.
        self.keep = keep
        self.names: list[str] = []  # the documents of the last load, as found
        self.paths: list[Path] = []  # the same, as the path objects every part of the build shares
        self.digests: dict[Path, str] = {}  # file -> digest, read once per build (see cache.site_key)
        self._loaded: dict[Path, Loaded] = {}
        self._config_key: StatKey | None = None
        self._disk_keys: dict[Path, str] = {}  # source -> key of its entry in the disk cache

    def start(self, config_file: Path, names: list[str]) -> None:
        """Begin a load of these documents, configured by `config_file`."""
        config_key = stat_key(config_file)
        if config_key != self._config_key:  # organs may have changed: read everything again
            self._loaded.clear()
            self._config_key = config_key
        self.names, self.paths = names, [Path(name) for name in names]
        for gone in set(self._loaded) - set(self.paths):
            del self._loaded[gone]

    def forget_digests(self) -> None:
        """Before a build: the files may have changed since the last one read them."""
        self.digests, self._disk_keys = {}, {}

    def forget_document_digests(self) -> None:
        """After loading: let go of what only loading needs, since a large site has many
        sources. The digests of other files (attachments, static files) stay for
        fingerprinting their copies."""
        documents = set(self.paths)
        self.digests = {path: digest for path, digest in self.digests.items() if path not in documents}
        self._disk_keys = {}

    def known_digest(self, path: Path) -> str:
        """The file's digest if this build has read it already (cache.site_key), else ''."""
        return self.digests.get(path, "")

    def digest_of(self, path: Path) -> str:
        """The file's digest, read at most once in a build."""
        return self.known_digest(path) or cache.file_digest(path)

    def config_unchanged(self, config_file: Path) -> bool:
        return stat_key_or_none(config_file) == self._config_key

    def the_one_edited(self, names: list[str]) -> tuple[Path, StatKey] | None:
        """The one document whose file changed since it was loaded, with its new stat
        key; None when none or several did, or documents came or went."""
        if names != self.names:
            return None
        keys = [(path, stat_key_or_none(name)) for name, path in zip(names, self.paths, strict=True)]
        edited = [(path, key) for path, key in keys if key != self._loaded[path].key]
        return edited[0] if len(edited) == 1 else None

    def loaded(self, path: Path) -> Loaded:
        return self._loaded[path]

    def parse_again(self, path: Path, key: StatKey, config) -> Loaded:
        """Read one document anew, outside the disk cache (see `remember`)."""
        return _parse_document((path, key, config, self.root, None, ""))

    def remember(self, path: Path, loaded: Loaded) -> None:
        self._loaded[path] = loaded

    def load(self, config) -> Iterator[Loaded]:
        """Each document, in the order found by `start`: from memory, else from the disk
        cache, else read and parsed (by several processes when there are many, which
        parse ahead while the caller takes in the ones before)."""
        context = _document_context(config)
        steps: list[tuple[Path, StatKey, Loaded | str | None]] = []  # memory, disk key, or parse
        missing: list[tuple[Path, StatKey, str]] = []
        for path in self.paths:
            key = stat_key_or_none(path)
            loaded = self._loaded.get(path)
            if loaded is not None and loaded.key == key:
                steps.append((path, key, loaded))
                continue
            disk_key = ""
            if self.disk is not None:
                disk_key = self._disk_keys[path] = _document_key(self.digest_of(path), path, context)
                # A symbolic link may come to point outside content/: such files are read anew.
                if disk_key and not path.is_symlink() and self.disk.has_document(disk_key):
                    steps.append((path, key, disk_key))
                    continue
            missing.append((path, key, disk_key))
            steps.append((path, key, None))
        parsed = self._parse_in_order(missing, config)
        for path, key, source in steps:
            if source is None:
                loaded = next(parsed)
            elif isinstance(source, str):
                loaded = self.disk.document(source)
                if isinstance(loaded, Loaded):
                    loaded.key = key
                else:  # unreadable: parse it here, and keep the cache tidy below
                    loaded = _parse_document((path, key, config, self.root, self.disk, source))
                    missing.append((path, key, source))
            else:
                loaded = source
            if loaded.document is not None:
                # The same path object as the builder's, not a copy made in a helper
                # process or read from the cache: a path object takes about 650 bytes.
                loaded.document.path = path
            if self.keep:
                self._loaded[path] = loaded
            yield loaded
        if self.disk and missing and len(self._disk_keys) == len(self.paths):
            # Something changed, and the key of every source is known: forget the rest.
            self.disk.prune_documents({k for k in self._disk_keys.values() if k})

    def _parse_in_order(self, missing, config) -> Iterator[Loaded]:
        """Read and parse documents, each stored in the disk cache where it was parsed;
        handed over one at a time, in order."""
        jobs = [(path, key, config, self.root, self.disk if disk_key else None, disk_key)
                for path, key, disk_key in missing]
        if self.processes < 2 or len(jobs) < PARALLEL_MINIMUM or not _can_fork():
            yield from map(_parse_document, jobs)
            return
        context = multiprocessing.get_context("fork")
        with context.Pool(self.processes, initializer=_leave_stopping_to_parent) as pool:
            yield from pool.imap(_parse_document, jobs, chunksize=16)


# --- helpers, some of which also run in the helper processes ----------------------

def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _leave_stopping_to_parent() -> None:
    """In a parsing helper: Ctrl-C and SIGTERM are the build process's to handle. It
    stops its helpers itself, which then end without a word."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _parse_document(job) -> Loaded:
    from site_gen.load.documents import load_document

    path, key, config, root, disk, disk_key = job
    problems = Problems(root=root)
    loaded = Loaded(key, load_document(path, config, problems), problems.items)
    if disk is not None:
        disk.store_document(disk_key, loaded)
    return loaded


def _document_context(config) -> str:
    """What a loaded document depends on besides its own bytes."""
    return f"{cache.code_digest()}\0{config.root}\0{sorted(config.organs)}"


def _document_key(digest: str, path: Path, context: str) -> str:
    return cache.hash_text(f"{context}\0{path}\0{digest}") if digest else ""
