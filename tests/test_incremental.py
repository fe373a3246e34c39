"""Rebuilding after an edit redoes only what changed, and never leaves a page stale:
after every edit the output equals a fresh build of the same sources."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from site_gen.build import Builder, build

PROTOKOLL = "content/styrelsen/2024-03-01-protokoll.md"
KALLELSE = "content/arbetsutskottet/2024-05-02-kallelse.md"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def fresh_build(site: Path, tmp_path: Path) -> dict[str, bytes]:
    copy = tmp_path / "fresh"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("output"))
    build(copy)
    return tree(copy / "output")


def edit(site: Path, relative: str, old: str, new: str) -> None:
    path = site / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


EDITS = [
    ("heading", PROTOKOLL, "## § 3 Uppdrag om lokaler", "## § 3 Uppdrag om nya lokaler"),
    ("decision", PROTOKOLL, "anta budgeten för 2024", "anta den reviderade budgeten för 2024"),
    ("topic renamed by majority", PROTOKOLL, "topics: [ekonomi]", "topics: [Ekonomi, Lokaler]"),
    ("person added", PROTOKOLL, "  - Lena Lind\n", "  - Lena Lind\n  - Nils Nyman\n"),
    ("template", "templates/topic.html", "", ""),  # written below
    ("config", "site.yml", "title: Protokoll – Testförbundet", "title: Protokoll från Testförbundet"),
    ("kallelse", "content/arbetsutskottet/2024-05-02-kallelse.md", "Lägesrapport", "Lägesrapport om ekonomin"),
    # An agenda item on a topic is in the topic's feed, with its proposal.
    ("kallelse item on a topic", KALLELSE, "place: Distansmöte\n", "place: Distansmöte\nitems:\n  2:\n    topics: [Ekonomi]\n"),
    ("proposal", KALLELSE, "Kim Kansli rapporterar.", "Kim Kansli rapporterar.\n\nFörslag till beslut: Godkänna rapporten."),
    ("proposal edited", KALLELSE, "Godkänna rapporten.", "Lägga rapporten till handlingarna."),
    ("attachment", "content/styrelsen/bilagor/budget-2024.md", "| Intäkter | 1 000 |", "| Intäkter | 1 100 |"),
    # Notice dates reach the notice board, feeds, calendar and open data.
    ("notice posted", PROTOKOLL, "uppsättande: 2024-03-10", "uppsättande: 2024-03-12"),
    ("secrecy lifted", PROTOKOLL, "  4:\n    sekretess: OSL 26 kap. 1 §\n", ""),
]


def test_every_edit_gives_the_same_output_as_a_fresh_build(minisite, tmp_path):
    builder = Builder(minisite)
    first = builder.build()
    assert first.rendered == first.pages
    for name, relative, old, new in EDITS:
        if name == "template":
            (minisite / "templates").mkdir(exist_ok=True)
            shutil.copy(Path(__file__).parent.parent / "themes/default/templates/topic.html",
                        minisite / relative)
            edit(minisite, relative, "<h1>{{ topic.name }}</h1>", "<h1>Ämne: {{ topic.name }}</h1>")
        else:
            edit(minisite, relative, old, new)
        result = builder.build(in_place=True)
        assert result.rendered < result.pages or name in ("config", "template"), name
        assert tree(minisite / "output") == fresh_build(minisite, tmp_path), name


def test_editing_one_protokoll_rerenders_only_the_pages_that_show_it(minisite):
    builder = Builder(minisite)
    builder.build()
    output = minisite / "output"
    before = tree(output)
    edit(minisite, PROTOKOLL, "Kim Kansli föredrog förslaget.", "Kim Kansli föredrog det reviderade förslaget.")
    result = builder.build(in_place=True)
    after = tree(output)
    changed = {name for name in after if after[name] != before.get(name)}
    assert "styrelsen/2024-03-01/index.html" in changed
    assert result.rendered < result.pages
    # Pages that do not show this meeting are left alone.
    untouched = ["arbetsutskottet/2024-02-01/index.html", "arbetsutskottet/2024-05-02/kallelse/index.html",
                 "arbetsutskottet/index.html", "404.html"]
    for name in untouched:
        assert name not in changed


def test_template_edit_changes_every_page_that_uses_it(minisite):
    builder = Builder(minisite)
    builder.build()
    (minisite / "templates").mkdir()
    base = (Path(__file__).parent.parent / "themes/default/templates/base.html").read_text()
    (minisite / "templates" / "base.html").write_text(
        base.replace("<p>{{ config.organisation }}</p>", "<p>{{ config.organisation }} – ändrad mall</p>"))
    result = builder.build(in_place=True)
    assert result.rendered == result.pages
    for path in (minisite / "output").rglob("*.html"):
        assert "– ändrad mall" in path.read_text(), path


def test_a_removed_static_file_or_attachment_leaves_the_served_output(minisite, tmp_path):
    builder = Builder(minisite)
    (minisite / "static").mkdir()
    (minisite / "static" / "extra.css").write_text("body { color: green }")
    builder.build()
    kallelse = minisite / KALLELSE
    (kallelse.parent / "bilagor").mkdir(exist_ok=True)
    (kallelse.parent / "bilagor" / "fel.pdf").write_bytes(b"%PDF-1.4 fel fil\n")
    edit(minisite, KALLELSE, "place: Distansmöte\n", "place: Distansmöte\nbilagor:\n"
         "  - title: Fel fil\n    file: bilagor/fel.pdf\n")
    builder.build(in_place=True)
    published = minisite / "output" / "arbetsutskottet" / "2024-05-02" / "kallelse" / "bilagor" / "fel.pdf"
    assert published.is_file() and (minisite / "output" / "static" / "extra.css").is_file()
    (minisite / "static" / "extra.css").unlink()
    edit(minisite, KALLELSE, "bilagor:\n  - title: Fel fil\n    file: bilagor/fel.pdf\n", "")
    builder.build(in_place=True)
    assert tree(minisite / "output") == fresh_build(minisite, tmp_path)


def test_removed_source_removes_its_pages(minisite):
    builder = Builder(minisite)
    builder.build()
    (minisite / "content/arbetsutskottet/2024-05-02-kallelse.md").unlink()
    builder.build(in_place=True)
    assert not (minisite / "output/arbetsutskottet/2024-05-02").exists()


def test_broken_edit_leaves_served_output_untouched(minisite):
    from site_gen.problems import SiteGenError

    builder = Builder(minisite)
    builder.build()
    before = tree(minisite / "output")
    edit(minisite, PROTOKOLL, "date: 2024-03-01", "date: 2024-13-01")
    with pytest.raises(SiteGenError):
        builder.build(in_place=True)
    assert tree(minisite / "output") == before


def test_a_new_build_date_updates_the_notice_board(minisite, tmp_path, monkeypatch):
    builder = Builder(minisite)
    builder.build()
    board = minisite / "output" / "anslagstavla" / "index.html"
    assert 'id="anslag-styrelsen-2024-03-01"' in board.read_text()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1712145600")  # 2024-04-03: the notice is down
    result = builder.build(in_place=True)
    assert result.rendered == 3  # the board, its archive and the home page's date, nothing else
    assert 'id="anslag-styrelsen-2024-03-01"' not in board.read_text()
    assert tree(minisite / "output") == fresh_build(minisite, tmp_path)


def test_a_later_protokoll_ends_the_wait_for_an_earlier_kallelse_on_every_page(minisite, tmp_path):
    import json

    from helpers import visible_text

    builder = Builder(minisite)
    builder.build()
    output = minisite / "output"

    def shown() -> tuple[str, str, str, str]:
        kallelse = visible_text((output / "arbetsutskottet/2024-05-02/kallelse/index.html").read_text())
        archive = visible_text((output / "arkiv/2024/index.html").read_text())
        home = visible_text((output / "index.html").read_text())
        [state] = [m["meetingState"] for m in json.loads((output / "data/arbetsutskottet/2024.json").read_text())["meeting"]
                   if m["start"].startswith("2024-05-02")]
        return kallelse, archive, home, state

    kallelse, archive, home, state = shown()
    assert "Protokollet är inte publicerat ännu" in kallelse
    assert "Kallelse, protokoll saknas ännu" in archive
    assert "Kallade sammanträden utan protokoll" in home and state == "scheduled"
    # The organ's next meeting has its protokoll: the one announced before it is over,
    # and its protokoll is not on its way but missing from the site.
    later = (minisite / "content/arbetsutskottet/2024-02-01-protokoll.md").read_text(encoding="utf-8")
    (minisite / "content/arbetsutskottet/2024-06-05-protokoll.md").write_text(
        later.replace("date: 2024-02-01", "date: 2024-06-05").replace("  1:\n", "  2:\n")
        .replace("2024-02-05", "2024-06-10").replace("2024-02-06", "2024-06-11").replace("2024-02-28", "2024-07-03")
        .replace("## § 1 ", "## § 2 "), encoding="utf-8")
    builder.build(in_place=True)
    kallelse, archive, home, state = shown()
    assert "Protokollet har inte publicerats här" in kallelse
    assert "Kallelse, inget protokoll publicerat" in archive
    assert "Kallade sammanträden utan protokoll" not in home and state == "terminated"
    assert tree(output) == fresh_build(minisite, tmp_path)


def test_a_new_build_date_lists_the_notice_archives_new_year_in_the_sitemap(tmp_path, monkeypatch):
    # The example site on 2021-07-01 has its 2021 notice up, and the archive shows 2019 on
    # its own page; on 2021-08-01 the notice is down, and 2019 gets a page of its own,
    # which the sitemap must list.
    from conftest import copy_site

    site = copy_site("example", tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1625140800")  # 2021-07-01
    build(site)
    assert "anslagstavla/arkiv/2019/" not in (site / "output/sitemap.xml").read_text()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1627819200")  # 2021-08-01
    build(site)
    assert (site / "output/anslagstavla/arkiv/2019/index.html").is_file()
    assert "anslagstavla/arkiv/2019/" in (site / "output/sitemap.xml").read_text()
    assert tree(site / "output") == fresh_build(site, tmp_path)
