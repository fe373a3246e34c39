"""The content model: plain data classes, built once per build and read by templates.

Nothing here knows about files, URLs or HTML layout; `urls` decides where each
object is published, `pages` which pages there are, and the theme how they look.
"""

from __future__ import annotations

import datetime as dt
import marshal
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from site_gen import domain

DEFAULT_THEME = "default"  # shipped with site-gen; a theme of the site's own builds on it


@dataclass
class SiteConfig:
    title: str
    organisation: str
    base_url: str = ""
    language: str = "sv"
    theme: str = DEFAULT_THEME
    organs: dict[str, OrganConfig] = field(default_factory=dict)
    root: Path = Path(".")
    feeds: bool = True  # Atom feeds and sitemap.xml; both need base_url
    tillganglighet: AccessibilityStatement | None = None


BEDOMNINGAR = ("helt förenlig", "delvis förenlig", "inte förenlig")


@dataclass
class AccessibilityStatement:
    """The facts of the tillgänglighetsredogörelse (lag 2018:1937) that only the site owner knows."""

    kontakt: str  # where to report what cannot be used
    bedomning: str = "delvis förenlig"  # one of BEDOMNINGAR
    brister: list[str] = field(default_factory=list)  # known shortcomings
    granskning: str = ""  # how the site was assessed
    datum: dt.date | None = None  # when the statement was made or last reviewed


@dataclass
class OrganConfig:
    slug: str
    name: str
    förvaras: str = ""
    anslag_hos: str = ""  # where its notices are posted, for a protokoll that does not say


@dataclass(eq=False, slots=True)
class Person:
    name: str
    slug: str
    attendances: list[Attendance] = field(default_factory=list)

    @property
    def meetings(self) -> list[Meeting]:
        return [a.meeting for a in self.attendances]

    @property
    def roles_held(self) -> list[tuple[str, int]]:
        """Each role the person has held (ordförande, justerare …) and how many times."""
        counts: dict[str, int] = {}
        for attendance in self.attendances:
            for role in attendance.roles:
                counts[role] = counts.get(role, 0) + 1
        return sorted(counts.items())


