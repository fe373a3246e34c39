"""kalender.ics: the meetings and last days to appeal of the past year and ahead,
valid per RFC 5545.

The file is read back with the independent `icalendar` package, and its layout (CRLF,
folding at 75 octets) is checked byte by byte.
"""

from __future__ import annotations

import datetime as dt
import re

import icalendar
import pytest

from site_gen.build import build
from site_gen.render.ics import escape_text, fold_line
from site_gen.times import local_iso, swedish_offset, time_span

PROTOKOLL = "content/styrelsen/2024-03-01-protokoll.md"


def calendar(output) -> tuple[bytes, icalendar.Calendar]:
    raw = (output / "kalender.ics").read_bytes()
    return raw, icalendar.Calendar.from_ical(raw)


def events(cal) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_calendar_layout_follows_rfc_5545(minisite):
    build(minisite)
    raw, cal = calendar(minisite / "output")
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    lines = raw.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)
    assert all(line.strip() for line in lines), "no blank lines"
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-1] == b"END:VCALENDAR"
    assert cal["VERSION"] == "2.0" and str(cal["PRODID"]).startswith("-//site-gen//")
    [timezone] = cal.walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/Stockholm"
    for event in cal.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            assert required in event, (required, event)
    uids = [str(e["UID"]) for e in cal.walk("VEVENT")]
    assert len(uids) == len(set(uids))


def test_every_meeting_and_appeal_day_is_an_event(minisite):
    build(minisite)
    _, cal = calendar(minisite / "output")
    found = events(cal)
    assert sorted(found) == [
        "overklagande-arbetsutskottet-2024-02-01@testforbundet.example/protokoll",
        "overklagande-styrelsen-2024-03-01@testforbundet.example/protokoll",
        "sammantrade-arbetsutskottet-2024-02-01@testforbundet.example/protokoll",
        "sammantrade-arbetsutskottet-2024-05-02@testforbundet.example/protokoll",
        "sammantrade-styrelsen-2024-03-01@testforbundet.example/protokoll",
    ]
    meeting = found["sammantrade-styrelsen-2024-03-01@testforbundet.example/protokoll"]
    start, end = meeting["DTSTART"].dt, meeting["DTEND"].dt
    assert (start.isoformat(), end.isoformat()) == ("2024-03-01T09:00:00+01:00", "2024-03-01T11:00:00+01:00")
    assert str(meeting["LOCATION"]) == "Stadshuset, rum Älven"
    assert str(meeting["URL"]) == "https://testforbundet.example/protokoll/styrelsen/2024-03-01/"
    # Upcoming: from the kallelse, at its time.
    upcoming = found["sammantrade-arbetsutskottet-2024-05-02@testforbundet.example/protokoll"]
    assert upcoming["DTSTART"].dt.isoformat() == "2024-05-02T13:00:00+02:00"
    assert str(upcoming["DESCRIPTION"]) == "Föredragningslista:\n1. Mötets öppnande\n2. Lägesrapport"
    appeal = found["overklagande-styrelsen-2024-03-01@testforbundet.example/protokoll"]
    assert appeal["DTSTART"].dt == dt.date(2024, 4, 2)  # three weeks from 2024-03-10, a Sunday + Easter Monday
    assert str(appeal["SUMMARY"]) == "Sista dag att överklaga: Styrelsen 2024-03-01"
    # DTSTAMP comes from the sources (the day the notice was posted), not the clock.
    assert appeal["DTSTAMP"].dt == dt.datetime(2024, 3, 10, tzinfo=dt.UTC)


def test_a_kallelse_without_a_time_is_a_whole_day(minisite):
    kallelse = minisite / "content/arbetsutskottet/2024-05-02-kallelse.md"
    kallelse.write_text(kallelse.read_text().replace('time: "13.00"\n', ""))
    build(minisite)
    upcoming = events(calendar(minisite / "output")[1])["sammantrade-arbetsutskottet-2024-05-02@testforbundet.example/protokoll"]
    assert upcoming["DTSTART"].dt == dt.date(2024, 5, 2)


def test_upcoming_meeting_keeps_time_and_place_from_its_kallelse(minisite):
    (minisite / "content/styrelsen/2024-06-13-kallelse.md").write_text(
        "---\nkind: kallelse\ndate: 2024-06-13\ntime: kl. 14.00–15.00\n"
        "place: Folkets hus, rum Källan\ntitle: Styrelsens planeringsdag\n---\n\n"
        "## 1. Mötets öppnande\n", encoding="utf-8")
    build(minisite)
    found = events(calendar(minisite / "output")[1])
    event = found["sammantrade-styrelsen-2024-06-13@testforbundet.example/protokoll"]
    assert event["DTSTART"].dt.isoformat() == "2024-06-13T14:00:00+02:00"
    assert event["DTEND"].dt.isoformat() == "2024-06-13T15:00:00+02:00"
    assert str(event["SUMMARY"]) == "Styrelsens planeringsdag"
    assert str(event["LOCATION"]) == "Folkets hus, rum Källan"
    assert str(event["URL"]).endswith("/styrelsen/2024-06-13/kallelse/")


def test_a_kallelse_whose_organ_has_a_later_protokoll_is_not_in_the_calendar(example_output):
    # The tests build for 2024-03-20: the example's protokoll (2017-2021) are over a
    # year old, and the 2019 meeting announced by a kallelse alone was followed by the
    # 2021 protokoll of the same organ, so it is over too, not ahead.
    _, cal = calendar(example_output)
    assert list(events(cal)) == []


