"""axe-core finds no WCAG 2.1 A or AA violation on the site's kinds of page.

axe.min.js comes from the PyPI package axe-playwright-python (the test extra); this
file runs it itself, so the rules and tags asked for are plain to see.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from importlib import resources

import pytest
from conftest import copy_site
from playwright.sync_api import expect

from site_gen.build import build

from .conftest import served_under_sub_path

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


def axe_violations(page, tags=WCAG_21_AA) -> list[str]:
    page.add_script_tag(content=axe_script())
    results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags)
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


def test_extracts_page_has_no_landmark_twice(page, site_url):
    # axe's best practice: each extract's certification block was a region of one name.
    page.goto(site_url + "styrelsen/2021-06-01/utdrag/")
    assert [v for v in axe_violations(page, ["best-practice"]) if v.startswith("landmark")] == []


def test_axe_finds_a_violation_when_there_is_one(page, site_url):
    """The check itself works: an image without a text alternative is reported."""
    page.goto(site_url)
    page.evaluate("""() => { const img = document.createElement('img');
        img.src = 'static/none.png'; document.querySelector('main').append(img); }""")
    assert any(v.startswith("image-alt") for v in axe_violations(page))


# What the example site has none of: a rättelse, a paragraph justerad at once with a
# notice of its own, and a notice on two boards.
CORRECTED = ("justeringsdatum: 2024-03-08\nanslag:\n"
             "  - hos: Norrby kommun\n    uppsättande: 2024-03-10\n    nedtagande: 2024-04-02\n"
             "  - hos: Söderby kommun\n    uppsättande: 2024-03-11\n"
             "rättelser:\n  - datum: 2024-03-12\n    paragraf: 2\n    text: Beloppet rättat.\n")


@pytest.fixture(scope="module")
def corrected_site_url(tmp_path_factory) -> Iterator[str]:
    site = copy_site("minisite", tmp_path_factory.mktemp("corrected"))
    source = site / "content" / "styrelsen" / "2024-03-01-protokoll.md"
    text = source.read_text(encoding="utf-8")
    text = text.replace("justeringsdatum: 2024-03-08\nanslag:\n  hos: Norrby kommun\n  uppsättande: 2024-03-10\n"
                        "  nedtagande: 2024-04-02\n", CORRECTED)
    text = text.replace("    topics: [ekonomi]\n", "    topics: [ekonomi]\n    omedelbar_justering: true\n"
                        "    anslag:\n      uppsättande: 2024-03-04\n")
    assert CORRECTED in text and "omedelbar_justering" in text
    source.write_text(text, encoding="utf-8")
    build(site)
    with served_under_sub_path(site / "output") as url:
        yield url


@pytest.mark.parametrize("path, shown", [
    ("styrelsen/2024-03-01/", "Rättelser"),
    ("styrelsen/2024-03-01/utdrag/#paragraf-3", "Omedelbart justerad"),
    ("anslagstavla/", "Söderby kommun"),
    ("beslut/2024/", "Rättad"),
])
def test_no_wcag_violations_with_corrections_and_notices_of_their_own(page, corrected_site_url, path, shown):
    response = page.goto(corrected_site_url + path)
    assert response.ok, path
    expect(page.locator("main")).to_contain_text(shown)
    assert axe_violations(page) == []


def test_an_agenda_items_kind_is_read_apart_from_its_heading(page, site_url):
    # The badge sets it apart for the eye; a screen reader reads the heading as one line.
    page.goto(site_url + "styrelsen/2019-09-20/kallelse/")
    heading = page.get_by_role("heading", name=re.compile(r"Rapport tertial 2 2019"))
    assert re.search(r"\(bilaga 2\) – beslut$", heading.evaluate("h => h.textContent.trim()"))
    expect(heading.locator(".badge")).to_have_text("– beslut")
    assert heading.locator(".badge .visually-hidden").evaluate("s => s.getBoundingClientRect().width") <= 1


@pytest.mark.parametrize("path, name", [("beslut/", "Beslut 2021"), ("arkiv/", "Sammanträden 2021"),
                                        ("styrelsen/", "Styrelsen 2021")])
def test_a_link_to_a_year_says_what_of_it(page, site_url, path, name):
    # A screen reader's list of links shows each link's name alone: "2021" says nothing.
    page.goto(site_url + path)
    expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    assert page.get_by_role("link", name="2021", exact=True).count() == 0
