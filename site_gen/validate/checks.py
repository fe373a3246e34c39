"""The rules `site-gen check` (and every build) applies to the assembled site.

Each rule is one function that reads the model and reports to `Problems`; the
Swedish rules themselves (appeal time, personnummer) live in `domain`.
docs/checks.md lists every rule with an example message.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import os
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

from site_gen import domain
from site_gen.load import body
from site_gen.model import Meeting, Notice, Protokoll, Site
from site_gen.problems import ERROR, Problems
from site_gen.times import build_date
from site_gen.validate.formats import ANSLAG
from site_gen.validate.schema import CONTROL_CHARACTER


def run_checks(site: Site, problems: Problems) -> None:
    today = build_date(site.dates_passed())  # the day the site is built for
    for meeting in site.meetings:
        if meeting.protokoll:
            check_attendance(meeting, problems)
            check_justerare_named(meeting, problems)
            check_presence_ranges(meeting, problems)
            check_paragraph_people(meeting, problems)
            check_notice_dates(meeting, today, problems)
            check_corrections(meeting, problems)
            check_numbering_within(meeting, problems)
    check_numbering_across(site, problems)
    check_spellings(site, problems)
    check_documents_among_attachments(site, problems)
    check_withheld_files_published_elsewhere(site, problems)


def _line(protokoll: Protokoll, key: str) -> int:
    return protokoll.lines.get(key, protokoll.lines.get(key.split(".")[0], 1))


def _reported_wrong(protokoll: Protokoll, key: str, problems: Problems) -> bool:
    """Whether the key is in the front matter with a value already reported as wrong
    (it is then missing from the model, which the rules would take for not given)."""
    return key in protokoll.lines and problems.has_error_at(protokoll.source, protokoll.lines[key])


# --- people ----------------------------------------------------------------------


def check_attendance(meeting: Meeting, problems: Problems) -> None:
    protokoll = meeting.protokoll
    seen: dict[str, int] = {}
    for attendance in meeting.attendances:
        key = attendance.person.slug
        if key in seen:
            problems.error(protokoll.source, attendance.line,
                           f"{attendance.person.name} is listed twice (also on line {seen[key]})",
                           "keep one entry; use 'present' for someone who was there only for some paragraphs")
        else:
            seen[key] = attendance.line
    present = {a.person for a in meeting.attendances}
    voting = {a.person for a in meeting.attendances if a.voting}
    for person in protokoll.justerare:
        if person not in present:
            # 'justerare: Anna Frej, Bo Berg' is one name to YAML: two people were meant.
            hint = (f"write the names as a list: 'justerare: [{person.name}]'" if ", " in person.name
                    else "add the person to 'beslutande', or check the spelling of the name")
            problems.error(protokoll.source, _line(protokoll, "justerare"),
                           f"the justerare {person.name} is not among those present", hint)
        elif person == protokoll.sekreterare:
            problems.error(protokoll.source, _line(protokoll, "justerare"),
                           f"the sekreterare {person.name} is also named justerare",
                           "the justerare are members who check the secretary's minutes; "
                           "name one of 'beslutande'")
        elif person not in voting:
            problems.warning(protokoll.source, _line(protokoll, "justerare"),
                             f"the justerare {person.name} is not among 'beslutande'",
                             "the justerare are members who took part in the decisions; move the person to "
                             "'beslutande' if they are one, or check who was chosen")
    if protokoll.sekreterare and protokoll.sekreterare not in present:
        problems.error(protokoll.source, _line(protokoll, "sekreterare"),
                       f"the sekreterare {protokoll.sekreterare.name} is not among those present",
                       "add the person to 'övriga_deltagare', or check the spelling of the name")
    chairs = [a for a in meeting.attendances if a.role.lower() == "ordförande"]
    if not chairs:
        problems.warning(protokoll.source, _line(protokoll, "beslutande"),
                         "nobody has the role 'ordförande'",
                         "add 'role: ordförande' to the member who chaired the meeting")
    for chair in chairs[1:]:
        problems.error(protokoll.source, chair.line, "more than one person has the role 'ordförande'",
                       "a meeting has one chair; use 'vice ordförande' or another role")
    for chair in chairs:
        if not chair.voting:
            problems.error(protokoll.source, chair.line,
                           f"the ordförande {chair.person.name} is not among 'beslutande'",
                           "move the person to 'beslutande'")


def check_justerare_named(meeting: Meeting, problems: Problems) -> None:
    """The justerare are chosen at the meeting, so a protokoll names them: an empty list
    is one not filled in yet (as `site-gen new` leaves it), and a protokoll justerat
    by nobody would publish a check that nobody made."""
    protokoll = meeting.protokoll
    if protokoll.justerare or "justerare" not in protokoll.lines or \
            _reported_wrong(protokoll, "justerare", problems):
        return  # a missing key or a wrong value is reported by the schema
    line = _line(protokoll, "justerare")
    hint = "add the members chosen to check the minutes, e.g. 'justerare: [Anna Frej]'"
    if protokoll.notice.justeringsdatum:
        problems.error(protokoll.source, line, "the protokoll has a justeringsdatum but names no justerare",
                       hint)
    else:
        problems.warning(protokoll.source, line, "no justerare is named yet", hint)


def check_paragraph_people(meeting: Meeting, problems: Problems) -> None:
    """Reservations, notes and votes name people present for that paragraph and not
    jäv; jäv names someone at the meeting, who then stepped out."""
    protokoll = meeting.protokoll
    attendance = {a.person: a for a in meeting.attendances}
    for paragraph in protokoll.paragraphs:
        named = [(r.person, "reservation") for r in paragraph.reservations]
        named += [(n.person, "protokollsanteckning") for n in paragraph.protokollsanteckningar]
        voters = paragraph.votering.ja + paragraph.votering.nej + paragraph.votering.avstår \
            if paragraph.votering else []
        named += [(person, "votering") for person in voters]
        for person, key in named:
            present = attendance.get(person)
            if person in paragraph.jäv:
                problems.error(protokoll.source, _entry_line(paragraph, key),
                               f"§ {paragraph.number} names {person.name}, who was jäv and "
                               "took no part in it", "remove the name, or the jäv")
            elif present is None or not present.is_present_for(paragraph.number):
                problems.error(protokoll.source, _entry_line(paragraph, key),
                               f"§ {paragraph.number} names {person.name}, who was not present "
                               "for this paragraph", _not_present_hint(person.name, key))
        for person in voters:
            if person in attendance and not attendance[person].voting:
                problems.error(protokoll.source, _entry_line(paragraph, "votering"),
                               f"§ {paragraph.number}: {person.name} votes but is not among beslutande",
                               "only beslutande vote; check 'votering'")
        for person in {p for p in voters if voters.count(p) > 1}:
            problems.error(protokoll.source, _entry_line(paragraph, "votering"),
                           f"§ {paragraph.number}: {person.name} is listed more than once in 'votering'",
                           "each member votes once: under 'ja', 'nej' or 'avstår'")
        for reservation in paragraph.reservations:
            person = reservation.person
            if person in attendance and not attendance[person].voting:
                problems.error(protokoll.source, _entry_line(paragraph, "reservation"),
                               f"§ {paragraph.number}: {person.name} reserves against the decision but is "
                               "not among beslutande",
                               "only those who took part in the decision can reserve; "
                               "others can have a 'protokollsanteckning'")
        for person in paragraph.jäv:
            if person not in attendance:
                problems.error(protokoll.source, _entry_line(paragraph, "jäv"),
                               f"§ {paragraph.number}: {person.name} is jäv but not among those present",
                               "check the spelling of the name")


def _not_present_hint(name: str, key: str) -> str:
    """A reservation or note written as one sentence is read as a name: say how to write it."""
    sentence = name.endswith((".", "!", "?")) or len(name.split()) > 5
    if sentence and key in ("reservation", "protokollsanteckning"):
        return (f"write who and what apart: '- name: …' and, under it, 'text: …' "
                f"(in '{key}' a line of its own is read as a name)")
    return "check the name and the member's 'present' range"


def _entry_line(paragraph, key: str) -> int:
    """The line of the paragraph's entry `key` ('votering' …) in `paragraphs`."""
    return paragraph.meeting.protokoll.lines.get(f"§{paragraph.number}.{key}", paragraph.line)