def test_calendar_holds_the_past_year_and_every_meeting_announced(minisite, monkeypatch):
    def uids_on(day: str) -> list[str]:
        moment = dt.datetime.fromisoformat(day + "T12:00:00+00:00")
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(moment.timestamp())))
        build(minisite)
        return sorted(u.split("@")[0] for u in events(calendar(minisite / "output")[1]))

    # 365 days before 2025-02-15 is 2024-02-16: the 2024-02-01 meeting is out.
    assert uids_on("2025-02-15") == ["overklagande-styrelsen-2024-03-01", "sammantrade-arbetsutskottet-2024-05-02",
                                     "sammantrade-styrelsen-2024-03-01"]
    assert uids_on("2025-03-05") == ["sammantrade-arbetsutskottet-2024-05-02"]  # only a kallelse, no protokoll


def test_special_characters_survive_escaping_and_folding(minisite):
    path = minisite / PROTOKOLL
    place = 'Rum 1; plan 2, hus \\B – "Älven" ' + "ö" * 40  # one backslash
    path.write_text(path.read_text().replace("place: Stadshuset, rum Älven", f"place: '{place}'"))
    build(minisite)
    raw, cal = calendar(minisite / "output")
    event = events(cal)["sammantrade-styrelsen-2024-03-01@testforbundet.example/protokoll"]
    assert str(event["LOCATION"]) == place
    assert b"LOCATION:Rum 1\\; plan 2\\, hus \\\\B" in raw
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    raw.decode("utf-8")  # folding never splits a character


def test_uids_and_bytes_are_the_same_in_two_builds(minisite, tmp_path):
    build(minisite)
    first = (minisite / "output" / "kalender.ics").read_bytes()
    build(minisite)
    assert (minisite / "output" / "kalender.ics").read_bytes() == first


def test_without_base_url_uids_use_a_reserved_domain_and_no_url(minisite):
    config = minisite / "site.yml"
    config.write_text(re.sub(r"base_url: .*\n", "", config.read_text()))
    build(minisite)
    raw, cal = calendar(minisite / "output")
    assert all(str(u).endswith("@testforbundet.invalid") for u in events(cal))
    assert b"\r\nURL:" not in raw


@pytest.mark.parametrize("text, expected", [
    ("08.30-12.00", ((8, 30), (12, 0))),
    ("09.00", ((9, 0), None)),
    ("ca 14.00 – 15.00", ((14, 0), (15, 0))),
    ("kl. 13:15–16:45", ((13, 15), (16, 45))),
    ("Heldag", None),
    ("", None),
    ("25.00", None),
])
def test_time_span_reads_times_as_secretaries_write_them(text, expected):
    span = time_span(text)
    if expected is None:
        assert span is None
    else:
        start, end = expected
        assert span[0] == dt.time(*start)
        assert span[1] == (dt.time(*end) if end else None)


def test_swedish_offset_follows_summer_time():
    assert swedish_offset(dt.datetime(2024, 3, 31, 1, 59)) == dt.timedelta(hours=1)
    assert swedish_offset(dt.datetime(2024, 3, 31, 3, 0)) == dt.timedelta(hours=2)
    assert swedish_offset(dt.datetime(2024, 10, 27, 2, 59)) == dt.timedelta(hours=2)
    assert swedish_offset(dt.datetime(2024, 10, 27, 3, 0)) == dt.timedelta(hours=1)
    assert local_iso(dt.date(2021, 6, 1), dt.time(8, 30)) == "2021-06-01T08:30:00+02:00"


def test_escape_and_fold_rules():
    assert escape_text('a;b,c\\d\ne') == "a\\;b\\,c\\\\d\\ne"
    line = "DESCRIPTION:" + "å" * 100
    folded = fold_line(line).split("\r\n")
    assert all(len(part.encode()) <= 75 for part in folded)
    assert all(part.startswith(" ") for part in folded[1:])
    assert "".join(part[1:] if i else part for i, part in enumerate(folded)) == line


def test_a_sites_folder_with_swedish_letters_is_percent_encoded_and_keeps_its_uids_apart(minisite):
    # Two sites on one host, whose organs share a name, must not share calendar UIDs;
    # and sitemaps and calendars hold addresses as browsers send them.
    config = minisite / "site.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "base_url: https://testforbundet.example/protokoll/", "base_url: https://www.håbo.example/nämnder"),
        encoding="utf-8")
    build(minisite)
    output = minisite / "output"
    base = "https://www.xn--hbo-ula.example/n%C3%A4mnder/"
    _, cal = calendar(output)
    meeting = events(cal)["sammantrade-styrelsen-2024-03-01@www.xn--hbo-ula.example/n%C3%A4mnder"]
    assert str(meeting["URL"]) == base + "styrelsen/2024-03-01/"
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{base}styrelsen/2024-03-01/</loc>" in sitemap and "ä" not in sitemap
    assert f"Sitemap: {base}sitemap.xml" in (output / "robots.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("written, sent", [
    ("https://www.håbo.example:8080/nämnder/", "https://www.xn--hbo-ula.example:8080/n%C3%A4mnder/"),
    ("https://user:pässword@kommun.example/p", "https://user:p%C3%A4ssword@kommun.example/p/"),
    ("https://kommun.example/a%20b/", "https://kommun.example/a%20b/"),  # encoded already: left alone
])
def test_base_url_is_kept_as_browsers_send_it(minisite, written, sent):
    from site_gen.load.config import load_config
    from site_gen.problems import Problems

    config = minisite / "site.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "base_url: https://testforbundet.example/protokoll/", f"base_url: {written}"), encoding="utf-8")
    assert load_config(minisite, Problems(root=minisite)).base_url == sent
