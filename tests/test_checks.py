"""Each check rule fires on a deliberately broken copy of a valid file, and is silent on
the valid original. docs/checks.md lists the rules."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import epoch, visible_text

from site_gen import domain
from site_gen.build import check_site

PROTOKOLL = "content/styrelsen/2024-03-01-protokoll.md"
AU_PROTOKOLL = "content/arbetsutskottet/2024-02-01-protokoll.md"
BILAGA = "content/styrelsen/bilagor/budget-2024.md"

# rule id: (file, text to replace, replacement, expected line, expected message part)
BREAKAGES = {
    "yaml-syntax": (PROTOKOLL, "place: Stadshuset, rum Älven", "place: Rum: Älven", 5,
                    "YAML syntax error"),
    "unknown-key": (PROTOKOLL, "justeringsdatum:", "justeringdatum:", 19,
                    "unknown key 'justeringdatum' in a protokoll (did you mean 'justeringsdatum'?)"),
    "wrong-type": (PROTOKOLL, "justerare: Lena Lind", "justerare: {name: Lena}", 18,
                   "'justerare' should be a list of text, but is a mapping"),
    "date-not-file-name": (PROTOKOLL, "date: 2024-03-01", "date: 2024-03-02", 3,
                           "warning: the file name says 2024-03-01, but 'date' is 2024-03-02"),
    "impossible-date": (PROTOKOLL, "date: 2024-03-01", "date: 2024-02-30", 3,
                        "'date' is 2024-02-30, which is not a real date"),
    "missing-key": (PROTOKOLL, "sekreterare: Kim Kansli\n", "", 2,
                    "the required key 'sekreterare' is missing"),
    "paragraph-metadata-without-text": (PROTOKOLL, "  4:\n    sekretess", "  9:\n    sekretess", 40,
                                        "'paragraphs' has an entry for § 9, but the text has no § 9"),
    "paragraph-twice": (PROTOKOLL, "## § 3 Uppdrag", "## § 2 Uppdrag", 56,
                        "§ 2 appears twice (also on line 50)"),
    "gap-inside-meeting": (PROTOKOLL, "## § 4 Personalärende", "## § 5 Personalärende", 60,
                           "§ 5 follows § 3: a gap"),
    "taken-down-not-posted": (PROTOKOLL, "  uppsättande: 2024-03-10\n", "", 22,
                              "warning: the notice has the day it is taken down, but not the day it was posted"),
    # One number typed wrong is told at its line, not also at the next paragraph's.
    "number-typed-wrong": (PROTOKOLL, "## § 3 Uppdrag", "## § 9 Uppdrag", 56,
                           "§ 9 stands between § 2 and § 4 (check the number: § 3 was expected)"),
    "no-justerare-present": (PROTOKOLL, "  - Lena Lind\növriga", "  - name: Lena Lind\n    present: 2-4\növriga",
                             19, "no justerare was present for § 1 (Lena Lind is not, by 'present')"),
    "presence-range": (PROTOKOLL, "present: 1-2", "present: 1-7", 10,
                       "Erik Ärlig is present for § 1–7, but the protokoll has no § 7"),
    "justerare-present": (PROTOKOLL, "justerare: Lena Lind", "justerare: Lena Lindh", 18,
                          "the justerare Lena Lindh is not among those present"),
    "justerare-named": (PROTOKOLL, "justerare: Lena Lind", "justerare: []", 18,
                        "error: the protokoll has a justeringsdatum but names no justerare"),
    "justerare-not-named-yet": (PROTOKOLL, "justerare: Lena Lind\njusteringsdatum: 2024-03-08\n"
                                "anslag:\n  hos: Norrby kommun\n  uppsättande: 2024-03-10\n"
                                "  nedtagande: 2024-04-02\n", "justerare: []\n", 18,
                                "warning: no justerare is named yet"),
    "required-key-blank": (PROTOKOLL, "sekreterare: Kim Kansli", "sekreterare:", 17,
                           "error: 'sekreterare' is empty (fill in the secretary's name)"),
    "sekreterare-present": (PROTOKOLL, "sekreterare: Kim Kansli", "sekreterare: Kim Kanslie", 17,
                            "the sekreterare Kim Kanslie is not among those present"),
    "ordforande-missing": (PROTOKOLL, "    role: ordförande\n", "", 6,
                           "nobody has the role 'ordförande'"),
    "listed-twice": (PROTOKOLL, "  - Lena Lind\n", "  - Lena Lind\n  - Lena Lind\n", 14,
                     "Lena Lind is listed twice (also on line 13)"),
    "named-but-absent": (PROTOKOLL, "      - name: Erik Ärlig\n        text: Till",
                         "      - name: Nils Nollsson\n        text: Till", 31,
                         "§ 2 names Nils Nollsson, who was not present for this paragraph"),
    "jav-but-named": (PROTOKOLL, "      nej: [Lena Lind]", "      nej: [Lena Lind, Erik Ärlig]", 37,
                      "§ 3 names Erik Ärlig, who was jäv and took no part in it"),
    "vote-by-non-member": (PROTOKOLL, "      nej: [Lena Lind]", "      nej: [Lena Lind, Kim Kansli]", 37,
                           "§ 3: Kim Kansli votes but is not among beslutande"),
    "spelling": (AU_PROTOKOLL, "Lena Lind", "Lena Lindh", 7,
                 "'Lena Lindh' is spelt 'Lena Lind' in 1 meeting (Styrelsen 2024-03-01)"),
    "justering-before-meeting": (PROTOKOLL, "justeringsdatum: 2024-03-08", "justeringsdatum: 2024-02-28",
                                 19, "justeringsdatum 2024-02-28 is before the meeting"),
    "justering-late": (PROTOKOLL, "justeringsdatum: 2024-03-08", "justeringsdatum: 2024-03-09\n#",
                       19, None),  # placeholder replaced below
    "posted-before-justering": (PROTOKOLL, "uppsättande: 2024-03-10", "uppsättande: 2024-03-07", 22,
                                "the notice was posted 2024-03-07, before justering (2024-03-08)"),
    # Justering on Friday 8 March: the second day after is a Sunday, so Monday the 11th is
    # in time and Tuesday the 12th is late.
    "posted-late": (PROTOKOLL, "uppsättande: 2024-03-10", "uppsättande: 2024-03-12", 22,
                    "the notice was posted 2024-03-12, 4 days after justering (2024-03-08)"),
    "notice-never-posted": (PROTOKOLL, "anslag:\n  hos: Norrby kommun\n  uppsättande: 2024-03-10\n"
                            "  nedtagande: 2024-04-02\n", "", 19,
                            "warning: the protokoll was justerat 2024-03-08, but no notice is recorded as posted"),
    "vote-twice": (PROTOKOLL, "      nej: [Lena Lind]", "      nej: [Lena Lind, Åsa Öberg]", 37,
                   "§ 3: Åsa Öberg is listed more than once in 'votering'"),
    "reservation-by-non-member": (PROTOKOLL, "      - name: Erik Ärlig\n        text: Till",
                                  "      - name: Kim Kansli\n        text: Till", 31,
                                  "§ 2: Kim Kansli reserves against the decision but is not among beslutande"),
    "reservation-by-abstainer": (PROTOKOLL, "    votering:\n      ja: [Åsa Öberg]",
                                 "    reservation: [Lena Lind]\n    votering:\n      ja: [Åsa Öberg]\n"
                                 "      avstår: [Lena Lind]", 37,
                                 "§ 3: Lena Lind reserves against the decision but abstained"),
    "reservation-twice": (PROTOKOLL, "        text: Till förmån för eget förslag.\n",
                          "        text: Till förmån för eget förslag.\n      - Erik Ärlig\n", 31,
                          "§ 2: Erik Ärlig is listed more than once in 'reservation'"),
    "reservation-without-decision": (PROTOKOLL, "paragraphs:\n", "paragraphs:\n  1:\n    reservation: Lena Lind\n",
                                     30, "warning: § 1 has a reservation, but no decision that site-gen can read"),
    "vote-incomplete": (PROTOKOLL, "      nej: [Lena Lind]", "      nej: []", 37,
                        "warning: § 3: the votering names 1 of the 2 beslutande present, not Lena Lind"),
    "votering-names-on-one-line": (PROTOKOLL, "      nej: [Lena Lind]", "      nej: Lena Lind och Åsa Öberg", 39,
                                   "'paragraphs → 3 → votering → nej' should be a list of text, but is text "
                                   "(write them as a list: 'nej: [Lena Lind, Åsa Öberg]')"),
    "jav-names-on-one-line": (PROTOKOLL, "    jäv: [Erik Ärlig]", "    jäv: Erik Ärlig, Lena Lind", 36,
                              "Erik Ärlig, Lena Lind is jäv but not among those present "
                              "(write them as a list: 'jäv: [Erik Ärlig, Lena Lind]')"),
    "reservation-names-on-one-line": (PROTOKOLL, "    topics: [ekonomi]\n",
                                      "    topics: [ekonomi]\n    reservation: Åsa Öberg, Lena Lind\n", 36,
                                      "§ 3 names Åsa Öberg, Lena Lind, who was not present for this paragraph "
                                      "(write them as a list: 'reservation: [Åsa Öberg, Lena Lind]')"),
    "notice-without-hos": (PROTOKOLL, "  hos: Norrby kommun\n", "", 20,
                           "warning: the notice does not say where it was posted"),
    "taken-down-a-year-late": (PROTOKOLL, "nedtagande: 2024-04-02", "nedtagande: 2025-04-02", 23,
                               "warning: the notice is taken down 2025-04-02, 365 days after the last day "
                               "to appeal (2024-04-02)"),
    "ersattare-beside-member": (PROTOKOLL, "  - Lena Lind\n", "  - Lena Lind\n  - name: Eva Ersättare\n"
                                "    ersätter: Lena Lind\n", 14,
                                "Eva Ersättare serves in place of Lena Lind, but Lena Lind is among beslutande "
                                "for § 1 too"),
    "ersattare-twice": (PROTOKOLL, "  - Lena Lind\n", "  - name: Lena Lind\n    present: 1-2\n"
                        "  - name: Eva Ersättare\n    ersätter: Lena Lind\n    present: 3-4\n"
                        "  - name: Per Ersättare\n    ersätter: Lena Lind\n    present: 4\n", 18,
                        "Eva Ersättare and Per Ersättare both serve in place of Lena Lind for § 4"),
    "ersattare-not-beslutande": (PROTOKOLL, "    title: Förbundschef\n", "    title: Förbundschef\n"
                                 "  - name: Eva Ersättare\n    ersätter: Lena Lind\n", 17,
                                 "Eva Ersättare serves in place of Lena Lind ('ersätter') but is not among "
                                 "beslutande"),
    "taken-down-early": (PROTOKOLL, "nedtagande: 2024-04-02", "nedtagande: 2024-04-01", 23,
                         "the notice is taken down 2024-04-01, before the last day to appeal (2024-04-02)"),
    "personnummer": (PROTOKOLL, "Kim Kansli föredrog förslaget.",
                     "Kim Kansli föredrog förslaget för 19121212-1212.", 52,
                     "a personnummer (19121212-XXXX) in § 2"),
    "personnummer-in-markup": (PROTOKOLL, "Kim Kansli föredrog förslaget.",
                               "Kim Kansli föredrog förslaget för **19121212**\\-1212.", 52,
                               "a personnummer (19121212-XXXX) in § 2"),
    "personnummer-in-secret-heading": (PROTOKOLL, "## § 4 Personalärende", "## § 4 Personalärende 121212-1212",
                                       60, "a personnummer (121212-XXXX) in § 4"),
    "personnummer-in-attachment": (BILAGA, "| Kostnader | 900 |", "| Kostnader | 900 |\n\nAvser 121212-1212.",
                                   8, "a personnummer (121212-XXXX) in the attachment"),
    "cross-reference": (PROTOKOLL, "Kim Kansli föredrog förslaget.", "Kim Kansli föredrog enligt § 9.",
                        52, "§ 9 refers to no paragraph of Styrelsen in 2024"),
    "attachment-mention": (PROTOKOLL, "## § 2 Budget 2024 (Bilaga 1)", "## § 2 Budget 2024 (Bilaga 3)",
                           50, "the text mentions bilaga 3, but 'bilagor' has no attachment number 3"),
    "attachment-mention-in-text": (PROTOKOLL, "Kim Kansli föredrog förslaget.",
                                   "Kim Kansli föredrog förslaget, se bilaga 3.", 52,
                                   "the text mentions bilaga 3, but 'bilagor' has no attachment number 3"),
    "attachment-file": (PROTOKOLL, "file: bilagor/budget-2024.md", "file: bilagor/budget-2025.md", 26,
                        "the attachment file 'bilagor/budget-2025.md' does not exist"),
    "numbering-across-meetings": (AU_PROTOKOLL, "## § 1 Ekonomisk", "## § 3 Ekonomisk", 18,
                                  None),  # set below: needs a second meeting of the same organ
}
BREAKAGES["justering-late"] = (PROTOKOLL, "date: 2024-03-01", "date: 2024-02-20", 19,
                               "justering 17 days after the meeting (usual: within 14)")


def broken_copy(site: Path, rule: str) -> tuple[Path, int, str]:
    relative, old, new, line, message = BREAKAGES[rule]
    path = site / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the fixture no longer holds {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path, line, message


RULES = sorted(set(BREAKAGES) - {"numbering-across-meetings"})


@pytest.mark.parametrize("rule", RULES)
def test_rule_fires_on_broken_copy(minisite, rule):
    _, line, message = broken_copy(minisite, rule)
    relative = BREAKAGES[rule][0]
    found = [(p.path, p.line, p.format()) for p in check_site(minisite).items]
    assert any(path == relative and at == line and message in text for path, at, text in found), found


@pytest.mark.parametrize("rule", RULES)
def test_rule_is_silent_on_valid_input(minisite, rule):
    message = BREAKAGES[rule][4]
    assert not [p for p in check_site(minisite).items if message in p.format()]


@pytest.mark.parametrize("old, new, meant", [
    ("justerare: Lena Lind", "justerare: Lena Lindh", "Lena Lind"),
    ("sekreterare: Kim Kansli", "sekreterare: Kim Kanslie", "Kim Kansli"),
    ("      - name: Erik Ärlig\n        text: Till", "      - name: Erik Ärli\n        text: Till", "Erik Ärlig"),
])
def test_a_name_one_slip_from_one_present_is_asked_after(minisite, old, new, meant):
    path = minisite / PROTOKOLL
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    hints = [p.hint for p in check_site(minisite).items if "present" in p.message]
    assert hints == [f"did you mean '{meant}'?"]


AGENDA_REST = "\n## 3. Uppdrag om lokaler – beslut\n\n## 4. Personalärende\n"


@pytest.mark.parametrize("rest, reworded, warned", [
    (AGENDA_REST + "\n## 5. Avtal om städning – beslut\n", "", [5]),  # its paragraph left out
    (AGENDA_REST, "", []),
    (AGENDA_REST, "## § 3 Nya lokaler för kansliet", []),  # a heading written anew, paired with no item
    (AGENDA_REST + "\n## 5. Avtal om städning – information\n", "", []),  # for information only
])
def test_an_item_for_decision_with_no_paragraph_is_warned_about(minisite, rest, reworded, warned):
    kallelse = minisite / "content/styrelsen/2024-03-01-kallelse.md"
    kallelse.write_text(kallelse.read_text(encoding="utf-8") + rest, encoding="utf-8")
    if reworded:
        path = minisite / PROTOKOLL
        path.write_text(path.read_text(encoding="utf-8").replace("## § 3 Uppdrag om lokaler", reworded),
                        encoding="utf-8")
    found = [p for p in check_site(minisite).items if "up for decision" in p.message]
    assert [int(p.message.split("item ")[1].split()[0]) for p in found] == warned
    assert all(p.path == PROTOKOLL and p.line == 44 and "Avtal om städning" in p.message for p in found)


def test_one_number_typed_wrong_is_told_once(minisite):
    broken_copy(minisite, "number-typed-wrong")
    assert [p.message for p in check_site(minisite).items if p.message.startswith("§")] == [
        "§ 9 stands between § 2 and § 4"]


@pytest.mark.parametrize("first, second, line", [("## § 2 Budget", "## § 3 Uppdrag", 50),
                                                 ("## § 1 Mötets", "## § 2 Budget", 44)])
def test_two_paragraphs_in_each_others_places_are_told_once_as_such(minisite, first, second, line):
    path = minisite / PROTOKOLL
    text = path.read_text(encoding="utf-8")
    low, high = first.split()[2], second.split()[2]
    text = text.replace(first, "## § X" + first[6:]).replace(second, f"## § {low}" + second[6:])
    path.write_text(text.replace("## § X", f"## § {high}"), encoding="utf-8")
    numbering = [(p.line, p.format()) for p in check_site(minisite).items if "places" in p.message
                 or "follows" in p.message]
    assert numbering == [(line, f"{PROTOKOLL}:{line}: error: § {high} and § {low} are in each other's places "
                                f"(number them § {low}, § {high} in the order they stand; a protokoll's "
                                "paragraphs are numbered one after another)")]


def test_a_second_justerare_present_where_the_first_is_not_is_enough(minisite):
    broken_copy(minisite, "no-justerare-present")
    path = minisite / PROTOKOLL
    path.write_text(path.read_text(encoding="utf-8").replace("justerare: Lena Lind", "justerare: [Lena Lind, Åsa Öberg]"),
                    encoding="utf-8")
    assert not [p for p in check_site(minisite).items if "justerare" in p.message]


def test_valid_fixture_has_no_problem_at_all(minisite):
    assert check_site(minisite).items == []


@pytest.mark.parametrize(("old", "new", "line"), [
    ("justeringsdatum: 2024-03-08", "justeringsdatum: 2024-03-32", 19),
    ("justerare: Lena Lind", "justerare: {name: Lena}", 18),
])
def test_a_wrong_value_is_reported_once_not_again_as_missing(minisite, old, new, line):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    found = [p.format() for p in check_site(minisite).items]
    assert len(found) == 1 and f"{PROTOKOLL}:{line}: error" in found[0], found


def test_numbering_gap_between_meetings_names_both_files(minisite):
    later = minisite / "content" / "arbetsutskottet" / "2024-06-01-protokoll.md"
    earlier = (minisite / AU_PROTOKOLL).read_text(encoding="utf-8")
    later.write_text(earlier.replace("date: 2024-02-01", "date: 2024-06-01")
                     .replace("## § 1 Ekonomisk", "## § 4 Ekonomisk").replace("  1:\n", "  4:\n"),
                     encoding="utf-8")
    [problem] = [p for p in check_site(minisite).items if "numbering" in p.message]
    assert problem.path == "content/arbetsutskottet/2024-06-01-protokoll.md"
    assert "leaves a gap (§ 2–3 are missing)" in problem.message
    assert AU_PROTOKOLL in problem.message
    later.write_text(later.read_text().replace("§ 4 Ekonomisk", "§ 3 Ekonomisk").replace("  4:\n", "  3:\n"))
    [problem] = [p for p in check_site(minisite).items if "numbering" in p.message]
    assert "leaves a gap (§ 2 is missing)" in problem.message
    later.write_text(later.read_text().replace("§ 3 Ekonomisk", "§ 1 Ekonomisk").replace("  3:\n", "  1:\n"))
    [problem] = [p for p in check_site(minisite).items if "numbering" in p.message]
    assert "repeats numbers already used" in problem.message


def test_numbering_continuing_is_silent(minisite):
    later = minisite / "content" / "arbetsutskottet" / "2024-06-01-protokoll.md"
    earlier = (minisite / AU_PROTOKOLL).read_text(encoding="utf-8")
    later.write_text(earlier.replace("date: 2024-02-01", "date: 2024-06-01")
                     .replace("## § 1 Ekonomisk", "## § 2 Ekonomisk").replace("  1:\n", "  2:\n"),
                     encoding="utf-8")
    assert [p for p in check_site(minisite).items if "numbering" in p.message] == []


def au_protokoll(minisite: Path, day: str, first: int) -> Path:
    """A copy of Arbetsutskottet's protokoll (§ 1) dated `day`, its paragraph numbered
    `first`, not justerat yet."""
    path = minisite / f"content/arbetsutskottet/{day}-protokoll.md"
    text = (minisite / AU_PROTOKOLL).read_text(encoding="utf-8")
    path.write_text(text.replace("date: 2024-02-01", f"date: {day}")
                    .replace("justeringsdatum: 2024-02-05\n", "").replace("anslag: {uppsättande: 2024-02-06, "
                                                                        "nedtagande: 2024-02-28}\n", "")
                    .replace("## § 1 Ekonomisk", f"## § {first} Ekonomisk").replace("  1:\n", f"  {first}:\n"),
                    encoding="utf-8")
    return path


def broken_yaml(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\ndate:", "\nplace: Kansliet, rum: 2\ndate:", 1), encoding="utf-8")


@pytest.mark.parametrize("name", ["2024-04-01-protokoll.md", "protokoll-april.md"])
def test_a_protokoll_that_cannot_be_read_is_not_taken_for_a_gap_in_the_numbering(minisite, name):
    # § 2 is in the April meeting, whose front matter has a YAML error: the June one
    # starting at § 3 is right, and renumbering it as told ('should start at § 2') wrong.
    broken = au_protokoll(minisite, "2024-04-01", 2)
    broken_yaml(broken)
    broken.rename(broken.with_name(name))
    au_protokoll(minisite, "2024-06-01", 3)
    assert [(p.path, p.message[:17]) for p in check_site(minisite).errors] == [
        (f"content/arbetsutskottet/{name}", "YAML syntax error")]


def test_a_reference_to_a_paragraph_a_protokoll_that_cannot_be_read_may_hold_is_a_warning(minisite):
    broken = au_protokoll(minisite, "2024-04-01", 2)
    broken_yaml(broken)
    june = au_protokoll(minisite, "2024-06-01", 3)
    june.write_text(june.read_text(encoding="utf-8") + "\nSom beslutades i § 2.\n", encoding="utf-8")
    found = check_site(minisite).items
    assert [p.path for p in found if p.severity == "error"] == ["content/arbetsutskottet/2024-04-01-protokoll.md"]
    assert [(p.severity, p.message) for p in found if "§ 2 refers" in p.message] == [
        ("warning", "§ 2 refers to no paragraph of Arbetsutskottet in 2024 read so far "
                    "(content/arbetsutskottet/2024-04-01-protokoll.md could not be read; the paragraph may be in it)")]


@pytest.mark.parametrize("day, unusual", [("2024-04-07", "a Sunday"), ("2024-05-01", "a public holiday"),
                                          ("2024-06-21", "midsommarafton"), ("2024-04-06", None),
                                          ("2024-06-22", None)])  # midsommardagen, a Saturday
def test_a_meeting_dated_on_a_sunday_or_a_holiday_is_warned_about(minisite, day, unusual):
    au_protokoll(minisite, day, 2)
    found = [(p.path, p.line, p.message) for p in check_site(minisite).items if "the meeting is dated" in p.message]
    assert found == ([(f"content/arbetsutskottet/{day}-protokoll.md", 3, f"the meeting is dated {day}, {unusual}")]
                     if unusual else [])  # a Saturday: a planning day may be held on one


@pytest.mark.parametrize("organ", ["Valnämnden", "Val- och demokratinämnden"])
def test_a_valnamnd_meeting_on_election_day_is_not_warned_about(minisite, organ):
    config = minisite / "site.yml"
    config.write_text(config.read_text().replace("    name: Arbetsutskottet", f"    name: {organ}"))
    au_protokoll(minisite, "2022-09-11", 2)  # the general election, a Sunday
    assert not [p for p in check_site(minisite).items if "the meeting is dated" in p.message]


def test_a_kallelse_alone_dated_on_a_sunday_is_warned_about(minisite):
    # Residents would come to the meeting on the wrong day.
    (minisite / "content/styrelsen/2024-09-08-kallelse.md").write_text(
        '---\nkind: kallelse\ndate: 2024-09-08\ntime: "09.00"\nplace: Stadshuset\n---\n\n## 1. Mötets öppnande\n',
        encoding="utf-8")
    assert [(p.path, p.line, p.message) for p in check_site(minisite).items if "the meeting is dated" in p.message] == [
        ("content/styrelsen/2024-09-08-kallelse.md", 3, "the meeting is dated 2024-09-08, a Sunday")]


def test_the_unread_protokoll_named_is_one_dated_where_the_paragraph_would_be(minisite):
    # § 4 lies between June's § 3 and November's § 5: in September's file, not April's.
    for day, first in (("2024-04-01", 2), ("2024-09-02", 4)):
        broken_yaml(au_protokoll(minisite, day, first))
    au_protokoll(minisite, "2024-06-01", 3)
    november = au_protokoll(minisite, "2024-11-04", 5)
    november.write_text(november.read_text(encoding="utf-8") + "\nSom beslutades i § 4.\n", encoding="utf-8")
    assert [p.message for p in check_site(minisite).items if "§ 4 refers" in p.message] == [
        "§ 4 refers to no paragraph of Arbetsutskottet in 2024 read so far "
        "(content/arbetsutskottet/2024-09-02-protokoll.md could not be read; the paragraph may be in it)"]
    # § 7 would come after November's § 5: no file that could not be read can hold it.
    november.write_text(november.read_text(encoding="utf-8") + "\nOch i § 7.\n", encoding="utf-8")
    assert [(p.severity, p.message) for p in check_site(minisite).items if "§ 7 refers" in p.message] == [
        ("error", "§ 7 refers to no paragraph of Arbetsutskottet in 2024")]


@pytest.mark.parametrize("broken", ["2024-08-01-protokoll.md", "2024-05-02-kallelse.md"])
def test_a_gap_no_unread_protokoll_can_fill_is_still_reported(minisite, broken):
    # A protokoll that cannot be read after the two meetings, or a kallelse between them.
    if broken.endswith("protokoll.md"):
        au_protokoll(minisite, broken[:10], 2)
    broken_yaml(minisite / "content/arbetsutskottet" / broken)
    au_protokoll(minisite, "2024-06-01", 3)
    assert [p.message for p in check_site(minisite).items if "numbering" in p.message] == [
        "Arbetsutskottet's numbering leaves a gap (§ 2 is missing): the meeting 2024-02-01 "
        "(content/arbetsutskottet/2024-02-01-protokoll.md) ended at § 1, this one starts at § 3"]


def test_a_protokoll_saved_among_the_attachments_is_warned_about(minisite):
    # Files under bilagor/ are attachments: a protokoll there would never be published.
    text = (minisite / PROTOKOLL).read_text(encoding="utf-8").replace("date: 2024-03-01", "date: 2024-09-01")
    (minisite / "content/styrelsen/bilagor/2024-09-01-protokoll.md").write_text(text, encoding="utf-8")
    assert [(p.path, p.line, p.severity, p.message, p.hint) for p in check_site(minisite).items] == [
        ("content/styrelsen/bilagor/2024-09-01-protokoll.md", 2, "warning",
         "this file looks like a meeting document ('kind: protokoll'), but lies in bilagor/, where files are "
         "read only as attachments, and no document publishes it: it is left off the site",
         "move it to content/styrelsen/ if it is a meeting document; if it is an attachment, remove 'kind:' "
         "and list it under 'bilagor' of its document")]


def test_a_markdown_attachment_with_a_kind_that_a_document_lists_is_not_warned_about(minisite):
    path = minisite / BILAGA
    path.write_text("---\nkind: underlag\n---\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert [p.message for p in check_site(minisite).items if "meeting document" in p.message] == []


@pytest.mark.parametrize("first, reported", [(2, True), (1, False), (5, False)])
def test_numbers_running_on_into_a_new_year_are_reported(minisite, first, reported):
    # Arbetsutskottet's 2024 protokoll ends at § 1. A 2025 meeting starting at § 5 may
    # follow 2025 meetings the site does not have: only a plain run-on is reported.
    earlier = (minisite / AU_PROTOKOLL).read_text(encoding="utf-8")
    (minisite / "content/arbetsutskottet/2025-01-15-protokoll.md").write_text(
        earlier.replace("date: 2024-02-01", "date: 2025-01-15").replace("## § 1 Ekonomisk", f"## § {first} Ekonomisk")
        .replace("  1:\n", f"  {first}:\n"), encoding="utf-8")
    found = [p.format() for p in check_site(minisite).items if "numbering" in p.message]
    assert found == ([
        "content/arbetsutskottet/2025-01-15-protokoll.md:18: warning: Arbetsutskottet's numbering runs on from "
        "2024: the meeting 2024-02-01 (content/arbetsutskottet/2024-02-01-protokoll.md) ended at § 1, this one "
        "starts at § 2 (§ numbers start again at § 1 each calendar year; if this is the first meeting of 2025, "
        "it starts at § 1)"] if reported else [])


@pytest.mark.parametrize("first, reported", [(7, True), (1, False), (3, False)])
def test_a_protokoll_copied_into_a_new_year_with_its_numbers_is_reported(minisite, first, reported):
    # Arbetsutskottet's 2024 protokoll made to end the year at § 7; its copy for January
    # keeps § 7 (copied), or starts the year at § 1, or at § 3 after meetings not on the site.
    path = minisite / AU_PROTOKOLL
    earlier = path.read_text(encoding="utf-8")
    path.write_text(earlier.replace("## § 1 Ekonomisk", "## § 7 Ekonomisk").replace("  1:\n", "  7:\n"),
                    encoding="utf-8")
    (minisite / "content/arbetsutskottet/2025-01-15-protokoll.md").write_text(
        earlier.replace("date: 2024-02-01", "date: 2025-01-15").replace("## § 1 Ekonomisk", f"## § {first} Ekonomisk")
        .replace("  1:\n", f"  {first}:\n"), encoding="utf-8")
    found = [p.format() for p in check_site(minisite).items if "§ numbers" in p.hint]
    assert found == ([
        "content/arbetsutskottet/2025-01-15-protokoll.md:18: warning: this protokoll has the § numbers of the "
        "meeting 2024-02-01 (content/arbetsutskottet/2024-02-01-protokoll.md), § 7: copied from it? "
        "(§ numbers start again at § 1 each calendar year; if this is the first meeting of 2025, "
        "it starts at § 1)"] if reported else [])


@pytest.mark.parametrize("day, first, reported", [("2025-01-15", 3, True), ("2025-01-15", 1, False),
                                                  ("2025-01-15", 5, False), ("2025-02-20", 3, False)])
def test_a_new_year_numbered_on_from_among_the_last_meetings_numbers_is_reported(minisite, day, first, reported):
    # Arbetsutskottet's December meeting holds § 2–3; January's next starts at § 3, among
    # them (numbered on from it, or from a copy), at § 1, or at § 5 after meetings not on
    # the site; one in late February may follow a January meeting the site lacks.
    december = au_protokoll(minisite, "2024-12-12", 2)
    december.write_text(december.read_text(encoding="utf-8").rstrip("\n")
                        + "\n\n## § 3 Övriga frågor\n\nInga övriga frågor.\n", encoding="utf-8")
    au_protokoll(minisite, day, first)
    found = [p.format() for p in check_site(minisite).items if "numbered on from it" in p.message]
    assert found == ([
        f"content/arbetsutskottet/{day}-protokoll.md:16: warning: this protokoll starts at § 3, among the § "
        "numbers of the meeting 2024-12-12 (content/arbetsutskottet/2024-12-12-protokoll.md), § 2–3: numbered on "
        "from it? (§ numbers start again at § 1 each calendar year; if this is the first meeting of 2025, "
        "it starts at § 1)"] if reported else [])


@pytest.mark.parametrize("written", ["§ 3 Uppdrag om lokaler", "##§ 3 Uppdrag om lokaler", "#§3 Uppdrag om lokaler",
                                     "## § 3Uppdrag om lokaler", "**§ 3 Uppdrag om lokaler**"])
def test_a_miswritten_paragraph_heading_is_one_error_not_three(minisite, written):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("## § 3 Uppdrag om lokaler", written))
    # Not also "§ 4 follows § 2: a gap", nor "'paragraphs' has an entry for § 3, but the text has no § 3".
    assert [(p.line, p.message, p.hint) for p in check_site(minisite).items] == [
        (56, "this line looks like a paragraph heading but is not one",
         "write it as a heading: '## § 3 Uppdrag om lokaler'")]


def test_a_paragraph_number_may_be_written_with_its_section_sign(minisite):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("paragraphs:\n", "rättelser:\n  - datum: 2024-03-12\n"
                                             "    paragraf: § 2\n    text: Rättat.\nparagraphs:\n", 1))
    assert check_site(minisite).items == []


@pytest.mark.parametrize("written, kind, hint", [
    ("ja", "text", "write true or false (YAML does not read 'ja' or 'nej')"),
    ("2024-03-01", "a date", "write true or false"),  # not a yes or no: the hint about 'ja' would not help
])
def test_yes_and_no_in_swedish_get_a_hint(minisite, written, kind, hint):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("    jäv: [Erik Ärlig]\n", "    jäv: [Erik Ärlig]\n"
                                             f"    omedelbar_justering: {written}\n"))
    [problem] = check_site(minisite).errors
    assert (problem.message, problem.hint) == (
        f"'paragraphs → 3 → omedelbar_justering' should be true or false, but is {kind}", hint)


@pytest.mark.parametrize("written, message", [
    ("", "'paragraphs → 4 → sekretess' is empty"),
    (" ~", "'paragraphs → 4 → sekretess' is empty"),
    (" false", "'paragraphs → 4 → sekretess' should be the legal ground, such as 'OSL 26 kap. 1 §', not 'false'"),
    (" ja", "'paragraphs → 4 → sekretess' should be the legal ground, such as 'OSL 26 kap. 1 §', not 'ja'"),
])
def test_a_secrecy_without_its_ground_stops_the_build(minisite, written, message):
    # Left blank, the key would count as not filled in, and the secret text be published.
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("    sekretess: OSL 26 kap. 1 §", f"    sekretess:{written}"))
    [problem] = check_site(minisite).items
    assert (problem.line, problem.severity, problem.message) == (41, "error", message)


@pytest.mark.parametrize("written, why", [("2024-03-32", "mars 2024 has no day 32"),
                                          ("2024-02-30", "februari 2024 has no day 30"),
                                          ("2024-13-08", "there is no month 13")])
def test_an_impossible_date_says_why_in_plain_words(minisite, written, why):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("justeringsdatum: 2024-03-08", f"justeringsdatum: {written}"))
    [problem] = check_site(minisite).items
    assert problem.message == f"'justeringsdatum' is {written}, which is not a real date ({why})"


@pytest.mark.parametrize("written", ["Lena Lind, Åsa Öberg", "Lena Lind och Åsa Öberg", "Lena Lind & Åsa Öberg"])
def test_two_justerare_written_as_one_name_get_the_list_as_hint(minisite, written):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("justerare: Lena Lind", f"justerare: {written}"))
    [problem] = check_site(minisite).items
    assert (problem.message, problem.hint) == (f"the justerare {written} is not among those present",
                                               "write them as a list: 'justerare: [Lena Lind, Åsa Öberg]'")


@pytest.mark.parametrize("justerare, found", [
    ("Kim Kansli", [(18, "error", "the sekreterare Kim Kansli is also named justerare")]),
    ("[Lena Lind, Kim Kansli]", [(18, "error", "the sekreterare Kim Kansli is also named justerare")]),
])
def test_the_secretary_does_not_check_their_own_minutes(minisite, justerare, found):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("justerare: Lena Lind", f"justerare: {justerare}"))
    assert [(p.line, p.severity, p.message) for p in check_site(minisite).items] == found


def test_a_justerare_who_took_no_part_in_the_decisions_is_warned_about(minisite):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("övriga_deltagare:\n", "övriga_deltagare:\n  - Per Persson\n")
                    .replace("justerare: Lena Lind", "justerare: Per Persson"))
    assert [(p.line, p.severity, p.message) for p in check_site(minisite).items] == [
        (19, "warning", "the justerare Per Persson is not among 'beslutande'")]


def test_a_posted_notice_says_where_the_minutes_are_kept(minisite):
    path = minisite / AU_PROTOKOLL
    path.write_text(path.read_text().replace("förvaras: Arbetsutskottets kansli\n", ""))
    assert [(p.path, p.line, p.message) for p in check_site(minisite).items] == [
        (AU_PROTOKOLL, 11, "the notice does not say where the minutes are kept")]


def test_a_protokoll_not_justerat_is_warned_about_where_its_justeringsdatum_goes(minisite):
    path = minisite / AU_PROTOKOLL
    path.write_text(path.read_text().replace("justeringsdatum: 2024-02-05\nanslag: {uppsättande: 2024-02-06, "
                                             "nedtagande: 2024-02-28}\n", ""))
    assert [(p.path, p.line, p.severity, p.message) for p in check_site(minisite).items] == [
        (AU_PROTOKOLL, 9, "warning", "the protokoll is not justerat, but is published")]


def test_a_notice_posted_without_a_justering_is_one_error_not_also_a_warning(minisite):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("justeringsdatum: 2024-03-08\n", ""))
    assert [(p.severity, p.message) for p in check_site(minisite).items] == [
        ("error", "the notice is posted but the protokoll has no justeringsdatum")]


def test_a_wrong_posting_day_is_not_also_taken_for_no_notice(minisite):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("uppsättande: 2024-03-10", "uppsättande: 2024-13-10"))
    assert [p.line for p in check_site(minisite).items] == [22]


def test_a_justering_before_the_meeting_is_not_also_taken_for_a_late_notice(minisite):
    broken_copy(minisite, "justering-before-meeting")
    assert [p.message for p in check_site(minisite).items] == [
        "justeringsdatum 2024-02-28 is before the meeting (2024-03-01)"]


def test_an_attachment_named_in_other_capitals_is_told_its_name_on_disk(minisite):
    # Found on Windows and macOS, not on the Linux machine that publishes the site.
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("file: bilagor/budget-2024.md", "file: bilagor/Budget-2024.MD"))
    [problem] = check_site(minisite).items
    assert (problem.line, problem.message, problem.hint) == (
        26, "the attachment file 'bilagor/Budget-2024.MD' does not exist",
        "looked for content/styrelsen/bilagor/Budget-2024.MD; there is bilagor/budget-2024.md, and the name "
        "must match in capitals too")


def test_allowed_personnummer_is_silent(minisite):
    path = minisite / PROTOKOLL
    text = path.read_text().replace("Kim Kansli föredrog förslaget.", "Avser 19121212-1212.")
    path.write_text(text.replace("    topics: [Ekonomi, Budget]", "    topics: [Ekonomi, Budget]\n    tillåt_personnummer: true"))
    assert check_site(minisite).items == []


@pytest.mark.parametrize("allowed", [False, True])
def test_an_agenda_item_may_allow_a_personnummer_and_the_protokoll_made_of_it_too(minisite, allowed):
    from site_gen import scaffold
    from site_gen.build import build

    kallelse = minisite / "content/styrelsen/2024-09-05-kallelse.md"
    leave = "items:\n  2:\n    tillåt_personnummer: true\n" if allowed else ""
    kallelse.write_text('---\nkind: kallelse\ndate: 2024-09-05\ntime: "09.00"\nplace: Stadshuset\n' + leave + "---\n\n"
                        "## 1. Mötets öppnande\n\n## 2. Bidrag till enskild firma 19121212-1212 – beslut\n\n"
                        "Förslag till beslut: Bevilja bidraget.\n", encoding="utf-8")
    problems = check_site(minisite).items
    if not allowed:
        assert [(p.line, p.message, p.hint) for p in problems] == [
            (10, "a personnummer (19121212-XXXX) in item 2",
             "remove it, or if it must be published add 'tillåt_personnummer: true' under items → 2")]
        return
    assert problems == []
    build(minisite)
    page = (minisite / "output/styrelsen/2024-09-05/kallelse/index.html").read_text(encoding="utf-8")
    assert "Bidrag till enskild firma 19121212-1212" in page
    # The paragraph made of the item has the same heading, and the same leave.
    target = scaffold.new_document(minisite, "protokoll", "styrelsen", dt.date(2024, 9, 5))
    assert "## § 6 Bidrag till enskild firma 19121212-1212" in target.read_text(encoding="utf-8")
    assert "    tillåt_personnummer: true\n" in target.read_text(encoding="utf-8")
    assert [p for p in check_site(minisite).errors if "personnummer" in p.message] == []


@pytest.mark.parametrize("written", [
    "121212\\-1212", "**19121212**-1212", "1212<b></b>12-1212", "121212&#45;1212", "_1212_12-1212",
    "121212–1212", "121212 1212", "121212&ndash;1212", "121212&minus;1212", "121212\u00a01212",
    # Characters no reader sees, spaces of other widths, a tab, two spaces, and a line
    # break, which the page shows as a space however the next line is indented.
    "1212\u00ad12-1212", "1212&shy;12-1212", "121212\u200b-1212", "121212&#8203;-1212", "121212\u2060-1212",
    "121212\u202f1212", "121212\u20091212", "121212\t1212", "121212  1212", "19121212\n1212",
    "121212-\n    1212", "121212\n   1212",
])
def test_a_personnummer_split_by_markup_the_reader_does_not_see_is_found(minisite, written):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("Kim Kansli föredrog förslaget.", f"Avser {written}."))
    [problem] = check_site(minisite).items
    assert (problem.line, problem.message) == (52, f"a personnummer ({'19' if '19' in written[:4] else ''}"
                                                   "121212-XXXX) in § 2")


@pytest.mark.parametrize("written, line", [
    ('<abbr title="121212-1212">Sökanden</abbr>', 52),  # in a tag, which the page keeps
    ("<!-- 121212-1212 -->", 52),
    ("Se nedan.\n\n\\## § 4 Inte en rubrik\n\nSökande 121212-1212.", 56),  # an escaped '#': still § 2
])
def test_a_personnummer_in_markup_or_under_an_escaped_heading_is_found(minisite, written, line):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("Kim Kansli föredrog förslaget.", written))
    assert [(p.line, p.message) for p in check_site(minisite).items] == [
        (line, "a personnummer (121212-XXXX) in § 2")]


def test_a_heading_in_a_code_block_does_not_hide_a_personnummer(minisite):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace(
        "Kim Kansli föredrog förslaget.", "Så skrivs en rubrik:\n\n```\n## § 4 Exempel\n```\n\nAvser 121212-1212."))
    assert [(p.line, p.message) for p in check_site(minisite).items] == [
        (58, "a personnummer (121212-XXXX) in § 2")]


def test_a_paragraph_number_as_a_key_is_a_number_alone(minisite):
    # As a key, '§ 4' beside 4 would be the same paragraph twice, the second entry
    # silently replacing the first (and its sekretess with it).
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("    sekretess: OSL 26 kap. 1 §\n",
                                             "    sekretess: OSL 26 kap. 1 §\n  '§ 4':\n    topics: [Personal]\n"))
    assert [p.message for p in check_site(minisite).errors] == [
        "'paragraphs → § 4' should be a whole number, but is text"]


def test_a_personnummer_in_a_secret_paragraphs_text_is_not_published_and_not_reported(minisite):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("Hemlis Hemlisson.", "Hemlis Hemlisson, 121212-1212."))
    assert check_site(minisite).items == []


@pytest.mark.parametrize("name, content, line, masked", [
    ("deltagare.csv", "namn;personnummer\r\nEva;121212-1212\r\n".encode("cp1252"), 2, "121212-XXXX"),
    ("deltagare.txt", "Förteckning\nEva Ek 121212-1212\n".encode(), 2, "121212-XXXX"),
    ("deltagare.html", b"<p>Eva Ek 121212&#45;1212</p>", 1, "121212-XXXX"),
    # 'Unicode text' from a spreadsheet, with its byte-order mark and without
    ("deltagare.tsv", "namn\tpnr\r\nEva\t121212-1212\r\n".encode("utf-16"), 2, "121212-XXXX"),
    ("deltagare.txt", "Förteckning\nEva 191212121212\n".encode("utf-16-le"), 2, "19121212XXXX"),
])
def test_a_personnummer_in_an_attachment_published_as_text_is_found(minisite, name, content, line, masked):
    (minisite / "content/styrelsen/bilagor" / name).write_bytes(content)
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("  - title: Underlag som inte publiceras",
                                             f"  - title: Deltagare\n    file: bilagor/{name}"))
    problems = check_site(minisite)
    assert [(p.path, p.line, p.message) for p in problems.items] == [
        (f"content/styrelsen/bilagor/{name}", line, f"a personnummer ({masked}) in the attachment")]


@pytest.mark.parametrize("name, content, expected", [
    # Text of a format site-gen has no reader for is read as text.
    ("server.log", b"2024-03-01 login Eva Ek 121212-1212\n", ("error", 1, "a personnummer (121212-XXXX) in the attachment")),
    ("karta.svg", b'<svg><text x="1">Eva 121212-1212</text></svg>', ("error", 1, "a personnummer (121212-XXXX) in the attachment")),
    ("README", b"Kontakt\nEva Ek 19121212-1212\n", ("error", 2, "a personnummer (19121212-XXXX) in the attachment")),
    # Anything else is published unread, and said so; pictures as docs/checks.md says.
    ("underlag.zip", b"PK\x03\x04\x14\x00\x00\x00" + bytes(64), ("warning", 0, "the attachment cannot be read to look "
                                                                    "for personnummer in it (site-gen does not read ZIP files)")),
    ("data", bytes(range(256)), ("warning", 0, "the attachment cannot be read to look for personnummer in it "
                                               "(site-gen does not read files without an extension)")),
    ("karta.png", b"\x89PNG\r\n\x1a\n" + bytes(64), None),
])
def test_an_attachment_of_a_format_site_gen_has_no_reader_for_is_read_as_text_or_told_of(minisite, name, content,
                                                                                        expected):
    (minisite / "content/styrelsen/bilagor" / name).write_bytes(content)
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("  - title: Underlag som inte publiceras",
                                             f"  - title: Underlag\n    file: bilagor/{name}"))
    found = [(p.severity, p.line, p.message) for p in check_site(minisite).items
             if p.path == f"content/styrelsen/bilagor/{name}"]
    assert found == ([expected] if expected else [])


def test_a_phone_number_in_an_attachment_is_not_taken_for_a_personnummer(minisite):
    # Ten digits that happen to pass the check digit: nothing could allow them there.
    (minisite / "content/styrelsen/bilagor/kontakter.csv").write_text("Kansliet;0704279348\n", encoding="utf-8")
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("  - title: Underlag som inte publiceras",
                                             "  - title: Kontakter\n    file: bilagor/kontakter.csv"))
    assert domain.find_personnummer("0704279348")
    assert check_site(minisite).items == []


@pytest.mark.parametrize("text, after", [
    ("Se § 3 nedan.", " nedan."),
    # A heading's first word may be a rule book's ('Avtal om …'): only its definite
    # form after the number ('§ 3 avtalet') names a rule book.
    ("Se § 3 Avtal om lokaler.", " Avtal om lokaler."),
    # Nor is a word like a law's ('förslaget', 'dagordningen'), nor a short name before a hyphen.
    ("Se § 3 förslaget till beslut.", " förslaget till beslut."),
    ("Se § 3 Dagordningen.", " Dagordningen."),
    ("Se § 3 ESF-projekt.", " ESF-projekt."),
    ("Se § 3 förslagen.", " förslagen."), ("Se § 3 samordningen.", " samordningen."),
    ("Se § 3 PERSONAL.", " PERSONAL."),
])
def test_cross_reference_becomes_a_link(minisite, text, after):
    from site_gen.build import build

    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("Kim Kansli föredrog förslaget.", text))
    build(minisite)
    page = (minisite / "output" / "styrelsen" / "2024-03-01" / "index.html").read_text()
    assert f'Se <a href="#paragraf-3">§ 3</a>{after}' in page


def test_a_section_of_another_text_is_no_reference_to_the_minutes(minisite):
    from site_gen.build import build

    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace(
        "Kim Kansli föredrog förslaget.", "Enligt § 3 i förbundsordningen och § 44 i kommunallagen, se § 3 i protokollet."))
    assert check_site(minisite).items == []  # § 44 is not taken for a paragraph missing from the minutes
    build(minisite)
    page = (minisite / "output" / "styrelsen" / "2024-03-01" / "index.html").read_text()
    assert ("Enligt § 3 i förbundsordningen och § 44 i kommunallagen, se "
            '<a href="#paragraf-3">§ 3</a> i protokollet.') in page


@pytest.mark.parametrize("text, linked", [
    ("Se §§ 2–4.", 'Se <a href="#paragraf-2">§§ 2</a>–<a href="#paragraf-4">4</a>.'),
    ("Se § 2 och 4.", 'Se <a href="#paragraf-2">§ 2</a> och <a href="#paragraf-4">4</a>.'),
    ("Se §§ 1, 3 och 4.", 'Se <a href="#paragraf-1">§§ 1</a>, <a href="#paragraf-3">3</a> och '
                          '<a href="#paragraf-4">4</a>.'),
    # Numbers that do not go up are no longer the paragraphs'.
    ("Se § 3 och 2 ledamöter.", 'Se <a href="#paragraf-3">§ 3</a> och 2 ledamöter.'),
])
def test_each_paragraph_of_a_range_or_list_is_linked(minisite, text, linked):
    from site_gen.build import build

    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("Kim Kansli föredrog förslaget.", text))
    build(minisite)
    page = (minisite / "output" / "styrelsen" / "2024-03-01" / "index.html").read_text()
    assert linked in page


@pytest.mark.parametrize("text, missing", [
    ("Se §§ 2–9.", "§ 9"), ("Se § 3 och 99.", "§ 99"), ("Se §§ 1, 7 och 8.", "§ 7"),
    ("Se §§ 1–3/2023.", "§ 1/2023"),  # the year after a range is the whole range's
])
def test_each_paragraph_of_a_range_or_list_must_exist(minisite, text, missing):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("Kim Kansli föredrog förslaget.", text))
    assert [p.message.split(" refers")[0] for p in check_site(minisite).items][:1] == [missing]


@pytest.mark.parametrize("cited", ["KF § 50", "KS:s beslut § 3", "kommunfullmäktiges beslut § 122",
                                   "Arbetsutskottets protokoll, § 3", "BUN § 2"])
def test_another_bodys_paragraph_is_no_reference_to_the_minutes(minisite, cited):
    # Not "§ 50 refers to no paragraph of Styrelsen" (an error), nor a link to the
    # Styrelsen's own § 3 or § 2; the Styrelsen's '§ 3' after it still is one.
    from site_gen.build import build

    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("Kim Kansli föredrog förslaget.", f"Enligt {cited}, se § 3."))
    assert check_site(minisite).items == []
    build(minisite)
    page = (minisite / "output" / "styrelsen" / "2024-03-01" / "index.html").read_text()
    assert f'Enligt {cited}, se <a href="#paragraf-3">§ 3</a>.' in page


@pytest.mark.parametrize("text", ["Se styrelsens beslut § 3.", "Se styrelsens protokoll, § 3."])
def test_the_organs_own_name_in_the_genitive_still_makes_a_reference(minisite, text):
    from site_gen.build import build

    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("Kim Kansli föredrog förslaget.", text))
    build(minisite)
    page = (minisite / "output" / "styrelsen" / "2024-03-01" / "index.html").read_text()
    assert '<a href="#paragraf-3">§ 3</a>' in page


def test_a_range_of_a_law_is_no_reference_to_the_minutes(minisite):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("Kim Kansli föredrog förslaget.",
                                             "Enligt §§ 5–9 kommunallagen och § 8 och 9 i förbundsordningen."))
    assert check_site(minisite).items == []


@pytest.mark.parametrize("citation", [
    "9 kap. 31 § 2 st. plan- och bygglagen", "31 § 1 p. PBL", "§ 9 andra stycket förvaltningslagen",
    "§ 9 stycket 2 i ordningen",
    # A law named after the number, in its definite form or by its short name, and rule books.
    "§ 9 kommunallagen", "§ 9 LOU", "§ 9 FinsamL", "§ 2 i riktlinjerna för attest", "§ 1 i policyn",
    "§ 9 reglementet", "§ 9 plan- och bygglagen", "§ 2 lag (2003:1210) om finansiell samordning"])
def test_a_law_cited_by_stycke_or_punkt_is_no_reference_to_the_minutes(minisite, citation):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("Kim Kansli föredrog förslaget.", f"Beslutet fattas med stöd av {citation}."))
    assert check_site(minisite).items == []  # the minutes have no § 9, and § 1 and § 2 are not meant
    from site_gen.build import build

    build(minisite)
    page = (minisite / "output" / "styrelsen" / "2024-03-01" / "index.html").read_text()
    assert f"Beslutet fattas med stöd av {citation}." in page  # as written, not linked


@pytest.mark.parametrize("vote, hint", [
    ("      ja: [Åsa Öberg, Lena Lind]\n      nej: []", None),  # (Lena Lind voted twice before: nej)
    ("      ja:\n        - Åsa Öberg, Lena Lind", "write them as a list under 'ja', 'nej' or 'avstår': "
                                                   "[Åsa Öberg, Lena Lind]"),
    ("      ja: Åsa Öberg och Lena Lind", "write them as a list: 'ja: [Åsa Öberg, Lena Lind]'"),
    ("      ja: [Åsa Öberg]\n      avstar: [Lena Lind]", "did you mean 'avstår'?"),
    ("      ja: [Åsa Öberg]\n      nej:\n        - Lena Lind\n      avstar:\n        - Lena Lind",
     "did you mean 'avstår'?"),
])
def test_a_vote_written_wrong_is_told_once(minisite, vote, hint):
    # What is wrong with the names is told; the vote is not also said to leave members out.
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("      ja: [Åsa Öberg]\n      nej: [Lena Lind]", vote))
    problems = [(p.severity, p.hint) for p in check_site(minisite).items]
    assert problems == ([("error", hint)] if hint else [])


def test_an_ersattare_may_serve_where_the_member_is_jav(minisite):
    # Erik Ärlig stays for the whole meeting but is jäv in § 3, where Eva Ersättare serves.
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("    present: 1-2\n", "", 1).replace(
        "  - Lena Lind\n", "  - Lena Lind\n  - {name: Eva Ersättare, role: ersättare, ersätter: Erik Ärlig, "
        "present: 3}\n", 1).replace("      ja: [Åsa Öberg]", "      ja: [Åsa Öberg, Eva Ersättare]"))
    assert [p.format() for p in check_site(minisite).items] == []


def serving_ersattare(minisite, entry: str, vote: str = "      ja: [Åsa Öberg, Eva Ersättare]"):
    """Erik Ärlig, away from § 3 on, has his seat taken in § 3 by Eva Ersättare, there
    for the whole meeting: `entry` is hers."""
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("  - Lena Lind\n", "  - Lena Lind\n" + entry, 1)
                    .replace("      ja: [Åsa Öberg]", vote))
    return path


def test_an_ersattare_at_the_whole_meeting_serves_where_tjanstgor_says(minisite):
    from site_gen.build import build

    serving_ersattare(minisite, "  - {name: Eva Ersättare, role: ersättare, ersätter: Erik Ärlig, tjänstgör: 3}\n")
    assert [p.format() for p in check_site(minisite).items] == []
    build(minisite)
    output = minisite / "output"
    page = visible_text((output / "styrelsen" / "2024-03-01" / "index.html").read_text())
    assert "Eva Ersättare Hela mötet tjänstgörande ersättare för Erik Ärlig, tjänstgör § 3" in page
    data = json.loads((output / "data" / "styrelsen" / "2024.json").read_text(encoding="utf-8"))
    [eva] = [a for a in data["meeting"][0]["attendance"] if a["person"].endswith("/eva-ersattare/")]
    assert [item.rsplit("#", 1)[1] for item in eva["agendaItem"]] == ["paragraf-3"]
    extracts = visible_text((output / "styrelsen" / "2024-03-01" / "utdrag" / "index.html").read_text())
    beslutande = re.findall(r"Beslutande (Åsa Öberg[^§]*?)(?= Ekonomi| Paragrafen| Ordföranden)", extracts)
    assert beslutande == ["Åsa Öberg, Erik Ärlig, Lena Lind", "Åsa Öberg, Erik Ärlig, Lena Lind",
                          "Åsa Öberg, Lena Lind, Eva Ersättare (tjänstgörande ersättare för Erik Ärlig)",
                          "Åsa Öberg, Lena Lind"]
    person = visible_text((output / "personer" / "eva-ersattare" / "index.html").read_text())
    assert "§ 3" in person and "§ 1–" not in person


@pytest.mark.parametrize("entry, vote, message", [
    # She votes in § 3, but serves in none: she is not one of its beslutande.
    ("  - {name: Eva Ersättare, ersätter: Erik Ärlig, tjänstgör: 4}\n", None,
     "§ 3 names Eva Ersättare, who did not serve in it (tjänstgör: § 4)"),
    ("  - {name: Eva Ersättare, ersätter: Erik Ärlig, present: 1-2, tjänstgör: 3}\n",
     "      ja: [Åsa Öberg]", "Eva Ersättare serves ('tjänstgör') for § 3, but is not present for it"),
    ("  - {name: Eva Ersättare, ersätter: Erik Ärlig, tjänstgör: 9}\n", "      ja: [Åsa Öberg]",
     "Eva Ersättare serves for § 9, but the protokoll has no § 9"),
    ("  - {name: Eva Ersättare, ersätter: Erik Ärlig, tjänstgör: []}\n", "      ja: [Åsa Öberg]",
     "Eva Ersättare's 'tjänstgör' names no paragraph"),
])
def test_tjanstgor_is_checked(minisite, entry, vote, message):
    serving_ersattare(minisite, entry, vote or "      ja: [Åsa Öberg, Eva Ersättare]")
    assert message in [p.message for p in check_site(minisite).errors]


def test_tjanstgor_is_for_beslutande(minisite):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("    title: Förbundschef\n", "    title: Förbundschef\n    tjänstgör: 3\n"))
    assert [p.message for p in check_site(minisite).errors] == [
        "Kim Kansli serves ('tjänstgör') but is not among beslutande"]


def test_two_ersattare_for_one_seat_written_on_one_line_are_found(minisite):
    path = minisite / PROTOKOLL
    text = path.read_text()
    start, end = text.index("beslutande:\n"), text.index("övriga_deltagare:")
    path.write_text(text[:start] + "beslutande: [{name: Åsa Öberg, role: ordförande}, {name: Erik Ärlig, "
                    "present: 1-2}, Lena Lind, {name: Eva Ersättare, ersätter: Nils Nilsson}, "
                    "{name: Per Ersättare, ersätter: Nils Nilsson}]\n" + text[end:])
    assert [p.message for p in check_site(minisite).errors] == [
        "Eva Ersättare and Per Ersättare both serve in place of Nils Nilsson for § 1"]


def test_a_misspelt_member_an_ersattare_serves_for_is_pointed_at(minisite):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("  - Lena Lind\n", "  - name: Lena Lind\n    present: 1-2\n"
                                             "  - name: Eva Ersättare\n    ersätter: Lena Lindh\n"
                                             "    present: 3-4\n", 1).replace("      nej: [Lena Lind]",
                                                                              "      nej: [Eva Ersättare]"))
    found = [(p.path, p.line, p.message) for p in check_site(minisite).items]
    spellings = [problem for problem in found if "spelt" in problem[2]]
    # Told where the slip is: 'Lena Lind' is written in two meetings, 'Lena Lindh' in one.
    assert spellings == [(PROTOKOLL, 15, "'Lena Lindh' is spelt 'Lena Lind' in 2 meetings (such as Styrelsen "
                                         "2024-03-01)")]


def test_a_vote_leaving_members_out_is_told_beside_other_errors(minisite):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("      nej: [Lena Lind]\n", "").replace(
        "    sekretess: OSL 26 kap. 1 §", "    sekretess: ja"))
    messages = [p.message for p in check_site(minisite).items]
    assert "§ 3: the votering names 1 of the 2 beslutande present, not Lena Lind" in messages
    assert len(messages) == 2, messages


def test_a_slip_in_one_protokoll_is_told_there_not_in_those_spelt_right(minisite):
    for name in ("2024-10-01", "2024-11-01"):
        text = (minisite / PROTOKOLL).read_text().replace("2024-03-", "2024-" + name[5:7] + "-")
        (minisite / PROTOKOLL.replace("2024-03-01", name)).write_text(text)
    broken_copy(minisite, "spelling")
    spellings = [(p.path, p.line, p.message) for p in check_site(minisite).items if "spelt" in p.message]
    assert spellings == [(AU_PROTOKOLL, 7, "'Lena Lindh' is spelt 'Lena Lind' in 3 meetings (such as Styrelsen "
                                           "2024-11-01)")]


@pytest.mark.parametrize("reserving, warned", [("Lena Lind", True), ("Erik Ärlig", False)])
def test_a_reservation_by_one_who_voted_with_the_majority_is_warned_about(minisite, reserving, warned):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace(
        "    reservation:\n      - name: Erik Ärlig\n",
        f"    votering:\n      ja: [Åsa Öberg, Lena Lind]\n      nej: [Erik Ärlig]\n"
        f"    reservation:\n      - name: {reserving}\n"))
    found = [(p.severity, p.message) for p in check_site(minisite).items if "majority" in p.message]
    assert found == ([("warning", "§ 2: Lena Lind reserves against the decision but voted 'ja' with the "
                                  "majority (2 ja, 1 nej)")] if warned else [])


def test_a_wrong_presence_range_is_told_by_the_members_name_and_once(minisite):
    # Read as not given, the range would put Erik Ärlig at the whole meeting, beside the
    # ersättare serving in his place from § 3.
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("    present: 1-2\n  - Lena Lind\n",
                                             "    present: 2-1\n  - Lena Lind\n  - name: Eva Ersättare\n"
                                             "    ersätter: Erik Ärlig\n    present: 3-4\n"))
    assert [(p.line, p.message) for p in check_site(minisite).errors] == [
        (12, "'beslutande → Erik Ärlig → present': the range 2-1 runs backwards")]


def test_a_key_misspelt_in_capitals_is_told_once_not_also_as_missing(minisite):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("justeringsdatum: 2024-03-08", "Justeringsdatum: 2024-03-08"))
    assert [(p.line, p.message) for p in check_site(minisite).errors] == [
        (19, "unknown key 'Justeringsdatum' in a protokoll")]


@pytest.mark.parametrize("heading", ["Val av justerare", "Protokollets justering"])
def test_a_justerare_chosen_under_another_heading_is_compared_too(minisite, heading):
    path = minisite / PROTOKOLL
    text = path.read_text().replace("## § 1 Mötets öppnande\n", f"## § 1 {heading}\n")
    path.write_text(text.replace("Ordföranden förklarade mötet öppnat.", "Erik Ärlig utsågs att justera protokollet."))
    assert [p.message for p in check_site(minisite).items if "'justerare' lists" in p.message] == [
        "§ 1 names Erik Ärlig, but 'justerare' lists Lena Lind"]


@pytest.mark.parametrize("chosen, warned", [("Erik Ärlig valdes till justerare.", True),
                                            ("Lena Lind valdes att jämte ordföranden justera protokollet.", False),
                                            ("Mötet valde justerare.", False)])
def test_a_justerare_chosen_in_the_text_but_not_listed_is_warned_about(minisite, chosen, warned):
    # 'justerare: Lena Lind' in the front matter; § 1 made the paragraph choosing them.
    path = minisite / PROTOKOLL
    text = path.read_text().replace("## § 1 Mötets öppnande\n", "## § 1 Val av justerare\n")
    path.write_text(re.sub(r"(## § 1 Val av justerare\n\n).*\n", lambda m: m.group(1) + chosen + "\n", text))
    found = [(p.line, p.message) for p in check_site(minisite).items if "'justerare' lists" in p.message]
    assert found == ([(44, "§ 1 names Erik Ärlig, but 'justerare' lists Lena Lind")] if warned else [])


def test_check_output_grouped_by_file_and_json(minisite):
    broken_copy(minisite, "posted-late")
    broken_copy(minisite, "spelling")
    cli = [sys.executable, "-m", "site_gen.cli", "check"]
    text = subprocess.run(cli, cwd=minisite, capture_output=True, text=True)
    assert text.returncode == 0  # warnings only
    lines = text.stdout.splitlines()
    assert lines[0] == AU_PROTOKOLL
    assert lines[1].startswith("  line 7: warning: 'Lena Lindh' is spelt 'Lena Lind' in 1 meeting")
    assert PROTOKOLL in lines
    assert lines[-1] == "0 errors, 3 warnings in 2 files"
    strict = subprocess.run(cli + ["--strict"], cwd=minisite, capture_output=True, text=True)
    assert strict.returncode == 1
    data = json.loads(subprocess.run(cli + ["--format", "json"], cwd=minisite,
                                     capture_output=True, text=True).stdout)
    assert {p["severity"] for p in data} == {"warning"}
    assert sorted((p["path"], p["line"]) for p in data) == [(p["path"], p["line"]) for p in data]


def test_check_gives_the_column_where_build_does():
    import io

    from site_gen.cli import print_grouped
    from site_gen.problems import Problem

    told = [Problem("a.md", 28, 10, "error", "a control character", "remove it"),
            Problem("a.md", 30, 0, "warning", "late", ""), Problem("b.md", 0, 0, "error", "unreadable", "")]
    out = io.StringIO()
    print_grouped(told, out)
    assert out.getvalue().splitlines() == [
        "a.md", "  line 28, column 10: error: a control character → remove it", "  line 30: warning: late",
        "", "b.md", "  file: error: unreadable", "", "2 errors, 1 warning in 2 files"]
    assert told[0].format().startswith("a.md:28:10: error:")


def test_check_piped_into_a_reader_that_stops_early_ends_quietly(minisite):
    broken_copy(minisite, "spelling")
    reader_gone = subprocess.Popen([sys.executable, "-m", "site_gen.cli", "check", "--format", "json"],
                                   cwd=minisite, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reader_gone.stdout.close()  # before anything is written: as 'check | head -1' once head is done
    stderr = reader_gone.communicate(timeout=60)[1].decode()
    assert reader_gone.returncode == 1
    assert stderr == ""


def test_build_refuses_to_publish_with_check_errors(minisite):
    broken_copy(minisite, "taken-down-early")
    result = subprocess.run([sys.executable, "-m", "site_gen.cli", "build"], cwd=minisite,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "before the last day to appeal" in result.stderr
    assert not (minisite / "output").exists()


@pytest.mark.parametrize("posted, last_day", [
    ("2021-06-28", "2021-07-19"),  # the seed: three weeks, a Monday
    ("2021-06-04", "2021-06-28"),  # falls on midsommarafton, then a weekend
    ("2020-12-10", "2021-01-04"),  # nyårsafton, nyårsdagen, then a weekend
    ("2021-12-03", "2021-12-27"),  # julafton; juldagen and annandag jul fall on the weekend
    ("2024-03-10", "2024-04-02"),  # påskdagen, then annandag påsk
    ("2024-04-09", "2024-04-30"),  # valborgsmässoafton is a working day
    ("2024-01-15", "2024-02-05"),  # an ordinary Monday
])
def test_last_day_to_appeal(posted, last_day):
    assert domain.last_appeal_day(dt.date.fromisoformat(posted)) == dt.date.fromisoformat(last_day)


def test_dates_are_accepted_in_the_years_whose_public_holidays_are_known():
    # Outside them the last day to appeal would not move past holidays: 1952-12-25
    # (juldagen) would be given as the last day.
    import holidays

    from site_gen.validate.schema import EARLIEST_YEAR, LATEST_YEAR

    # The last year is left out: three weeks from its December run into a year without them.
    assert (holidays.Sweden.start_year, holidays.Sweden.end_year) == (EARLIEST_YEAR, LATEST_YEAR + 1)
    assert domain.last_appeal_day(dt.date(1953, 12, 4)) == dt.date(1953, 12, 28)  # past jul and a Sunday
    assert domain.last_appeal_day(dt.date(2099, 12, 31)) == dt.date(2100, 1, 21)
    assert domain.last_appeal_day(dt.date(2099, 12, 16)) == dt.date(2100, 1, 7)  # past trettondedag jul


@pytest.mark.parametrize("previous_day, previous_last, day, first", [
    ("2021-04-20", 41, "2021-06-01", 42),   # the seeds: § 42–56 follow § 41
    ("2020-12-15", 130, "2021-01-26", 1),   # a new calendar year starts at § 1
    (None, 0, "2021-06-01", 1),             # the organ's first meeting
])
def test_paragraph_numbers_run_on_through_the_calendar_year(previous_day, previous_last, day, first):
    before = dt.date.fromisoformat(previous_day) if previous_day else None
    assert domain.next_paragraph_number(before, previous_last, dt.date.fromisoformat(day)) == first


@pytest.mark.parametrize("text, found", [
    ("19121212-1212", True), ("121212-1212", True), ("121212+1212", True), ("191212121212", True),
    ("8112189876", True), ("121212-1213", False), ("2021-06-01", False), ("11 540 tkr", False),
    ("dnr 2021-1234", False), ("811218 - 9876", True), ("811218 -9876", True), ("811218-\n9876", True),
    ("811218\n- 9876", False),  # a list item under a number
    # After a dash, a date and a time in a longer name or number: kept apart.
    ("ärende 2021-811218-9876", False), ("kallelse-240301-1030.pdf", False), ("INV-210315-1235", False),
    ("Scan-20240301-1030.pdf", False), ("Andersson-811218-9876", False),
    # But one of the 1900s with its century, after a word: no date and time in a name that old.
    ("Kalle Andersson-19121212-1212", True), ("yttrande-191212121212.txt", True),
    ("yttrande_19121212 1212", True), ("ärende 2021-19121212-1212", False), ("Andersson-1912121212", False),
    ("(Andersson)-19121212-1212", True), ("Andersson -19121212-1212", True),
    # A line of a source that ends in a word's dash is not a longer name: the page joins
    # the lines with a space (a PDF's text is another matter: see filetext).
    ("Bidrag till Lisa Berg-\n811218-9876 beviljades.", True), ("Eva Ek –\n811218-9876", True),
])
def test_personnummer_detection(text, found):
    assert bool(domain.find_personnummer(text)) is found


@pytest.mark.parametrize("text, in_markdown, in_a_text_file", [
    ("811218\n9876", True, False),  # Markdown and YAML join the lines; a text file shows two
    ("Andersson-19121212\n1212", True, False),
    ("Eva 811218\n      9876", True, False),
    ("811218-\n   9876", True, True),
    ("811218   9876", False, False),  # three spaces: columns, not a separator
    ("811218\n\n9876", False, False),  # a paragraph apart
])
def test_a_line_break_separates_a_personnummer_where_the_page_joins_the_lines(text, in_markdown, in_a_text_file):
    assert bool(domain.find_personnummer(text, lines_joined=True)) is in_markdown
    assert bool(domain.find_personnummer(text)) is in_a_text_file


def test_a_personnummer_in_a_front_matter_value_folded_over_two_lines_is_found(minisite):
    path = minisite / PROTOKOLL
    text = path.read_text()
    place = re.search(r"^place: .*$", text, re.M)
    path.write_text(text.replace(place.group(), "place: Stadshuset 19121212\n  1212", 1))
    line = text.count("\n", 0, place.start()) + 1
    assert [(p.line, p.message.split(" in ")[0]) for p in check_site(minisite).errors] == [
        (line, "a personnummer (19121212-XXXX)")]


def test_reference_to_another_meetings_paragraph_becomes_a_link(minisite, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2024-06-10"))  # after the new meeting's justering
    from site_gen.build import build

    later = minisite / "content" / "styrelsen" / "2024-06-01-protokoll.md"
    later.write_text("""---
