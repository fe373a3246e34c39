"""Swedish rules for minutes: appeal time, non-working days, personnummer.

Plain functions on plain values, so the rules can be tested one by one.
"""

from __future__ import annotations

import bisect
import datetime as dt
import html
import re
from functools import cache

APPEAL_WEEKS = 3
POSTING_DAYS_AFTER_JUSTERING = 2

# Public holidays by year. Working them out with the holidays package costs tens of
# milliseconds a year, so a build passes the table on through its disk cache.
_holidays_by_year: dict[int, frozenset[dt.date]] = {}


def _public_holidays(year: int) -> frozenset[dt.date]:
    found = _holidays_by_year.get(year)
    if found is None:
        import holidays  # imported on first need: it is slow to import, too

        found = _holidays_by_year[year] = frozenset(holidays.Sweden(years=year, include_sundays=False))
    return found


def holiday_table() -> dict[int, frozenset[dt.date]]:
    """The public holidays worked out so far, to hand to `use_holiday_table` later."""
    return dict(_holidays_by_year)


def use_holiday_table(table: dict[int, frozenset[dt.date]]) -> None:
    _holidays_by_year.update(table)


def midsommarafton(year: int) -> dt.date:
    """The Friday between 19 and 25 June."""
    day = dt.date(year, 6, 19)
    return day + dt.timedelta(days=(4 - day.weekday()) % 7)


def is_non_working_day(day: dt.date) -> bool:
    """Saturday, Sunday, public holiday, midsommarafton, julafton or nyårsafton."""
    if day.weekday() >= 5 or day in _public_holidays(day.year):
        return True
    return (day.month, day.day) in ((12, 24), (12, 31)) or day == midsommarafton(day.year)


def unusual_meeting_day(day: dt.date) -> str | None:
    """What makes a day one no organ meets on but by a slip of the date: a Sunday, a
    public holiday, julafton, nyårsafton or midsommarafton (not a Saturday, holiday or
    not: a budget meeting or a planning day may be held on one)."""
    if day.weekday() == 5:
        return None
    if (day.month, day.day) == (12, 24):
        return "julafton"
    if (day.month, day.day) == (12, 31):
        return "nyårsafton"
    if day == midsommarafton(day.year):
        return "midsommarafton"
    if day in _public_holidays(day.year):
        return "a public holiday"
    return "a Sunday" if day.weekday() == 6 else None


@cache  # asked for every decision a list shows; a site has a few thousand posting days
def last_appeal_day(posted: dt.date) -> dt.date:
    """Three weeks from the day the notice was posted (a period counted in weeks ends
    on the same weekday), moved past non-working days."""
    return _moved_past_non_working_days(posted + dt.timedelta(weeks=APPEAL_WEEKS))


def last_posting_day(justering: dt.date) -> dt.date:
    """The last day to post the notice: the second day after justering (kommunallagen
    8 kap. 12 §), moved past non-working days."""
    return _moved_past_non_working_days(justering + dt.timedelta(days=POSTING_DAYS_AFTER_JUSTERING))


def _moved_past_non_working_days(day: dt.date) -> dt.date:
    """A time set by law that ends on a non-working day ends on the next working day
    (lagen 1930:173 om beräkning av lagstadgad tid)."""
    while is_non_working_day(day):
        day += dt.timedelta(days=1)
    return day


# Justering comes after the meeting, in practice within about two weeks.
USUAL_JUSTERING_DAYS = 14
# Days a notice may stay up after the last day to appeal before its take-down date is
# taken for a slip (of the year, say): a board emptied once a month keeps one up a month.
LONGEST_USUAL_OVERSTAY = 31


def next_paragraph_number(previous_day: dt.date | None, previous_last: int, day: dt.date) -> int:
    """The § a meeting on `day` starts at, after the organ's previous meeting (on
    `previous_day`, ending at § `previous_last`): numbers run on through the calendar
    year and start again at § 1 in a new one."""
    if previous_day is None or previous_day.year != day.year:
        return 1
    return previous_last + 1


# Between date and serial: '-' (or '+' from the age of 100), or what a word processor
# or a careful writer puts there instead: a dash of another kind, the minus sign, one
# or two spaces of any width or a tab, a dash between spaces, a dash at the end of a
# line (the page joins the lines). In Markdown and YAML a line break alone is a space
# on the page too, however the next line is indented (`LINES_JOINED`); in a text file
# the reader sees two lines. A number after a dash is part of something longer: a case
# number (2021-121212-1212), a file or invoice name (kallelse-240301-1030.pdf,
# INV-210315-1235), where a date and a time would be taken for one in ten; but not
# one of the 1900s with its century after anything but a number (Andersson-19121212-1212,
# yttrande-191212121212.txt): a file is seldom named by a date and time that old. (One
# of the 2000s is let be: files are named so every day.)
_DASHES = "-+\u2010\u2011\u2012\u2013\u2014\u2212"
SPACES = " \t\u00a0\u2009\u202f"


def swedish_list(words: list[str]) -> str:
    """'a', 'a och b', 'a, b och c': a list as Swedish text writes it."""
    return f"{', '.join(words[:-1])} och {words[-1]}" if len(words) > 1 else "".join(words)


_LIST_SEPARATOR = re.compile(r",\s+|\s+(?:och|samt|&)\s+")


def list_items(text: str) -> list[str]:
    """'A, B och C' as ['A', 'B', 'C']: the items of a list written as Swedish text, as
    writers put several names on one line where YAML wants a list."""
    return [item for item in _LIST_SEPARATOR.split(text.strip()) if item]


