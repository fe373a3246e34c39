"""A paragraph justerad at once (omedelbar justering) has a notice of its own, and its
appeal time runs from that notice, ahead of the protokoll's: every place that says until
when a decision can be appealed must give the paragraph's own day."""

from __future__ import annotations

import json
import re

import icalendar
import pytest
from helpers import visible_text
from test_notice_board import board_on

from site_gen.build import build, check_site

PROTOKOLL = "content/styrelsen/2024-03-01-protokoll.md"
ENTRY = "  3:\n    topics: [ekonomi]\n"
# Posted Monday 4 March: three weeks on is Monday 25 March. The protokoll's own notice,
# posted 10 March, runs to 2 April.
AT_ONCE = ENTRY + "    omedelbar_justering: true\n    anslag:\n      uppsättande: 2024-03-04\n"
OWN_DAY = "måndag 25 mars 2024"


def justera_at_once(site, entry: str = AT_ONCE) -> None:
    path = site / PROTOKOLL
    text = path.read_text(encoding="utf-8")
    assert ENTRY in text
    path.write_text(text.replace(ENTRY, entry), encoding="utf-8")


def folded(html: str) -> str:
    """Visible text with the spaces that tags leave before punctuation removed."""
    return re.sub(r" ([,.:;)])", r"\1", visible_text(html)).replace("( ", "(")


def test_every_page_gives_the_paragraph_its_own_last_day_to_appeal(minisite, monkeypatch):
    justera_at_once(minisite)
    assert check_site(minisite).items == []
    board, _ = board_on(minisite, monkeypatch, "2024-03-05")
    output = minisite / "output"
    page = folded((output / "styrelsen/2024-03-01/index.html").read_text(encoding="utf-8"))
    assert ("Omedelbart justerade paragrafer § 3, justerad vid sammanträdet: anslaget uppsatt 2024-03-04 hos "
            f"Norrby kommun, sista dag att överklaga {OWN_DAY}.") in page
    paragraph = page[page.index("Länk till § 3"):page.index("Länk till § 4")]
    assert f"Omedelbart justerad Sista dag att överklaga {OWN_DAY}" in paragraph
    extract = folded((output / "styrelsen/2024-03-01/utdrag/index.html").read_text(encoding="utf-8"))
    # Each extract stands alone, with the justering and notice of its own decision.
    assert ("§ 3 Uppdrag om lokaler Justerad Omedelbart, vid sammanträdet Anslaget uppsatt måndag 4 mars 2024 "
            f"Sista dag att överklaga {OWN_DAY} Så överklagar du Genom laglighetsprövning hos förvaltningsrätten: "
            "så överklagar du ett beslut Beslutande Åsa Öberg, Lena Lind") in extract
    assert ("Justerad fredag 8 mars 2024 Anslaget uppsatt söndag 10 mars 2024 Sista dag att överklaga "
            "tisdag 2 april 2024") in extract[extract.index("§ 2 Budget"):extract.index("§ 3 Uppdrag om lokaler J")]
    assert "tisdag 2 april" not in extract[:extract.index("§ 1 Mötets")]  # not the header's, for every extract
    # Decision lists: the paragraph's day, the rest of the meeting the protokoll's.
    decisions = folded((output / "beslut/2024/index.html").read_text(encoding="utf-8"))
    assert ("Styrelsen fredag 1 mars 2024 Sista dag att överklaga tisdag 2 april 2024 (§ 3, omedelbart "
            f"justerad: {OWN_DAY}).") in decisions
    assert re.search(rf"§ 3 Uppdrag om lokaler .*? Sista dag att överklaga {OWN_DAY} ", decisions)
    home = folded((output / "index.html").read_text(encoding="utf-8"))
    assert re.search(rf"§ 3 Uppdrag om lokaler, Styrelsen 2024-03-01 .*? Sista dag att överklaga {OWN_DAY} ",
                     home)
    # On 5 March the paragraph's notice is up, the protokoll's not yet.
    assert re.search(r'<article class="notice" id="anslag-styrelsen-2024-03-01-paragraf-3"[^>]*>', board)
    assert 'id="anslag-styrelsen-2024-03-01-paragraf-3"' in board
    assert not re.search(r'id="anslag-styrelsen-2024-03-01-paragraf-3"[^>]* hidden', board)
    assert re.search(r'id="anslag-styrelsen-2024-03-01"[^>]* hidden', board)
    assert ("Protokoll Styrelsen 2024-03-01, § 3 Paragrafen justerades omedelbart, vid sammanträdet. Organ "
            "Styrelsen Sammanträdesdatum fredag 1 mars 2024 Paragrafer § 3 Justeringsdatum 2024-03-01 Anslaget "
            f"uppsatt 2024-03-04 Anslaget sitter uppe minst till och med 2024-03-25 Sista dag att överklaga "
            f"{OWN_DAY}") in folded(board)
    # Listed for when the browser finds them taken down: no take-down day that was not given.
    assert f"Protokoll Styrelsen 2024-03-01, § 3; sista dag att överklaga var {OWN_DAY}" in folded(board)
    # The protokoll's header gives the paragraph's day beside the protokoll's.
    assert f"Sista dag att överklaga tisdag 2 april 2024 (§ 3, omedelbart justerad: {OWN_DAY}) (anslag)" in page
    events = {str(e["UID"]).split("@")[0]: e
              for e in icalendar.Calendar.from_ical((output / "kalender.ics").read_bytes()).walk("VEVENT")}
    own = events["overklagande-styrelsen-2024-03-01-paragraf-3"]
    assert str(own["DTSTART"].dt) == "2024-03-25"
    assert str(own["SUMMARY"]) == "Sista dag att överklaga: Styrelsen 2024-03-01, § 3"
    assert str(events["overklagande-styrelsen-2024-03-01"]["DTSTART"].dt) == "2024-04-02"
    [meeting] = json.loads((output / "data/styrelsen/2024.json").read_text())["meeting"]
    items = {item["number"]: item for item in meeting["agendaItem"]}
    assert items["3"]["notice"] == {"justeringsdatum": "2024-03-01", "postedAt": "Norrby kommun",
                                    "posted": "2024-03-04", "lastAppealDay": "2024-03-25",
                                    "keptAt": "Förbundets kansli"}
    assert "notice" not in items["2"]


