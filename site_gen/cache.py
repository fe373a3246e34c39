"""The build cache on disk: `.site-gen-cache/` in the site's folder, beside output/.

It keeps two things between runs of site-gen, both keyed by content, never by time:

- each source document as loaded and validated, under a key made of the file's bytes,
  its path, the site's organs and site-gen's own code (`code_digest`);
- for each output folder, a manifest: the digest of every input of the last build
  (`site_key`), what each output file was made from (its page fingerprint) and the
  file's size, time and inode as written, so an unchanged file can be linked into the
  next build instead of rendered again.

Anything unreadable here — a half-written file, another version's format, a file
edited by hand — is treated as missing: the cache can make a build faster, never
different. Deleting the folder is always safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import struct
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

CACHE_DIR = ".site-gen-cache"
FORMAT = 2  # bump when what is stored here changes shape
PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def code_digest() -> str:
    """site-gen's own version: its Python code and shipped templates, the Python
    version and the installed libraries' versions (any of them may change a page)."""
    digest = hashlib.sha1(f"{FORMAT}\0{sys.version}\0".encode())
    digest.update("\0".join(_installed_distributions()).encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _installed_distributions() -> list[str]:
    """Names of the installed packages' metadata folders, which carry their versions
    ('Jinja2-3.1.4.dist-info'): much quicker than asking importlib.metadata for each."""
    found = []
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        found.extend(f"{folder}/{n}" for n in names if n.endswith((".dist-info", ".egg-info")))
    return sorted(found)


# Where a site's inputs live, relative to its folder: config.CONFIG_NAME, documents.CONTENT_DIR,
# render.SITE_TEMPLATES, render.SITE_STATIC and the site's own themes (a test keeps
# these in step; they are repeated here so that checking them imports nothing heavy).
SITE_INPUTS = ("site.yml", "content", "templates", "static", "themes")


def site_key(root: Path, output: Path, digests: dict[Path, str] | None = None) -> str:
    """One digest of every input a build of `root` into `output` can read: the site's
    files by content, the shipped themes, site-gen itself and the setting of the build
    date. `digests`, when given, receives each file's digest so that nothing needs
    reading twice."""
    from importlib import resources

    from site_gen.times import BUILD_DATE_VARIABLE

    found = file_digests([root / name for name in SITE_INPUTS])
    shipped = Path(str(resources.files("site_gen.themes")))
    found.update(file_digests([shipped]))
    if digests is not None:
        digests.update(found)
    build_date = os.environ.get(BUILD_DATE_VARIABLE, "")
    return hash_text(f"{code_digest()}\0{output.absolute()}\0{build_date}\0{digest_of(found, root)}")


def file_digests(folders: list[Path]) -> dict[Path, str]:
    """The SHA-1 of every file below the folders (or of the file itself), in a stable order."""
    digests: dict[Path, str] = {}
    for folder in folders:
        if folder.is_file():
            digests[folder] = file_digest(folder)
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                digests[Path(path)] = _digest_of_file(path)
    return digests


def file_digest(path: Path) -> str:
    """SHA-1 of the file's bytes; '' when it cannot be read."""
    return _digest_of_file(str(path))


def _digest_of_file(path: str) -> str:
    # Opened without blocking and read only when it is a regular file: a named pipe
    # among the sources would otherwise hang the build before any check could name it.
    try:
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return ""
            return hashlib.sha1(handle.read()).hexdigest()
    except OSError:
        return ""


def hash_text(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()


def hash_parts(parts: Iterable[str]) -> str:
    """One digest of several strings, kept apart by NUL (which none of them holds)."""
    return hash_text("\0".join(parts))


def digest_of(items: dict[Path, str], root: Path) -> str:
    digest = hashlib.sha1()
    for path, value in items.items():
        digest.update(f"{_relative(path, root)}\0{value}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _output_name(output: Path) -> str:
    return "output-" + hashlib.sha1(str(output.absolute()).encode()).hexdigest()[:16]


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


class OutputFile(NamedTuple):
    """One file of the output, as written."""

    fingerprint: str  # what the file was made from
    size: int
    mtime_ns: int
    inode: int

    @classmethod
    def of(cls, fingerprint: str, stat: os.stat_result) -> OutputFile:
        """The entry of a file just written, as `stat` found it."""
        return cls(fingerprint, stat.st_size, stat.st_mtime_ns, stat.st_ino)

    def matches(self, stat: os.stat_result) -> bool:
        """True when the file on disk is still exactly the one site-gen wrote."""
        return (stat.st_size, stat.st_mtime_ns, stat.st_ino) == (self.size, self.mtime_ns, self.inode)


_STAT = struct.Struct("<QqQ")  # size, time, inode


class OutputFiles(Mapping):
    """Output file -> OutputFile, each kept packed in one bytes object.

    A large site has a hundred thousand output files, and a build holds the
    manifest of the last one while it writes: as tuples of a string and three
    numbers they took 440 bytes a file, packed about 200."""

    __slots__ = ("_packed",)

    def __init__(self, files: Iterable[tuple[str, OutputFile]] = ()):
        self._packed = {relative: entry.fingerprint.encode() + _STAT.pack(*entry[1:])
                        for relative, entry in files}

    def __getitem__(self, relative: str) -> OutputFile:
        packed = self._packed[relative]
        return OutputFile(packed[:-_STAT.size].decode(), *_STAT.unpack(packed[-_STAT.size:]))

    def __iter__(self):
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)

    def only(self, relatives) -> OutputFiles:
        """The entries of these files alone."""
        subset = OutputFiles()
        subset._packed = {relative: self._packed[relative] for relative in relatives}
        return subset


@dataclass
class Manifest:
    """What the last build wrote into one output folder."""

    site_key: str = ""  # digest of every input of that build
    files: OutputFiles = field(default_factory=OutputFiles)
    problems: list = field(default_factory=list)  # warnings of that build, shown again
    pages: int = 0
    copies: int = 0


class DiskCache:
    def __init__(self, folder: Path):
        self.folder = folder
        self.documents = folder / "documents"

    def why_unusable(self) -> str | None:
        """Why this cache can be neither read nor written (another user's, made by a
        'sudo site-gen build'), or None. Such a cache is not used at all: partly used,
        its entries and the output it keeps would be half of one build and half of another."""
        try:
            for folder in (self.folder, self.documents):
                if folder.exists():
                    os.listdir(folder)
            if self.folder.exists():
                probe = self.folder / f".probe-{os.getpid()}"
                probe.touch()
                probe.unlink()
        except OSError as exc:
            return exc.strerror or str(exc)
        return None

    # --- documents ---------------------------------------------------------------

    def document(self, key: str) -> Any | None:
        return self._read(self._document_path(key))

    def has_document(self, key: str) -> bool:
        try:
            return self._document_path(key).is_file()
        except OSError:  # a folder of the cache that cannot be read: as good as missing
            return False

    def store_document(self, key: str, value: Any) -> None:
        self._write(self._document_path(key), value)

    def _document_path(self, key: str) -> Path:
        return self.documents / key[:2] / key

    def prune_documents(self, used: set[str]) -> None:
        """Forget documents this build did not use, so the cache does not grow forever.
        A cache that cannot be changed (another user's) is left as it is."""
        with contextlib.suppress(OSError):
            for folder in self.documents.iterdir():
                for entry in folder.iterdir() if folder.is_dir() else []:
                    if entry.name not in used:
                        entry.unlink(missing_ok=True)

    # --- small tables that are slow to work out ----------------------------------

    def table(self, name: str) -> dict:
        found = self._read(self.folder / f"{name}.pickle")
        return found if isinstance(found, dict) else {}

    def store_table(self, name: str, table: dict) -> None:
        self._write(self.folder / f"{name}.pickle", table)

    # --- manifests ---------------------------------------------------------------

    def manifest(self, output: Path) -> Manifest:
        found = self._read(self._manifest_path(output))
        return found if isinstance(found, Manifest) else Manifest()

    def store_manifest(self, output: Path, manifest: Manifest) -> None:
        self._write(self._manifest_path(output), manifest)

    def forget_manifest(self, output: Path) -> None:
        with contextlib.suppress(OSError):
            self._manifest_path(output).unlink(missing_ok=True)

    def _manifest_path(self, output: Path) -> Path:
        return self.folder / f"{_output_name(output)}.pickle"

    def spare_folder(self, output: Path) -> Path:
        """The output folder replaced by the last build (see write.Staging)."""
        return self.folder / f"{_output_name(output)}.spare"

    def lock_file(self, output: Path) -> Path:
        """Held by the build writing `output`, so that builds of it run one at a time."""
        return self.folder / f"{_output_name(output)}.lock"

    def jinja_folder(self) -> Path | None:
        """Where Jinja keeps compiled templates (it checks each against its source)."""
        folder = self.folder / "templates"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        return folder

    # --- files ---------------------------------------------------------------------

    def _read(self, path: Path) -> Any | None:
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            stored_code, value = pickle.loads(data)
        except Exception:  # noqa: BLE001 - any damage at all means: not cached
            return None
        return value if stored_code == code_digest() else None

    def _write(self, path: Path, value: Any) -> None:
        write_entry(path, lambda handle: pickle.dump((code_digest(), value), handle,
                                                     protocol=pickle.HIGHEST_PROTOCOL))


def write_entry(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write a cache entry whole or not at all: a killed build leaves no half-written
    entry. The temporary name carries the process id, since the helper processes of a
    build write entries side by side (a name from `tempfile` costs twice the write). A
    cache that cannot be written only makes the next build slower: nothing is raised."""
    temporary = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    try:
        try:
            handle = open(temporary, "wb")
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(temporary, "wb")
        with handle:
            write(handle)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()
