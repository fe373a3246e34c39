"""Write the site into a fresh folder and swap it into place only when it is complete.

A build that fails or is killed leaves the previous output untouched: everything is
written to a staging folder beside the output, and the two are exchanged with one
atomic rename where the system supports it.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import tempfile
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows: no locking of staging folders
    fcntl = None

from .problems import SiteGenError

MARKER = ".site-gen-build"
MARKER_TEXT = "This folder was written by site-gen.\n"
STAGING_PREFIX = ".output-"
RENAME_EXCHANGE = 2
AT_FDCWD = -100


def _libc():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return None


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where that is not supported."""
    libc = _libc()
    renameat2 = getattr(libc, "renameat2", None) if libc else None
    if renameat2 is None:
        return False
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0


def check_output_folder(output: Path) -> None:
    """Refuse to replace a folder that is not one of our own builds."""
    if output.is_symlink():
        raise SiteGenError(f"{output} is a link; site-gen will not replace it "
                           "(choose the folder it points to with --output)")
    if output.exists() and not output.is_dir():
        raise SiteGenError(f"{output} exists and is not a folder; site-gen will not replace it")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).exists():
        raise SiteGenError(
            f"{output} is not empty and was not made by site-gen; refusing to replace it. "
            "Move it away or choose another folder with --output."
        )


def _staging_prefix(output: Path) -> str:
    return f"{STAGING_PREFIX}{output.name}-"


class Staging:
    """A folder to write a build into; `commit` swaps it with the output folder.

    The marker is written first, and locked while the build runs: leftovers of killed
    builds are recognised by it, and a running build's folder is never taken for one.
    """

    def __init__(self, output: Path):
        self.output = output.absolute()
        check_output_folder(self.output)
        self.output.parent.mkdir(parents=True, exist_ok=True)
        _recover_interrupted_swap(self.output)
        self.path = Path(tempfile.mkdtemp(prefix=_staging_prefix(self.output), dir=self.output.parent))
        self._lock = open(self.path / MARKER, "w", encoding="utf-8")  # held until the build ends
        self._lock.write(MARKER_TEXT)
        self._lock.flush()
        if fcntl is not None:
            fcntl.flock(self._lock, fcntl.LOCK_EX)
        self.written: set[str] = set()

    def write(self, relative: str, data: bytes) -> None:
        target = self._target(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    def copy(self, relative: str, source: Path) -> None:
        target = self._target(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)

    def _target(self, relative: str) -> Path:
        target = (self.path / relative).resolve()
        if not target.is_relative_to(self.path.resolve()) or relative in self.written:
            raise SiteGenError(f"two things want to be written to {relative}, or it leaves the site")
        self.written.add(relative)
        return target

    def commit(self) -> None:
        os.chmod(self.path, 0o755)
        if not self.output.exists():
            os.rename(self.path, self.output)
            self._lock.close()
            return
        if not exchange(self.path, self.output):
            backup = self.path.with_name(self.path.name + "-old")
            os.rename(self.output, backup)
            os.rename(self.path, self.output)
            self.path = backup
        self._lock.close()
        remove_build_folder(self.path)

    def discard(self) -> None:
        self._lock.close()
        remove_build_folder(self.path)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.discard()


def remove_build_folder(folder: Path) -> None:
    """Delete a folder of ours, its marker last: a build killed half-way through leaves
    a folder the next build still recognises as its own and removes."""
    for child in folder.iterdir():
        if child.name == MARKER:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)
    shutil.rmtree(folder, ignore_errors=True)


def _recover_interrupted_swap(output: Path) -> None:
    """Put back an output folder moved aside by a swap that was killed half-way,
    and remove staging folders left by killed builds.

    Only folders that carry the marker are touched (or empty ones, from a build killed
    before it wrote its marker), and none that a running build holds locked."""
    for old in sorted(output.parent.glob(_staging_prefix(output) + "*")):
        if old.is_symlink() or not old.is_dir():
            continue
        if not (old / MARKER).is_file():
            with contextlib.suppress(OSError):
                old.rmdir()  # empty: killed before the marker; anything else is not ours
            continue
        if _in_use(old / MARKER):
            continue
        if not output.exists() and old.name.endswith("-old"):
            os.rename(old, output)
        else:
            remove_build_folder(old)


def _in_use(marker: Path) -> bool:
    """Whether a running build holds this staging folder."""
    if fcntl is None:
        return False
    with open(marker, encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
    return False


def _inside_output(output: Path, relative: str) -> Path:
    target = (output / relative).resolve()
    if not target.is_relative_to(output.resolve()):
        raise SiteGenError(f"{relative} would be written outside {output}")
    return target


def replace_file(output: Path, relative: str, data: bytes) -> None:
    """Write one file of a live output folder so that readers see old or new, never half."""
    target = _inside_output(output, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.site-gen-tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def replace_copy(output: Path, relative: str, source: Path) -> None:
    target = _inside_output(output, relative)
    if target.is_file() and target.stat().st_size == source.stat().st_size \
            and target.read_bytes() == source.read_bytes():
        return
    replace_file(output, relative, source.read_bytes())


def remove_file(output: Path, relative: str) -> None:
    target = _inside_output(output, relative)
    target.unlink(missing_ok=True)
    folder = target.parent
    while folder != output and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
