"""Tables: every table, the theme's and those written in Markdown, sits in a frame of its
own (a named region the keyboard reaches) that scrolls sideways on a narrow screen."""

from __future__ import annotations

import re

from site_gen.build import build
from site_gen.load.markdown import table_pieces, to_html

FRAME = re.compile(r'<div class="table-scroll" role="region" tabindex="0" aria-label(?:ledby)?="[^"]+">\s*<table')


def test_text_without_a_table_is_one_piece():
    html = to_html("Inga tabeller här.")
    assert table_pieces(html) == [(False, html)]


def test_each_outermost_table_is_a_piece_of_its_own():
    html = to_html("Före.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nMellan.\n\n"
                   "<table><tr><td><table><tr><td>inre</td></tr></table></td></tr></table>\n\nEfter.")
    pieces = table_pieces(html)
    assert [is_table for is_table, _ in pieces] == [False, True, False, True, False]
    assert "".join(piece for _, piece in pieces) == html
    outer = pieces[3][1]
    assert outer.startswith("<table>") and outer.endswith("</table>") and outer.count("<table>") == 2
    assert "inre" in outer and "Efter" in pieces[4][1]


def test_a_table_named_in_the_text_is_not_cut():
    # '<table>' written as text is escaped and stays text.
    html = to_html("Skriv `<table>` eller &lt;table&gt; i texten.")
    assert table_pieces(html) == [(False, html)]


def test_every_table_on_the_pages_is_framed(minisite):
    protokoll = minisite / "content" / "styrelsen" / "2024-03-01-protokoll.md"
    protokoll.write_text(protokoll.read_text(encoding="utf-8").replace(
        "Kim Kansli föredrog förslaget.",
        "Kim Kansli föredrog förslaget.\n\n| Post | Belopp |\n|---|--:|\n| Intäkter | 1 000 |"),
        encoding="utf-8")
    build(minisite)
    output = minisite / "output"
    framed_somewhere = set()
    for page in output.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        tables = len(re.findall(r"<table[\s>]", html))
        assert len(FRAME.findall(html)) == tables, page
        if tables:
            framed_somewhere.add(page.relative_to(output).parent.as_posix())
    # Attendance, a § with a table (and its extract), an attachment, a person's meetings.
    assert {"styrelsen/2024-03-01", "styrelsen/2024-03-01/utdrag", "styrelsen/2024-03-01/bilaga-1",
            "personer/asa-oberg"} <= framed_somewhere


def test_each_table_frame_is_named_by_its_header_row(minisite):
    # A screen reader lists a page's regions by name: four frames called "Tabell" could
    # not be told apart.
    protokoll = minisite / "content" / "styrelsen" / "2024-03-01-protokoll.md"
    protokoll.write_text(protokoll.read_text(encoding="utf-8").replace(
        "Kim Kansli föredrog förslaget.",
        "| Tillgångar | |\n|---|--:|\n| Kassa | 12 |\n\n| Post | Budget &amp; utfall |\n|---|---|\n| Intäkter | 1 |"))
    build(minisite)
    page = (minisite / "output" / "styrelsen" / "2024-03-01" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'role="region" tabindex="0" aria-label="(Tabell[^"]*)"', page) == [
        "Tabell: Tillgångar", "Tabell: Post, Budget &amp; utfall"]
    # The empty header cell heads nothing: an ordinary cell, keeping its column's alignment.
    assert re.search(r"<th>Tillgångar</th>\s*<td style=\"text-align:right\"></td>", page)


def test_a_long_header_row_gives_a_short_name():
    from site_gen.load.markdown import table_name

    header = " | ".join(f"Kolumn nummer {n}" for n in range(1, 12))
    [(_, table)] = [piece for piece in table_pieces(to_html(f"| {header} |\n|{'---|' * 11}\n")) if piece[0]]
    assert table_name(table) == "Tabell: Kolumn nummer 1, Kolumn nummer 2, Kolumn nummer 3, Kolumn nummer 4, Kolumn …"
    assert table_name(to_html("| |\n|---|\n| x |")) == "Tabell"