kind: protokoll
date: 2024-06-01
beslutande:
  - name: Åsa Öberg
    role: ordförande
  - Lena Lind
sekreterare: Åsa Öberg
justerare: Lena Lind
justeringsdatum: 2024-06-05
anslag: {hos: Norrby kommun, uppsättande: 2024-06-07, nedtagande: 2024-06-30}
---

## § 5 Återrapport lokaler

Förbundschefen återrapporterade uppdraget från § 3. Jämför § 12/2023.
""", encoding="utf-8")
    problems = check_site(minisite)
    [warning] = problems.items
    assert (warning.path, warning.line, warning.severity) == (
        "content/styrelsen/2024-06-01-protokoll.md", 16, "warning")
    assert "§ 12/2023 refers to no paragraph of Styrelsen in 2023 on this site" in warning.message
    build(minisite)
    page = (minisite / "output" / "styrelsen" / "2024-06-01" / "index.html").read_text()
    assert 'uppdraget från <a href="../2024-03-01/#paragraf-3">§ 3</a>.' in page
    assert "Jämför § 12/2023." in page  # not published here: left as text


def test_a_personnummer_in_site_yml_is_found(minisite):
    config = minisite / "site.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("organisation: Testförbundet",
                                                                "organisation: Testförbundet 121212–1212"))
    assert [(p.path, p.line, p.message) for p in check_site(minisite).items] == [
        ("site.yml", 2, "a personnummer (121212-XXXX) in site.yml")]


KALLELSE = "content/styrelsen/2024-03-01-kallelse.md"


def without_item_entries(path: Path) -> str:
    """The kallelse without its 'items' entry for item 2: renumbered, that is reported too."""
    text = path.read_text(encoding="utf-8")
    assert "items:\n  2:\n    topics: [Budget]\n" in text
    return text.replace("items:\n  2:\n    topics: [Budget]\n", "")


@pytest.mark.parametrize("written, found", [
    ("## 1. Budget 2024 – beslut", (10, "error", "item 1 appears twice on the agenda (also on line 8)")),
    ("## 3. Budget 2024 – beslut", (10, "warning", "item 3 comes where item 2 was expected: a gap")),
    ("##2. Budget 2024 – beslut", (10, "error", "this line looks like an agenda item heading but is not one")),
    ("## 2.Budget 2024 – beslut", (10, "error", "this line looks like an agenda item heading but is not one")),
    ("## 2: Budget 2024 – beslut", (10, "error", "this line looks like an agenda item heading but is not one")),
])
def test_an_agendas_numbering_is_checked(minisite, written, found):
    path = minisite / KALLELSE
    path.write_text(without_item_entries(path).replace("## 2. Budget 2024 – beslut", written), encoding="utf-8")
    assert [(p.line, p.severity, p.message) for p in check_site(minisite).items if p.path == KALLELSE] == [found]


def test_a_heading_of_an_items_text_with_a_year_and_a_colon_is_no_item(minisite):
    path = minisite / KALLELSE
    text = without_item_entries(path)
    path.write_text(text.replace("## 2. Budget 2024 – beslut", "## 2. Budget 2024 – beslut\n\n### 2023: utfall\n\n"
                                 "Som väntat.\n", 1), encoding="utf-8")
    assert [p.message for p in check_site(minisite).items if p.path == KALLELSE] == []


def test_one_slip_in_an_agendas_numbering_is_reported_once(minisite):
    path = minisite / KALLELSE
    text = without_item_entries(path).replace("## 2. Budget 2024 – beslut", "## 5. Budget 2024 – beslut")
    path.write_text(text + "\n## 3. Övriga frågor\n\n## 4. Mötets avslutande\n", encoding="utf-8")
    assert [p.message for p in check_site(minisite).items if p.path == KALLELSE] == [
        "item 5 comes where item 2 was expected: a gap"]


@pytest.mark.parametrize("written, found", [
    ("Se [budgeten](bilagor/budget-2024.md).", ("error", "the link to 'bilagor/budget-2024.md' would lead nowhere: "
                                                       "the site publishes the sources' files only as attachments")),
    ("Se [förra mötet](2024-02-01-protokoll.md).", ("error", "the link to '2024-02-01-protokoll.md' would lead "
                                                           "nowhere: the site publishes the sources' files only as "
                                                           "attachments")),
    ("![Karta](karta.png)", ("warning", "images in the text are not published")),
])
def test_a_link_to_a_file_beside_the_source_is_reported(minisite, written, found):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("Kim Kansli föredrog förslaget.", written))
    assert [(p.line, p.severity, p.message) for p in check_site(minisite).items] == [(52, *found)]


def test_links_to_the_web_and_within_the_page_are_fine(minisite):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("Kim Kansli föredrog förslaget.",
                                             "Se [kommunen](https://example.se/) och [§ 3](#paragraf-3)."))
    assert check_site(minisite).items == []


def test_a_protokoll_without_its_text_is_one_error(minisite):
    # Not also an error for each paragraph entry and each presence range.
    path = minisite / PROTOKOLL
    text = path.read_text(encoding="utf-8")
    front = text[:text.index("\n---\n", 4) + 5]
    path.write_text(front, encoding="utf-8")
    assert [(p.line, p.message) for p in check_site(minisite).errors] == [
        (front.count("\n"), "the protokoll has no paragraphs")]


def test_a_yaml_error_does_not_hide_the_texts_own_slips(minisite):
    path = minisite / PROTOKOLL
    text = path.read_text(encoding="utf-8").replace("place: Stadshuset, rum Älven", "place: Rum: Älven")
    path.write_text(text.replace("## § 3 Uppdrag om lokaler", "##§ 3 Uppdrag om lokaler"), encoding="utf-8")
    assert [(p.line, p.message.split(":")[0]) for p in check_site(minisite).items] == [
        (5, "YAML syntax error"), (56, "this line looks like a paragraph heading but is not one")]


@pytest.mark.parametrize("line", ["### 2024-års budget", "### 1:a tertialen", "### 50-talet", "## 5a. Rapport"])
def test_a_heading_in_an_agenda_items_text_is_not_taken_for_an_item(minisite, line):
    path = minisite / KALLELSE
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n\nText.\n", encoding="utf-8")
    assert check_site(minisite).items == []


def test_a_paragraph_heading_with_its_title_on_the_next_line_is_one_error(minisite):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("## § 3 Uppdrag om lokaler", "## § 3\nUppdrag om lokaler"))
    assert [(p.line, p.message, p.hint) for p in check_site(minisite).items] == [
        (56, "this line looks like a paragraph heading but is not one", "write it as a heading: '## § 3 Rubrik'")]


def test_a_link_shown_as_code_is_not_followed(minisite):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("Kim Kansli föredrog förslaget.",
                                             "Skriv `[budgeten](bilagor/budget.pdf)` så här:\n\n```\n"
                                             "[förra](2024-02-01-protokoll.md)\n```"))
    assert check_site(minisite).items == []


@pytest.mark.parametrize("written", ["i detta protokoll", "i Protokollet", "i mars", "i enlighet med förslaget"])
def test_a_reference_to_the_minutes_followed_by_i_is_still_one(minisite, written):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("Kim Kansli föredrog förslaget.", f"Se § 9 {written}."))
    assert [p.message for p in check_site(minisite).items] == ["§ 9 refers to no paragraph of Styrelsen in 2024"]


def test_a_phone_number_in_site_yml_is_no_personnummer(minisite):
    # 070-123 75 05 written without spaces passes the date and check digit tests.
    config = minisite / "site.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "kontakt: kansliet@testforbundet.example", "kontakt: telefon 0701237505"), encoding="utf-8")
    assert check_site(minisite).items == []


def test_messages_say_what_was_written(minisite):
    # 'yes:' is true to YAML and -1 is a number, but the writer needs to hear what they wrote.
    path = minisite / PROTOKOLL
    path.write_text(path.read_text()
                    .replace("      ja: [Åsa Öberg]\n      nej: [Lena Lind]", "      yes: [Åsa Öberg]\n      no: [Lena Lind]")
                    .replace("  - title: Underlag som inte publiceras", "  - title: Underlag som inte publiceras\n    number: -1")
                    .replace("  4:\n    sekretess", "  1:\n    protokollsanteckning: Åsa Öberg antecknar att beslutet är fel.\n"
                             "  4:\n    sekretess"))
    assert [(p.line, p.message, p.hint) for p in check_site(minisite).items] == [
        (28, "'bilagor → #2 → number' should be a whole number, but is -1, below zero", "write the number alone, e.g. 12"),
        (39, "unknown key 'yes' in votering", "known keys: ja, nej, avstår"),
        (40, "unknown key 'no' in votering", "known keys: ja, nej, avstår"),
        (42, "§ 1 names Åsa Öberg antecknar att beslutet är fel., who was not present for this paragraph",
         "write who and what apart: '- name: …' and, under it, 'text: …' "
         "(in 'protokollsanteckning' a line of its own is read as a name)")]


def test_a_key_that_lost_its_indentation_is_told_where_it_belongs(minisite):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text()
                    .replace("anslag:\n  hos: Norrby kommun\n  uppsättande: 2024-03-10\n  nedtagande:",
                             "anslag:\n  hos: Norrby kommun\nuppsättande: 2024-03-10\nnedtagande:")
                    .replace("  4:\n    sekretess:", "  4:\n  sekretess:"))
    assert [(p.line, p.message, p.hint) for p in check_site(minisite).items] == [
        (22, "unknown key 'uppsättande' in a protokoll", "'uppsättande' belongs under 'anslag:', indented below it"),
        (23, "unknown key 'nedtagande' in a protokoll",
         "'nedtagande' belongs under 'anslag:', indented below it; or did you mean 'beslutande'?"),
        (41, "'sekretess' stands where a whole number should be",
         "write it indented below the whole number it belongs to")]


@pytest.mark.parametrize("written", [r'"\x31\x32\x31\x32\x31\x32-1212"', r'"19121212\u002D1212"'])
def test_a_personnummer_spelt_with_yaml_escapes_is_found(minisite, written):
    path = minisite / "content/styrelsen/2024-03-01-protokoll.md"
    text = path.read_text(encoding="utf-8")
    place = next(line for line in text.split("\n") if line.startswith("place:"))
    path.write_text(text.replace(place, f"place: {written}"), encoding="utf-8")
    line = path.read_text(encoding="utf-8").split("\n").index(f"place: {written}") + 1
    errors = [(p.line, p.message) for p in check_site(minisite).errors]
    assert len(errors) == 1 and errors[0][0] == line
    assert errors[0][1].endswith("in the front matter")


def test_a_personnummer_written_plainly_in_an_escaped_front_matter_is_reported_once(minisite):
    path = minisite / "content/styrelsen/2024-03-01-protokoll.md"
    text = path.read_text(encoding="utf-8")
    place = next(line for line in text.split("\n") if line.startswith("place:"))
    path.write_text(text.replace(place, 'place: "Rum\\t121212-1212"'), encoding="utf-8")
    assert [p.message for p in check_site(minisite).errors] == [
        "a personnummer (121212-XXXX) in the front matter"]


def test_a_personnummer_spelt_with_escapes_is_reported_once_however_often_an_alias_repeats_it(minisite):
    path = minisite / "content/styrelsen/2024-03-01-protokoll.md"
    text = path.read_text(encoding="utf-8")
    place = next(line for line in text.split("\n") if line.startswith("place:"))
    path.write_text(text.replace(place, 'place: &p "\\x31\\x32\\x31\\x32\\x31\\x32-1212"\nförvaras: *p'),
                    encoding="utf-8")
    assert [p.message for p in check_site(minisite).errors] == [
        "a personnummer (121212-XXXX) in the front matter"]


def test_a_personnummer_spelt_with_escapes_in_site_yml_is_found(minisite):
    config = minisite / "site.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("organisation: ", 'organisation: "Nr \\x31\\x32\\x31\\x32\\x31\\x32-1212" #', 1),
                      encoding="utf-8")
    line = next(n for n, written in enumerate(text.split("\n"), 1) if written.startswith("organisation: "))
    assert [(p.path, p.line, p.message) for p in check_site(minisite).errors] == [
        ("site.yml", line, "a personnummer (121212-XXXX) in site.yml")]


@pytest.mark.parametrize("line, written, shown", [
    ("time: 09.00-11.00", "time: ”09.00-11.00”", "klockan 09.00-11.00"),
    ("  - Lena Lind\n", "  - name: “Lena Lind”\n", "Lena Lind"),
])
def test_a_value_in_typographic_quotes_is_published_without_them(minisite, line, written, shown):
    from site_gen.build import build

    path = minisite / PROTOKOLL
    text = path.read_text(encoding="utf-8")
    assert line in text
    path.write_text(text.replace(line, written, 1), encoding="utf-8")
    found = [(p.severity, p.message) for p in check_site(minisite).items]
    assert len(found) == 1 and found[0][0] == "warning" and "typographic quotes" in found[0][1]
    build(minisite)
    page = visible_text((minisite / "output" / "styrelsen" / "2024-03-01" / "index.html").read_text())
    assert shown in page and "”" not in page and "“" not in page


def test_a_reservations_text_may_be_a_quotation(minisite):
    path = minisite / PROTOKOLL
    text = path.read_text(encoding="utf-8")
    assert "text: Till förmån för eget förslag." in text
    path.write_text(text.replace("text: Till förmån för eget förslag.", "text: ”Till förmån för eget förslag.”"),
                    encoding="utf-8")
    assert check_site(minisite).items == []


def test_typographic_quotes_around_a_value_with_a_colon_are_named_in_the_hint(minisite):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text(encoding="utf-8").replace("time: 09.00-11.00", "time: ”kl: 09.00”"),
                    encoding="utf-8")
    [problem] = check_site(minisite).items
    assert "typographic quotes (” “) are no quotes to YAML" in problem.hint


@pytest.mark.parametrize("text", [
    "Beslut i styrelsen § 2, 2024-05-15.",  # a date after a comma
    "Enligt § 2, 20 000 kronor.",  # a sum
    "Enligt § 2, 3 ledamöter.",  # a comma joins a list only after '§§'
    "Se § 2 och 5 § kommunallagen.",  # a law's section, as laws write it
])
def test_a_number_after_a_reference_that_is_no_paragraph_is_let_be(minisite, text):
    from site_gen.load.body import find_references

    assert [number for number, *_ in find_references(text, 1)] == [2]
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("Kim Kansli föredrog förslaget.", text))
    assert check_site(minisite).items == []


def test_a_value_with_quotations_of_its_own_keeps_them(minisite):
    from site_gen.build import build

    path = minisite / PROTOKOLL
    path.write_text(path.read_text(encoding="utf-8").replace("place: Stadshuset, rum Älven",
                                                             "place: ”Stadshuset” och ”Älven”"), encoding="utf-8")
    assert check_site(minisite).items == []
    build(minisite)
    page = visible_text((minisite / "output" / "styrelsen" / "2024-03-01" / "index.html").read_text())
    assert "”Stadshuset” och ”Älven”" in page


def test_typographic_quotes_around_nothing_are_an_empty_value(minisite):
    path = minisite / PROTOKOLL
    path.write_text(path.read_text(encoding="utf-8").replace("sekreterare: Kim Kansli", "sekreterare: ””"),
                    encoding="utf-8")
    assert [(p.severity, p.message) for p in check_site(minisite).items if p.severity == "error"] == [
        ("error", "'sekreterare' is empty")]


def test_a_role_given_as_the_title_too_leaves_no_stray_comma_before_tjanstgor(minisite):
    from site_gen.build import build

    serving_ersattare(minisite, "  - {name: Eva Ersättare, title: Ersättare, role: ersättare, tjänstgör: 3}\n")
    build(minisite)
    page = visible_text((minisite / "output" / "styrelsen" / "2024-03-01" / "index.html").read_text())
    assert "Eva Ersättare Hela mötet tjänstgör § 3 Ersättare" in page
