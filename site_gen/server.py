"""`site-gen serve`: build, serve output/ with live reload, rebuild on change.

livereload supplies the browser side (its script and websocket); this module owns
the rest: one debounced rebuild for a burst of saves, serving only files inside
output/, and an error overlay while the sources are broken.
"""

from __future__ import annotations

import contextlib
import errno
import mimetypes
import posixpath
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import unquote

import jinja2
from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado import ioloop
from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from .build import OUTPUT_DIR, Builder
from .problems import Problem, SiteGenError, print_problems
from .search import BackgroundIndexer
from .write import STAGING_PREFIX

QUIET_SECONDS = 0.03  # a burst of saves ends when nothing changed for this long
# The folders a build reads, watched with all they hold; the site's own folder is watched
# for site.yml and for these folders appearing. output/ is never watched: its folders
# come and go with every build (the search index is swapped in whole), and a recursive
# watch over them once lost track and stopped the watching thread.
SOURCE_FOLDERS = ("content", "templates", "static", "themes")
IGNORED_DIRS = {OUTPUT_DIR, ".git", ".site-gen-cache", "__pycache__", ".pytest_cache"}


class _SourceEvents(FileSystemEventHandler):
    """Sets `changed` for any change to the site's files, but not to output/ or caches."""

    def __init__(self, root: Path, changed: threading.Event, new_folder=None):
        self.root = root
        self.changed = changed
        self.new_folder = new_folder  # called with a source folder created after the start

    def on_any_event(self, event) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.event_type in ("created", "moved") and event.is_directory and self.new_folder:
            folder = Path(getattr(event, "dest_path", "") or event.src_path)
            if folder.parent == self.root:
                self.new_folder(folder)
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if path and self._relevant(path):
                self.changed.set()
                return

    def _relevant(self, path: str) -> bool:
        try:
            parts = Path(path).relative_to(self.root).parts
        except ValueError:
            return False
        return bool(parts) and not any(
            p in IGNORED_DIRS or p.startswith(STAGING_PREFIX) or p.endswith(".site-gen-tmp")
            for p in parts)


class _NoWatcher(Watcher):
    """livereload polls on its own; we watch and decide when to reload instead."""

    def __init__(self):
        super().__init__()
        self.watch("site-gen")  # keeps livereload from watching the working directory

    def examine(self):
        return None, None


@dataclass
class BuildState:
    problems: list[Problem] = field(default_factory=list)
    message: str = ""
    version: int = 0  # counts finished builds, good or bad

    @property
    def failed(self) -> bool:
        return bool(self.message)


