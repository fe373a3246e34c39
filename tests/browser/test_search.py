"""Search in a real browser: the Pagefind index that `site-gen build` wrote, queried
through the search page, under the sub-path /a/b/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect


def search(page, site_url: str, words: str) -> None:
    page.goto(site_url + "sok/")
    page.get_by_label("Sökord").fill(words)
    page.get_by_label("Sökord").press("Enter")
    expect(page.locator("#sokstatus")).to_have_text(re.compile(r"träff"))


def hits(page) -> list[str]:
    """The meetings found, once the status line has told how many there are."""
    status = page.locator("#sokstatus").inner_text()
    found = page.locator(".search-hit h2").all_inner_texts()
    assert status == {0: "Inga träffar.", 1: "1 träff."}.get(len(found), f"{len(found)} träffar.")
    return found


def test_inflected_word_finds_the_paragraph_and_its_decision(page, site_url):
    # "tertialrapporten" is not in the minutes as such: Swedish stemming finds
    # "tertialrapport" and "tertialrapporter".
    search(page, site_url, "tertialrapporten")
    assert "Protokoll Styrelsen 2021-06-01" in hits(page)
    paragraph = page.locator(".search-paragraphs li", has_text="§ 48 Rapport Tertial 1 2021")
    expect(paragraph).to_have_count(1)
    expect(paragraph.locator(".search-decision")).to_have_text(
        "Beslut: Styrelsen beslutade att anta rapport för tertial 1.")
    paragraph.get_by_role("link", name="§ 48 Rapport Tertial 1 2021").click()
    expect(page).to_have_url(site_url + "styrelsen/2021-06-01/#paragraf-48")
    expect(page.locator("#paragraf-48")).to_be_in_viewport()
    assert page.errors == []


def test_a_word_of_decisions_finds_decisions_not_the_attendance(page, site_url):
    # "beslutade" shares its stem with the attendance tables' caption "Beslutande", left
    # out of the index like the other labels; they ran into the excerpts' words.
    search(page, site_url, "beslutade")
    first = page.locator(".search-paragraphs li").first
    expect(first.get_by_role("link")).to_have_attribute("href", re.compile(r"#paragraf-\d+$"))
    excerpts = " ".join(page.locator(".search-excerpt").all_inner_texts())
    assert "beslutade" in excerpts.lower()
    for glued in ("NamnFöreträder", "Beslutande", "OrdförandePeter"):
        assert glued not in excerpts


def test_swedish_letters_are_not_folded(page, site_url):
    # "våld" (Våld i nära relation, 2021) is not "vald": 2019-06-20 has only "valdes".
    search(page, site_url, "våld")
    found = hits(page)
    assert "Protokoll Styrelsen 2021-06-01" in found
    assert "Protokoll Styrelsen 2019-06-20" not in found
    marked = {word.lower() for word in page.locator(".search-excerpt mark").all_inner_texts()}
    assert marked and all(word.startswith("våld") for word in marked), marked


def test_a_name_finds_only_the_meetings_it_is_in(page, site_url):
    # Pagefind stands in the longest word a year's bundle has that the search word starts
    # with ("ha" for "Hahlin") when the bundle has no word like it: 2017 has no Hahlin.
    search(page, site_url, "Hahlin")
    found = hits(page)
    assert found and not [hit for hit in found if "2017" in hit], found
    assert all("hahlin" in text.lower() for text in page.locator(".search-hit").all_inner_texts())
    page.get_by_label("År").select_option("2017")
    expect(page.locator("#sokstatus")).to_have_text("Inga träffar.")
    assert page.errors == []


@pytest.mark.parametrize("words, expected", [
    ("Storgatan", []),  # in no year: "stor" stands in
    ("Vigren", ["Protokoll Styrelsen 2021-06-01"]),  # the chair misspelt once; "Vigen" elsewhere
    ("Hahlin tertial", ["Kallelse Styrelsen 2019-09-20", "Protokoll Styrelsen 2021-06-01"]),  # not 2017
])
def test_a_word_finds_no_year_where_only_a_stand_in_matches(page, site_url, words, expected):
    search(page, site_url, words)
    assert sorted(hits(page)) == expected
    for text in page.locator(".search-hit").all_inner_texts():
        assert all(word in text.lower() for word in words.lower().split()), text


def test_an_agenda_items_kind_is_not_read_into_its_title(page, site_url):
    # The item's badge ("information") once ran on after its heading in the results.
    search(page, site_url, "Nuläget")
    titles = page.locator(".search-hit", has_text="Kallelse Styrelsen 2019-09-20").locator(".search-paragraphs h3")
    expect(titles.filter(has_text="Nuläget")).to_have_text("9. Nuläget på Arbetsförmedlingen, stående punkt")


def test_result_names_the_meeting(page, site_url):
    search(page, site_url, "tertial")
    expect(page.locator(".search-hit", has_text="Protokoll Styrelsen 2021-06-01")
           .locator(".search-facts")).to_have_text("Styrelsen, 2021-06-01")


def test_a_word_not_in_the_minutes_finds_nothing(page, site_url):
    search(page, site_url, "flygplansbränsle")
    expect(page.locator("#sokstatus")).to_have_text("Inga träffar.")
    assert hits(page) == []


@pytest.mark.parametrize("label, choice", [("År", "2021"), ("Ämne", "Vuxentorget"),
                                           ("Organ", "Styrelsen")])
def test_a_filter_narrows_the_results(page, site_url, label, choice):
    search(page, site_url, "styrelsen")
    everything = hits(page)
    page.get_by_label(label).select_option(choice)
    expect(page).to_have_url(re.compile(r"[?&](ar|amne|organ)="))
    expect(page.locator("#sokstatus")).to_have_text(re.compile(r"träff"))
    narrowed = hits(page)
    assert narrowed and set(narrowed) <= set(everything)
    if label != "Organ":  # the example site has one organ: the filter keeps everything
        assert len(narrowed) < len(everything)


def test_year_filter_keeps_only_that_years_meetings(page, site_url):
    search(page, site_url, "styrelsen")
    page.get_by_label("År").select_option("2019")
    expect(page.locator("#sokstatus")).to_have_text(re.compile(r"träff"))
    dates = page.locator(".search-hit .search-facts").all_inner_texts()
    assert dates and all(re.fullmatch(r"Styrelsen, 2019-\d\d-\d\d", d) for d in dates), dates
    assert len(dates) == len(hits(page))


def test_header_search_box_leads_to_results(page, site_url):
    page.goto(site_url + "styrelsen/")
    page.get_by_label("Sök i protokollen").fill("tertial")
    page.get_by_label("Sök i protokollen").press("Enter")
    expect(page).to_have_url(site_url + "sok/?q=tertial")
    expect(page.get_by_label("Sökord")).to_have_value("tertial")
    expect(page.locator(".search-hit").first).to_be_visible()


def test_every_years_bundle_is_searched_and_its_hits_lead_to_their_pages(page, site_url):
    """The index is one bundle per year, merged in the browser: hits come from all of
    them, and those of merged bundles link under the site's sub-path like the rest."""
    search(page, site_url, "styrelsen")
    dates = page.locator(".search-hit .search-facts").all_inner_texts()
    assert {d[-10:-6] for d in dates} == {"2017", "2019", "2021"}, dates
    page.locator(".search-hit", has_text="Styrelsen, 2017-10-27").locator("h2 a").click()
    expect(page).to_have_url(site_url + "styrelsen/2017-10-27/")


