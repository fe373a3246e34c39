"""The dev server, started for real: pages over HTTP, rebuild on change, live reload,
error overlay, and nothing outside output/ served."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from helpers import indexed_pages
from tornado import ioloop, websocket

PROTOKOLL = "content/styrelsen/2024-03-01-protokoll.md"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", errors="replace")


def wait_for(predicate, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out waiting")


@contextlib.contextmanager
def serving(site):
    """`site-gen serve` started for real in `site`, its output in site/../serve.log."""
    port = free_port()
    with open(site.parent / "serve.log", "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "site_gen.cli", "serve", "--port", str(port)], cwd=site,
            stdout=log, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    base = f"http://127.0.0.1:{port}/"

    def up():
        try:
            return get(base)[0] == 200
        except OSError:
            return False

    try:
        wait_for(up)
        yield base, process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


@pytest.fixture
def server(minisite):
    with serving(minisite) as (base, process):
        yield base, minisite, process


def head(url: str) -> tuple[int, str, bytes]:
    """Status, content type and body of a HEAD request."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=5) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read()


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_head_requests_get_the_status_and_type_without_a_body(server):
    base, _, _ = server
    assert head(base) == (200, "text/html; charset=utf-8", b"")
    assert head(base + "static/style.css")[:2] == (200, "text/css; charset=utf-8")
    assert head(base + "finns-inte/")[0] == 404
    assert get(base)[0] == 200  # and the server is still up


def test_head_requests_give_the_length_of_the_get_body(server):
    # Link checkers read the length of HEAD; livereload gave 0, the length of no body.
    base, _, _ = server
    port = int(base.rsplit(":", 1)[1].strip("/"))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    for path in ("/", "/styrelsen/2024-03-01/", "/static/style.css", "/finns-inte/"):
        connection.request("HEAD", path)
        answer = connection.getresponse()
        assert answer.read() == b""
        length = answer.getheader("Content-Length")
        connection.request("GET", path)  # on the same connection: HEAD sent no body to trip it
        body = connection.getresponse().read()
        assert int(length) == len(body) > 0, path


def test_serves_built_pages_with_reload_script(server):
    base, site, _ = server
    status, home = get(base)
    assert status == 200
    assert "Protokoll – Testförbundet" in home
    assert "livereload.js" in home
    status, page = get(base + "styrelsen/2024-03-01/")
    assert status == 200 and "§ 2" in page


def test_edit_is_rebuilt_and_served(server):
    base, site, _ = server
    edit(site / PROTOKOLL, "## § 3 Uppdrag om lokaler", "## § 3 Uppdrag om nya lokaler")
    wait_for(lambda: "Uppdrag om nya lokaler" in get(base + "styrelsen/2024-03-01/")[1])
    # Pages that list the meeting are rebuilt too.
    wait_for(lambda: "Uppdrag om nya lokaler" in get(base + "amnen/ekonomi/")[1])


def test_edits_keep_being_seen_after_the_search_index_is_swapped(server):
    """output/ is not watched: the index folder swapped in whole by each re-index once
    stopped the watching, and every later edit went unseen."""
    base, site, _ = server
    for round_ in range(3):
        edit(site / PROTOKOLL, f"Uppdrag om {'nya ' * round_}lokaler", f"Uppdrag om {'nya ' * (round_ + 1)}lokaler")
        wait_for(lambda r=round_: f"Uppdrag om {'nya ' * (r + 1)}lokaler" in get(base + "styrelsen/2024-03-01/")[1])
        time.sleep(1.5)  # let the background re-index finish and swap pagefind/


def test_templates_folder_made_while_serving_is_watched(server):
    base, site, _ = server
    assert not (site / "templates").exists()
    (site / "templates").mkdir()
    time.sleep(0.5)
    (site / "templates" / "404.html").write_text("{% extends 'base.html' %}{% block main %}<h1>Borta</h1>{% endblock %}",
                                                 encoding="utf-8")
    wait_for(lambda: "<h1>Borta</h1>" in get(base + "404.html")[1])


def test_content_folder_restored_from_a_copy_is_watched(server):
    # The old watch followed the folder moved away; the new one under the old name went
    # unwatched, and every later edit unseen.
    base, site, _ = server
    (site / "content").rename(site / "content-copy")
    shutil.copytree(site / "content-copy", site / "content")
    time.sleep(1.0)
    edit(site / PROTOKOLL, "## § 3 Uppdrag om lokaler", "## § 3 Uppdrag om återställda lokaler")
    wait_for(lambda: "Uppdrag om återställda lokaler" in get(base + "styrelsen/2024-03-01/")[1])


