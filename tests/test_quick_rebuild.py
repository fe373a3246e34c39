"""site-gen serve's quick rebuild: an edit of a protokoll's paragraph text alone updates
that meeting in the model kept from the last build, without assembling the site again,
and writes only the meeting's own pages. Every other edit takes the full way. Either
way the output equals a fresh build of the same sources."""

from __future__ import annotations

import pytest
from test_incremental import PROTOKOLL, edit, fresh_build, tree

from site_gen.build import Builder
from site_gen.model import assemble
from site_gen.problems import SiteGenError

MEETING = "styrelsen/2024-03-01/"
TEXT_PAGES = {MEETING + "index.html", MEETING + "utdrag/index.html"}  # the pages showing § text
# Every page made from the whole meeting: also its kallelse and its attachment page, which
# leave the § text out and so keep their bytes. (The open data shows only headings and
# decisions, like the lists of meetings: it is not made again.)
OWN_PAGES = TEXT_PAGES | {MEETING + "kallelse/index.html", MEETING + "bilaga-1/index.html"}


@pytest.fixture
def assemblies(monkeypatch) -> list[int]:
    """Counts how often the whole site is assembled."""
    calls: list[int] = []
    real = assemble.assemble

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(assemble, "assemble", counted)
    return calls


def served(minisite) -> Builder:
    builder = Builder(minisite)
    builder.on_pages_changed = lambda *args: None  # the search index: tests/test_search.py
    builder.build()
    return builder


def changed_files(output, before: dict[str, bytes]) -> set[str]:
    after = tree(output)
    return {name for name in after.keys() | before.keys()
            if after.get(name) != before.get(name) and not name.startswith("pagefind/")}


def test_a_text_edit_updates_the_meetings_own_pages_without_assembling_again(minisite, tmp_path,
                                                                            assemblies):
    builder = served(minisite)
    output = minisite / "output"
    before = tree(output)
    assemblies.clear()
    # A longer text: later paragraphs move down in the file, their headings unchanged.
    edit(minisite, PROTOKOLL, "Kim Kansli föredrog förslaget.",
         "Kim Kansli föredrog det reviderade förslaget.\n\nEtt nytt stycke om *lokalerna*.")
    result = builder.build(in_place=True)
    assert assemblies == []
    assert changed_files(output, before) == TEXT_PAGES
    assert result.rendered == len(OWN_PAGES)
    assert "Ett nytt stycke om <em>lokalerna</em>." in (output / MEETING / "index.html").read_text()
    assert _without_search(tree(output)) == _without_search(fresh_build(minisite, tmp_path))


FULL_WAY = [
    ("heading", "## § 3 Uppdrag om lokaler", "## § 3 Uppdrag om nya lokaler"),
    ("decision", "anta budgeten för 2024", "anta den nya budgeten för 2024"),
    ("front matter", "place: Stadshuset, rum Älven", "place: Stadshuset, rum Ån"),
    ("a § reference added", "Kim Kansli föredrog förslaget.", "Kim Kansli föredrog förslaget, se § 1."),
    ("an attachment mentioned", "Kim Kansli föredrog förslaget.", "Kim Kansli föredrog förslaget (bilaga 2)."),
]


@pytest.mark.parametrize("name, old, new", FULL_WAY, ids=[e[0] for e in FULL_WAY])
def test_edits_beyond_the_text_take_the_full_way(minisite, tmp_path, assemblies, name, old, new):
    builder = served(minisite)
    assemblies.clear()
    edit(minisite, PROTOKOLL, old, new)
    builder.build(in_place=True)
    assert assemblies == [1], name
    assert _without_search(tree(minisite / "output")) == \
        _without_search(fresh_build(minisite, tmp_path)), name


def test_an_attachment_saved_with_the_text_edit_is_not_missed(minisite, tmp_path, assemblies):
    builder = served(minisite)
    assemblies.clear()
    edit(minisite, PROTOKOLL, "Kim Kansli föredrog förslaget.", "Kim Kansli läste förslaget.")
    edit(minisite, "content/styrelsen/bilagor/budget-2024.md", "| Intäkter | 1 000 |", "| Intäkter | 1 100 |")
    builder.build(in_place=True)
    assert assemblies == [1]
    assert "1 100" in (minisite / "output" / MEETING / "bilaga-1" / "index.html").read_text()
    assert _without_search(tree(minisite / "output")) == _without_search(fresh_build(minisite, tmp_path))


