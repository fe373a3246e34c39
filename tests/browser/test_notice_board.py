"""The notice board (anslagstavla) keeps itself current in the reader's browser: a
notice taken down since the build disappears, one posted since appears, and without
JavaScript the page shows the state on the build date."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import copy_site
from playwright.sync_api import expect

from site_gen.build import build

from .conftest import served_under_sub_path

# The tests build on 2024-03-20 (SOURCE_DATE_EPOCH in tests/conftest.py). Styrelsen's
# notice is up from 2024-03-10 to 2024-04-02; the arbetsutskottet's, added below, from
# 2024-03-25 to 2024-04-15, so it is not yet up when the site is built.
STYRELSEN = "#anslag-styrelsen-2024-03-01"
ARBETSUTSKOTTET = "#anslag-arbetsutskottet-2024-02-01"


@pytest.fixture(scope="module")
def board_url(tmp_path_factory) -> Iterator[str]:
    site = copy_site("minisite", tmp_path_factory.mktemp("board"))
    source = site / "content" / "arbetsutskottet" / "2024-02-01-protokoll.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "justeringsdatum: 2024-02-05\nanslag: {uppsättande: 2024-02-06, nedtagande: 2024-02-28}\n", """\
justeringsdatum: 2024-03-22
anslag:
  hos: Norrby kommun
  uppsättande: 2024-03-25
  nedtagande: 2024-04-15
"""), encoding="utf-8")
    build(site)
    with served_under_sub_path(site / "output") as url:
        yield url + "anslagstavla/"


def open_board_on(page, url: str, day: str) -> None:
    page.clock.set_fixed_time(f"{day}T10:00:00")
    page.goto(url)


def test_the_built_page_shows_the_notices_up_on_the_build_date(browser, board_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(board_url)
    expect(page.locator(STYRELSEN)).to_be_visible()
    expect(page.locator(STYRELSEN)).to_contain_text("2024-04-02")
    expect(page.locator(ARBETSUTSKOTTET)).to_be_hidden()
    expect(page.locator(".notice-empty")).to_be_hidden()
    expect(page.locator(".notices-taken-down")).to_be_hidden()
    expect(page.locator(".notice-day")).to_have_text(
        "Anslagen visas som de var den onsdag 20 mars 2024, då sidan publicerades.")
    context.close()


def test_the_board_says_it_shows_the_day_it_is_read(page, board_url):
    open_board_on(page, board_url, "2026-11-24")
    expect(page.locator(".notice-day")).to_have_text("Anslagen visas som de är i dag, tisdag 24 november 2026.")
    expect(page.locator(".notice-day time")).to_have_attribute("datetime", "2026-11-24")
    assert page.errors == []


def test_a_notice_posted_after_the_build_appears(page, board_url):
    open_board_on(page, board_url, "2024-03-26")
    expect(page.locator(STYRELSEN)).to_be_visible()
    expect(page.locator(ARBETSUTSKOTTET)).to_be_visible()
    assert page.errors == []


def test_an_expired_notice_disappears(page, board_url):
    open_board_on(page, board_url, "2024-04-03")
    expect(page.locator(STYRELSEN)).to_be_hidden()
    expect(page.locator(ARBETSUTSKOTTET)).to_be_visible()
    open_board_on(page, board_url, "2024-04-16")
    expect(page.locator(ARBETSUTSKOTTET)).to_be_hidden()
    expect(page.locator(".notice-empty")).to_be_visible()
    assert page.errors == []


def test_a_notice_taken_down_since_the_build_stays_within_reach(page, board_url):
    taken_down = ".notices-taken-down"
    open_board_on(page, board_url, "2024-03-26")
    expect(page.locator(taken_down)).to_be_hidden()
    open_board_on(page, board_url, "2024-04-03")  # Styrelsen's is down, not yet in the archive
    expect(page.locator(taken_down)).to_be_visible()
    expect(page.locator(taken_down + " li:visible")).to_have_count(1)
    link = page.get_by_role("link", name="Protokoll Styrelsen 2024-03-01")
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(board_url.removesuffix("anslagstavla/") + "styrelsen/2024-03-01/")
    assert page.errors == []


def test_the_notice_is_up_through_its_last_day(page, board_url):
    open_board_on(page, board_url, "2024-04-02")
    expect(page.locator(STYRELSEN)).to_be_visible()


@pytest.mark.parametrize("zone, moment, shown", [
    # 18.00 in Sweden on the last day to appeal: the next morning in Tokyo.
    ("Asia/Tokyo", "2024-04-03T01:00:00+09:00", True),
    # 01.30 in Sweden the day after: still the last day in New York.
    ("America/New_York", "2024-04-02T19:30:00-04:00", False),
])
def test_the_board_goes_by_the_day_in_sweden_wherever_it_is_read(browser, board_url, zone, moment, shown):
    context = browser.new_context(timezone_id=zone)
    page = context.new_page()
    page.clock.set_fixed_time(moment)
    page.goto(board_url)
    styrelsen = expect(page.locator(STYRELSEN))
    styrelsen.to_be_visible() if shown else styrelsen.to_be_hidden()
    context.close()


@pytest.mark.parametrize("day, passed", [("2024-04-02", False), ("2024-04-03", True)])
def test_a_last_day_to_appeal_that_has_passed_says_so(page, board_url, day, passed):
    # Styrelsen's last day to appeal is 2024-04-02: on the meeting page, the start page
    # and its extracts, it says so from the day after, by the day in Sweden.
    site = board_url.removesuffix("anslagstavla/")
    for path in ("styrelsen/2024-03-01/", "", "styrelsen/2024-03-01/utdrag/"):
        open_board_on(page, site + path, day)
        last_day = page.locator('time[data-sista-dag][datetime="2024-04-02"]').first
        expect(last_day).to_be_visible()
        note = page.locator('time[data-sista-dag][datetime="2024-04-02"] + .appeal-passed')
        expect(note).to_have_count(page.locator('time[data-sista-dag][datetime="2024-04-02"]').count()
                                   if passed else 0)
        if passed:
            expect(note.first).to_have_text(" (tiden har gått ut)")
    assert page.errors == []