def test_edit_reaches_the_search_index(server):
    base, site, _ = server
    edit(site / PROTOKOLL, "## § 3 Uppdrag om lokaler", "## § 3 Uppdrag om lokaler och fågelholkar")
    wait_for(lambda: "Uppdrag om lokaler och fågelholkar" in get(base + "styrelsen/2024-03-01/")[1])
    # The index follows in the background, whole: never a mix of two indexes.
    def indexed():
        try:
            return "fågelholkar" in indexed_pages(site / "output")["/styrelsen/2024-03-01/"]["content"]
        except FileNotFoundError:  # read while the new index was swapped in
            return False

    wait_for(indexed)
    status, entry = get(base + "pagefind/2024/pagefind-entry.json")
    assert status == 200 and '"sv"' in entry


def test_broken_source_keeps_server_up_with_overlay(server):
    base, site, process = server
    edit(site / PROTOKOLL, "date: 2024-03-01", "date: 2024-03-41")
    page = wait_for(lambda: (lambda body: body if "site-gen-error" in body else None)(
        get(base + "styrelsen/2024-03-01/")[1]))
    assert "content/styrelsen/2024-03-01-protokoll.md:3" in page
    assert "not a real date" in page
    assert "§ 2" in page  # the last good page is still there under the overlay
    assert process.poll() is None
    edit(site / PROTOKOLL, "date: 2024-03-41", "date: 2024-03-01")
    wait_for(lambda: "site-gen-error" not in get(base + "styrelsen/2024-03-01/")[1])


@pytest.mark.parametrize("path", [
    "../site.yml", "%2e%2e/site.yml", "..%2fsite.yml", "static/..%2f..%2fsite.yml",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "content/styrelsen/2024-03-01-protokoll.md",
])
def test_nothing_outside_output_is_served(server, path):
    base, site, _ = server
    with socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1].strip("/")))) as sock:
        sock.sendall(f"GET /{path} HTTP/1.0\r\nHost: x\r\n\r\n".encode())
        response = b""
        while chunk := sock.recv(65536):
            response += chunk
    assert response.startswith(b"HTTP/1.1 404")
    assert b"kind: protokoll" not in response and b"organisation:" not in response


def test_browser_is_told_to_reload_once_per_burst(server):
    base, site, _ = server

    def burst() -> None:
        for index in range(5):  # a burst of saves
            edit(site / PROTOKOLL, f"Ordföranden förklarade{' ' * index} mötet",
                 f"Ordföranden förklarade{' ' * (index + 1)} mötet")

    assert len(reloads_told(base, burst)) == 1


async def _read(conn, timeout):
    import asyncio

    return await asyncio.wait_for(conn.read_message(), timeout)


def test_default_binds_loopback_only(server):
    base, _, _ = server
    assert base.startswith("http://127.0.0.1:")
    port = int(base.rsplit(":", 1)[1].strip("/"))
    addresses = [a for a in socket.gethostbyname_ex(socket.gethostname())[2] if not a.startswith("127.")]
    for address in addresses:
        with pytest.raises(OSError):
            socket.create_connection((address, port), timeout=1).close()


VERSION = "/.site-gen/version"


def served_version(page: str) -> str:
    """The build version a served page says it was made from."""
    assert VERSION in page
    return page.split('var served = "', 1)[1].split('"', 1)[0]


def test_pages_know_their_build_and_can_ask_for_a_newer_one(server):
    """A build that ends while the browser is loading a page reaches no websocket; the
    page itself sees that it is older than the last build and loads again."""
    base, site, _ = server
    page = get(base + "styrelsen/2024-03-01/")[1]
    with urllib.request.urlopen(base + VERSION.lstrip("/"), timeout=5) as response:
        assert response.headers["Cache-Control"] == "no-store"
        assert response.read().decode() == served_version(page)
    edit(site / PROTOKOLL, "## § 3 Uppdrag om lokaler", "## § 3 Uppdrag om nya lokaler")
    wait_for(lambda: get(base + VERSION.lstrip("/"))[1] != served_version(page))
    newer = get(base + "styrelsen/2024-03-01/")[1]
    assert "Uppdrag om nya lokaler" in newer
    assert served_version(newer) == get(base + VERSION.lstrip("/"))[1]
    assert VERSION in get(base + "finns-inte/")[1]  # the 404 page too
    assert get(base + "static/style.css")[1].count(VERSION) == 0