def _personnummer_pattern(lines_joined: bool) -> re.Pattern:
    line_break = rf"|[{SPACES}]{{0,2}}\n[{SPACES}]*" if lines_joined else ""
    return re.compile(
        rf"(?:(?<![{_DASHES}\d])|(?<=[^{_DASHES}\d][{_DASHES}])(?=19\d{{6}}(?:[{_DASHES}{SPACES}\n]|\d{{4}}(?!\d))))"
        r"(?P<century>19|20)?"
        r"(?P<date>\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01]))"
        rf"(?P<sep>[{SPACES}]{{0,2}}[{_DASHES}](?:[{SPACES}]{{0,2}}\n[{SPACES}]*|[{SPACES}]{{0,2}})"
        rf"|[{SPACES}]{{1,2}}{line_break})?(?P<serial>\d{{4}})(?!\d)"
    )


PERSONNUMMER = _personnummer_pattern(lines_joined=False)
LINES_JOINED = _personnummer_pattern(lines_joined=True)


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


# In UTF-8 bytes, every ASCII digit and every byte of a non-ASCII character (which
# may be a digit of another script, as the pattern's \d allows) becomes '0', '-' and
# '+' stay, anything else is a space: six digits in a row then show as a plain
# substring. The full pattern tries every position of the text and cost a third as
# much as rendering the Markdown; most texts have no six digits in a row and skip it.
_DIGIT_SHAPES = bytes(48 if (48 <= i <= 57 or i >= 128) else (i if i in b"-+" else 32)
                      for i in range(256))


def _may_hold_personnummer(text: str) -> bool:
    return b"000000" in text.encode("utf-8", "surrogateescape").translate(_DIGIT_SHAPES)


# Markdown and HTML that a reader does not see between two digits: emphasis marks and
# backslash escapes ('**19121212**-1212', '121212\-1212'), tags ('1212<b></b>12') and
# character references ('121212&#45;1212'). The page shows the digits side by side.
_UNSEEN_MARKS = "*_`~\\"
_TAG = re.compile(r"<[^<>\n]*>")
_UNSEEN_MARK = re.compile(f"[{re.escape(_UNSEEN_MARKS)}]+")
# Characters no reader sees at all: a soft hyphen, zero-width spaces and joiners.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]+")


def may_hold_personnummer(text: str) -> bool:
    """Whether `text` as read (see as_read) may hold a personnummer, found without
    making that text: a whole site's sources pass through here, few need more."""
    raw = text.encode("utf-8", "surrogateescape")
    if b"<" in raw or b"&" in raw:  # tags and character references: read them first
        return True
    if not raw.isascii() and _INVISIBLE.search(text):
        return True
    return b"000000" in raw.translate(_DIGIT_SHAPES, _UNSEEN_MARKS.encode())


def as_read(text: str) -> str:
    """`text` as a reader of the page sees it, for finding personnummer: without the
    marks and tags between characters, character references decoded. Lines stay
    lines, so a position's line number is the same as in `text`."""
    text = _UNSEEN_MARK.sub("", text)
    if "<" in text:
        text = _TAG.sub("", text)
    if "&" in text:
        text = "\n".join(html.unescape(line).replace("\n", " ") for line in text.split("\n"))
    return _INVISIBLE.sub("", text)


def unmistakable(found: str) -> bool:
    """Whether a personnummer found is written so that it cannot be ten digits of
    something else, such as a phone number (one in seventy passes the check digit):
    with its separator, or with its century."""
    return not found.isdigit() or len(found) == 12


def find_personnummer(text: str, lines_joined: bool = False) -> list[tuple[int, str]]:
    """(offset, match) for each valid personnummer (or samordningsnummer) in `text`;
    with `lines_joined`, also one split by a line break (Markdown, YAML).

    Ten digits without a separator must still pass the check digit, which keeps
    ordinary long numbers (amounts, case numbers) from being taken for one. Give the
    text `as_read` to find numbers written with markup inside them.
    """
    if not _may_hold_personnummer(text):
        return []
    found = []
    for match in (LINES_JOINED if lines_joined else PERSONNUMMER).finditer(text):
        if luhn_ok(match.group("date") + match.group("serial")):
            found.append((match.start(), match.group()))
    return found


def personnummer_lines(text: str, lines_joined: bool = True) -> list[tuple[int, str]]:
    """(line, number) of each personnummer in the text as written and as the page shows
    it (see as_read): one in a tag's attribute is only in the first, one split by
    markup only in the second. `lines_joined`: the text is Markdown or YAML, whose line
    breaks a page shows as spaces."""
    if not may_hold_personnummer(text):
        return []
    found = dict.fromkeys(_with_line_numbers(text, find_personnummer(text, lines_joined)))
    read = as_read(text)
    if read != text:
        found.update(dict.fromkeys(_with_line_numbers(read, find_personnummer(read, lines_joined))))
    return sorted(found)


def _with_line_numbers(text: str, hits: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """(line, match) of each (offset, match)."""
    if not hits:
        return []
    line_ends = [m.start() for m in re.finditer("\n", text)]
    return [(bisect.bisect_left(line_ends, offset) + 1, found) for offset, found in hits]


def format_ranges(ranges) -> str:
    """((42, 47), (49, 56)) -> '§ 42–47, 49–56'."""
    parts = [f"{a}" if a == b else f"{a}–{b}" for a, b in ranges]
    return "§ " + ", ".join(parts)
