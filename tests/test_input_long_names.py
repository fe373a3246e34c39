"""Topics and names too long for a file name still get a page each (a page is a folder
named by its web-safe name, and a file system allows 255 bytes)."""

from __future__ import annotations

from site_gen.build import build, check_site
from site_gen.site.urls import LONGEST_SLUG

PROTOKOLL = "content/styrelsen/2024-03-01-protokoll.md"
LONG_TOPIC = "Ekonomi" + " och budget" * 25  # 282 characters
ALIKE_TOPIC = LONG_TOPIC + " för 2025"  # the same first 255 characters


def replace_in(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the fixture no longer holds {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_topic_too_long_for_a_file_name_builds(minisite):
    replace_in(minisite / PROTOKOLL, "topics: [Ekonomi, Budget]", f'topics: ["{LONG_TOPIC}"]')
    assert check_site(minisite).errors == []
    build(minisite)
    [page] = [p for p in (minisite / "output/amnen").iterdir() if p.name.startswith("ekonomi-och-budget")]
    assert len(page.name) <= LONGEST_SLUG
    assert LONG_TOPIC in (page / "index.html").read_text(encoding="utf-8")


def test_two_long_topics_alike_in_their_beginning_get_a_page_each(minisite):
    replace_in(minisite / PROTOKOLL, "topics: [Ekonomi, Budget]", f'topics: ["{LONG_TOPIC}"]')
    replace_in(minisite / PROTOKOLL, "topics: [ekonomi]", f'topics: ["{ALIKE_TOPIC}"]')
    build(minisite)
    pages = sorted(p for p in (minisite / "output/amnen").iterdir() if p.name.startswith("ekonomi-och-budget"))
    assert len(pages) == 2
    texts = [(page / "index.html").read_text(encoding="utf-8") for page in pages]
    assert sorted(ALIKE_TOPIC in text for text in texts) == [False, True]


def test_a_topic_written_once_in_capitals_is_still_one_topic_when_long(minisite):
    replace_in(minisite / PROTOKOLL, "topics: [Ekonomi, Budget]", f'topics: ["{LONG_TOPIC}"]')
    replace_in(minisite / PROTOKOLL, "topics: [ekonomi]", f'topics: ["{LONG_TOPIC.upper()}"]')
    build(minisite)
    assert len([p for p in (minisite / "output/amnen").iterdir() if p.name.startswith("ekonomi-och")]) == 1


def test_a_name_too_long_for_a_file_name_builds(minisite):
    name = "Lena " + "Lind" * 70
    replace_in(minisite / PROTOKOLL, "  - Lena Lind\n", f"  - {name}\n")
    replace_in(minisite / PROTOKOLL, "justerare: Lena Lind", f"justerare: {name}")
    replace_in(minisite / PROTOKOLL, "nej: [Lena Lind]", f"nej: [{name}]")
    assert check_site(minisite).errors == []
    build(minisite)
    [page] = [p for p in (minisite / "output/personer").iterdir() if p.name.startswith("lena-lindlind")]
    assert len(page.name) <= LONGEST_SLUG


def test_a_long_name_that_fits_a_file_name_keeps_its_web_address():
    from slugify import slugify

    from site_gen.site.urls import slug

    name = "Detaljplan för del av fastigheten Norrby 4:12 med flera bostäder och förskola vid älvstranden " * 2
    assert len(slugify(name)) <= LONGEST_SLUG
    assert slug(name) == slugify(name)


def test_an_attachment_name_that_grows_when_written_out_still_builds(minisite):
    # 120 '½' are 240 bytes on disk, and 360 as the web-safe '1-21-21-2…': too long for
    # the output's file system, so the name is cut there.
    from site_gen.site.urls import LONGEST_FILE_NAME

    name = "½" * 120 + ".pdf"
    (minisite / "content/styrelsen/bilagor" / name).write_bytes(b"%PDF-1.4 not read here")
    replace_in(minisite / PROTOKOLL, "  - title: Underlag som inte publiceras",
               f'  - title: Underlag\n    file: "bilagor/{name}"')
    build(minisite)
    [copied] = (minisite / "output/styrelsen/2024-03-01/bilagor").glob("1-*.pdf")
    assert len(copied.name.encode()) <= LONGEST_FILE_NAME
    assert copied.read_bytes() == b"%PDF-1.4 not read here"


def test_an_attachment_named_by_its_extension_alone_keeps_it():
    from site_gen.site.urls import attachment_file_name

    assert [attachment_file_name(name) for name in (".pdf", "Budget 2024.PDF", "README", "x." + "a" * 40)] == [
        "bilaga.pdf", "budget-2024.pdf", "readme", "x." + "a" * 16]
