"""Rules on dates and the notice: justering, anslag, the last day to appeal, and
corrections. The Swedish rules themselves are in site_gen.domain."""

from __future__ import annotations

import datetime as dt
import re

from site_gen import domain
from site_gen.model import Meeting, Notice, Protokoll
from site_gen.problems import Problems
from site_gen.validate.formats import ANSLAG
from site_gen.validate.lines import line_of, reported_wrong


def check_meeting_day(meeting: Meeting, problems: Problems) -> None:
    """A meeting dated on a Sunday or a holiday: most likely a slip of the date, which
    would also move its justering and appeal dates, or send residents to a meeting to
    come on the wrong day."""
    unusual = domain.unusual_meeting_day(meeting.date)
    # A valnämnd (or 'Val- och demokratinämnden') meets on election day, a Sunday.
    if not unusual or re.search(r"\bval", meeting.organ.name.casefold()):
        return
    if meeting.protokoll:
        source, line = meeting.protokoll.source, line_of(meeting.protokoll, "date")
    else:  # a kallelse alone: its 'date:' line, read again for this rare message
        source = meeting.kallelse.source
        found = DATE_KEY.search(source.read_text(encoding="utf-8-sig", errors="replace"))
        line = found.string.count("\n", 0, found.start()) + 1 if found else 1
    problems.warning(source, line, f"the meeting is dated {meeting.date}, {unusual}",
                     "check the date; if the meeting was held that day, this can be left")


DATE_KEY = re.compile(r"^date:", re.MULTILINE)


def check_notice_dates(meeting: Meeting, today: dt.date, happened_by: dt.date, problems: Problems) -> None:
    """`today`: the day the site is built for; `happened_by`: the last day that has
    happened (times.last_day_passed)."""
    protokoll = meeting.protokoll
    notice = protokoll.notice
    source = protokoll.source
    justering = notice.justeringsdatum
    if justering:
        line = line_of(protokoll, "justeringsdatum")
        if justering < meeting.date:
            problems.error(source, line, f"justeringsdatum {justering} is before the meeting "
                           f"({meeting.date})", "the minutes are checked after the meeting")
        elif justering > min(today, happened_by):  # a date planned ahead: the page would say it is done
            by_clock = happened_by < today
            day = f"today ({happened_by})" if by_clock else f"{today}, the day the site is built for"
            problems.warning(source, line, f"justeringsdatum {justering} is after {day}, and the page "
                             "says the minutes are justerade",
                             "add justeringsdatum once the justerare have signed, or check the date "
                             "(SOURCE_DATE_EPOCH sets the build date)",
                             as_of=happened_by.isoformat() if by_clock else "")
        elif (justering - meeting.date).days > domain.USUAL_JUSTERING_DAYS:
            problems.warning(source, line, f"justering {(justering - meeting.date).days} days "
                             f"after the meeting (usual: within {domain.USUAL_JUSTERING_DAYS})",
                             "check the date; a late justering delays the appeal time")
    elif not (notice.posted or reported_wrong(protokoll, "justeringsdatum", problems)):
        # (A notice posted without a justering is an error of its own, below.) Without the
        # key, the warning points at the justerare: the date goes with them.
        line = protokoll.lines.get("justeringsdatum") or line_of(protokoll, "justerare")
        problems.warning(source, line, "the protokoll is not justerat, but is published",
                         "minutes are published once they are checked and signed: add 'justeringsdatum' "
                         "when the justerare have signed, or keep the file out of content/ until then")
    if notice.posted and not notice.kept_at:
        problems.warning(source, line_of(protokoll, "anslag"),
                         "the notice does not say where the minutes are kept",
                         "add 'förvaras:' to the organ in site.yml, or to the protokoll")
    if notice.posted and not notice.posted_where and not notice.boards:
        problems.warning(source, line_of(protokoll, "anslag"),
                         "the notice does not say where it was posted",
                         "add 'hos:' under 'anslag' (e.g. 'hos: Umeå kommun'), or 'anslag_hos:' to the "
                         "organ in site.yml")
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
    # Taken down but not posted, the day it went up not written (nor written wrong, and
    # told so): told whatever the build date.
    undated = [board for board, (first, last) in zip(boards, _entry_spans(protokoll, boards), strict=True)
               if board[2] is None and board[3] and not problems.has_error_at(source, first, last)]
    for key, hos, _, _ in undated:
        problems.warning(source, line_of(protokoll, f"{key}.nedtagande"), f"{subject}the notice{hos} has "
                         "the day it is taken down, but not the day it was posted",
                         "add 'uppsättande:', the day the notice went up: the time to appeal runs from it")
    if notice.posted is None:
        others = [board for board in boards if board not in undated]
        if others and last_posting and today > last_posting:
            _report_not_posted(protokoll, notice, number, subject, others, problems)
        if not any(posted for _, _, posted, _ in boards):
            return
    if justering is None:
        if not reported_wrong(protokoll, "justeringsdatum", problems):
            problems.error(source, line_of(protokoll, f"{boards[0][0]}.uppsättande"),
                           "the notice is posted but the protokoll has no justeringsdatum",
                           "add 'justeringsdatum:' with the date the minutes were checked")
        return
    last_day = notice.last_appeal_day  # None until the notice is up on every board
    for key, hos, posted, taken_down in boards:
        line = line_of(protokoll, f"{key}.uppsättande")
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
            problems.error(source, line_of(protokoll, f"{key}.nedtagande"),
                           f"{subject}the notice is taken down{hos} {taken_down}, before the last day to "
                           f"appeal ({until})",
                           f"keep it up at least until {until}: three weeks from {from_day}, "
                           "moved past weekends and holidays")
        elif taken_down is not None and (taken_down - until).days > domain.LONGEST_USUAL_OVERSTAY:
            # Most likely a slip of the year or month: the board would show it as up till then.
            problems.warning(source, line_of(protokoll, f"{key}.nedtagande"),
                             f"{subject}the notice is taken down{hos} {taken_down}, "
                             f"{(taken_down - until).days} days after the last day to appeal ({until})",
                             "check the date; a notice comes down once the time to appeal has run out, "
                             "and the notice board shows it until the day written")


