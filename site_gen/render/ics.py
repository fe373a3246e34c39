"""iCalendar (RFC 5545) text: escaping of values, date forms, and the final line layout.

The calendar itself is a template (calendar.ics); these are the rules its text must follow.
"""

from __future__ import annotations

import datetime as dt

LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon, comma and line breaks escaped (RFC 5545 3.3.11)."""
    return (str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def date_value(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def local_time_value(day: dt.date, time: dt.time) -> str:
    return f"{date_value(day)}T{time.strftime('%H%M%S')}"


def utc_stamp(day: dt.date) -> str:
    """A DATE-TIME in UTC at midnight of `day`, for DTSTAMP."""
    return f"{date_value(day)}T000000Z"


def fold_line(line: str) -> str:
    """Split a content line so no line is longer than 75 octets, never inside a UTF-8
    character; each continuation starts with one space (RFC 5545 3.1)."""
    pieces: list[str] = []
    current, size = "", 0
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > LINE_OCTETS:
            pieces.append(current)
            current, size = " ", 1
        current += char
        size += octets
    pieces.append(current)
    return "\r\n".join(pieces)


def content_lines(text: str) -> str:
    """Rendered template text → the calendar file: blank lines dropped, lines folded, CRLF ends."""
    return "".join(fold_line(line) + "\r\n" for line in text.splitlines() if line.strip())
