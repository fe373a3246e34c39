"""`site-gen serve` in a real browser: a saved edit reloads the open page by itself
(livereload's script and websocket), and a broken source shows the error overlay over
the last good page until it is fixed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import copy_site
from playwright.sync_api import expect

PROTOKOLL = Path("content/styrelsen/2024-03-01-protokoll.md")
MEETING = "styrelsen/2024-03-01/"
RELOAD_SECONDS = 15_000  # ms: a rebuild and reload, on a busy machine


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture
def served(tmp_path) -> Iterator[tuple[str, Path]]:
    site = copy_site("minisite", tmp_path)
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "site_gen.cli", "serve", "--port", str(port)],
                               cwd=site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while not _up(base):
            assert time.monotonic() < deadline, "site-gen serve did not start"
            time.sleep(0.1)
        yield base, site
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


def _edit(site: Path, old: str, new: str) -> None:
    path = site / PROTOKOLL
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_saved_edit_reloads_the_open_page(page, served):
    base, site = served
    page.goto(base + MEETING)
    heading = page.locator("#paragraf-3")
    expect(heading).to_have_text("§ 3 Uppdrag om lokaler")
    page.evaluate("window.sameDocument = true")  # gone once the page is loaded again
    _edit(site, "## § 3 Uppdrag om lokaler", "## § 3 Uppdrag om nya lokaler")
    expect(heading).to_have_text("§ 3 Uppdrag om nya lokaler", timeout=RELOAD_SECONDS)
    assert page.evaluate("window.sameDocument") is None
    assert page.errors == []


def test_a_broken_source_shows_the_overlay_until_it_is_fixed(page, served):
    base, site = served
    page.goto(base + MEETING)
    overlay = page.locator("#site-gen-error")
    expect(overlay).to_have_count(0)
    _edit(site, "date: 2024-03-01", "date: 2024-03-41")
    expect(overlay).to_be_visible(timeout=RELOAD_SECONDS)
    expect(overlay).to_contain_text("content/styrelsen/2024-03-01-protokoll.md:3")
    expect(page.locator("#paragraf-3")).to_have_count(1)  # the last good page, under it
    _edit(site, "date: 2024-03-41", "date: 2024-03-01")
    expect(overlay).to_have_count(0, timeout=RELOAD_SECONDS)
    expect(page.locator("#paragraf-3")).to_have_text("§ 3 Uppdrag om lokaler")


def test_a_page_that_missed_the_reload_message_loads_the_newer_build(page, served):
    """A build that ends while the browser is loading a page (after the reload of a
    build a moment before) reaches no websocket. Here the websocket never connects:
    the page must still follow the builds, the broken one and the fix."""
    base, site = served
    page.route("**/livereload.js*", lambda route: route.abort())
    page.goto(base + MEETING)
    heading = page.locator("#paragraf-3")
    overlay = page.locator("#site-gen-error")
    expect(heading).to_have_text("§ 3 Uppdrag om lokaler")
    _edit(site, "## § 3 Uppdrag om lokaler", "## § 3 Uppdrag om nya lokaler")
    expect(heading).to_have_text("§ 3 Uppdrag om nya lokaler", timeout=RELOAD_SECONDS)
    _edit(site, "date: 2024-03-01", "date: 2024-03-41")
    expect(overlay).to_be_visible(timeout=RELOAD_SECONDS)
    _edit(site, "date: 2024-03-41", "date: 2024-03-01")
    expect(overlay).to_have_count(0, timeout=RELOAD_SECONDS)
    assert page.evaluate("typeof LiveReload") == "undefined"  # no websocket helped