def check_spellings(site: Site, problems: Problems) -> None:
    """Warn where a name looks like a misspelling of a name used elsewhere."""
    by_token: dict[tuple[int, str], list] = defaultdict(list)
    for person in site.persons:
        tokens = person.slug.split("-")
        for index in range(len(tokens)):  # names that agree on all but one word
            rest = "-".join(tokens[:index] + ["*"] + tokens[index + 1:])
            by_token[(index, rest)].append(person)
    for (index, _), group in sorted(by_token.items()):
        for position, one in enumerate(group):
            for other in group[position + 1:]:
                if _looks_misspelt(one.slug.split("-")[index], other.slug.split("-")[index]):
                    _warn_spelling(one, other, problems)
                    _warn_spelling(other, one, problems)


def _looks_misspelt(word: str, other: str) -> bool:
    """One typing slip apart (two in long words): Vigen/Vigren, not Nilsson/Olsson."""
    allowed = 1 if max(len(word), len(other)) <= 7 else 2
    return edit_distance(word, other) <= allowed


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def _warn_spelling(person, other, problems: Problems) -> None:
    where = other.attendances[0].meeting if other.attendances else None
    elsewhere = f" (in {where.organ.name} {where.date.isoformat()})" if where else ""
    for attendance in person.attendances:
        problems.warning(attendance.meeting.protokoll.source, attendance.line,
                         f"'{person.name}' is spelt '{other.name}' elsewhere{elsewhere}",
                         "if this is the same person, use one spelling everywhere")