def in_ranges(number: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    """Whether § `number` is within one of the (first, last) ranges."""
    return any(start <= number <= end for start, end in ranges)


def runs_of(numbers) -> list[tuple[int, int]]:
    """§ numbers in rising order as unbroken (first, last) runs: 42–47, 49 → [(42, 47), (49, 49)]."""
    runs: list[tuple[int, int]] = []
    for number in numbers:
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


@dataclass(eq=False, slots=True)
class Attendance:
    """One person's presence at one meeting."""

    person: Person
    meeting: Meeting
    voting: bool  # beslutande, as opposed to övriga deltagare
    represents: str = ""
    title: str = ""
    role: str = ""
    present: tuple[tuple[int, int], ...] | None = None  # None: the whole meeting
    line: int = 0  # where the entry stands in the source, for messages
    replaces: Person | None = None  # the member a tjänstgörande ersättare serves for
    # 'tjänstgör': the paragraphs one among beslutande takes part in deciding, of those
    # present for (an ersättare there all evening, serving for one §); None: all of them.
    serving: tuple[tuple[int, int], ...] | None = None

    def is_present_for(self, number: int) -> bool:
        return self.present is None or in_ranges(number, self.present)

    def decides(self, number: int) -> bool:
        """Whether this is one of the beslutande of § `number` (jäv aside)."""
        return self.voting and self.is_present_for(number) and (
            self.serving is None or in_ranges(number, self.serving))

    def takes_part_in(self, number: int) -> bool:
        """Whether this person took part in § `number` (jäv aside): present for it, and
        one among beslutande serving in it."""
        return self.decides(number) if self.voting else self.is_present_for(number)

    @property
    def paragraphs(self) -> list[Paragraph]:
        """The paragraphs this person took part in (takes_part_in), and not jäv in (who
        is jäv leaves the room for that paragraph)."""
        protokoll = self.meeting.protokoll
        return [p for p in protokoll.paragraphs
                if self.takes_part_in(p.number) and self.person not in p.jäv] if protokoll else []

    @property
    def paragraph_runs(self) -> list[tuple[int, int]]:
        """The § numbers of `paragraphs` as unbroken runs: [(42, 47), (49, 56)]."""
        return runs_of(p.number for p in self.paragraphs)

    @property
    def roles(self) -> list[str]:
        """Every role held at the meeting: the stated one (said in full for a
        tjänstgörande ersättare) plus justerare/sekreterare."""
        protokoll = self.meeting.protokoll
        said_in_full = self.replaces and "ersättare" in self.role.lower()
        roles = [self.role] if self.role and not said_in_full else []
        if self.replaces:
            roles.append(f"tjänstgörande ersättare för {self.replaces.name}")
        if protokoll and self.person in protokoll.justerare:
            roles.append("justerare")
        if protokoll and protokoll.sekreterare is self.person:
            roles.append("sekreterare")
        return roles


@dataclass(eq=False, slots=True)
class Topic:
    name: str
    slug: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    agenda_items: list[AgendaItem] = field(default_factory=list)


@dataclass(eq=False, slots=True)
class Decision:
    html: str  # the decision's text, rendered
    text: str  # the same as plain text, for lists, feeds and search
    paragraph: Paragraph | None = None


@dataclass(eq=False, slots=True)
class NamedText:
    person: Person
    text: str = ""


@dataclass(eq=False, slots=True)
class Vote:
    ja: list[Person] = field(default_factory=list)
    nej: list[Person] = field(default_factory=list)
    avstår: list[Person] = field(default_factory=list)


@dataclass(eq=False, slots=True)
class Attachment:
    number: int
    title: str
    source: Path | None = None  # None: not published on the web
    is_page: bool = False  # a Markdown attachment published as a page
    html: str = ""
    meeting: Meeting | None = None
    document: str = "protokoll"  # which of the meeting's documents it belongs to
    digest: str = ""  # of the file, when there is one
    size: int = 0  # of the file, in bytes
    # The file kept off the site because only secret sections mention it; validate/files.py
    # sees that no other document publishes it.
    withheld: Path | None = None
    line: int = 0  # of its 'file' in the front matter

    @property
    def file_type(self) -> str:
        """'pdf', 'docx': what the file's name says it is ('' without a file)."""
        return self.source.suffix.lower().lstrip(".") if self.source else ""


@dataclass(slots=True, frozen=True)
class ParagraphDetails:
    """What few paragraphs have. Kept apart, so that the others share one empty set
    of them: a field costs 8 bytes in each of 300,000 paragraphs at 20,000 meetings."""

    reservations: tuple[NamedText, ...] = ()
    jäv: tuple[Person, ...] = ()
    protokollsanteckningar: tuple[NamedText, ...] = ()
    votering: Vote | None = None
    omedelbar_justering: bool = False
    # A paragraph justerad at once has a notice of its own, and its appeal time runs
    # from that notice, ahead of the protokoll's.
    notice: Notice | None = None
    sekretess: str = ""  # legal ground; when set, the text was never loaded
    allows_personnummer: bool = False


NO_DETAILS = ParagraphDetails()


# A paragraph's collections are tuples: most are empty, and every empty tuple is the
# same object, where each empty list would cost 56 bytes (a million of them at 20,000
# meetings).
@dataclass(eq=False, slots=True)
class Paragraph:
    number: int
    heading: str  # rendered inline HTML
    heading_text: str  # plain text
    # The rendered text, until its protokoll packs it (Protokoll.pack_texts); read `blocks`.
    unpacked: tuple[Block, ...] | None = ()
    decisions: tuple[Decision, ...] = ()
    topics: tuple[Topic, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    details: ParagraphDetails = NO_DETAILS
    # '§ 45' mentions in the text: (number, year or None, source line, a body named before
    # it or ''), resolved to links (body.find_references).
    references: tuple[tuple[int, int | None, int, str], ...] = ()
    line: int = 0
    meeting: Meeting | None = None

    @property
    def reservations(self) -> tuple[NamedText, ...]:
        return self.details.reservations

    @property
    def jäv(self) -> tuple[Person, ...]:
        return self.details.jäv

    @property
    def protokollsanteckningar(self) -> tuple[NamedText, ...]:
        return self.details.protokollsanteckningar

    @property
    def votering(self) -> Vote | None:
        return self.details.votering

    @property
    def omedelbar_justering(self) -> bool:
        return self.details.omedelbar_justering

    @property
    def own_notice(self) -> Notice | None:
        """The notice of a paragraph justerad at once; None for the others."""
        return self.details.notice

    @property
    def notice(self) -> Notice:
        """The notice its appeal time runs from: its own, else the protokoll's."""
        return self.details.notice or self.meeting.protokoll.notice

    @property
    def corrections(self) -> tuple[Correction, ...]:
        """The protokoll's rättelser of this paragraph."""
        corrections = self.meeting.protokoll.corrections
        return tuple(c for c in corrections if c.paragraph is self) if corrections else ()

    @property
    def sekretess(self) -> str:
        return self.details.sekretess

    @property
    def allows_personnummer(self) -> bool:
        return self.details.allows_personnummer

    @property
    def blocks(self) -> tuple[Block, ...]:
        """The paragraph's rendered text, in runs."""
        if self.unpacked is not None:
            return self.unpacked
        return self.meeting.protokoll.unpacked_texts()[self.number]

    @property
    def present(self) -> list[Attendance]:
        return [a for a in self.meeting.attendances if a.is_present_for(self.number)]

    @property
    def beslutande(self) -> list[Attendance]:
        """Who took the paragraph's decision: the beslutande present for it, but not jäv."""
        jäv = self.details.jäv
        return [a for a in self.meeting.attendances if a.decides(self.number) and a.person not in jäv]


@dataclass(slots=True)
class Block:
    """A run of a paragraph's rendered text; decision blocks are set apart on the page."""

    html: str
    is_decision: bool = False


@dataclass(slots=True)
class Board:
    """One of the notice boards a joint body posts its notice on."""

    hos: str
    posted: dt.date | None = None
    taken_down: dt.date | None = None


@dataclass(slots=True)
class Notice:
    """The anslag: the public notice that the minutes have been checked.

    Posted on several boards (`boards`), it counts as posted the day it is up on all of
    them, and as taken down the day the last board takes it down."""

    justeringsdatum: dt.date | None
    posted: dt.date | None = None
    taken_down: dt.date | None = None
    posted_where: str = ""
    kept_at: str = ""
    boards: tuple[Board, ...] = ()  # when more than one

    @property
    def last_appeal_day(self) -> dt.date | None:
        """The last day to appeal (laglighetsprövning), counted from the day posted."""
        return domain.last_appeal_day(self.posted) if self.posted else None

    @property
    def ends(self) -> dt.date | None:
        """The last day the notice is up: the day taken down, else the last day to appeal."""
        return self.taken_down or self.last_appeal_day

    def is_up(self, day: dt.date) -> bool:
        """Posted on or before `day` and not yet taken down (it is still up on its last day)."""
        return self.posted is not None and self.posted <= day <= self.ends


@dataclass(eq=False, slots=True)
class Posting:
    """A notice as the notice board shows it: of a protokoll, or of one paragraph
    justerad at once."""

    meeting: Meeting
    notice: Notice
    paragraph: Paragraph | None = None

    @property
    def paragraph_span(self) -> str:
        return f"§ {self.paragraph.number}" if self.paragraph else self.meeting.protokoll.paragraph_span


@dataclass(eq=False, slots=True)
class Correction:
    """A rättelse: a change made to the minutes after they were justerade, shown with
    the minutes, since a checked protokoll must show what was corrected."""

    day: dt.date
    text: str
    paragraph: Paragraph | None = None  # None: the protokoll as a whole
    line: int = 0


@dataclass(eq=False, slots=True)
class Protokoll:
    source: Path
    time: str
    place: str
    sekreterare: Person | None
    justerare: list[Person]
    notice: Notice
    paragraphs: list[Paragraph] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    corrections: tuple[Correction, ...] = ()  # oldest first
    # Paragraphs justerade at once; those whose notice is given have it as own_notice.
    justerade_at_once: tuple[Paragraph, ...] = ()
    # Source line of each front-matter key, for messages about this document.
    lines: dict[str, int] = field(default_factory=dict)
    digest: str = ""  # of the source file, to tell when pages showing it must be rebuilt
    summary: str = ""  # of what lists of meetings show of it (documents.summary_digest)
    packed_texts: bytes = b""  # the paragraphs' text, once packed

    def pack_texts(self) -> None:
        """Keep the text of the paragraphs compressed, to be unpacked when a page shows
        it: only the protokoll's own pages do, and the text is the largest part of the
        model (a third of it at 20,000 meetings, where memory runs short)."""
        texts = [(p.number, [(b.html, b.is_decision) for b in p.blocks]) for p in self.paragraphs]
        self.packed_texts = zlib.compress(marshal.dumps(texts), 1)
        global _last_unpacked
        if _last_unpacked[0] is self:
            _last_unpacked = (None, {})
        for paragraph in self.paragraphs:
            paragraph.unpacked = None

    def unpacked_texts(self) -> dict[int, tuple[Block, ...]]:
        """§ number -> its text. The last protokoll unpacked stays unpacked, for the
        other paragraphs of the page being written."""
        global _last_unpacked
        if _last_unpacked[0] is not self:
            texts = marshal.loads(zlib.decompress(self.packed_texts))
            _last_unpacked = (self, {number: tuple(Block(html, is_decision) for html, is_decision in blocks)
                                     for number, blocks in texts})
        return _last_unpacked[1]

    @property
    def decisions(self) -> list[Decision]:
        return [d for p in self.paragraphs for d in p.decisions]

    @property
    def paragraph_span(self) -> str:
        if not self.paragraphs:
            return ""
        first, last = self.paragraphs[0].number, self.paragraphs[-1].number
        return f"§ {first}" if first == last else f"§ {first}–{last}"


_last_unpacked: tuple[Protokoll | None, dict[int, tuple[Block, ...]]] = (None, {})


@dataclass(eq=False, slots=True)
class AgendaItem:
    number: int
    heading: str
    heading_text: str
    kind: str = ""  # beslut / information / diskussion
    presenter: str = ""
    proposal: str = ""  # rendered HTML
    html: str = ""
    topics: tuple[Topic, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    meeting: Meeting | None = None
    sekretess: str = ""  # the legal ground of a secret item, whose text is not published
    allows_personnummer: bool = False


@dataclass(eq=False, slots=True)
class Kallelse:
    source: Path
    time: str
    place: str
    title: str
    items: list[AgendaItem] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    digest: str = ""
    summary: str = ""


@dataclass(eq=False, slots=True)
class Meeting:
    organ: Organ
    date: dt.date
    protokoll: Protokoll | None = None
    kallelse: Kallelse | None = None
    attendances: list[Attendance] = field(default_factory=list)
    # Announced by a kallelse, and its protokoll still to come: none is published,
    # neither for it nor for a later meeting of its organ (set by assembly). After a
    # later protokoll, the meeting is over and its own protokoll was never published here.
    is_upcoming: bool = False

    @property
    def beslutande(self) -> list[Attendance]:
        return [a for a in self.attendances if a.voting]

    @property
    def övriga(self) -> list[Attendance]:
        return [a for a in self.attendances if not a.voting]

    @property
    def ordförande(self) -> Person | None:
        for attendance in self.beslutande:
            if attendance.role.lower() == "ordförande":
                return attendance.person
        return None

    @property
    def time(self) -> str:
        return (self.protokoll or self.kallelse).time

    @property
    def place(self) -> str:
        return (self.protokoll or self.kallelse).place

    @property
    def postings(self) -> list[Posting]:
        """The notices posted of its protokoll: the protokoll's, and those of paragraphs
        justerade at once."""
        if self.protokoll is None:
            return []
        found = [Posting(self, p.own_notice, p) for p in self.protokoll.justerade_at_once
                 if p.own_notice and p.own_notice.posted]
        if self.protokoll.notice.posted:
            found.insert(0, Posting(self, self.protokoll.notice))
        return found

    @property
    def published(self) -> dt.date:
        """The date its protokoll was published as it stands: the meeting day, justering
        or notice, not later corrections (see `updated`)."""
        dates = [self.date]
        if self.protokoll:
            notice = self.protokoll.notice
            dates += [d for d in (notice.justeringsdatum, notice.posted) if d]
        return max(dates)

    @property
    def updated(self) -> dt.date:
        """The latest date the sources give: the meeting day, justering, a notice or a
        correction.

        Feeds, the calendar and open data date things by this instead of the clock,
        so two builds of the same sources give the same files.
        """
        if not self.protokoll or not (self.protokoll.corrections or self.protokoll.justerade_at_once):
            return self.published
        return max([self.published] + [c.day for c in self.protokoll.corrections]
                   + [posting.notice.posted for posting in self.postings])


class _HoldsMeetings:
    """What an organ and the whole site both answer from their `meetings`."""

    __slots__ = ()

    @property
    def years(self) -> list[int]:
        return sorted({m.date.year for m in self.meetings}, reverse=True)

    def dates_passed(self) -> list[dt.date]:
        """The dates of what has happened: each protokoll's meeting, justering, notices and
        corrections (`Meeting.updated`). A meeting with only its kallelse is still to
        come: its date says nothing of the day the site is built (see times.build_date)."""
        return [m.updated for m in self.meetings if m.protokoll]


@dataclass(eq=False, slots=True)
class Organ(_HoldsMeetings):
    slug: str
    name: str
    meetings: list[Meeting] = field(default_factory=list)


@dataclass(eq=False, slots=True)
class Site(_HoldsMeetings):
    config: SiteConfig
    organs: list[Organ]
    meetings: list[Meeting]  # newest first
    topics: list[Topic]  # by slug: "Ekonomi" and "ekonomi" are one topic
    persons: list[Person]  # by slug, then name

    @property
    def decisions(self) -> list[Decision]:
        return [d for m in self.meetings if m.protokoll for d in m.protokoll.decisions]


def by_year(items, date=lambda item: item.date) -> dict[int, list]:
    """Meetings (or anything `date` finds a date of) grouped by year, newest year
    first, each year in the order given."""
    years: dict[int, list] = {}
    for item in items:
        years.setdefault(date(item).year, []).append(item)
    return dict(sorted(years.items(), reverse=True))


def meeting_date(item: Paragraph | AgendaItem) -> dt.date:
    """The date of the meeting a paragraph or agenda item belongs to."""
    return item.meeting.date