def test_a_search_page_opened_from_disk_says_why_it_cannot_search(page, example_output):
    # Opened as a file, the browser refuses the search's module script without a word.
    page.goto((example_output / "sok" / "index.html").as_uri() + "?q=Broman")
    expect(page.locator("#sokstatus")).to_have_text(
        "Sökningen fungerar bara när webbplatsen hämtas från en webbserver. Du kan bläddra bland "
        "sammanträden, beslut och ämnen i stället.")


def paragraphs_of(page, meeting: str) -> list[str]:
    return page.locator(".search-hit", has_text=meeting).locator(".search-paragraphs h3").all_inner_texts()


def test_a_topic_chosen_shows_the_paragraphs_on_that_topic(page, site_url):
    # Every § of the meeting holds "styrelsen"; only § 48 is on Tertialrapport.
    search(page, site_url, "styrelsen")
    page.get_by_label("Ämne").select_option("Tertialrapport")
    expect(page.locator("#sokstatus")).to_have_text(re.compile(r"träff"))
    assert paragraphs_of(page, "Protokoll Styrelsen 2021-06-01") == ["§ 48 Rapport Tertial 1 2021"]
    # A topic alone, without words: the paragraphs that carry it, with their decisions.
    page.get_by_label("Sökord").fill("")
    page.get_by_label("Sökord").press("Enter")
    expect(page.locator("#sokstatus")).to_have_text(re.compile(r"träff"))
    hit = page.locator(".search-hit", has_text="Protokoll Styrelsen 2021-06-01")
    assert hit.locator(".search-paragraphs h3").all_inner_texts() == ["§ 48 Rapport Tertial 1 2021"]
    expect(hit.locator(".search-decision")).to_have_text("Beslut: Styrelsen beslutade att anta rapport för tertial 1.")
    expect(hit.get_by_role("link", name="§ 48 Rapport Tertial 1 2021")).to_have_attribute(
        "href", re.compile(r"styrelsen/2021-06-01/#paragraf-48$"))