# --- paragraphs ------------------------------------------------------------------


def check_presence_ranges(meeting: Meeting, problems: Problems) -> None:
    protokoll = meeting.protokoll
    if not protokoll.paragraphs:  # reported as such, not once for each range
        return
    numbers = {p.number for p in protokoll.paragraphs}
    for attendance in meeting.attendances:
        for start, end in attendance.present or ():
            missing = [n for n in (start, end) if n not in numbers]
            if missing:
                problems.error(protokoll.source, attendance.line,
                               f"{attendance.person.name} is present for § {start}-{end}, but the "
                               f"protokoll has no § {missing[0]}",
                               f"the paragraphs run {protokoll.paragraph_span}")


def check_numbering_within(meeting: Meeting, problems: Problems) -> None:
    paragraphs = meeting.protokoll.paragraphs
    for before, after in zip(paragraphs, paragraphs[1:], strict=False):
        if after.number != before.number + 1 and after.number != before.number:
            expected = before.number + 1
            what = "a gap" if after.number > expected else "out of order"
            problems.error(meeting.protokoll.source, after.line,
                           f"§ {after.number} follows § {before.number}: {what}",
                           f"expected § {expected}; a protokoll's paragraphs are numbered one after another")


DATE_LINE = re.compile(r"^date:[ \t]*[\"']?(\d{4}-\d\d-\d\d)", re.M)  # a document's date, read from its text


def unread_protokolls(root: Path, meetings: list[Meeting],
                      problems: Problems) -> dict[str, list[tuple[dt.date | None, str]]]:
    """Per organ folder, each protokoll that could not be read (a YAML error, not UTF-8
    …): its day, as its file name or its 'date:' line gives it (None when neither does),
    and its path as messages show it. That is a document with an error reported that is
    not among the meetings' documents. Such a protokoll may hold the paragraphs another
    one seems to lack."""
    from site_gen.load.documents import (  # documents imports this module
        ATTACHMENT_DIR,
        CONTENT_DIR,
        FILE_NAME_DATE,
        KIND_LINE,
    )

    unread: dict[str, list[tuple[dt.date | None, str]]] = defaultdict(list)
    with_errors = {p.path for p in problems.items if p.severity == ERROR}
    if not with_errors:  # the usual build: nothing to look for
        return unread
    read = {d.source for m in meetings for d in (m.protokoll, m.kallelse) if d}
    content = root / CONTENT_DIR
    folder = problems.relative(content) + "/"
    for where in with_errors:
        parts = where[len(folder):].split("/") if where.startswith(folder) else []
        if (len(parts) < 2 or ATTACHMENT_DIR in parts or not where.endswith(".md")
                or content.joinpath(*parts) in read):
            continue
        text = _text_or_empty(content.joinpath(*parts))
        kind = KIND_LINE.search(text)  # else the file's name tells, as `site-gen new` names files
        if (kind.group(1) == "kallelse") if kind else ("kallelse" in parts[-1]):
            continue
        day = FILE_NAME_DATE.match(parts[-1]) or DATE_LINE.search(text)
        unread[parts[0]].append((_date_or_none(day.group(1)) if day else None, where))
    return unread


