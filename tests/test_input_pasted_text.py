"""Text pasted from Word or a PDF: spaces and characters the writer cannot see."""

from __future__ import annotations

import pytest

from site_gen.build import build, check_site

PROTOKOLL = "content/styrelsen/2024-03-01-protokoll.md"
KALLELSE = "content/styrelsen/2024-03-01-kallelse.md"


def replace_in(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the fixture no longer holds {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize("heading", [
    "## §\u00a03 Uppdrag om lokaler",  # a no-break space after '§', as Word writes it
    "## §\u202f3 Uppdrag om lokaler",  # a narrow no-break space
    "##\u00a0§ 3 Uppdrag om lokaler",
    "## § 3\u00a0Uppdrag om lokaler",
    "\ufeff## § 3 Uppdrag om lokaler",  # a byte-order mark pasted at the start of the line
    "\u200b## § 3 Uppdrag om lokaler",  # a zero-width space
    "## §\u2060 3 Uppdrag om lokaler",  # a word joiner
])
def test_a_paragraph_heading_with_a_pasted_space_is_the_heading_it_looks_like(minisite, heading):
    # Not "§ 4 follows § 2: a gap", nor "'paragraphs' has an entry for § 3, but the text has no § 3".
    replace_in(minisite / PROTOKOLL, "## § 3 Uppdrag om lokaler", heading)
    assert check_site(minisite).items == []


def test_a_pasted_space_in_a_heading_is_read_as_a_space_on_the_page(minisite):
    replace_in(minisite / PROTOKOLL, "## § 3 Uppdrag om lokaler", "## §\u00a03 Uppdrag\u00a0om lokaler")
    build(minisite)
    page = (minisite / "output/styrelsen/2024-03-01/index.html").read_text(encoding="utf-8")
    assert "Uppdrag om lokaler" in page


def test_a_paragraphs_text_keeps_its_no_break_spaces(minisite):
    # Only headings are read with plain spaces: '10 000 kr' in the text stays unbroken.
    replace_in(minisite / PROTOKOLL, "Kim Kansli föredrog förslaget.",
               "Kim Kansli föredrog förslaget på 10\u00a0000 kr, se §\u00a03.")
    build(minisite)
    page = (minisite / "output/styrelsen/2024-03-01/index.html").read_text(encoding="utf-8")
    assert "10\u00a0000 kr" in page or "10&nbsp;000 kr" in page


@pytest.mark.parametrize("heading", ["## 2.\u00a0Budget 2024 – beslut", "##\u00a02. Budget 2024 – beslut",
                                     "\ufeff## 2. Budget 2024 – beslut"])
def test_an_agenda_item_heading_with_a_pasted_space_is_the_heading_it_looks_like(minisite, heading):
    # Not "'items' has an entry for item 2, but the agenda has no item 2".
    replace_in(minisite / KALLELSE, "## 2. Budget 2024 – beslut", heading)
    assert check_site(minisite).items == []


def test_a_heading_written_wrong_besides_its_pasted_space_is_still_told(minisite):
    replace_in(minisite / PROTOKOLL, "## § 3 Uppdrag om lokaler", "##§\u00a03 Uppdrag om lokaler")
    assert [(p.line, p.message, p.hint) for p in check_site(minisite).items] == [
        (56, "this line looks like a paragraph heading but is not one",
         "write it as a heading: '## § 3 Uppdrag om lokaler'")]


@pytest.mark.parametrize("invisible", ["\u200b", "\u200b\u2060", "\ufeff", "\u00a0\u200b"])
def test_a_name_of_invisible_characters_only_is_empty(minisite, invisible):
    # Not a member without a visible name, with a page at personer/x/.
    replace_in(minisite / PROTOKOLL, "  - Lena Lind\n", f'  - Lena Lind\n  - name: "{invisible}"\n')
    assert [(p.line, p.severity, p.message) for p in check_site(minisite).items] == [
        (14, "error", "'beslutande → #4 → name' is empty")]


def test_a_secretary_of_invisible_characters_only_is_empty(minisite):
    replace_in(minisite / PROTOKOLL, "sekreterare: Kim Kansli", 'sekreterare: "\u2060"')
    assert [(p.line, p.severity, p.message) for p in check_site(minisite).items] == [
        (17, "error", "'sekreterare' is empty")]
