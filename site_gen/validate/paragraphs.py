"""Rules on § numbers: within a meeting, and running on through the year per organ;
and on paragraphs against the agenda items of the meeting's kallelse."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from pathlib import Path

from site_gen import domain
from site_gen.load.body import KIND_SUFFIX
from site_gen.load.documents import ATTACHMENT_DIR, CONTENT_DIR, FILE_NAME_DATE, KIND_LINE
from site_gen.load.markdown import heading_key
from site_gen.model import Meeting, Site, in_ranges
from site_gen.problems import ERROR, Problems
from site_gen.validate.lines import line_of


def check_presence_ranges(meeting: Meeting, problems: Problems) -> None:
    protokoll = meeting.protokoll
    if not protokoll.paragraphs:  # reported as such, not once for each range
        return
    numbers = {p.number for p in protokoll.paragraphs}
    for attendance in meeting.attendances:
        name = attendance.person.name
        for what, ranges in (("is present", attendance.present), ("serves", attendance.serving)):
            for start, end in ranges or ():
                missing = [n for n in (start, end) if n not in numbers]
                if missing:
                    problems.error(protokoll.source, attendance.line,
                                   f"{name} {what} for {domain.format_ranges([(start, end)])}, but the "
                                   f"protokoll has no § {missing[0]}",
                                   f"the paragraphs run {protokoll.paragraph_span}")
        if attendance.serving == ():
            problems.error(protokoll.source, attendance.line, f"{name}'s 'tjänstgör' names no paragraph",
                           "write the paragraphs served in, such as 'tjänstgör: 161', or remove the line")
        elif attendance.serving and not attendance.voting:
            problems.error(protokoll.source, attendance.line, f"{name} serves ('tjänstgör') but is not among "
                           "beslutande", "list a tjänstgörande ersättare under 'beslutande', with "
                           "'tjänstgör' for the paragraphs served in")
        elif attendance.serving:
            away = [p.number for p in protokoll.paragraphs if not attendance.is_present_for(p.number)
                    and in_ranges(p.number, attendance.serving)]
            if away:
                problems.error(protokoll.source, attendance.line, f"{name} serves ('tjänstgör') for § "
                               f"{away[0]}, but is not present for it", "'tjänstgör' names paragraphs "
                               "within the 'present' range")


NUMBERED_IN_TURN = "a protokoll's paragraphs are numbered one after another"


def check_numbering_within(meeting: Meeting, problems: Problems) -> None:
    """Each § numbered one more than the one before it. One number typed wrong
    (§ 74, 57, 76) is told once, at its line, and so are two in each other's places
    (§ 72, 74, 73, 75; also the first two): the numbers after them, in turn, are not
    told again."""
    protokoll = meeting.protokoll
    numbers = [p.number for p in protokoll.paragraphs]
    if len(numbers) < 2:
        return
    before, index = numbers[0], 1
    if numbers[1] == before - 1 and numbers[2:3] in ([], [before + 1]):
        problems.error(protokoll.source, protokoll.paragraphs[0].line, _swapped(before, numbers[1]),
                       _swapped_hint(numbers[1], before))
        index = 2
    while index < len(numbers):
        number, expected = numbers[index], before + 1
        following = numbers[index + 1] if index + 1 < len(numbers) else None
        line = protokoll.paragraphs[index].line
        if number in (before, expected):
            before, index = number, index + 1
        elif number == expected + 1 and following == expected:
            problems.error(protokoll.source, line, _swapped(number, expected),
                           _swapped_hint(expected, number))
            before, index = number, index + 2
        elif following == expected + 1:
            problems.error(protokoll.source, line, f"§ {number} stands between § {before} and § {following}",
                           f"check the number: § {expected} was expected")
            before, index = expected, index + 1
        else:
            what = "a gap" if number > expected else "out of order"
            problems.error(protokoll.source, line, f"§ {number} follows § {before}: {what}",
                           f"expected § {expected}; {NUMBERED_IN_TURN}")
            before, index = number, index + 1


def _swapped(first: int, second: int) -> str:
    return f"§ {first} and § {second} are in each other's places"


def _swapped_hint(lower: int, higher: int) -> str:
    return f"number them § {lower}, § {higher} in the order they stand; {NUMBERED_IN_TURN}"


def check_secret_items_stay_secret(meeting: Meeting, problems: Problems) -> None:
    """A matter the kallelse keeps secret (an item under sekretess) whose paragraph in
    the protokoll, known by the same heading or one much like it, is not: its text
    would be published, most likely because the entry was not written, or was lost."""
    found, paired = set(), set()
    for paragraph, item in _paragraphs_with_their_items(meeting, lambda item: item.sekretess, or_alike=True):
        found.add(item.number)
        paired.add(paragraph.number)
        if not paragraph.sekretess:
            problems.warning(meeting.protokoll.source, paragraph.line,
                             f"§ {paragraph.number} is published in full, but the kallelse keeps the same "
                             f"matter secret (item {item.number}, {item.sekretess})",
                             f"to keep it secret here too, add 'sekretess: {item.sekretess}' under "
                             f"paragraphs → {paragraph.number}")
    _check_secret_items_without_paragraph(meeting, found, paired, problems)


def _check_secret_items_without_paragraph(meeting: Meeting, found: set[int], paired: set[int],
                                         problems: Problems) -> None:
    """Secret items that no heading of the protokoll names (`found`: the items that one
    does), more of them than secret paragraphs no item was paired with (`paired`): a
    matter may stand under a heading written anew, published in full (or an item was
    withdrawn, which the warning asks the writer to see is so)."""
    protokoll = meeting.protokoll
    unfound = [item for item in meeting.kallelse.items if item.sekretess and item.number not in found] \
        if meeting.kallelse else []
    unpaired = sum(1 for p in protokoll.paragraphs if p.sekretess and p.number not in paired)
    if len(unfound) <= unpaired:
        return
    for item in unfound:
        problems.warning(protokoll.source, line_of(protokoll, "paragraphs"),
                         f"the kallelse keeps item {item.number} secret ({item.heading_text}, "
                         f"{item.sekretess}), but no paragraph has its heading, and the protokoll keeps "
                         f"{unpaired or 'no'} other paragraph{'' if unpaired == 1 else 's'} secret",
                         f"if the matter is in the protokoll under another heading, add 'sekretess: "
                         f"{item.sekretess}' under paragraphs → its number; if it was withdrawn from "
                         f"the agenda, nothing is published and this can be left")


def check_decisions_found(meeting: Meeting, problems: Problems) -> None:
    """A matter the kallelse put up for decision ('– beslut') whose paragraph has no
    decision site-gen can read: most likely one written in a way it does not know, which
    would then be missing from the lists of decisions and the appeal dates."""
    for paragraph, item in _paragraphs_with_their_items(meeting, lambda item: item.kind.startswith("beslut")):
        if not paragraph.decisions and not paragraph.sekretess:
            problems.warning(meeting.protokoll.source, paragraph.line,
                             f"§ {paragraph.number} has no decision that site-gen can read, though the "
                             f"kallelse put the matter up for decision (item {item.number})",
                             "write it as '**Beslut:** …' or '… beslutar att …' (docs/format.md, "
                             "Decisions); a matter tabled or sent back has that as its decision: "
                             "'**Beslut:** Ärendet bordläggs.'")


def check_items_for_decision_kept(meeting: Meeting, problems: Problems) -> None:
    """A matter the kallelse put up for decision ('– beslut') that no paragraph has the
    heading of (nor one much like it), where such items are more than the paragraphs
    paired with no item: its paragraph, and its decision, may be missing from the
    protokoll (an item withdrawn from the agenda gives this warning too, and it can then
    be left). A secret item has its own check."""
    protokoll = meeting.protokoll
    if not meeting.kallelse or not protokoll.paragraphs:
        return
    decided = [i for i in meeting.kallelse.items if i.kind.startswith("beslut") and not i.sekretess]
    if not decided:
        return
    # Pairing items with headings much like theirs takes one from each side: where no
    # more items than paragraphs are left unpaired by their headings as written, none
    # can be missing, and the costly comparison is left out (nearly every meeting).
    items = {matter_key(item.heading_text) for item in meeting.kallelse.items}
    headings = {matter_key(paragraph.heading_text) for paragraph in protokoll.paragraphs}
    if len(items - headings) <= len(headings - items):
        return
    pairs = list(_paragraphs_with_their_items(meeting, lambda item: True, or_alike=True))
    found = {item.number for _, item in pairs}
    paired = {paragraph.number for paragraph, _ in pairs}
    unfound = [item for item in decided if item.number not in found]
    unpaired = sum(1 for paragraph in protokoll.paragraphs if paragraph.number not in paired)
    if len(unfound) <= unpaired:
        return
    for item in unfound:
        problems.warning(protokoll.source, protokoll.paragraphs[0].line,
                         f"the kallelse put item {item.number} up for decision ({item.heading_text}), "
                         "but no paragraph has its heading",
                         "if the matter is in the protokoll under another heading, give it the item's; "
                         "if it was withdrawn from the agenda, nothing is missing and this can be left")


def _paragraphs_with_their_items(meeting: Meeting, which, or_alike: bool = False):
    """(paragraph, agenda item) of each paragraph whose heading is that of one of the
    kallelse's items for which `which` holds, told apart by words only (see matter_key;
    of items alike in those, one for which `which` holds); `or_alike`: or, for the
    paragraphs named as no item is, a heading much like it (MUCH_ALIKE) or the start of
    it, where being wrong costs a warning and missing one publishes."""
    if not meeting.kallelse:
        return
    by_key: dict[str, list] = defaultdict(list)
    for item in meeting.kallelse.items:
        by_key[matter_key(item.heading_text)].append(item)
    items = {}
    for key, alike in by_key.items():
        chosen = [item for item in alike if which(item)]
        if chosen:
            items[key] = chosen[0]
    unmatched = dict(items)
    left = []  # paragraphs named as no item is
    for paragraph in meeting.protokoll.paragraphs if items else ():
        key = matter_key(paragraph.heading_text)
        if key in items:
            unmatched.pop(key, None)
            yield paragraph, items[key]
        elif key not in by_key:
            left.append((key, paragraph))
    for key, paragraph in left if or_alike else ():
        item = next((item for item_key, item in unmatched.items() if _alike(key, item_key)), None)
        if item is not None:
            yield paragraph, item


# Words in a heading that say nothing of the matter: an attachment's number in brackets,
# '(bilaga 3)', '(bil. 2 och 3)', and the kind of item, '– beslut'.
# Possessive: a long run of spaces is read one way only.
_ATTACHMENT_NOTE = re.compile(r"\(\s*+(?:se\s++)?bil(?:aga|agorna|agor|\.)?+[\d\s,–-]*+"
                              r"(?:och\s++\d++\s*+)?\)", re.IGNORECASE)
MUCH_ALIKE = 0.85
SHORTEST_START = 12  # characters of a heading that may be the start of another's


def matter_key(heading: str) -> str:
    """A heading as it names its matter, so the kallelse's item and the protokoll's
    paragraph are found alike: no attachment note or kind, dashes and spaces as one."""
    kind = KIND_SUFFIX.match(heading)
    if kind:
        heading = kind.group("head") + " " + (kind.group("rest") or "")
    return heading_key(re.sub(r"[–—]", "-", _ATTACHMENT_NOTE.sub(" ", heading))).rstrip(" .:")


def _alike(one: str, other: str) -> bool:
    shorter, longer = sorted((one, other), key=len)
    return ((len(shorter) >= SHORTEST_START and longer.startswith(shorter))
            or difflib.SequenceMatcher(None, one, other).ratio() >= MUCH_ALIKE)


DATE_LINE = re.compile(r"^date:[ \t]*[\"']?(\d{4}-\d\d-\d\d)", re.M)  # a document's date, read from its text


def unread_protokolls(root: Path, meetings: list[Meeting],
                      problems: Problems) -> dict[str, list[tuple[dt.date | None, str]]]:
    """Per organ folder, each protokoll that could not be read (a YAML error, not UTF-8
    …): its day, as its file name or its 'date:' line gives it (None when neither does),
    and its path as messages show it. That is a document with an error reported that is
    not among the meetings' documents. Such a protokoll may hold the paragraphs another
    one seems to lack."""
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
        text = text_or_empty(content.joinpath(*parts))
        kind = KIND_LINE.search(text)  # else the file's name tells, as `site-gen new` names files
        if (kind.group(1) == "kallelse") if kind else ("kallelse" in parts[-1]):
            continue
        day = FILE_NAME_DATE.match(parts[-1]) or DATE_LINE.search(text)
        unread[parts[0]].append((_date_or_none(day.group(1)) if day else None, where))
    return unread


def text_or_empty(path: Path) -> str:
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


# Days within which a meeting is most likely the organ's next one: an organ meets about
# monthly (a meeting missing from the site between two this close is worth a look too).
NEXT_MEETING_DAYS = 45


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
                earlier = problems.relative(before.protokoll.source)
                restart = (f"§ numbers start again at § 1 each calendar year; if this is the "
                           f"first meeting of {after.date.year}, it starts at § 1")
                if first.number == last + 1:
                    problems.warning(after.protokoll.source, first.line,
                                     f"{organ.name}'s numbering runs on from {before.date.year}: the meeting "
                                     f"{before.date.isoformat()} ({earlier}) "
                                     f"ended at § {last}, this one starts at § {first.number}", restart)
                elif first.number > 1 and before.protokoll.paragraph_span == after.protokoll.paragraph_span:
                    # A protokoll made from the last one of the year before, its numbers left.
                    problems.warning(after.protokoll.source, first.line,
                                     f"this protokoll has the § numbers of the meeting "
                                     f"{before.date.isoformat()} ({earlier}), "
                                     f"{after.protokoll.paragraph_span}: copied from it?", restart)
                elif ((after.date - before.date).days <= NEXT_MEETING_DAYS
                      and 1 < first.number and before.protokoll.paragraphs[0].number <= first.number <= last):
                    # Numbered on from the meeting just before, or from a copy of it. (Longer
                    # after it, meetings of the new year may be missing from the site.)
                    problems.warning(after.protokoll.source, first.line,
                                     f"this protokoll starts at § {first.number}, among the § numbers of the "
                                     f"meeting {before.date.isoformat()} ({earlier}), "
                                     f"{before.protokoll.paragraph_span}: numbered on from it?", restart)
                continue
            problem = ("repeats numbers already used" if first.number <= last
                       else f"leaves a gap (§ {last + 1} is missing)" if first.number == last + 2
                       else f"leaves a gap (§ {last + 1}–{first.number - 1} are missing)")
            problems.error(after.protokoll.source, first.line,
                           f"{organ.name}'s numbering {problem}: the meeting {before.date.isoformat()} "
                           f"({problems.relative(before.protokoll.source)}) ended at § {last}, "
                           f"this one starts at § {first.number}",
                           f"§ numbers run on through the year; this meeting should start at § {last + 1}")