def test_the_protokolls_notice_says_which_paragraph_has_a_notice_of_its_own(minisite, monkeypatch):
    justera_at_once(minisite)
    board, _ = board_on(minisite, monkeypatch, "2024-03-20")
    text = folded(board)
    assert "Paragrafer § 1–4 (§ 3 justerades omedelbart och har ett eget anslag)" in text
    assert "Paragrafer § 3 Justeringsdatum" in text  # its own notice says nothing of the sort


def test_both_notices_are_archived_once_taken_down(minisite, monkeypatch):
    justera_at_once(minisite)
    _, archive = board_on(minisite, monkeypatch, "2024-05-01")
    text = folded(archive)
    assert "Styrelsen 2024-03-01 § 1–4 2024-03-08 2024-03-10 2024-04-02 2024-04-02" in text
    assert "Styrelsen 2024-03-01 § 3 (omedelbart justerad) 2024-03-01 2024-03-04 Inte angivet 2024-03-25" in text


@pytest.mark.parametrize("entry, message", [
    (AT_ONCE.replace("2024-03-04", "2024-03-06"),
     "content/styrelsen/2024-03-01-protokoll.md:38: warning: § 3, justerad at once: the notice was posted "
     "2024-03-06, 5 days after justering (2024-03-01) (it should be posted at the latest on the second day "
     "after justering, moved past weekends and holidays: 2024-03-04)"),
    (AT_ONCE + "      nedtagande: 2024-03-20\n",
     "content/styrelsen/2024-03-01-protokoll.md:39: error: § 3, justerad at once: the notice is taken down "
     "2024-03-20, before the last day to appeal (2024-03-25) (keep it up at least until 2024-03-25: three "
     "weeks from 2024-03-04, moved past weekends and holidays)"),
    (ENTRY + "    omedelbar_justering: true\n",
     "content/styrelsen/2024-03-01-protokoll.md:36: warning: § 3 was justerad at once (2024-03-01), but no "
     "notice of it is recorded as posted (add 'anslag:' with 'uppsättande:' under paragraphs → 3, the day its "
     "notice went up: the time to appeal the paragraph runs from it)"),
    (ENTRY + "    omedelbar_justering: false\n    anslag:\n      uppsättande: 2024-03-04\n",
     "content/styrelsen/2024-03-01-protokoll.md:37: error: § 3 has an 'anslag' of its own, but is not "
     "justerad at once (add 'omedelbar_justering: true' if it was; else remove this 'anslag': the protokoll's "
     "covers the paragraph)"),
    (AT_ONCE.replace("2024-03-04", "2024-13-04"),
     "content/styrelsen/2024-03-01-protokoll.md:38: error: 'paragraphs → 3 → anslag → uppsättande' is "
     "2024-13-04, which is not a real date (there is no month 13) (check the day and the month)"),
    (ENTRY + "    omedelbar_justering: true\n    anslag:\n      - hos: Norrby kommun\n"
     "        uppsättande: 2024-03-04\n      - hos: Söderby kommun\n",
     "content/styrelsen/2024-03-01-protokoll.md:40: warning: § 3, justerad at once: the notice is recorded as "
     "posted on some boards, but not hos Söderby kommun (add its 'uppsättande:': the time to appeal runs from "
     "the day the notice is up on every board)"),
    (ENTRY + "    anslag:\n      uppsättande: 2024-03-04\n",
     "content/styrelsen/2024-03-01-protokoll.md:36: error: § 3 has an 'anslag' of its own, but is not "
     "justerad at once (add 'omedelbar_justering: true' if it was; else remove this 'anslag': the protokoll's "
     "covers the paragraph)"),
])
def test_the_notice_of_a_paragraph_justerad_at_once_is_checked(minisite, entry, message):
    justera_at_once(minisite, entry)
    assert [p.format() for p in check_site(minisite).items] == [message]


