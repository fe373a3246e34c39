"""The dev server, started for real: pages over HTTP, rebuild on change, live reload,
error overlay, and nothing outside output/ served."""

from __future__ import annotations

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


@pytest.fixture
def server(minisite):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "site_gen.cli", "serve", "--port", str(port)], cwd=minisite,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    base = f"http://127.0.0.1:{port}/"

    def up():
        try:
            return get(base)[0] == 200
        except OSError:
            return False

    try:
        wait_for(up)
        yield base, minisite, process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


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
    messages = []

    async def listen():
        conn = await websocket.websocket_connect(base.replace("http", "ws") + "livereload")
        conn.write_message(json.dumps({"command": "hello", "protocols": [
            "http://livereload.com/protocols/official-7"]}))
        await conn.read_message()  # the server's hello
        conn.write_message(json.dumps({"command": "info", "url": base}))
        time.sleep(0.5)
        for index in range(5):  # a burst of saves
            edit(site / PROTOKOLL, f"Ordföranden förklarade{' ' * index} mötet",
                 f"Ordföranden förklarade{' ' * (index + 1)} mötet")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                message = await _read(conn, 2.0)
            except TimeoutError:
                if messages:
                    break
                continue
            if message is None:
                break
            messages.append(json.loads(message))
        conn.close()

    ioloop.IOLoop.current().run_sync(listen, timeout=20)
    reloads = [m for m in messages if m.get("command") == "reload"]
    assert len(reloads) == 1


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
