"""A meeting's protokollsutdrag share one page; the address's anchor picks the one
shown and printed, and without an anchor every extract is there."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

EXTRACTS = "styrelsen/2021-06-01/utdrag/"


@pytest.mark.parametrize("media", ["screen", "print"])
def test_the_anchor_shows_one_extract_alone(page, site_url, media):
    page.emulate_media(media=media)
    page.goto(site_url + EXTRACTS + "#paragraf-48")
    expect(page.locator("#paragraf-48")).to_be_visible()
    expect(page.locator("#paragraf-48")).to_contain_text("Rapport Tertial 1 2021")
    expect(page.locator("#paragraf-47")).to_be_hidden()
    expect(page.locator(".extract:visible")).to_have_count(1)
    expect(page.get_by_text("Sammanträdesdatum")).to_be_visible()  # the meeting's facts stay
    expect(page.locator("#paragraf-48 .extract-facts")).to_contain_text("Sista dag att överklaga")


def test_print_leaves_out_the_sites_navigation_and_search(page, site_url):
    page.emulate_media(media="print")
    page.goto(site_url + EXTRACTS + "#paragraf-48")
    expect(page.get_by_role("search")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Huvudmeny")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Du är här")).to_be_hidden()
    expect(page.locator(".site-title")).to_be_visible()  # the site's name heads the sheet


def test_without_an_anchor_every_extract_shows(page, site_url):
    page.goto(site_url + EXTRACTS)
    count = page.locator(".extract").count()
    assert count > 1
    expect(page.locator(".extract:visible")).to_have_count(count)
    page.get_by_role("link", name="§ 48 Rapport Tertial 1 2021").click()
    expect(page.locator(".extract:visible")).to_have_count(1)
    expect(page.locator("#paragraf-48")).to_be_visible()


def test_the_meeting_page_links_each_paragraph_to_its_extract(page, site_url):
    page.goto(site_url + "styrelsen/2021-06-01/#paragraf-48")
    page.locator("section.paragraph:has(#paragraf-48)").get_by_role("link", name="Protokollsutdrag § 48 för utskrift").click()
    assert page.url == site_url + EXTRACTS + "#paragraf-48"
    expect(page.locator(".extract:visible")).to_have_count(1)


def test_each_printed_extract_tells_whose_minutes_it_is_from(page, site_url):
    # Printed, each extract starts a sheet of its own, to be signed on its own: the
    # sheet must name the body, the organ and the meeting, and the signature must not
    # be left on a sheet without the text it certifies.
    import io

    import pypdf

    page.goto(site_url + "styrelsen/2019-06-20/utdrag/")
    extracts = page.locator(".extract").count()
    sheets = [sheet.extract_text() for sheet in pypdf.PdfReader(io.BytesIO(page.pdf(format="A4"))).pages]
    named = [sheet for sheet in sheets if "Protokollsutdrag · Styrelsen torsdag 20 juni 2019" in sheet]
    assert len(named) == extracts - 1  # the first extract is under the page's own header
    for sheet in sheets:
        if "Utdragsbestyrkande" in sheet:
            assert not sheet.lstrip().startswith("Utdragsbestyrkande")
            assert "ur protokoll fört vid sammanträde med Styrelsen torsdag 20 juni 2019" in sheet


@pytest.mark.parametrize("meeting, number, opening", [
    ("2021-06-01", 48, "Mikael Holmlund rapporterade resultat"),
    ("2019-06-20", 71, "Under hösten 2017 fick Samordningsförbundet"),
])
def test_a_long_paragraph_printed_starts_on_the_first_sheet(page, site_url, meeting, number, opening):
    # A paragraph longer than what is left of a sheet is not pushed whole to the next
    # one, leaving the first with only the header and the facts.
    import io

    import pypdf

    page.goto(site_url + f"styrelsen/{meeting}/utdrag/#paragraf-{number}")
    sheets = [sheet.extract_text() for sheet in pypdf.PdfReader(io.BytesIO(page.pdf(format="A4"))).pages]
    assert len(sheets) > 1  # long enough to need a second sheet
    assert opening in " ".join(sheets[0].split())


@pytest.mark.parametrize("address", ["styrelsen/2021-06-01/", "styrelsen/2021-06-01/utdrag/"])
def test_a_printed_protokoll_spells_out_where_to_read_how_to_appeal(page, site_url, address):
    # On paper a link is its words only: the appeal page's address is printed after them,
    # and the header's pointer to the notice further down is left out. On screen the
    # link is its words, not the address a screen reader would spell out.
    page.goto(site_url + address)
    link = page.get_by_role("link", name="så överklagar du ett beslut").first
    assert link.evaluate("a => getComputedStyle(a, '::after').content") == "none"
    page.emulate_media(media="print")
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert after == '" (https://protokoll.example.se/overklaga/)"'
    if "utdrag" in address:
        return
    expect(page.locator(".document-header").get_by_role("link", name="anslag")).to_be_hidden()
    page.emulate_media(media="screen")
    expect(page.locator(".document-header").get_by_role("link", name="anslag")).to_be_visible()