def test_a_wrong_value_of_omedelbar_justering_is_reported_once(minisite):
    justera_at_once(minisite, AT_ONCE.replace("omedelbar_justering: true", "omedelbar_justering: ja"))
    assert [p.message for p in check_site(minisite).items] == [
        "'paragraphs → 3 → omedelbar_justering' should be true or false, but is text"]


def test_a_wrong_value_of_omedelbar_justering_does_not_hide_its_notices_mistakes(minisite):
    # 'ja' is read as meant after the error: the notice posted before the meeting is told
    # in the same run, not in the run after the first is fixed.
    justera_at_once(minisite, AT_ONCE.replace("omedelbar_justering: true", "omedelbar_justering: ja")
                    .replace("2024-03-04", "2024-02-20"))
    assert [p.message for p in check_site(minisite).items] == [
        "'paragraphs → 3 → omedelbar_justering' should be true or false, but is text",
        "§ 3, justerad at once: the notice was posted 2024-02-20, before justering (2024-03-01)"]


def test_without_its_own_notice_a_paragraph_justerad_at_once_counts_from_the_protokolls(minisite):
    justera_at_once(minisite, ENTRY + "    omedelbar_justering: true\n")
    build(minisite)
    page = folded((minisite / "output/styrelsen/2024-03-01/index.html").read_text(encoding="utf-8"))
    assert ("§ 3, justerad vid sammanträdet: inget eget anslag är angivet, så tiden för att överklaga räknas "
            "här från protokollets anslag.") in page
    paragraph = page[page.index("Länk till § 3"):page.index("Länk till § 4")]
    assert "Omedelbart justerad" in paragraph and "Sista dag att överklaga" not in paragraph
    decisions = folded((minisite / "output/beslut/2024/index.html").read_text(encoding="utf-8"))
    assert "Justerat; tiden för att överklaga börjar" not in decisions


def test_its_notice_may_be_on_several_boards(minisite):
    justera_at_once(minisite, ENTRY + "    omedelbar_justering: true\n    anslag:\n"
                              "      - hos: Norrby kommun\n        uppsättande: 2024-03-01\n"
                              "      - hos: Söderby kommun\n        uppsättande: 2024-03-04\n")
    assert check_site(minisite).items == []
    build(minisite)
    page = folded((minisite / "output/styrelsen/2024-03-01/index.html").read_text(encoding="utf-8"))
    # Up on both boards on Monday 4 March: three weeks on is Monday 25 March (from the
    # first board alone it would be Friday 22 March).
    assert ("§ 3, justerad vid sammanträdet: anslaget uppsatt 2024-03-04 hos Norrby kommun och Söderby kommun, "
            "sista dag att överklaga måndag 25 mars 2024.") in page


def test_a_correction_of_it_is_measured_from_the_meeting(minisite):
    justera_at_once(minisite)
    path = minisite / PROTOKOLL
    path.write_text(path.read_text(encoding="utf-8").replace(
        "paragraphs:\n", "rättelser:\n  - datum: 2024-03-05\n    paragraf: 3\n    text: Rättat.\nparagraphs:\n", 1),
        encoding="utf-8")
    assert check_site(minisite).items == []  # before the protokoll's justering (8 March), after § 3's
