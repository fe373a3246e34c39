"""Anslagstavlan: the notices up on the build date, each with every fact the law asks for,
hidden or shown by the browser as dates pass; earlier notices in the archive."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

import pytest
from helpers import MINIMAL_FRONT, MINIMAL_SITE_YML, epoch, not_justerat_yet, visible_text

from site_gen.build import build
from site_gen.problems import SiteGenError
from site_gen.times import build_date, swedish_time

NOTICE_ID = "anslag-styrelsen-2024-03-01"


def board_on(minisite, monkeypatch, day: str) -> tuple[str, str]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(day))
    build(minisite)
    output = minisite / "output" / "anslagstavla"
    return (output / "index.html").read_text(), (output / "arkiv" / "index.html").read_text()


def notice_tag(html: str) -> str | None:
    match = re.search(rf'<article class="notice" id="{NOTICE_ID}"[^>]*>', html)
    return match.group(0) if match else None


def test_build_date_comes_from_source_date_epoch_else_the_newest_source_date():
    sources = [dt.date(2021, 6, 1), dt.date(2021, 6, 28), dt.date(2019, 7, 1)]
    assert build_date(sources, {"SOURCE_DATE_EPOCH": "1624838400"}) == dt.date(2021, 6, 28)
    assert build_date(iter(sources), {"SOURCE_DATE_EPOCH": "1718000000"}) == dt.date(2024, 6, 10)
    assert build_date(iter(sources), {}) == dt.date(2021, 6, 28)
    assert build_date([], {}) == dt.date(1970, 1, 1)
    with pytest.raises(SiteGenError, match="SOURCE_DATE_EPOCH is 'igår'"):
        build_date(sources, {"SOURCE_DATE_EPOCH": "igår"})
    with pytest.raises(SiteGenError, match="SOURCE_DATE_EPOCH is 99999999999999, seconds beyond any date"):
        build_date(sources, {"SOURCE_DATE_EPOCH": "99999999999999"})


def test_the_build_date_is_the_day_in_sweden_at_source_date_epoch():
    # `date -d 2021-06-28 +%s` on a machine on Swedish time: midnight there, the 27th in UTC.
    swedish_midnight = str(int(dt.datetime(2021, 6, 27, 22, 0, tzinfo=dt.UTC).timestamp()))
    assert build_date([], {"SOURCE_DATE_EPOCH": swedish_midnight}) == dt.date(2021, 6, 28)
    # Winter: one hour ahead of UTC, so 23:00 UTC is already the next day, 22:59 is not.
    assert build_date([], {"SOURCE_DATE_EPOCH": "1610751600"}) == dt.date(2021, 1, 16)  # 23:00 UTC
    assert build_date([], {"SOURCE_DATE_EPOCH": "1610751540"}) == dt.date(2021, 1, 15)


def test_swedish_time_agrees_with_the_time_zone_database_around_every_change():
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        stockholm = zoneinfo.ZoneInfo("Europe/Stockholm")
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("this machine has no time-zone database")
    for year in (1996, 2021, 2024, 2038, 2099):
        for month in (3, 10):
            last_day = dt.date(year, month, 31)
            sunday = last_day - dt.timedelta(days=(last_day.weekday() + 1) % 7)
            change = dt.datetime.combine(sunday, dt.time(1), tzinfo=dt.UTC)
            for minutes in range(-90, 91, 15):
                moment = change + dt.timedelta(minutes=minutes)
                assert swedish_time(moment) == moment.astimezone(stockholm).replace(tzinfo=None), moment


def test_a_kallelse_for_a_meeting_to_come_does_not_take_a_notice_off_the_board(minisite, monkeypatch):
    # Without SOURCE_DATE_EPOCH the board is built for the newest date of what has
    # happened: the Styrelsen notice posted 2024-03-10, up until 2024-04-02. The
    # Arbetsutskottet kallelse for 2024-05-02 is a meeting still to come.
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    build(minisite)
    board = (minisite / "output/anslagstavla/index.html").read_text()
    assert " hidden" not in notice_tag(board)
    assert "söndag 10 mars 2024" in visible_text(board)


def test_a_posted_notice_shows_every_fact(minisite, monkeypatch):
    not_justerat_yet(minisite / "content/arbetsutskottet/2024-02-01-protokoll.md")  # no notice of its own
    board, archive = board_on(minisite, monkeypatch, "2024-03-20")
    tag = notice_tag(board)
    assert 'data-uppsattande="2024-03-10"' in tag and 'data-nedtagande="2024-04-02"' in tag
    assert " hidden" not in tag
    article = board[board.index(tag): board.index("</article>")]
    text = visible_text(article)
    for fact in ["Protokoll Styrelsen 2024-03-01", "Organ Styrelsen",
                 "Sammanträdesdatum fredag 1 mars 2024", "Paragrafer § 1–4",
                 "Justeringsdatum 2024-03-08", "Anslaget uppsatt 2024-03-10",
                 "Anslaget nedtas 2024-04-02", "Sista dag att överklaga tisdag 2 april 2024",
                 "Anslaget finns hos Norrby kommun", "Protokollet förvaras Förbundets kansli"]:
        assert fact in text, fact
    assert '<p class="notice-empty" hidden>' in board
    assert "onsdag 20 mars 2024" in visible_text(board)
    assert "Inga tidigare anslag" in visible_text(archive)


def test_notice_is_still_up_on_its_last_day(minisite, monkeypatch):
    board, _ = board_on(minisite, monkeypatch, "2024-04-02")
    assert " hidden" not in notice_tag(board)


def test_a_notice_not_yet_posted_is_on_the_page_but_hidden(minisite, monkeypatch):
    board, _ = board_on(minisite, monkeypatch, "2024-03-09")
    assert notice_tag(board).endswith(" hidden>")  # the browser shows it once the day comes
    assert '<p class="notice-empty">' in board


def test_a_taken_down_notice_moves_to_the_archive(minisite, monkeypatch):
    board, archive = board_on(minisite, monkeypatch, "2024-04-03")
    assert notice_tag(board) is None
    assert "Det finns inga anslag på anslagstavlan just nu." in visible_text(board)
    row = archive[archive.index(f'<tr id="{NOTICE_ID}">'):]
    row = visible_text(row[: row.index("</tr>")])
    assert row == "Styrelsen 2024-03-01 § 1–4 2024-03-08 2024-03-10 2024-04-02 2024-04-02"


def test_a_new_build_date_alone_builds_again(minisite, monkeypatch):
    """Nothing in the sources changed, only SOURCE_DATE_EPOCH: the cache must not hand
    back the notice board of the earlier date."""
    board, _ = board_on(minisite, monkeypatch, "2024-03-20")
    assert " hidden" not in notice_tag(board)
    board, archive = board_on(minisite, monkeypatch, "2024-04-03")
    assert notice_tag(board) is None and f'<tr id="{NOTICE_ID}">' in archive


def test_browser_script_compares_embedded_dates_with_today(minisite, monkeypatch):
    board, _ = board_on(minisite, monkeypatch, "2024-03-20")
    assert '<script src="../static/dagen.js" defer></script>' in board
    script = (minisite / "output" / "static" / "dagen.js").read_text(encoding="utf-8")
    assert "new Date()" in script
    assert "dataset.uppsattande <= today && today <= notice.dataset.nedtagande" in script
    assert 'querySelector(".notice-empty").hidden' in script


def test_notice_without_take_down_date_stays_up_until_the_last_day_to_appeal(minisite, monkeypatch):
    path = minisite / "content" / "styrelsen" / "2024-03-01-protokoll.md"
    path.write_text(path.read_text().replace("  nedtagande: 2024-04-02\n", ""))
    board, _ = board_on(minisite, monkeypatch, "2024-03-20")
    assert 'data-nedtagande="2024-04-02"' in notice_tag(board)


def test_the_archive_gives_no_take_down_date_the_protokoll_did_not(minisite, monkeypatch):
    path = minisite / "content" / "styrelsen" / "2024-03-01-protokoll.md"
    path.write_text(path.read_text().replace("  nedtagande: 2024-04-02\n", ""))
    board_on(minisite, monkeypatch, "2024-05-20")
    archive = visible_text((minisite / "output/anslagstavla/arkiv/index.html").read_text())
    assert "Styrelsen 2024-03-01 § 1–4 2024-03-08 2024-03-10 Inte angivet 2024-04-02" in archive


def test_example_site_notices_are_all_in_the_archive(example_output):
    board = (example_output / "anslagstavla" / "index.html").read_text()
    folder = example_output / "anslagstavla" / "arkiv"
    archive = (folder / "index.html").read_text()
    assert '<article class="notice"' not in board
    # The newest year's notices are on the archive page, each earlier year on a page of its own.
    assert "Styrelsen 2021-06-01 § 42–56 2021-06-21 2021-06-28 2021-07-19 2021-07-19" in visible_text(archive)
    for year, row in [("2019", "Styrelsen 2019-06-20"), ("2017", "Styrelsen 2017-10-27")]:
        assert f'<a href="{year}/">{year}</a>: 1 anslag' in archive
        assert row not in visible_text(archive)
        assert row in visible_text((folder / year / "index.html").read_text())


def test_every_page_links_the_notice_board(minisite):
    build(minisite)
    for page in (minisite / "output").rglob("*.html"):
        html = page.read_text()
        nav = html[html.index('<nav aria-label="Huvudmeny">'):]
        nav = nav[: nav.index("</nav>")]
        assert re.search(r'<a href="[^"]*"( aria-current="(?:page|true)")?>Anslagstavla</a>', nav), page


def test_invalid_source_date_epoch_is_reported_without_traceback(minisite):
    env = {"SOURCE_DATE_EPOCH": "2024-03-20", "PATH": ""}
    result = subprocess.run([sys.executable, "-m", "site_gen.cli", "build"], cwd=minisite, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "site-gen: SOURCE_DATE_EPOCH is '2024-03-20', but should be a whole number" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("front, said", [
    ("anslag:\n  hos: Norrby kommun\n",
     "Protokollet är inte justerat ännu, och inget anslag om justeringen har satts upp."),
    ("justeringsdatum: 2024-03-08\nanslag:\n  hos: Norrby kommun\n",
     "Anslaget om justeringen har inte satts upp ännu."),
    ("justeringsdatum: 2024-03-08\nanslag:\n  hos: Norrby kommun\n  uppsättande: 2024-03-10\n",
     "Justeringen har tillkännagivits genom anslag hos Norrby kommun."),
])
def test_the_protokoll_tells_of_the_notice_only_once_it_is_posted(tmp_path, front, said):
    (tmp_path / "content" / "styrelsen").mkdir(parents=True)
    (tmp_path / "site.yml").write_text(MINIMAL_SITE_YML)
    (tmp_path / "content" / "styrelsen" / "2024-03-01-protokoll.md").write_text(
        f"---\n{MINIMAL_FRONT}{front}---\n\n## § 1 Mötets öppnande\n\nMötet öppnades.\n", encoding="utf-8")
    build(tmp_path)
    text = visible_text((tmp_path / "output" / "styrelsen" / "2024-03-01" / "index.html").read_text())
    assert said in text
    assert ("har tillkännagivits" in text) == ("uppsättande" in front)


@pytest.mark.parametrize("day, warned", [("2024-03-07", True), ("2024-03-08", False)])
def test_a_justering_after_the_build_date_is_warned_about(minisite, monkeypatch, day, warned):
    # A date filled in ahead: the page would say the minutes are justerade already.
    from site_gen.build import check_site

    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(day))
    found = [(p.severity, p.line, p.message) for p in check_site(minisite).items if "built for" in p.message]
    assert found == ([("warning", 19, f"justeringsdatum 2024-03-08 is after {day}, the day the site is "
                                      "built for, and the page says the minutes are justerade")] if warned else [])


@pytest.mark.parametrize("days_ahead, warned", [(3, True), (-1, False)])
def test_a_justering_after_today_is_warned_about_without_a_build_date(minisite, monkeypatch, days_ahead, warned):
    # Without SOURCE_DATE_EPOCH the build date is the newest date written, the justering
    # typed ahead among them: the clock tells that it has not happened yet.
    from site_gen.build import check_site
    from site_gen.times import swedish_time

    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    today = swedish_time(dt.datetime.now(dt.UTC)).date()
    justering = today + dt.timedelta(days=days_ahead)
    path = minisite / "content" / "styrelsen" / "2024-03-01-protokoll.md"
    path.write_text(path.read_text().replace("justeringsdatum: 2024-03-08", f"justeringsdatum: {justering}"))
    found = [(p.severity, p.line, p.message) for p in check_site(minisite).items if "is after" in p.message]
    assert found == ([("warning", 19, f"justeringsdatum {justering} is after today ({today}), and the page "
                                      "says the minutes are justerade")] if warned else [])


def test_a_build_reusing_the_output_tells_a_justering_ahead_again_on_the_same_day_only(minisite, monkeypatch):
    import site_gen.build
    from site_gen.times import swedish_time

    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    today = swedish_time(dt.datetime.now(dt.UTC)).date()
    path = minisite / "content" / "styrelsen" / "2024-03-01-protokoll.md"
    path.write_text(path.read_text().replace("justeringsdatum: 2024-03-08",
                                             f"justeringsdatum: {today + dt.timedelta(days=1)}").replace(
        "anslag:\n  hos: Norrby kommun\n  uppsättande: 2024-03-10\n  nedtagande: 2024-04-02\n", ""))
    ahead = "is after today"
    build(minisite)
    again = build(minisite)
    assert again.untouched and any(ahead in p.message for p in again.problems.items)
    # The next day (the clock cannot be run forward here): judged again, not told again.
    monkeypatch.setattr(site_gen.build, "last_day_passed", lambda dates: today + dt.timedelta(days=1))
    next_day = build(minisite)
    assert not next_day.untouched


def test_the_home_page_says_when_the_site_was_published(minisite, monkeypatch):
    # A reader in a later year tells a site kept up from one left alone; the page is
    # written again when the date changes, nothing else.
    for day, shown in (("2024-03-20", "onsdag 20 mars 2024"), ("2024-04-02", "tisdag 2 april 2024")):
        board_on(minisite, monkeypatch, day)
        home = (minisite / "output" / "index.html").read_text()
        assert f'Webbplatsen publicerades senast <time datetime="{day}">{shown}</time>.' in home