def _text_or_empty(path: Path) -> str:
    """The file's text, or '' when it is not one that can be read (a pipe would block)."""
    try:
        return path.read_text(encoding="utf-8-sig", errors="replace") if path.is_file() else ""
    except OSError:
        return ""


def _date_or_none(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def check_numbering_across(site: Site, problems: Problems) -> None:
    """§ numbers run on through the calendar year for each organ. A gap where a
    protokoll that could not be read may lie is not reported: that protokoll is, and
    the rule is run again once it can be read."""
    unread = unread_protokolls(site.config.root, site.meetings, problems)
    for organ in site.organs:
        meetings = sorted((m for m in organ.meetings if m.protokoll and m.protokoll.paragraphs),
                          key=lambda m: m.date)
        for before, after in zip(meetings, meetings[1:], strict=False):
            last = before.protokoll.paragraphs[-1].number
            first = after.protokoll.paragraphs[0]
            if first.number == domain.next_paragraph_number(before.date, last, after.date):
                continue
            if first.number > last and any(day is None or before.date < day < after.date
                                           for day, _ in unread.get(organ.slug, ())):
                continue
            if before.date.year != after.date.year:
                # The site may lack the new year's first meetings, so only numbers that
                # plainly run on from the year before are reported.
                if first.number == last + 1:
                    earlier = problems.relative(before.protokoll.source)
                    problems.warning(after.protokoll.source, first.line,
                                     f"{organ.name}'s numbering runs on from {before.date.year}: the meeting "
                                     f"{before.date.isoformat()} ({earlier}) "
                                     f"ended at § {last}, this one starts at § {first.number}",
                                     f"§ numbers start again at § 1 each calendar year; if this is the "
                                     f"first meeting of {after.date.year}, it starts at § 1")
                continue
            problem = ("repeats numbers already used" if first.number <= last
                       else f"leaves a gap (§ {last + 1} is missing)" if first.number == last + 2
                       else f"leaves a gap (§ {last + 1}–{first.number - 1} are missing)")
            problems.error(after.protokoll.source, first.line,
                           f"{organ.name}'s numbering {problem}: the meeting {before.date.isoformat()} "
                           f"({problems.relative(before.protokoll.source)}) ended at § {last}, "
                           f"this one starts at § {first.number}",
                           f"§ numbers run on through the year; this meeting should start at § {last + 1}")


def check_withheld_files_published_elsewhere(site: Site, problems: Problems) -> None:
    """A file a protokoll keeps off the site, as only its secret paragraphs mention it, must
    not reach the site as another document's attachment (the meeting's kallelse, say):
    published once, it cannot be taken back. The same file is the same bytes, however
    it was reached: another spelling of its path, a link, a copy."""
    withheld = {}
    for meeting in site.meetings:
        for kept in meeting.protokoll.attachments if meeting.protokoll else ():
            if kept.withheld:
                withheld.update(dict.fromkeys(_identities(kept.withheld), (meeting, kept)))
    if not withheld:
        return
    for meeting in site.meetings:
        for document in (meeting.protokoll, meeting.kallelse):
            for attachment in document.attachments if document else ():
                found = (withheld.get(_same_file(attachment.source)) or withheld.get(attachment.digest)
                         if attachment.source else None)
                if found:
                    other, kept = found
                    file = problems.relative(Path(os.path.normpath(attachment.source)))
                    problems.error(document.source, attachment.line,
                                   f"bilaga {attachment.number} publishes {file}, which the protokoll of "
                                   f"{other.organ.name} {other.date.isoformat()} keeps off the site as its "
                                   f"bilaga {kept.number}: only paragraphs under sekretess mention it there",
                                   "remove 'file' here to list only its title; if the attachment is public, "
                                   "mention it in a paragraph of that protokoll that is not secret")


def _identities(path: Path) -> list[str]:
    """The file's place, and the digest of its bytes when it has any: a published
    attachment matching either is the same file."""
    try:
        raw = path.read_bytes() if path.is_file() else b""
    except OSError:
        raw = b""
    return [_same_file(path)] + ([hashlib.sha1(raw).hexdigest()] if raw else [])


def _same_file(path: Path) -> str:
    """One spelling of a file's place, however a document's 'file' reached it."""
    try:
        found = os.path.realpath(path)
    except (OSError, ValueError):
        found = os.path.normpath(path)
    return unicodedata.normalize("NFC", found)  # macOS writes å, ä and ö decomposed


def check_documents_among_attachments(site: Site, problems: Problems) -> None:
    """A protokoll or kallelse saved in a 'bilagor' folder is not read as a meeting
    document (files there are attachments): unless a document lists it as one of its
    attachments, it would be left off the site without a word."""
    from site_gen.load.documents import ATTACHMENT_DIR, CONTENT_DIR  # documents imports this module

    documents = [d for m in site.meetings for d in (m.protokoll, m.kallelse) if d]
    listed = {os.path.normpath(a.source) for d in documents for a in d.attachments if a.source}
    # Folder names as strings: a Path for each of 20,000 documents costs a tenth of a second.
    parents = {os.path.dirname(d.source) for d in documents}
    parents |= {os.path.join(site.config.root, CONTENT_DIR, organ) for organ in site.config.organs}
    for parent in sorted(parents):
        for inner, _, files in os.walk(os.path.join(parent, ATTACHMENT_DIR)):
            for name in sorted(files):
                path = os.path.join(inner, name)
                if name.endswith(".md") and not name.startswith(".") and os.path.normpath(path) not in listed:
                    _warn_of_a_document_among_attachments(Path(path), Path(parent), problems)


def _warn_of_a_document_among_attachments(path: Path, parent: Path, problems: Problems) -> None:
    from site_gen.load.documents import ATTACHMENT_DIR, meeting_document_kind

    found = meeting_document_kind(_text_or_empty(path))
    if found is None:  # an attachment written in Markdown
        return
    line, kind = found
    problems.warning(path, line, f"this file looks like a meeting document ('{kind}'), "
                     f"but lies in {ATTACHMENT_DIR}/, where files are read only as attachments, and no "
                     "document publishes it: it is left off the site",
                     f"move it to {problems.relative(parent)}/ if it is a meeting document; if it is an "
                     "attachment, remove 'kind:' and list it under 'bilagor' of its document")


# --- dates and the notice --------------------------------------------------------


def check_notice_dates(meeting: Meeting, today, problems: Problems) -> None:
    protokoll = meeting.protokoll
    notice = protokoll.notice
    source = protokoll.source
    justering = notice.justeringsdatum
    if justering:
        line = _line(protokoll, "justeringsdatum")
        if justering < meeting.date:
            problems.error(source, line, f"justeringsdatum {justering} is before the meeting "
                           f"({meeting.date})", "the minutes are checked after the meeting")
        elif (justering - meeting.date).days > domain.USUAL_JUSTERING_DAYS:
            problems.warning(source, line, f"justering {(justering - meeting.date).days} days "
                             f"after the meeting (usual: within {domain.USUAL_JUSTERING_DAYS})",
                             "check the date; a late justering delays the appeal time")
    elif not (notice.posted or _reported_wrong(protokoll, "justeringsdatum", problems)):
        # (A notice posted without a justering is an error of its own, below.) Without the
        # key, the warning points at the justerare: the date goes with them.
        line = protokoll.lines.get("justeringsdatum") or _line(protokoll, "justerare")
        problems.warning(source, line, "the protokoll is not justerat, but is published",
                         "minutes are published once they are checked and signed: add 'justeringsdatum' "
                         "when the justerare have signed, or keep the file out of content/ until then")
    if notice.posted and not notice.kept_at:
        problems.warning(source, _line(protokoll, "anslag"),
                         "the notice does not say where the minutes are kept",
                         "add 'förvaras:' to the organ in site.yml, or to the protokoll")
    _check_board_names(protokoll, notice, "anslag", problems)
    if not (justering and justering < meeting.date):  # the posting is judged from a right date only
        _check_posting(protokoll, notice, None, today, problems)
    for paragraph in protokoll.justerade_at_once:
        # Without an `anslag` of its own, the paragraph's notice is one not posted yet.
        own = paragraph.own_notice or Notice(justeringsdatum=meeting.date)
        _check_board_names(protokoll, own, f"§{paragraph.number}.anslag", problems)
        _check_posting(protokoll, own, paragraph.number, today, problems)


def _check_posting(protokoll: Protokoll, notice, number: int | None, today, problems: Problems) -> None:
    """The notice of a justering, on each of its boards: posted after it, in time, and
    kept up until the last day to appeal. `number`: the paragraph justerad at once it is
    of; None for the protokoll's."""
    source = protokoll.source
    justering = notice.justeringsdatum
    anslag = f"§{number}.anslag" if number else "anslag"  # keys of protokoll.lines
    subject = f"§ {number}, justerad at once: " if number else ""
    # (key in protokoll.lines, board name in messages, posted, taken down) for each board
    boards = [(f"{anslag}.{i}", f" hos {b.hos}" if b.hos else f" on board #{i + 1}", b.posted, b.taken_down)
              for i, b in enumerate(notice.boards)] or [(anslag, "", notice.posted, notice.taken_down)]
    last_posting = domain.last_posting_day(justering) if justering else None
    if notice.posted is None:
        if last_posting and today > last_posting:
            _report_not_posted(protokoll, notice, number, subject, boards, problems)
        if not any(posted for _, _, posted, _ in boards):
            return
    if justering is None:
        if not _reported_wrong(protokoll, "justeringsdatum", problems):
            problems.error(source, _line(protokoll, f"{boards[0][0]}.uppsättande"),
                           "the notice is posted but the protokoll has no justeringsdatum",
                           "add 'justeringsdatum:' with the date the minutes were checked")
        return
    last_day = notice.last_appeal_day  # None until the notice is up on every board
    for key, hos, posted, taken_down in boards:
        line = _line(protokoll, f"{key}.uppsättande")
        if posted is None:
            continue
        if posted < justering:
            problems.error(source, line, f"{subject}the notice was posted{hos} {posted}, before justering "
                           f"({justering})", "the notice is posted after the minutes are checked")
        elif posted > last_posting:
            problems.warning(source, line, f"{subject}the notice was posted{hos} {posted}, "
                             f"{(posted - justering).days} days after justering ({justering})",
                             "it should be posted at the latest on the second day after justering, "
                             f"moved past weekends and holidays: {last_posting}")
        # Until every board has it, the last day is at the earliest three weeks from this one.
        from_day = notice.posted or posted
        until = last_day or domain.last_appeal_day(posted)
        if taken_down is not None and taken_down < until:
            problems.error(source, _line(protokoll, f"{key}.nedtagande"),
                           f"{subject}the notice is taken down{hos} {taken_down}, before the last day to "
                           f"appeal ({until})",
                           f"keep it up at least until {until}: three weeks from {from_day}, "
                           "moved past weekends and holidays")


def _check_board_names(protokoll: Protokoll, notice, anslag: str, problems: Problems) -> None:
    """Each board of a notice on several is named, once: the pages list them by name."""
    seen: set[str] = set()
    for index, board in enumerate(notice.boards):
        line = _line(protokoll, f"{anslag}.{index}")
        if not board.hos:
            problems.error(protokoll.source, line, f"board #{index + 1} of the notice has no 'hos'",
                           "name each board the notice is posted on, e.g. 'hos: Vännäs kommun'")
        elif board.hos in seen:
            problems.error(protokoll.source, line, f"the notice lists the board '{board.hos}' twice",
                           "give each board once, with the day the notice went up there")
        seen.add(board.hos)


def _report_not_posted(protokoll: Protokoll, notice, number: int | None, subject: str, boards,
                       problems: Problems) -> None:
    """A justering due to be made known whose notice, on a board or on all, has no
    posting day: unless that day was written but found wrong."""
    source = protokoll.source
    justering = notice.justeringsdatum
    # The lines of each board's keys, to its next board's entry (a board has three keys).
    entries = [_line(protokoll, key) for key, _, _, _ in boards]
    ends = [following - 1 for following in entries[1:]] + [entries[-1] + len(ANSLAG.fields)]
    unposted = [(key, hos) for (key, hos, posted, _), first, last in zip(boards, entries, ends, strict=True)
                if posted is None
                and not (key in protokoll.lines and problems.has_error_at(source, first, last))]
    if not unposted:
        return
    if len(unposted) < len(boards):  # on some boards, not on all
        for key, hos in unposted:
            problems.warning(source, _line(protokoll, key),
                             f"{subject}the notice is recorded as posted on some boards, but not{hos}",
                             "add its 'uppsättande:': the time to appeal runs from the day the "
                             "notice is up on every board")
    elif number:
        problems.warning(source, _line(protokoll, f"§{number}.omedelbar_justering"),
                         f"§ {number} was justerad at once ({justering}), but no notice of it is "
                         "recorded as posted",
                         f"add 'anslag:' with 'uppsättande:' under paragraphs → {number}, the day "
                         "its notice went up: the time to appeal the paragraph runs from it")
    else:
        problems.warning(source, _line(protokoll, "justeringsdatum"),
                         f"the protokoll was justerat {justering}, but no notice is recorded as posted",
                         "add 'anslag:' with 'hos:' and 'uppsättande:', the day the notice went up: "
                         "the time to appeal runs from it")


LATE_CORRECTION_DAYS = 365  # a slip in the minutes is found within weeks, not years


def check_corrections(meeting: Meeting, problems: Problems) -> None:
    """A rättelse changes minutes already justerade; before justering they are simply edited."""
    protokoll = meeting.protokoll
    for correction in protokoll.corrections:
        at_once = correction.paragraph is not None and correction.paragraph.omedelbar_justering
        justering = meeting.date if at_once else protokoll.notice.justeringsdatum
        if justering is None:
            problems.warning(protokoll.source, correction.line,
                             "a rättelse of a protokoll that is not justerat yet",
                             "until justering, change the text itself and leave out the rättelse")
        elif correction.day < justering:
            problems.error(protokoll.source, correction.line,
                           f"the rättelse is dated {correction.day}, before justering ({justering})",
                           "a rättelse is made after justering; check the date")
        elif (correction.day - justering).days > LATE_CORRECTION_DAYS:
            # Mostly a mistyped year; and the newest date of the site becomes its build date.
            problems.warning(protokoll.source, correction.line,
                             f"the rättelse is dated {correction.day}, "
                             f"{(correction.day - justering).days} days after justering ({justering})",
                             "check the year: the site's notice board is built for the newest date "
                             "in the protokoll (see SOURCE_DATE_EPOCH)")


# --- personal data ---------------------------------------------------------------


def check_personnummer(path: Path, text: str, meta: dict, body_line: int,
                       problems: Problems) -> None:
    """A personnummer anywhere in a source is an error, unless its paragraph allows it
    or is secret (its text is not published; its heading is)."""
    hits = domain.personnummer_lines(text)
    if not hits:
        return
    paragraph_meta = meta.get("paragraphs", {})
    # Paragraphs are looked up, not counted from the top for each hit: a file of
    # several MB may hold thousands of numbers. Headings as written: '\## § 4' is none.
    headings = _paragraph_headings(text, body_line)
    heading_lines = [line for line, _ in headings]
    for line, found in hits:
        at = bisect.bisect_right(heading_lines, line) if line >= body_line else 0
        number = headings[at - 1][1] if at else None
        entry = paragraph_meta.get(number, {}) if number is not None else {}
        if entry.get("tillåt_personnummer") or (entry.get("sekretess") and line != heading_lines[at - 1]):
            continue
        if number is not None:
            where = f"§ {number}"
            hint = ("remove it, or if it must be published add 'tillåt_personnummer: true' "
                    f"under paragraphs → {number}")
        else:
            where = "the front matter" if line < body_line else "the text"
            hint = "remove it, or write only the birth date"
        problems.error(path, line, f"a personnummer ({_mask(found)}) in {where}", hint)


def check_control_characters(path: Path, text: str, first_line: int, problems: Problems) -> None:
    """An escape sequence or form feed pasted into a document's text, or into an
    attachment published as a page, would reach the page as garbage (YAML already
    refuses them in the front matter): one error per line."""
    reported = -1
    for found in CONTROL_CHARACTER.finditer(text):
        line = text.count("\n", 0, found.start())
        if line != reported:
            reported = line
            column = found.start() - text.rfind("\n", 0, found.start())
            problems.error(path, first_line + line, f"this line holds a control character "
                           f"(U+{ord(found.group()):04X}), which no page can show",
                           "remove it; it may have come along with text copied from another program",
                           column=column)


def check_attachment_personnummer(path: Path, text: str, problems: Problems) -> None:
    """An attachment published as a page (Markdown) or as text: no personnummer in it
    either."""
    for line, masked in unmistakable_personnummer(text):
        problems.error(path, line, f"a personnummer ({masked}) in the attachment", _ATTACHMENT_HINT)


def unmistakable_personnummer(text: str, space_separates: bool = True) -> list[tuple[int, str]]:
    """(line, number masked) of each personnummer in a text where nothing can allow one
    (an attachment, site.yml). Only numbers that cannot be phone numbers count there: a
    list of contacts is a common attachment, and the accessibility statement asks for a
    contact. Without `space_separates`, a space between date and serial is not taken
    for a separator: text read from a PDF has one between the cells of a table, where a
    date and an account number stand side by side."""
    return [(line, _mask(found)) for line, found in domain.personnummer_lines(text)
            if domain.unmistakable(found) and (space_separates or not _spaced(found))]


def _spaced(found: str) -> bool:
    """Whether the date and serial of a personnummer found are apart by a space alone."""
    between = found[:-4].lstrip("0123456789")
    return bool(between) and not between.strip(" \u00a0")


def check_file_scan(path: Path, scan, problems: Problems) -> None:
    """What reading a PDF or office attachment found (attachments.FileScan)."""
    for page, masked in scan.personnummer:
        where = f"on page {page} of" if page else "in"
        problems.error(path, 0, f"a personnummer ({masked}) {where} the attachment", _ATTACHMENT_HINT)
    if scan.unreadable:
        problems.warning(path, 0, f"the attachment cannot be read to look for personnummer in it "
                                  f"({scan.unreadable})",
                         "open it and check it yourself before it is published")
    elif not scan.has_text:
        problems.warning(path, 0, "the attachment has no text, only pictures of pages (a scan): screen "
                                  "readers cannot read it, and site-gen cannot look for personnummer in it",
                         "run text recognition (OCR) on it, or check it yourself before it is published")


_ATTACHMENT_HINT = "remove it, or list the attachment without 'file' so that only its title is published"


def check_config_personnummer(path: Path, text: str, problems: Problems) -> None:
    """site.yml's names and contact details are published on every page."""
    for line, masked in unmistakable_personnummer(text):
        problems.error(path, line, f"a personnummer ({masked}) in site.yml", "remove it")


def _paragraph_headings(text: str, body_line: int) -> list[tuple[int, int]]:
    """(line, § number) of each paragraph heading in the body, in order: as the body is
    cut into paragraphs (a '## § 4' in a fenced code block is none)."""
    body_text = "\n".join(text.split("\n")[body_line - 1:])
    sections, _ = body.paragraph_sections(body_text, body_line)
    return [(section.line, section.number) for section in sections]


def _mask(found: str) -> str:
    """'121212-XXXX': the serial hidden, a dash or space of any kind written '-'."""
    date, between = re.fullmatch(r"(\d+)(\D*)", found[:-4]).groups()
    return date + ("+" if "+" in between else "-" if between else "") + "XXXX"


