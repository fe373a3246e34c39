"""A joint body posts its notice on several members' notice boards: the time to appeal
runs from the day the notice is up on all of them (`anslag` as a list of boards)."""

from __future__ import annotations

import json
import re

from helpers import visible_text
from test_notice_board import board_on

from site_gen.build import check_site

PROTOKOLL = "content/styrelsen/2024-03-01-protokoll.md"
ONE_BOARD = ("justeringsdatum: 2024-03-08\nanslag:\n  hos: Norrby kommun\n  uppsättande: 2024-03-10\n"
             "  nedtagande: 2024-04-02\n")
# Up on the second board on Friday 15 March: three weeks from then is Friday 5 April.
# Counted from the first board's day, it would be Wednesday 3 April.
TWO_BOARDS = ("justeringsdatum: 2024-03-13\nanslag:\n"
              "  - hos: Norrby kommun\n    uppsättande: 2024-03-13\n    nedtagande: 2024-04-05\n"
              "  - hos: Söderby kommun\n    uppsättande: 2024-03-15\n")


def post_on_boards(site, boards: str = TWO_BOARDS) -> None:
    path = site / PROTOKOLL
    text = path.read_text(encoding="utf-8")
    assert ONE_BOARD in text
    path.write_text(text.replace(ONE_BOARD, boards), encoding="utf-8")


def test_the_time_to_appeal_runs_from_the_day_the_notice_is_up_on_every_board(minisite, monkeypatch):
    post_on_boards(minisite)
    assert check_site(minisite).items == []
    board, _ = board_on(minisite, monkeypatch, "2024-03-20")
    output = minisite / "output"
    page = re.sub(r" ([,.:;)])", r"\1", visible_text((output / "styrelsen/2024-03-01/index.html").read_text()))
    assert "Justeringen har tillkännagivits genom anslag hos Norrby kommun och Söderby kommun." in page
    assert ("Anslaget uppsatt Norrby kommun: 2024-03-13, nedtas 2024-04-05; Söderby kommun: 2024-03-15. "
            "Uppsatt på alla anslagstavlor 2024-03-15, och tiden för att överklaga räknas från den dagen.") in page
    assert "Sista dag att överklaga fredag 5 april 2024" in page
    assert "Sista dag att överklaga fredag 5 april 2024" in page
    assert ("Anslaget uppsatt hos Norrby kommun 2024-03-13 , hos Söderby kommun 2024-03-15 ; på alla "
            "anslagstavlor från 2024-03-15") in visible_text(board)
    # Each board takes the notice down on its own day.
    assert "Anslaget nedtas hos Norrby kommun 2024-04-05 , hos Söderby kommun tidigast efter 2024-04-05 " \
        in visible_text(board)
    [meeting] = json.loads((output / "data/styrelsen/2024.json").read_text())["meeting"]
    notice = meeting["notice"]
    assert (notice["posted"], notice["lastAppealDay"], notice["postedAt"]) == \
        ("2024-03-15", "2024-04-05", "Norrby kommun och Söderby kommun")
    assert notice["boards"] == [
        {"postedAt": "Norrby kommun", "posted": "2024-03-13", "takenDown": "2024-04-05"},
        {"postedAt": "Söderby kommun", "posted": "2024-03-15"}]


def test_each_board_is_checked_on_its_own(minisite):
    post_on_boards(minisite, TWO_BOARDS.replace("2024-03-15", "2024-03-18"))
    # Up on all on Monday 18 March, so open to appeal until Monday 8 April; the first
    # board took it down on the 5th, and the second board had it two days late.
    assert [p.format() for p in check_site(minisite).items] == [
        "content/styrelsen/2024-03-01-protokoll.md:23: error: the notice is taken down hos Norrby kommun "
        "2024-04-05, before the last day to appeal (2024-04-08) (keep it up at least until 2024-04-08: three "
        "weeks from 2024-03-18, moved past weekends and holidays)",
        "content/styrelsen/2024-03-01-protokoll.md:25: warning: the notice was posted hos Söderby kommun "
        "2024-03-18, 5 days after justering (2024-03-13) (it should be posted at the latest on the second day "
        "after justering, moved past weekends and holidays: 2024-03-15)",
    ]