def test_of_several_words_the_paragraphs_holding_all_are_shown(page, site_url):
    # Mikael Broman was present, justerare and presented § 47; Mikael Holmlund presented
    # § 48 and § 50, which Pagefind also lists, for "Mikael".
    search(page, site_url, "Mikael Broman")
    assert paragraphs_of(page, "Protokoll Styrelsen 2021-06-01") == [
        "Närvarande", "§ 43 Val av justerare", "§ 47 Gemensam viljeförklaring för Finsam AF/FK"]


def test_a_search_typed_without_swedish_letters_offers_the_spelling_that_finds(page, site_url):
    # Henrik Källberg, typed on a keyboard without ä: Pagefind holds å, ä and ö apart.
    search(page, site_url, "Kallberg")
    status = page.locator("#sokstatus")
    expect(status).to_have_text(re.compile(r"^Inga träffar\. Sökte du på Källberg \(\d+ träff(ar)?\)\?$"))
    assert page.locator(".search-hit").count() == 0
    status.get_by_role("link", name="Källberg").click()
    expect(status).to_have_text(re.compile(r"^\d+ träff"))
    assert "Protokoll Styrelsen 2017-10-27" in hits(page)
    assert page.get_by_label("Sökord").input_value() == "Källberg"
    assert "q=K%C3%A4llberg" in page.url


def test_no_spelling_is_offered_where_none_finds_anything(page, site_url):
    search(page, site_url, "flygplansbransle")
    expect(page.locator("#sokstatus[data-done]")).to_have_count(1)  # the other spellings tried too
    expect(page.locator("#sokstatus")).to_have_text("Inga träffar.")


def test_a_word_with_two_letters_to_change_is_offered_and_the_focus_stays_in_the_field(page, site_url):
    search(page, site_url, "Vannas")
    status = page.locator("#sokstatus")
    status.get_by_role("link", name="Vännäs").click()
    expect(status).to_have_text(re.compile(r"^\d+ träff"))
    assert page.evaluate("document.activeElement.id") == "sokord"


@pytest.mark.parametrize("words", ["överklaga", "Overklagande beslut", "laglighetsprövning"])
def test_a_search_for_how_to_appeal_offers_the_page_on_it(page, site_url, words):
    # The index holds the minutes; the page residents look for by these words is not one.
    search(page, site_url, words)
    expect(page.locator("#sokstatus[data-done]")).to_have_count(1)
    guide = page.locator("#sokstatus").get_by_role("link", name="Så överklagar du ett beslut")
    expect(guide).to_have_count(1)
    guide.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Så överklagar du ett beslut")


@pytest.mark.parametrize("words", ["Källberg", "till", "överenskommelse"])
def test_no_page_is_offered_for_words_of_the_minutes(page, site_url, words):
    search(page, site_url, words)
    expect(page.locator("#sokstatus[data-done]")).to_have_count(1)
    expect(page.locator("#sokstatus a")).to_have_count(0)


def test_a_hits_excerpt_shows_no_dates_without_their_labels(page, site_url):
    # The notice's dates ("2021-06-21. 2021-06-28. måndag 19 juli 2021.") are not indexed.
    search(page, site_url, "Umeå")
    excerpts = " ".join(page.locator(".search-hit").all_inner_texts())
    assert "Protokoll Styrelsen 2021-06-01" in excerpts
    assert not re.search(r"2021-06-28|19 juli 2021|2021-07-19", excerpts)


def test_a_search_that_finds_something_still_offers_the_word_with_a_swedish_letter(page, site_url):
    # "vald" finds "Val av justerare … valdes"; the resident who typed it may have meant "våld".
    search(page, site_url, "vald")
    status = page.locator("#sokstatus")
    expect(status).to_have_text(re.compile(r"^\d+ träff(ar)?\. Sökte du på våld \(\d+ träff(ar)?\)\?$"))
    status.get_by_role("link", name="våld").click()
    expect(status).to_have_text(re.compile(r"^\d+ träff"))
    assert "Protokoll Styrelsen 2021-06-01" in hits(page)
