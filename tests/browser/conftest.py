"""Browser fixtures: the example site built once, served over HTTP under the sub-path
/a/b/, and Debian's Chromium driven by Playwright (never a browser Playwright downloads).

docs/browser-tests.md tells how to run these tests locally.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# No GPU, no network beyond the test server, nothing that phones home at start.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]
SUB_PATH = "/a/b/"


class SubPathHandler(SimpleHTTPRequestHandler):
    """Serves the output folder at SUB_PATH and nothing outside it, as a host serving
    the site in a sub-folder would."""

    def send_head(self):
        if not self.path.startswith(SUB_PATH):
            self.send_error(404)
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + path[len(SUB_PATH):])

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass


@contextmanager
def served_under_sub_path(folder: Path) -> Iterator[str]:
    """`folder` served over HTTP on a free loopback port; yields the URL ending in /a/b/."""
    handler = functools.partial(SubPathHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(example_output) -> Iterator[str]:
    """The example site (built once, search index included, by tests/conftest.py),
    served at an address ending in /a/b/."""
    with served_under_sub_path(example_output) as url:
        yield url


# Package scope: Playwright's synchronous API keeps an event loop running in this
# thread while the browser is open, which other tests' servers (tornado) must not meet.
@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium (see docs/browser-tests.md)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page; `page.errors` collects uncaught script errors for tests to check."""
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()
