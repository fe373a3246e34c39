"""Atom feeds (RFC 4287), sitemap.xml and robots.txt: valid, absolute, linked, reproducible."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from helpers import parse_links, visible_text

from site_gen.build import build, check_site
from site_gen.problems import SiteGenError

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://testforbundet.example/protokoll/"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")


def feed(path: Path) -> ET.Element:
    root = ET.fromstring(path.read_bytes())
    assert root.tag == ATOM + "feed"
    return root


def assert_valid_atom(root: ET.Element) -> None:
    """The RFC 4287 rules a reader relies on: one id/title/updated per feed and entry,
    absolute ids, an author, date-times in RFC 3339 form, links on every entry."""
    for element in [root, *root.findall(ATOM + "entry")]:
        for name in ("id", "title", "updated"):
            assert len(element.findall(ATOM + name)) == 1, (name, element)
        assert urlsplit(element.findtext(ATOM + "id")).scheme == "https"
        assert RFC3339.match(element.findtext(ATOM + "updated"))
    assert root.find(f"{ATOM}author/{ATOM}name").text
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == root.findtext(ATOM + "id")
    for entry in root.findall(ATOM + "entry"):
        href = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert href.startswith(BASE) or href.startswith("https://protokoll.example.se/")
    ids = [e.findtext(ATOM + "id") for e in root.findall(ATOM + "entry")]
    assert len(ids) == len(set(ids))


def test_site_organ_and_topic_feeds_are_valid_atom(minisite):
    build(minisite)
    output = minisite / "output"
    feeds = sorted(output.rglob("flode.xml"))
    names = [p.relative_to(output).as_posix() for p in feeds]
    assert names == ["amnen/budget/flode.xml", "amnen/ekonomi/flode.xml",
                     "arbetsutskottet/flode.xml", "flode.xml", "styrelsen/flode.xml"]
    for path in feeds:
        assert_valid_atom(feed(path))


def test_site_feed_has_one_entry_per_protokoll_pointing_to_the_meeting(minisite):
    build(minisite)
    root = feed(minisite / "output" / "flode.xml")
    entries = root.findall(ATOM + "entry")
    assert [e.findtext(ATOM + "title") for e in entries] == [
        "Protokoll Styrelsen 2024-03-01", "Protokoll Arbetsutskottet 2024-02-01"]
    first = entries[0]
    assert first.find(ATOM + "link").get("href") == BASE + "styrelsen/2024-03-01/"
    # Dated by the notice (posted 2024-03-10), not by the clock.
    assert first.findtext(ATOM + "updated") == "2024-03-10T00:00:00Z"
    assert root.findtext(ATOM + "updated") == "2024-03-10T00:00:00Z"
    assert entries[1].findtext(ATOM + "updated") == "2024-02-06T00:00:00Z"
    content = first.findtext(ATOM + "content")
    assert "§ 2 Budget 2024 (Bilaga 1)\nBeslut: Styrelsen beslutade att anta budgeten för 2024." in content
    assert "§ 4 Personalärende (sekretess)" in content


def test_topic_feed_entries_are_paragraphs_and_keep_secrets(minisite):
    build(minisite)
    root = feed(minisite / "output" / "amnen" / "ekonomi" / "flode.xml")
    entries = {e.findtext(ATOM + "id"): e for e in root.findall(ATOM + "entry")}
    assert list(entries) == [BASE + "styrelsen/2024-03-01/#paragraf-2",
                             BASE + "styrelsen/2024-03-01/#paragraf-3",
                             BASE + "arbetsutskottet/2024-02-01/#paragraf-1"]
    assert entries[BASE + "styrelsen/2024-03-01/#paragraf-2"].findtext(ATOM + "title") == \
        "§ 2 Budget 2024 (Bilaga 1) – Styrelsen 2024-03-01"
    third = entries[BASE + "arbetsutskottet/2024-02-01/#paragraf-1"]
    assert "att begära en ny rapport i maj" in third.findtext(ATOM + "summary")
    everything = b"".join(p.read_bytes() for p in (minisite / "output").rglob("*.xml"))
    assert b"Hemlis" not in everything


def test_a_topic_feed_tells_of_an_agenda_item_until_the_protokoll_takes_its_place(minisite):
    kallelse = minisite / "content/arbetsutskottet/2024-05-02-kallelse.md"
    kallelse.write_text(kallelse.read_text().replace(
        "place: Distansmöte\n", "place: Distansmöte\nitems:\n  2:\n    topics: [Ekonomi]\n")
        + "\nFörslag till beslut: Arbetsutskottet föreslås lägga rapporten till handlingarna.\n")
    build(minisite)
    root = feed(minisite / "output/amnen/ekonomi/flode.xml")
    assert_valid_atom(root)
    entries = root.findall(ATOM + "entry")
    # The meeting to come is the newest entry; the Styrelsen kallelse's item on Budget
    # has its protokoll, whose paragraph is in the feed instead.
    assert [e.findtext(ATOM + "id") for e in entries] == [
        BASE + "arbetsutskottet/2024-05-02/kallelse/#punkt-2",
        BASE + "styrelsen/2024-03-01/#paragraf-2", BASE + "styrelsen/2024-03-01/#paragraf-3",
        BASE + "arbetsutskottet/2024-02-01/#paragraf-1"]
    assert entries[0].findtext(ATOM + "title") == \
        "2. Lägesrapport – föredragningslista Arbetsutskottet 2024-05-02"
    assert entries[0].findtext(ATOM + "summary") == \
        ("På föredragningslistan när Arbetsutskottet sammanträder torsdag 2 maj 2024 klockan 13.00. "
         "Förslag till beslut: Arbetsutskottet föreslås lägga rapporten till handlingarna.")
    assert entries[0].findtext(ATOM + "updated") == "2024-05-02T00:00:00Z"
    topic_page = (minisite / "output/amnen/ekonomi/index.html").read_text()
    assert "<p>3 paragrafer och 1 punkt på föredragningslistor om Ekonomi, nyaste först.</p>" in topic_page


def test_an_agenda_item_of_a_meeting_whose_minutes_never_came_is_told_as_past(example_output):
    # Styrelsen's kallelse of 2019-09-20 has no protokoll, and one of 2021 came after it:
    # the meeting was held, not still to come.
    root = feed(example_output / "amnen" / "ungdomstorget" / "flode.xml")
    summaries = [e.findtext(ATOM + "summary") for e in root.findall(ATOM + "entry")
                 if "/2019-09-20/kallelse/" in e.find(ATOM + "link").get("href")]
    assert summaries and all(s.startswith("På föredragningslistan när Styrelsen sammanträdde fredag 20 september "
                                          "2019 klockan ca 14.00 – 15.00. Inget protokoll från sammanträdet är "
                                          "publicerat.") for s in summaries)
    topic_page = visible_text((example_output / "amnen" / "ungdomstorget" / "index.html").read_text())
    assert "Styrelsen 2019-09-20 (inget protokoll publicerat)" in topic_page


def test_resident_can_follow_vuxentorget(example_output):
    root = feed(example_output / "amnen" / "vuxentorget" / "flode.xml")
    assert_valid_atom(root)
    links = [e.find(ATOM + "link").get("href") for e in root.findall(ATOM + "entry")]
    assert links == ["https://protokoll.example.se/styrelsen/2021-06-01/#paragraf-48",
                     "https://protokoll.example.se/styrelsen/2017-10-27/#paragraf-65"]
    assert root.findtext(f"{ATOM}entry/{ATOM}summary") == \
        "Beslut: Styrelsen beslutade att anta rapport för tertial 1."


def test_pages_link_their_feed_in_head_and_body(minisite):
    build(minisite)
    output = minisite / "output"
    for page, feed_link, title in [
        ("index.html", "flode.xml", "Nya protokoll"),
        ("styrelsen/index.html", "flode.xml", "Nya protokoll från Styrelsen"),
        ("amnen/budget/index.html", "flode.xml", "Nytt om Budget"),
        # Pages about one meeting offer their organ's feed; the others the whole site's.
        ("styrelsen/2024-03-01/index.html", "../flode.xml", "Nya protokoll från Styrelsen"),
        ("styrelsen/2024-03-01/utdrag/index.html", "../../flode.xml", "Nya protokoll från Styrelsen"),
        ("personer/lena-lind/index.html", "../../flode.xml", "Nya protokoll"),
    ]:
        html = (output / page).read_text()
        head = html[: html.index("</head>")]
        assert f'<link rel="alternate" type="application/atom+xml" title="{title}" href="{feed_link}">' in head, page
        body = html[html.index("<main"): html.index("</main>")]
        assert f'<a href="{feed_link}" type="application/atom+xml">{title} som flöde (Atom)</a>' in body, page
        assert ET.fromstring((output / page).parent.joinpath(feed_link).read_bytes()).findtext(ATOM + "title") \
            == f"{title} – Testförbundet"


def test_without_base_url_the_build_warns_and_writes_no_feed(minisite):
    config = minisite / "site.yml"
    config.write_text(config.read_text().replace(f"base_url: {BASE}\n", ""))
    result = build(minisite)
    [warning] = [p.format() for p in result.problems.warnings]
    assert warning.startswith("site.yml:1: warning: base_url is not set, so no Atom feeds and no "
                              "sitemap.xml are written, the 404 page's links work only for missing "
                              "pages in the site's top folder, and the open data's addresses start at the "
                              "host's root ('/styrelsen/…'), wrong in a sub-folder (set base_url")
    output = minisite / "output"
    assert not list(output.rglob("flode.xml")) and not (output / "sitemap.xml").exists()
    assert "application/atom+xml" not in (output / "index.html").read_text()
    assert "Sitemap" not in (output / "robots.txt").read_text()


def test_check_warns_about_a_missing_base_url_as_the_build_does(minisite):
    config = minisite / "site.yml"
    config.write_text(config.read_text().replace(f"base_url: {BASE}\n", ""))
    [warning] = [p.format() for p in check_site(minisite).items]
    assert warning.startswith("site.yml:1: warning: base_url is not set")


def test_a_wrong_base_url_is_an_error_and_not_also_reported_as_missing(minisite):
    config = minisite / "site.yml"
    config.write_text(config.read_text().replace(f"base_url: {BASE}", "base_url: ftp://x"))
    with pytest.raises(SiteGenError) as failed:
        build(minisite)
    [problem] = [p.format() for p in failed.value.problems]
    assert problem.startswith("site.yml:") and "error: base_url 'ftp://x' is not a web address" in problem


def test_feeds_can_be_turned_off_without_warning(minisite):
    config = minisite / "site.yml"
    config.write_text(config.read_text() + "feeds: false\n")
    result = build(minisite)
    assert result.problems.items == []
    assert not list((minisite / "output").rglob("flode.xml"))
    assert (minisite / "output" / "sitemap.xml").exists() is False


def test_sitemap_lists_every_html_page_with_absolute_urls(minisite):
    build(minisite)
    output = minisite / "output"
    root = ET.fromstring((output / "sitemap.xml").read_bytes())
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = [loc.text for loc in root.iter(namespace + "loc")]
    assert len(locations) == len(set(locations))
    assert all(loc.startswith(BASE) for loc in locations)
    pages = {loc[len(BASE):] for loc in locations}
    on_disk = {p.relative_to(output).as_posix().removesuffix("index.html")
               for p in output.rglob("index.html")}
    extracts = {p for p in on_disk if "/utdrag/" in p}
    assert pages == on_disk - extracts  # extracts print what the protokoll page shows
    assert "404.html" not in pages and "anslagstavla/" in pages and "tillganglighet/" in pages


def test_robots_txt_points_to_the_sitemap(minisite):
    build(minisite)
    robots = (minisite / "output" / "robots.txt").read_text()
    assert robots.splitlines()[:2] == ["User-agent: *", "Disallow:"]
    assert f"Sitemap: {BASE}sitemap.xml" in robots.splitlines()


def test_home_page_links_are_relative_but_feeds_are_absolute(minisite):
    build(minisite)
    output = minisite / "output"
    home = parse_links((output / "index.html").read_text())
    assert not [link for link in home.links if link.startswith(BASE)]
    assert "@/" not in "".join(p.read_text() for p in output.rglob("*.xml"))


def test_control_characters_in_a_source_never_reach_the_xml(minisite):
    # Neither XML nor iCalendar allows them: the source is refused, and the feeds
    # published before stay as they were.
    build(minisite)
    before = {name: (minisite / "output" / name).read_bytes() for name in ("flode.xml", "amnen/budget/flode.xml")}
    path = minisite / "content" / "styrelsen" / "2024-03-01-protokoll.md"
    path.write_text(path.read_text().replace("anta budgeten för 2024", "anta\x0b budgeten\x01 för 2024"))
    with pytest.raises(SiteGenError) as refused:
        build(minisite)
    assert {p.message for p in refused.value.problems} == {
        "this line holds a control character (U+000B), which no page can show"}
    for name, published in before.items():
        assert (minisite / "output" / name).read_bytes() == published
        assert "anta budgeten för 2024" in ET.tostring(feed(minisite / "output" / name), encoding="unicode")