def test_links_in_the_text_survive_a_quick_edit(minisite, tmp_path, assemblies):
    builder = served(minisite)
    edit(minisite, PROTOKOLL, "se över lokalerna", "se över lokalerna enligt § 2")  # the full way
    builder.build(in_place=True)
    assemblies.clear()
    edit(minisite, PROTOKOLL, "Kim Kansli föredrog förslaget.", "Kim Kansli läste förslaget.")
    builder.build(in_place=True)
    assert assemblies == []
    page = (minisite / "output" / MEETING / "index.html").read_text()
    assert '<a href="#paragraf-2">§ 2</a>' in page
    assert _without_search(tree(minisite / "output")) == _without_search(fresh_build(minisite, tmp_path))


def test_a_personnummer_typed_into_the_text_stops_the_quick_way_too(minisite, assemblies):
    builder = served(minisite)
    before = tree(minisite / "output")
    edit(minisite, PROTOKOLL, "Kim Kansli föredrog förslaget.", "Kim Kansli (19121212-1212) föredrog förslaget.")
    with pytest.raises(SiteGenError) as raised:
        builder.build(in_place=True)
    assert any("personnummer" in p.message for p in raised.value.problems)
    assert tree(minisite / "output") == before
    edit(minisite, PROTOKOLL, "Kim Kansli (19121212-1212) föredrog", "Kim Kansli föredrog")
    assert builder.build(in_place=True).problems.errors == []
    assert tree(minisite / "output") == before


def test_a_warning_of_the_meeting_keeps_it_on_the_full_way(minisite, tmp_path, assemblies):
    # A § reference to a year not on the site is a warning of the meeting as a whole.
    edit(minisite, PROTOKOLL, "se över lokalerna", "se över lokalerna enligt § 9/2019")
    builder = served(minisite)
    assemblies.clear()
    edit(minisite, PROTOKOLL, "Kim Kansli föredrog förslaget.", "Kim Kansli läste förslaget.")
    result = builder.build(in_place=True)
    assert assemblies == [1]
    assert any("§ 9/2019" in p.message for p in result.problems.warnings)


def test_a_warning_about_the_front_matter_keeps_the_quick_way(minisite, tmp_path, assemblies):
    edit(minisite, PROTOKOLL, "uppsättande: 2024-03-10", "uppsättande: 2024-03-12")  # posted late
    builder = served(minisite)
    [late] = builder.build(in_place=True).problems.warnings
    assemblies.clear()
    edit(minisite, PROTOKOLL, "Kim Kansli föredrog förslaget.", "Kim Kansli läste förslaget.")
    result = builder.build(in_place=True)
    assert assemblies == []
    assert result.problems.warnings == [late]
    assert "Kim Kansli läste förslaget." in (minisite / "output" / MEETING / "index.html").read_text()
    assert _without_search(tree(minisite / "output")) == _without_search(fresh_build(minisite, tmp_path))


def _without_search(files: dict[str, bytes]) -> dict[str, bytes]:
    return {name: data for name, data in files.items() if not name.startswith("pagefind/")}


def test_a_justerare_chosen_in_an_edited_text_is_told_on_the_quick_way_too(minisite, assemblies):
    # The check that reads a paragraph's text: 'justerare: Lena Lind' in the front matter.
    edit(minisite, PROTOKOLL, "## § 1 Mötets öppnande", "## § 1 Val av justerare")
    builder = served(minisite)
    assemblies.clear()
    edit(minisite, PROTOKOLL, "Ordföranden förklarade mötet öppnat.", "Erik Ärlig valdes till justerare.")
    result = builder.build(in_place=True)
    assert assemblies == []
    assert [p.message for p in result.problems.warnings] == ["§ 1 names Erik Ärlig, but 'justerare' lists Lena Lind"]
