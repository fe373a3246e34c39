"""The built site works when a host serves it under a sub-path (/a/b/): every
internal link resolves, and the style sheet loads."""

from __future__ import annotations

import urllib.error
import urllib.request

from helpers import crawl
from playwright.sync_api import expect


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError:
        return None


def test_every_link_from_the_home_page_resolves(site_url, example_output):
    pages, broken = crawl(fetch, site_url)
    assert broken == []
    html_files = {p for p in example_output.rglob("index.html")}
    reached = [url for url in pages if url.endswith("/")]
    # Every page of the site is reachable by links (the search page among them).
    assert len(reached) == len(html_files)
    assert site_url + "sok/" in pages


def test_links_outside_the_sub_path_are_noticed(site_url):
    """The crawl's check is real: the server answers nothing above /a/b/."""
    assert fetch(site_url.removesuffix("a/b/") + "static/style.css") is None
    assert fetch(site_url + "static/style.css") is not None


def test_style_sheet_applies(page, site_url):
    page.goto(site_url + "styrelsen/2021-06-01/")
    # The header's colour comes from style.css only.
    expect(page.locator(".site-header")).to_have_css("background-color", "rgb(10, 79, 138)")
    expect(page.locator(".decision").first).to_have_css("border-left-style", "solid")


def test_the_browser_asks_for_the_themes_icon_not_one_at_the_host_root(page, site_url):
    # Without an icon link, Chromium asks for /favicon.ico: outside the sub-path, a 404.
    with page.expect_response(lambda response: "favicon" in response.url) as icon:
        page.goto(site_url + "styrelsen/2021-06-01/")
    assert icon.value.url == site_url + "static/favicon.svg"
    assert icon.value.ok
