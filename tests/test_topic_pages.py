"""A topic of a large archive: its page shows the latest paragraphs and a page per year
holds them all; the archive page lists years, not every meeting."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from site_gen.build import build
from site_gen.site.pages import LATEST_ON_TOPIC

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402

PARAGRAPH_LINK = re.compile(r'<article class="topic-paragraph"[^>]*>\s*<h3 id="[^"]+"><a href="([^"]+)"')


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    site = generate(80, tmp_path_factory.mktemp("archive"), organ_count=2)
    build(site, use_cache=False)
    return site / "output"


def _topic_folders(output: Path) -> list[Path]:
    return sorted(p for p in (output / "amnen").iterdir() if p.is_dir())


def _links(page: Path) -> list[str]:
    return PARAGRAPH_LINK.findall(page.read_text(encoding="utf-8"))


def test_each_paragraph_of_a_topic_is_on_exactly_one_year_page(archive):
    topics = _topic_folders(archive)
    assert topics
    for topic in topics:
        overview = (topic / "index.html").read_text(encoding="utf-8")
        total = int(re.search(r"<p>(\d+) paragraf", overview).group(1))
        years = sorted(p for p in topic.iterdir() if p.is_dir())
        assert all(re.fullmatch(r"\d{4}", p.name) for p in years)
        # Links are relative to the year page, two levels deeper than the site root.
        per_year = [link for year in years for link in _links(year / "index.html")]
        assert len(per_year) == len(set(per_year)) == total, topic.name
        for year in years:
            assert f'href="{year.name}/"' in overview
            assert all(f"/{year.name}-" in link for link in _links(year / "index.html"))


def test_a_topic_page_shows_only_its_latest_paragraphs(archive):
    large = [t for t in _topic_folders(archive)
             if int(re.search(r"<p>(\d+) paragraf", (t / "index.html").read_text()).group(1)) > LATEST_ON_TOPIC]
    assert large, "the corpus should have a topic with more paragraphs than the page shows"
    for topic in large:
        shown = [link.removeprefix("../../") for link in _links(topic / "index.html")]
        assert len(shown) == LATEST_ON_TOPIC
        newest_first = [link.removeprefix("../../../") for year in sorted(topic.iterdir(), reverse=True)
                        if year.is_dir() for link in _links(year / "index.html")]
        assert shown == newest_first[:LATEST_ON_TOPIC]


def test_the_archive_page_lists_years_with_their_meetings_counted(archive):
    page = (archive / "arkiv" / "index.html").read_text(encoding="utf-8")
    counted = {int(year): int(count) for year, count in
               re.findall(r'<a href="(\d{4})/">.*?\d{4}</a>: (\d+) sammanträde', page)}
    meetings = [p for p in archive.glob("*/????-??-??") if p.is_dir()]
    assert sum(counted.values()) == len(meetings) == 80
    for year, count in counted.items():
        assert count == len([m for m in meetings if m.name.startswith(f"{year}-")])
    # No meeting is listed on the archive page itself: its year pages list them.
    assert not re.search(r'href="\.\./[a-z-]+/\d{4}-\d{2}-\d{2}/"', page)


def test_a_topic_only_on_an_agenda_counts_its_agenda_items(minisite):
    kallelse = minisite / "content/arbetsutskottet/2024-05-02-kallelse.md"
    kallelse.write_text(kallelse.read_text(encoding="utf-8").replace(
        "place: Distansmöte\n", "place: Distansmöte\nitems:\n  2:\n    topics: [Lokaler]\n"), encoding="utf-8")
    build(minisite)
    index = (minisite / "output/amnen/index.html").read_text(encoding="utf-8")
    assert '<a href="lokaler/">Lokaler</a> <span class="count">(1 punkt på föredragningslistor)</span>' in index
    assert '<a href="budget/">Budget</a> <span class="count">(1 paragraf, 1 punkt på föredragningslistor)' in index