def test_a_board_without_its_posting_day_holds_back_the_appeal_time(minisite):
    post_on_boards(minisite, TWO_BOARDS.replace("    uppsättande: 2024-03-15\n", ""))
    assert [p.format() for p in check_site(minisite).items] == [
        "content/styrelsen/2024-03-01-protokoll.md:24: warning: the notice is recorded as posted on some boards, "
        "but not hos Söderby kommun (add its 'uppsättande:': the time to appeal runs from the day the notice is "
        "up on every board)"]


def test_a_board_taken_down_but_not_posted_hides_no_other_board(minisite):
    three = TWO_BOARDS.replace("    uppsättande: 2024-03-15\n", "    nedtagande: 2024-04-05\n") + \
        "  - hos: Västerby kommun\n"
    post_on_boards(minisite, three)
    assert [p.format() for p in check_site(minisite).items] == [
        "content/styrelsen/2024-03-01-protokoll.md:25: warning: the notice hos Söderby kommun has the day it is "
        "taken down, but not the day it was posted (add 'uppsättande:', the day the notice went up: the time "
        "to appeal runs from it)",
        "content/styrelsen/2024-03-01-protokoll.md:26: warning: the notice is recorded as posted on some boards, "
        "but not hos Västerby kommun (add its 'uppsättande:': the time to appeal runs from the day the notice is "
        "up on every board)"]


def test_messages_count_the_boards_from_one(minisite):
    post_on_boards(minisite, TWO_BOARDS.replace("uppsättande: 2024-03-15", "uppsättande: 2024-03-36"))
    [message] = [p.format() for p in check_site(minisite).items]  # not also "not posted hos Söderby"
    assert message.startswith("content/styrelsen/2024-03-01-protokoll.md:25: error: 'anslag → #2 → "
                                  "uppsättande' is 2024-03-36, which is not a real date")


def test_two_boards_written_as_one_get_a_hint_about_the_dash(minisite):
    post_on_boards(minisite, TWO_BOARDS.replace("  - hos: Söderby", "    hos: Söderby"))
    problems = check_site(minisite).items
    assert "the key 'hos' appears twice (first on line 21)" in problems[0].message
    # Each key of the second board is told, all in one run.
    assert all("appears twice" in p.message and "start each entry with '- '" in p.hint for p in problems)


def test_a_board_posted_too_early_or_taken_down_too_soon_is_reported_before_the_others_post(minisite):
    post_on_boards(minisite, TWO_BOARDS.replace("uppsättande: 2024-03-13", "uppsättande: 2024-03-12")
                   .replace("nedtagande: 2024-04-05", "nedtagande: 2024-03-20")
                   .replace("    uppsättande: 2024-03-15\n", ""))
    assert [p.message for p in check_site(minisite).items] == [
        "the notice is recorded as posted on some boards, but not hos Söderby kommun",
        "the notice was posted hos Norrby kommun 2024-03-12, before justering (2024-03-13)",
        "the notice is taken down hos Norrby kommun 2024-03-20, before the last day to appeal (2024-04-02)",
    ]


def test_each_board_is_named_once(minisite):
    post_on_boards(minisite, TWO_BOARDS.replace("  - hos: Söderby kommun\n    uppsättande", "  - uppsättande")
                   + "  - hos: Norrby kommun\n    uppsättande: 2024-03-14\n")
    assert [(p.line, p.message) for p in check_site(minisite).items] == [
        (24, "board #2 of the notice has no 'hos'"),
        (25, "the notice lists the board 'Norrby kommun' twice"),
    ]


def test_a_list_of_one_board_points_at_its_own_lines(minisite):
    post_on_boards(minisite, "justeringsdatum: 2024-03-08\nanslag:\n  - hos: Norrby kommun\n"
                             "    uppsättande: 2024-03-20\n    nedtagande: 2024-04-02\n")
    assert [(p.line, p.message.split(",")[0]) for p in check_site(minisite).items] == [
        (22, "the notice was posted 2024-03-20"),
        (23, "the notice is taken down 2024-04-02"),
    ]