def test_the_version_check_is_never_written_to_output(server):
    base, site, _ = server
    assert VERSION in get(base)[1]
    written = [p for p in (site / "output").rglob("*.html") if VERSION in p.read_text(encoding="utf-8")]
    assert written == []


def reloads_told(base: str, change, seconds: float = 4.0) -> list[dict]:
    """The reload messages a connected browser gets in `seconds` after `change()`."""
    messages = []

    async def listen():
        conn = await websocket.websocket_connect(base.replace("http", "ws") + "livereload")
        conn.write_message(json.dumps({"command": "hello", "protocols": [
            "http://livereload.com/protocols/official-7"]}))
        await conn.read_message()  # the server's hello
        conn.write_message(json.dumps({"command": "info", "url": base}))
        time.sleep(0.5)
        change()
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = await _read(conn, left)
            except TimeoutError:
                break
            if message is None:
                break
            messages.append(json.loads(message))
        conn.close()

    ioloop.IOLoop.current().run_sync(listen, timeout=seconds + 10)
    return [m for m in messages if m.get("command") == "reload"]


def save_as_editors_do(site) -> None:
    """vim's swap file and test file, a backup, Emacs's lock and autosave, as they come
    and go while a protokoll is edited; then, a second later, the save itself."""
    folder = site / "content" / "styrelsen"
    swap = folder / ".2024-03-01-protokoll.md.swp"
    swap.write_bytes(b"b0VIM 9.0")
    (folder / "4913").write_bytes(b"")
    (folder / "4913").unlink()
    (folder / "2024-03-01-protokoll.md~").write_bytes((site / PROTOKOLL).read_bytes())
    os.symlink("sekreterare@dator.1234:1700000000", folder / ".#2024-03-01-protokoll.md")
    (folder / "#2024-03-01-protokoll.md#").write_text("halvskriven", encoding="utf-8")
    (site / "content" / ".obsidian").mkdir()
    (site / "content" / ".obsidian" / "workspace.json").write_text("{}", encoding="utf-8")
    for round_ in range(3):  # vim writes its swap file again while the writer types
        time.sleep(0.2)
        swap.write_bytes(b"b0VIM 9.0" + b"x" * round_)
    time.sleep(1.0)
    edit(site / PROTOKOLL, "## § 3 Uppdrag om lokaler", "## § 3 Uppdrag om nya lokaler")


def test_editor_files_beside_a_source_give_no_rebuild(server):
    base, site, _ = server
    reloads = reloads_told(base, lambda: save_as_editors_do(site))
    assert len(reloads) == 1  # the save, and nothing for the editor's own files
    assert "Uppdrag om nya lokaler" in get(base + "styrelsen/2024-03-01/")[1]


def test_a_static_file_named_like_a_backup_is_still_published(server):
    # The build copies every static file that is not hidden, 'x~' too: its save counts.
    base, site, _ = server
    (site / "static").mkdir()
    time.sleep(0.5)
    (site / "static" / "anteckningar~").write_text("kopierad", encoding="utf-8")
    wait_for(lambda: get(base + "static/anteckningar~") == (200, "kopierad"))


WITHOUT_KEEPER = ("förvaras: Arbetsutskottets kansli\n", "")
AU_PROTOKOLL = "content/arbetsutskottet/2024-02-01-protokoll.md"


def test_a_rebuild_prints_the_problems_only_when_they_changed(server):
    base, site, _ = server
    log = site.parent / "serve.log"
    page = base + "arbetsutskottet/2024-02-01/"
    warning = "warning: the notice does not say where the minutes are kept"

    def builds() -> int:
        return sum(line.startswith(("Wrote ", "Up to date")) for line in log.read_text(encoding="utf-8").splitlines())

    edit(site / AU_PROTOKOLL, *WITHOUT_KEEPER)  # a warning appears: it is told
    wait_for(lambda: builds() == 2)
    edit(site / AU_PROTOKOLL, "en ny rapport i maj", "en ny rapport i juni")  # the same warning
    wait_for(lambda: builds() == 3)
    assert "ny rapport i juni" in get(page)[1]
    get(base + "finns-inte/")
    time.sleep(0.5)
    printed = log.read_text(encoding="utf-8")
    assert printed.count(warning) == 1, printed
    assert "1 warning, as before" in printed
    # Nothing of livereload's and tornado's own: reloads, browsers, requests, 404s.
    for noise in ("Serving on", "waiters", "Browser Connected", "Start watching", "404 GET", "[I ", "[W "):
        assert noise not in printed, printed
