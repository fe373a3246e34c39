"""`site-gen serve`: build, serve output/ with live reload, rebuild on change.

livereload supplies the browser side (its script and websocket); this module owns
the rest: one debounced rebuild for a burst of saves, serving only files inside
output/, an error overlay while the sources are broken, and a check of the build
version by each page, so that no page stays older than the last build.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import mimetypes
import posixpath
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import quote, unquote

import jinja2
from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.server import LiveScriptContainer
from livereload.watcher import Watcher
from tornado import ioloop, web
from tornado.log import LogFormatter
from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from site_gen.build import OUTPUT_DIR, Builder
from site_gen.load.config import why_no_config
from site_gen.problems import ERROR, Problem, SiteGenError, counted, print_problems
from site_gen.render import TEMPLATE_SUFFIXES
from site_gen.write import STAGING_PREFIX
from site_gen.write.search import BackgroundIndexer

QUIET_SECONDS = 0.03  # a burst of saves ends when nothing changed for this long
# The folders a build reads, watched with all they hold; the site's own folder is watched
# for site.yml and for these folders appearing. output/ is never watched: its folders
# come and go with every build (the search index is swapped in whole), and a recursive
# watch over them once lost track and stopped the watching thread.
SOURCE_FOLDERS = ("content", "templates", "static", "themes")
IGNORED_DIRS = {OUTPUT_DIR, ".git", ".site-gen-cache", "__pycache__", ".pytest_cache"}
# The name vim gives the file it writes to learn whether it may write in a folder.
VIM_TEST_FILE = "4913"
# Asked by every page served (see _VERSION_CHECK). A site's files never begin with a
# dot at the top: organ ids begin with a letter or digit, every other folder is fixed.
VERSION_PATH = "/.site-gen/version"


class _SourceEvents(FileSystemEventHandler):
    """Sets `changed` for any change to the site's files, but not to output/, caches or
    the files editors keep beside the one being edited."""

    def __init__(self, root: Path, changed: threading.Event, new_folder=None):
        self.root = root
        self.changed = changed
        self.new_folder = new_folder  # called with a source folder created after the start

    def on_any_event(self, event) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # a name in the folder came or went, and has an event of its own
        if event.event_type in ("created", "moved") and event.is_directory and self.new_folder:
            folder = Path(getattr(event, "dest_path", "") or event.src_path)
            if folder.parent == self.root:
                self.new_folder(folder)
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if path and self._relevant(path, event.is_directory):
                self.changed.set()
                return

    def _relevant(self, path: str, is_directory: bool = False) -> bool:
        try:
            parts = Path(path).relative_to(self.root).parts
        except ValueError:
            return False
        if not parts or any(p in IGNORED_DIRS or p.startswith(STAGING_PREFIX) or p.endswith(".site-gen-tmp")
                            for p in parts):
            return False
        return not _editor_scratch(parts, is_directory) or _read_by_build(parts, is_directory)


def _editor_scratch(parts: tuple[str, ...], is_directory: bool) -> bool:
    """Whether the file is one an editor keeps beside the file being edited: vim's swap
    files (.x.swp, .x.swo …) and test file, backups (x~), Emacs's locks (.#x) and
    autosaves (#x#), and other hidden files and folders (an editor's settings). Vim
    writes its swap file again every few seconds while someone types: each write would
    rebuild the site and reload the page."""
    hidden = any(part.startswith(".") for part in parts)
    if is_directory:
        return hidden
    name = parts[-1]
    return (hidden or name.endswith("~") or name == VIM_TEST_FILE
            or (len(name) > 1 and name.startswith("#") and name.endswith("#")))


def _read_by_build(parts: tuple[str, ...], is_directory: bool) -> bool:
    """Whether the build reads this file although its name looks like an editor's: a
    static file that is not hidden, also in a hidden folder (pages.files_to_copy copies
    it), or a file with a template's ending in a template folder (not hidden: the
    build passes over those, render.template_problems). Documents end in .md, and
    neither they nor their folders are hidden (documents.document_names). An attachment may
    have any name its document gives it; one named like an editor's file is read again
    at the next rebuild something else starts."""
    layer = parts[2] if parts[0] == "themes" and len(parts) > 3 else parts[0]
    if layer == "static":
        return is_directory or not parts[-1].startswith(".")
    return layer == "templates" and (is_directory or (parts[-1].endswith(TEMPLATE_SUFFIXES)
                                                      and not parts[-1].startswith(".")))


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


# livereload's websocket reaches only the browsers connected when a build ends; one that
# is loading a page just then (after the reload of a build a moment before) misses it,
# and would show a stale page, or an overlay of errors already fixed, until the next
# save. So each page also knows the build it was served from, and asks now and then
# whether a newer one has finished.
_VERSION_CHECK = """<script>(function () {
  var served = %s;
  function check() {
    fetch("%s", {cache: "no-store"})
      .then(function (response) { return response.ok ? response.text() : served; })
      .then(function (now) { if (now === served) { later(); } else { location.reload(); } }, later);
  }
  function later() { setTimeout(check, 1000); }
  check();
})();</script>"""


class _QuietServer(Server):
    """livereload's server, without its and tornado's log lines of every reload, browser
    connection and 404: site-gen tells what matters itself. Their errors still show."""

    def _setup_logging(self):
        channel = logging.StreamHandler()
        channel.setFormatter(LogFormatter())
        for name in ("livereload", "tornado"):
            logger = logging.getLogger(name)
            logger.setLevel(logging.ERROR)
            logger.addHandler(channel)

    def get_web_handlers(self, script):
        return [(r".*", web.FallbackHandler, {"fallback": _HeadAsGet(self.app, script)})]


class _HeadAsGet(LiveScriptContainer):
    """livereload's container, answering HEAD with the headers of GET: its Content-Length
    too (link checkers read it), where livereload would count the empty body of HEAD."""

    def __call__(self, request):
        if request.method == "HEAD":
            request.method = "GET"  # the page is made as for GET, its live reload script too
            request.connection = _HeadersOnly(request.connection)
        super().__call__(request)


class _HeadersOnly:
    """A connection that sends the headers of a response, not its body: tornado refuses
    any body for HEAD."""

    def __init__(self, connection):
        self.connection = connection

    def write_headers(self, start_line, headers, chunk=None):
        return self.connection.write_headers(start_line, headers)

    def __getattr__(self, name):
        return getattr(self.connection, name)


class DevServer:
    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 8000):
        self.root = root.absolute()
        self.output = self.root / OUTPUT_DIR
        self.host, self.port = host, port
        self.state = BuildState()
        self.told: list[Problem] = []  # the problems printed last
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
            self.tell_problems(exc.problems)
            shown = ("serving the last good build" if (self.output / "index.html").is_file()
                     else "nothing to show until it builds")
            print(f"site-gen: {exc}; {shown}", file=sys.stderr)
            return
        self.state = BuildState(version=self.state.version + 1)
        self.tell_problems(result.problems.sorted())
        took = f"{time.monotonic() - started:.2f} s"
        if result.rendered:
            print(f"Wrote {result.rendered} of {result.pages} pages anew in {took}", file=sys.stderr)
        else:
            print(f"Up to date: none of the {result.pages} pages had changed ({took})", file=sys.stderr)

    def tell_problems(self, problems: list[Problem]) -> None:
        """Print the problems when they differ from the last build's, else count them:
        a save that changed none of them should not scroll all of them past again."""
        if problems != self.told:
            print_problems(problems)
        elif problems:
            print(f"{_counted(problems)}, as before", file=sys.stderr)
        self.told = problems

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
        target = self._in_output(url_path)
        # A name too long for the file system or a loop of links is simply not found
        # (RuntimeError: a loop, before Python 3.13).
        try:
            if target is None:
                return None
            if target.is_dir():
                target = target / "index.html"
            resolved = target.resolve()
            resolved.relative_to(self.output.resolve())
            return resolved if resolved.is_file() else None
        except (OSError, ValueError, RuntimeError):
            return None

    def folder_address(self, url_path: str) -> str | None:
        """'/a/b/' for the URL path '/a/b' when output/a/b/ holds a page, else None. The
        pages link relatively: from '/a/b' their links would lead one folder too high."""
        target = self._in_output(url_path)
        try:
            if url_path.endswith("/") or target in (None, self.output) or not target.is_dir():
                return None
        except OSError:  # a name too long for the file system
            return None
        if self.resolve(url_path) is None:
            return None
        return "/" + quote(target.relative_to(self.output).as_posix()) + "/"

    def _in_output(self, url_path: str) -> Path | None:
        """Where in output/ a URL path points, before links are followed; None when it
        would climb out."""
        path = unquote(url_path.split("?", 1)[0])
        if "\0" in path or "\\" in path:
            return None
        parts = [p for p in path.split("/") if p]
        if any(p in ("..", ".") for p in parts):
            return None
        normal = posixpath.normpath("/" + "/".join(parts)).lstrip("/")
        return (self.output / normal) if normal else self.output

    def wsgi(self, environ, start_response):
        # Read once, before the page: should a build end meanwhile, the page is newer than
        # the version it carries and is loaded once more, never older and kept.
        state = self.state
        path = environ.get("PATH_INFO", "/")
        if path == VERSION_PATH:
            return _respond(start_response, "200 OK", "text/plain", str(state.version).encode())
        folder = self.folder_address(path)
        if folder is not None:
            query = environ.get("QUERY_STRING", "")
            location = f"{folder}?{query}" if query else folder
            return _respond(start_response, "301 Moved Permanently", "text/plain", b"",
                            [("Location", location)])
        target = self.resolve(path)
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
        if kind == "text/html":
            body = self._for_browser(body, state)
        return _respond(start_response, status, kind, body)

    def _for_browser(self, body: bytes, state: BuildState) -> bytes:
        """The page with what only the browser gets, never output/: the version check, and
        the errors over the page while the sources are broken."""
        insert = _VERSION_CHECK % (json.dumps(str(state.version)), VERSION_PATH)
        if state.failed:
            insert += self.overlay.render(problems=state.problems, message=state.message)
        marker = b"</body>"
        added = insert.encode("utf-8")
        return body.replace(marker, added + marker, 1) if marker in body else body + added

    def run(self) -> None:
        self._require_site()
        self._claim_port()
        self.rebuild()
        threading.Thread(target=self.watch_forever, daemon=True).start()
        server = _QuietServer(app=self.wsgi, watcher=_NoWatcher())
        self.loop = ioloop.IOLoop.current()
        print(f"Serving {self.output} at http://{self.host}:{self.port}/ (Ctrl-C stops)",
              file=sys.stderr)
        try:
            server.serve(port=self.port, host=self.host, debug=False, restart_delay=0)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            raise self._port_taken() from None

    def _require_site(self) -> None:
        """Stop before anything is built or created when there is no site to serve: a
        typo in --site, or serve run in the wrong folder."""
        if not self.root.is_dir():
            raise SiteGenError(f"there is no folder {self.root} (give the site's folder with --site)")
        missing = why_no_config(self.root, "site-gen serve")
        if missing is not None:
            raise SiteGenError("{} ({})".format(*missing))

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


def _respond(start_response, status: str, kind: str, body: bytes, headers=()):
    start_response(status, [("Content-Type", f"{kind}; charset=utf-8" if kind.startswith("text/") else kind),
                            ("Cache-Control", "no-store"), *headers])
    return [body]  # also for HEAD, which _HeadAsGet makes a GET that sends no body


def _counted(problems: list[Problem]) -> str:
    """'2 errors and 1 warning', '3 warnings'."""
    errors = sum(1 for p in problems if p.severity == ERROR)
    counts = [(errors, "error"), (len(problems) - errors, "warning")]
    return " and ".join(counted(n, word) for n, word in counts if n)
