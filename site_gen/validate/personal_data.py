"""Personnummer: in a document, where only a paragraph or agenda item that allows it
may publish one; in attachments and site.yml, where nothing can allow one."""

from __future__ import annotations

import bisect
import re
from pathlib import Path

from site_gen import domain
from site_gen.load import body
from site_gen.load.frontmatter import text_values
from site_gen.problems import Problems


def check_personnummer(path: Path, kind: str, text: str, meta: dict, body_line: int,
                       problems: Problems) -> None:
    """A personnummer anywhere in a source is an error, unless its paragraph or agenda
    item allows it or is secret (its text is not published; its heading is)."""
    hits = domain.personnummer_lines(text)
    if not hits:
        return
    entries = body.section_entries(kind, meta)
    # Sections are looked up, not counted from the top for each hit: a file of several
    # MB may hold thousands of numbers. Headings as written: '\## § 4' is none.
    headings = _section_headings(kind, text, body_line)
    heading_lines = [line for line, _ in headings]
    for line, found in hits:
        at = bisect.bisect_right(heading_lines, line) if line >= body_line else 0
        number = headings[at - 1][1] if at else None
        entry = entries.get(number, {}) if number is not None else {}
        if entry.get("tillåt_personnummer") or (entry.get("sekretess") and line != heading_lines[at - 1]):
            continue
        if number is not None:
            where = body.section_name(kind, number)
            hint = (f"remove it, or if it must be published add 'tillåt_personnummer: true' "
                    f"under {body.SECTION_ENTRIES[kind]} → {number}")
        else:
            in_front_matter = line < body_line
            where = "the front matter" if in_front_matter else "the text"
            hint = "remove it, or write only the birth date" + (
                " (in an attachment's file name: rename the file)" if in_front_matter else "")
        problems.error(path, line, f"a personnummer ({_mask(found)}) in {where}", hint)


def check_escaped_personnummer(path: Path, front: str, located, problems: Problems) -> None:
    """The front matter's values as read, where YAML's escapes may spell a number."""
    for key_path, found in _escaped_personnummer(front, located):
        problems.error(path, located.line_of(key_path),
                       f"a personnummer ({_mask(found)}) in the front matter",
                       "remove it, or write only the birth date")


def _escaped_personnummer(text: str, located) -> list[tuple[tuple, str]]:
    """(key path, number) of each personnummer a double-quoted YAML value spells with
    escapes ('\\x31', '\\u0031'), which the page shows as digits: one the text as
    written does not show, once however many values repeat it (an alias)."""
    if "\\" not in text:
        return []
    shown = {_digits(found) for _, found in domain.personnummer_lines(text)}  # reported already
    hits = []
    for key_path, value in text_values(located.data):
        for _, found in domain.personnummer_lines(value):
            if _digits(found) not in shown:
                shown.add(_digits(found))
                hits.append((key_path, found))
    return hits


def _digits(found: str) -> str:
    return "".join(c for c in found if c.isdigit())


def check_attachment_personnummer(path: Path, text: str, problems: Problems, is_page: bool = True) -> None:
    """An attachment published as a page (Markdown) or as text (not `is_page`, where a
    line break stays one and tabs part the columns of a table): no personnummer in it
    either."""
    for line, masked in unmistakable_personnummer(text, lines_joined=is_page):
        problems.error(path, line, f"a personnummer ({masked}) in the attachment", _ATTACHMENT_HINT)


def unmistakable_personnummer(text: str, space_separates: bool = True,
                              lines_joined: bool = True) -> list[tuple[int, str]]:
    """(line, number masked) of each personnummer in a text where nothing can allow one
    (an attachment, site.yml). Only numbers that cannot be phone numbers count there: a
    list of contacts is a common attachment, and the accessibility statement asks for a
    contact. Without `space_separates`, a space between date and serial is not taken
    for a separator: text read from a PDF has one between the cells of a table, where a
    date and an account number stand side by side."""
    return [(line, _mask(found)) for line, found in domain.personnummer_lines(text, lines_joined)
            if domain.unmistakable(found) and (space_separates or not _spaced(found))]


def _spaced(found: str) -> bool:
    """Whether the date and serial of a personnummer found are apart by a space alone."""
    between = found[:-4].lstrip("0123456789")
    return bool(between) and not between.strip(domain.SPACES)


def check_file_scan(path: Path, scan, problems: Problems) -> None:
    """What reading a PDF or office attachment found (attachments.FileScan)."""
    for page, masked in scan.personnummer:
        where = f"on page {page} of" if page else "in"
        problems.error(path, 0, f"a personnummer ({masked}) {where} the attachment", _ATTACHMENT_HINT)
    if scan.unreadable:
        _warn_unread(path, scan.unreadable, problems)
    elif not scan.has_text:
        problems.warning(path, 0, "the attachment has no text, only pictures of pages (a scan): screen "
                                  "readers cannot read it, and site-gen cannot look for personnummer in it",
                         "run text recognition (OCR) on it, or check it yourself before it is published")


def check_unread_format(path: Path, suffix: str, problems: Problems) -> None:
    """A file of a format site-gen cannot read (an archive, a file without an extension)
    is published unread: its sender must know."""
    what = f"{suffix[1:].upper()} files" if suffix else "files without an extension"
    _warn_unread(path, f"site-gen does not read {what}", problems)


def _warn_unread(path: Path, why: str, problems: Problems) -> None:
    problems.warning(path, 0, f"the attachment cannot be read to look for personnummer in it ({why})",
                     "open it and check it yourself before it is published")


_ATTACHMENT_HINT = "remove it, or list the attachment without 'file' so that only its title is published"


def check_config_personnummer(path: Path, text: str, located, problems: Problems) -> None:
    """site.yml's names and contact details are published on every page."""
    found = unmistakable_personnummer(text)
    found += [(located.line_of(key_path), _mask(number))
              for key_path, number in _escaped_personnummer(text, located) if domain.unmistakable(number)]
    for line, masked in found:
        problems.error(path, line, f"a personnummer ({masked}) in site.yml", "remove it")


def _section_headings(kind: str, text: str, body_line: int) -> list[tuple[int, int]]:
    """(line, number) of each § or agenda item heading in the body, in order: as the body
    is cut into sections (a '## § 4' in a fenced code block is none)."""
    body_text = "\n".join(text.split("\n")[body_line - 1:])
    sections, _ = body.sections_of(kind, body_text, body_line)
    return [(section.line, section.number) for section in sections]


def _mask(found: str) -> str:
    """'121212-XXXX': the serial hidden, a dash or space of any kind written '-'."""
    date, between = re.fullmatch(r"(\d+)(\D*)", found[:-4]).groups()
    return date + ("+" if "+" in between else "-" if between else "") + "XXXX"