class DevServer:
    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 8000):
        self.root = root.absolute()
        self.output = self.root / OUTPUT_DIR
        self.host, self.port = host, port
        self.state = BuildState()
        self.builder = Builder(self.root)
        self.builder.on_pages_changed = BackgroundIndexer(self.output).request
        self.loop: ioloop.IOLoop | None = None
        overlay = (resources.files("site_gen") / "templates" / "error_overlay.html").read_text("utf-8")
        self.overlay = jinja2.Environment(autoescape=True).from_string(overlay)

    # --- building --------------------------------------------------------------

    def rebuild(self) -> None:
        started = time.monotonic()
        try:
            result = self.builder.build(in_place=True)
        except SiteGenError as exc:
            self.state = BuildState(exc.problems, str(exc), self.state.version + 1)
            print_problems(exc.problems)
            print(f"site-gen: {exc}; serving the last good build", file=sys.stderr)
            return
        self.state = BuildState(version=self.state.version + 1)
        print_problems(result.problems.sorted())
        took = f"{time.monotonic() - started:.2f} s"
        if result.rendered:
            print(f"Wrote {result.rendered} of {result.pages} pages anew in {took}", file=sys.stderr)
        else:
            print(f"Up to date: none of the {result.pages} pages had changed ({took})", file=sys.stderr)

    def watch_forever(self) -> None:
        """Rebuild once after each burst of file events, then tell browsers to reload."""
        changed = threading.Event()
        observer = Observer()
        watches = {}  # source folder -> its watch

        def watch(folder: Path) -> None:
            if folder.name in SOURCE_FOLDERS and folder.is_dir():
                # A folder made anew under an old name (content/ restored from a copy):
                # the old watch follows the moved-away folder, and the observer would
                # hand back that watch for the same name. Dropped, it makes way.
                if folder in watches:
                    with contextlib.suppress(KeyError):
                        observer.unschedule(watches.pop(folder))
                watches[folder] = observer.schedule(events, str(folder), recursive=True)

        events = _SourceEvents(self.root, changed, new_folder=watch)
        observer.schedule(events, str(self.root), recursive=False)
        for name in SOURCE_FOLDERS:
            watch(self.root / name)
        observer.start()
        while True:
            changed.wait()
            changed.clear()
            while changed.wait(QUIET_SECONDS):  # the burst goes on: wait for it to end
                changed.clear()
            self.rebuild()
            if self.loop is not None:
                self.loop.add_callback(LiveReloadHandler.reload_waiters)

    # --- serving ---------------------------------------------------------------

    def resolve(self, url_path: str) -> Path | None:
        """The output file for a URL path, or None: never anything outside output/."""
        path = unquote(url_path.split("?", 1)[0])
        if "\0" in path or "\\" in path:
            return None
        parts = [p for p in path.split("/") if p]
        if any(p in ("..", ".") for p in parts):
            return None
        normal = posixpath.normpath("/" + "/".join(parts)).lstrip("/")
        target = (self.output / normal) if normal else self.output
        # A name too long for the file system or a loop of links is simply not found
        # (RuntimeError: a loop, before Python 3.13).
        try:
            if target.is_dir():
                target = target / "index.html"
            resolved = target.resolve()
            resolved.relative_to(self.output.resolve())
            return resolved if resolved.is_file() else None
        except (OSError, ValueError, RuntimeError):
            return None

    def wsgi(self, environ, start_response):
        target = self.resolve(environ.get("PATH_INFO", "/"))
        status = "200 OK"
        if target is None:
            status = "404 Not Found"
            target = self.resolve("/404.html")
        if target is None:
            body = b"<!DOCTYPE html><html><head><title>site-gen</title></head><body></body></html>"
            kind = "text/html"
        else:
            body = target.read_bytes()
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html" and self.state.failed:
            body = self._with_overlay(body)
        headers = [("Content-Type", f"{kind}; charset=utf-8" if kind.startswith("text/") else kind),
                   ("Cache-Control", "no-store")]
        start_response(status, headers)
        # HEAD (link checkers, curl -I): the status and type of GET, and no body, which
        # tornado refuses to send. (livereload then gives the length as 0.)
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

    def _with_overlay(self, body: bytes) -> bytes:
        overlay = self.overlay.render(problems=self.state.problems, message=self.state.message)
        marker = b"</body>"
        insert = overlay.encode("utf-8")
        return body.replace(marker, insert + marker, 1) if marker in body else body + insert

    def run(self) -> None:
        self._claim_port()
        self.rebuild()
        threading.Thread(target=self.watch_forever, daemon=True).start()
        server = Server(app=self.wsgi, watcher=_NoWatcher())
        self.loop = ioloop.IOLoop.current()
        print(f"Serving {self.output} at http://{self.host}:{self.port}/ (Ctrl-C stops)",
              file=sys.stderr)
        try:
            server.serve(port=self.port, host=self.host, debug=False, restart_delay=0)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            raise self._port_taken() from None

    def _claim_port(self) -> None:
        """Fail at once on a port that is taken, before building and before livereload
        announces that it serves there."""
        try:
            family, kind, _, _, address = socket.getaddrinfo(self.host, self.port, type=socket.SOCK_STREAM)[0]
        except socket.gaierror as exc:
            raise SiteGenError(f"cannot serve on '{self.host}': {exc.strerror} (give an address of this "
                               "machine with --host, e.g. 127.0.0.1)") from None
        with socket.socket(family, kind) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as tornado binds it
            try:
                probe.bind(address)
            except OSError as exc:
                if exc.errno != errno.EADDRINUSE:
                    raise
                raise self._port_taken() from None

    def _port_taken(self) -> SiteGenError:
        return SiteGenError(f"port {self.port} on {self.host} is already in use (choose another with --port)")

