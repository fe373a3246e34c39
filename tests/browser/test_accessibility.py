"""axe-core finds no WCAG 2.1 A or AA violation on the site's kinds of page.

axe.min.js comes from the PyPI package axe-playwright-python (the test extra); this
file runs it itself, so the rules and tags asked for are plain to see.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import pytest
from playwright.sync_api import expect

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_SCRIPT = resources.files("axe_playwright_python") / "axe.min.js"

# One page of each kind; a new kind of page joins the list here.
PAGES = [
    "",  # home
    "styrelsen/2021-06-01/",  # meeting: protokoll
    "styrelsen/2019-09-20/kallelse/",  # meeting: kallelse
    "styrelsen/2021-06-01/utdrag/",  # protokollsutdrag, all of them
    "styrelsen/2021-06-01/utdrag/#paragraf-48",  # protokollsutdrag, one
    "amnen/vuxentorget/",  # topic
    "amnen/vuxentorget/2021/",  # topic, one year
    "arkiv/",  # all meetings, by year
    "personer/peter-vigren/",  # person
    "sok/",  # search, empty
    "sok/?q=tertial",  # search with results
    "anslagstavla/",  # notice board
    "anslagstavla/arkiv/",  # earlier notices
    "anslagstavla/arkiv/2017/",  # earlier notices, one year
]


@cache
def axe_script() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page) -> list[str]:
    page.add_script_tag(content=axe_script())
    results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                            WCAG_21_AA)
    return [f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
            for v in results["violations"]]


@pytest.mark.parametrize("path", PAGES)
def test_no_wcag_violations(page, site_url, path):
    response = page.goto(site_url + path)
    assert response.ok, path
    if "?q=" in path:
        expect(page.locator(".search-hit").first).to_be_visible()
    assert axe_violations(page) == []


def test_axe_finds_a_violation_when_there_is_one(page, site_url):
    """The check itself works: an image without a text alternative is reported."""
    page.goto(site_url)
    page.evaluate("""() => { const img = document.createElement('img');
        img.src = 'static/none.png'; document.querySelector('main').append(img); }""")
    assert any(v.startswith("image-alt") for v in axe_violations(page))