def _check_board_names(protokoll: Protokoll, notice, anslag: str, problems: Problems) -> None:
    """Each board of a notice on several is named, once: the pages list them by name."""
    seen: set[str] = set()
    for index, board in enumerate(notice.boards):
        line = line_of(protokoll, f"{anslag}.{index}")
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
    spans = _entry_spans(protokoll, boards)
    unposted = [(key, hos) for (key, hos, posted, _), (first, last) in zip(boards, spans, strict=True)
                if posted is None
                and not (key in protokoll.lines and problems.has_error_at(source, first, last))]
    if not unposted:
        return
    if len(unposted) < len(boards):  # on some boards, not on all
        for key, hos in unposted:
            problems.warning(source, line_of(protokoll, key),
                             f"{subject}the notice is recorded as posted on some boards, but not{hos}",
                             "add its 'uppsättande:': the time to appeal runs from the day the "
                             "notice is up on every board")
    elif number:
        problems.warning(source, line_of(protokoll, f"§{number}.omedelbar_justering"),
                         f"§ {number} was justerad at once ({justering}), but no notice of it is "
                         "recorded as posted",
                         f"add 'anslag:' with 'uppsättande:' under paragraphs → {number}, the day "
                         "its notice went up: the time to appeal the paragraph runs from it")
    else:
        problems.warning(source, line_of(protokoll, "justeringsdatum"),
                         f"the protokoll was justerat {justering}, but no notice is recorded as posted",
                         "add 'anslag:' with 'hos:' and 'uppsättande:', the day the notice went up: "
                         "the time to appeal runs from it")


def _entry_spans(protokoll: Protokoll, boards) -> list[tuple[int, int]]:
    """The first and last line of each board's entry: to the next board's (a board has
    three keys)."""
    entries = [line_of(protokoll, key) for key, _, _, _ in boards]
    ends = [following - 1 for following in entries[1:]] + [entries[-1] + len(ANSLAG.fields)]
    return list(zip(entries, ends, strict=True))


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
