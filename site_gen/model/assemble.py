"""Turn validated source documents into the content model (Site, Meeting, Paragraph …)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from html import escape
from pathlib import Path
from sys import intern  # the same words in every document: one string each

from site_gen import domain
from site_gen.load import body, markdown
from site_gen.load.attachments import attachments_of, mentioned_attachments, secret_attachments
from site_gen.load.documents import SourceDocument
from site_gen.model import (
    NO_DETAILS,
    AgendaItem,
    Attachment,
    Attendance,
    Block,
    Board,
    Correction,
    Decision,
    Kallelse,
    Meeting,
    NamedText,
    Notice,
    Organ,
    Paragraph,
    ParagraphDetails,
    Person,
    Protokoll,
    Site,
    SiteConfig,
    Topic,
    Vote,
)
from site_gen.problems import Problems
from site_gen.site import urls
from site_gen.validate.formats import PARAGRAPH
from site_gen.validate.paragraphs import unread_protokolls


class _Registry:
    """People and topics, shared by every document so each is one object site-wide."""

    def __init__(self) -> None:
        self.persons: dict[str, Person] = {}
        self.topics: dict[str, Topic] = {}
        self.spellings: dict[tuple[str, str], Counter] = defaultdict(Counter)
        self._spelt_in_document: set[tuple[str, str, str]] = set()
        self._values: dict = {}

    def next_document(self) -> None:
        """Names from here on are of another document (spellings count once each)."""
        self._spelt_in_document.clear()

    def _count_spelling(self, kind: str, key: str, name: str) -> None:
        if (kind, key, name) not in self._spelt_in_document:
            self._spelt_in_document.add((kind, key, name))
            self.spellings[kind, key][name] += 1

    def shared(self, value):
        """The first value equal to `value` (a string or a tuple) seen on the site.

        Minutes repeat themselves: the same headings (Val av justerare, Meddelanden),
        places, times, topic lists and presence ranges come back meeting after
        meeting. Keeping one object each saves a sixth of the model."""
        return self._values.setdefault(value, value)

    def person(self, name: str) -> Person:
        key = urls.slug(name)
        self._count_spelling("person", key, name)
        if key not in self.persons:
            self.persons[key] = Person(name=name, slug=key)
        return self.persons[key]

    def topic(self, name: str) -> Topic:
        key = urls.slug(name)
        self._count_spelling("topic", key, name)
        if key not in self.topics:
            self.topics[key] = Topic(name=name, slug=key)
        return self.topics[key]

    def settle_names(self) -> None:
        """A person or topic written more ways than one ('Anna Frej', 'anna frej') is
        shown under the spelling most documents use, whichever happens to be read first;
        between as many, the one written with more care (å, ä and ö, left out in haste
        and seldom put in by mistake; small letters and capitals, not one kind alone),
        then alphabetically."""
        for (kind, key), spellings in self.spellings.items():
            if len(spellings) > 1:
                best = min(spellings, key=lambda name: (-spellings[name], -_written_with_care(name), name))
                (self.persons if kind == "person" else self.topics)[key].name = best


def _written_with_care(name: str) -> int:
    return sum(char in "åäöÅÄÖ" for char in name) + (not (name.isupper() or name.islower()))


def assemble(config: SiteConfig, documents: list[SourceDocument], problems: Problems) -> Site:
    registry = _Registry()
    organs = {slug_: Organ(slug=slug_, name=cfg.name) for slug_, cfg in config.organs.items()}
    meetings: dict[tuple[str, object], Meeting] = {}
    for doc in documents:
        registry.next_document()
        key = (doc.organ, doc.meta["date"])
        meeting = meetings.get(key)
        if meeting is None:
            meeting = meetings[key] = Meeting(organ=organs[doc.organ], date=doc.meta["date"])
        existing = getattr(meeting, doc.kind)
        if existing is not None:
            problems.error(doc.path, doc.located.line_of(("date",)),
                           f"{organs[doc.organ].name} already has a {doc.kind} for "
                           f"{meeting.date.isoformat()} in {problems.relative(existing.source)}",
                           "one meeting has one protokoll and one kallelse; check the date")
            continue
        if doc.kind == "protokoll":
            meeting.protokoll = _protokoll(doc, meeting, config, registry, problems)
            # Packed at once, not after the last document: the text of the whole site
            # would be held unpacked until then, and the space it leaves when let go
            # is scattered among the model's objects, where it stays (a third of the
            # build's memory at 20,000 meetings).
            meeting.protokoll.pack_texts()
        else:
            meeting.kallelse = _kallelse(doc, meeting, config, registry, problems)
    registry.settle_names()
    _link_references(list(meetings.values()), problems, config.root)
    ordered = sorted(meetings.values(), key=lambda m: (m.date, m.organ.slug), reverse=True)
    for meeting in ordered:
        meeting.organ.meetings.append(meeting)
        for attendance in meeting.attendances:
            attendance.person.attendances.append(attendance)
    for organ in organs.values():
        _mark_upcoming(organ)
    topics = sorted(registry.topics.values(), key=lambda t: t.slug)
    for topic in topics:
        topic.paragraphs.sort(key=lambda p: (p.meeting.date, -p.number), reverse=True)
        topic.agenda_items.sort(key=lambda i: (i.meeting.date, -i.number), reverse=True)
    return Site(
        config=config,
        organs=sorted(organs.values(), key=lambda o: o.name),
        meetings=ordered,
        topics=topics,
        persons=sorted(registry.persons.values(), key=lambda p: (p.slug, p.name)),
    )


def _mark_upcoming(organ: Organ) -> None:
    """Which of the organ's meetings still await their protokoll (Meeting.is_upcoming).
    Which meetings exist is part of every page's fingerprint, so pages that show this
    are made again when a protokoll arrives."""
    later_protokoll = False
    for meeting in organ.meetings:  # newest first
        meeting.is_upcoming = meeting.protokoll is None and not later_protokoll
        later_protokoll = later_protokoll or meeting.protokoll is not None


# --- protokoll -------------------------------------------------------------------


def _protokoll(doc, meeting, config, registry, problems) -> Protokoll:
    meta = doc.meta
    for voting, key in ((True, "beslutande"), (False, "övriga_deltagare")):
        for index, entry in enumerate(meta.get(key, [])):
            meeting.attendances.append(Attendance(
                person=registry.person(entry["name"]), meeting=meeting, voting=voting,
                represents=intern(entry.get("represents", "")), title=intern(entry.get("title", "")),
                role=intern(entry.get("role", "")), present=registry.shared(entry.get("present")),
                line=doc.located.line_of((key, index)),
                replaces=registry.person(entry["ersätter"]) if "ersätter" in entry else None,
                serving=registry.shared(entry.get("tjänstgör")),
            ))
    anslag = meta.get("anslag", {})
    organ_config = config.organs[doc.organ]
    notice = _notice(meta.get("justeringsdatum"), anslag, registry,
                     kept_at=registry.shared(meta.get("förvaras", organ_config.förvaras)),
                     hos=organ_config.anslag_hos)
    sekreterare = registry.person(meta["sekreterare"]) if "sekreterare" in meta else None
    protokoll = Protokoll(
        source=doc.path, time=registry.shared(meta.get("time", "")),
        place=registry.shared(meta.get("place", "")), sekreterare=sekreterare,
        justerare=[registry.person(name) for name in meta.get("justerare", [])],
        notice=notice,
        lines={intern(str(key)): doc.located.line_of((key,)) for key in doc.located.data},
        digest=doc.digest, summary=doc.summary,
    )
    _record_notice_lines(protokoll, doc, anslag, ("anslag",), "anslag")
    paragraph_meta = meta.get("paragraphs", {})
    protokoll.attachments = attachments_of(doc, meeting, "protokoll", config, problems,
                                           withheld=secret_attachments(doc))
    seen: dict[int, int] = {}
    for section in doc.sections:
        if section.number in seen:
            problems.error(doc.path, section.line, f"§ {section.number} appears twice "
                           f"(also on line {seen[section.number]})", "renumber one of them")
            continue
        seen[section.number] = section.line
        paragraph = _paragraph(section, paragraph_meta.get(section.number, {}), meeting,
                               registry, protokoll, doc, problems)
        protokoll.paragraphs.append(paragraph)
    protokoll.corrections = _corrections(doc, protokoll, problems)
    protokoll.justerade_at_once = tuple(p for p in protokoll.paragraphs if p.omedelbar_justering)
    for number in paragraph_meta if doc.sections else ():  # none at all: said once, below
        if number not in seen:
            problems.error(doc.path, doc.located.line_of(("paragraphs", number)),
                           f"'paragraphs' has an entry for § {number}, but the text has no § {number}",
                           f"add a heading '## § {number} …' or remove the entry")
    if not doc.sections:  # at the line closing the front matter: the body may have none
        problems.error(doc.path, doc.body_line - 1, "the protokoll has no paragraphs",
                       "write each paragraph as '## § 12 Rubrik' followed by its text")
    return protokoll


def _record_notice_lines(protokoll: Protokoll, doc, anslag, at: tuple, key: str) -> None:
    """The lines of a notice's keys, for messages about its dates: under `key` ('anslag',
    '§3.anslag'), with each board's under `key.0`, `key.1` … when there are several."""
    entries = anslag if isinstance(anslag, list) else [anslag]
    for index, entry in enumerate(entries):
        path = at + (index,) if isinstance(anslag, list) else at
        name = f"{key}.{index}" if len(entries) > 1 else key
        protokoll.lines[intern(name)] = doc.located.line_of(path)
        for field_name in entry:
            protokoll.lines[intern(f"{name}.{field_name}")] = doc.located.line_of(path + (field_name,))


def _notice(justeringsdatum, anslag: dict | list[dict], registry, kept_at: str, hos: str = "") -> Notice:
    """The notice of a justering, on one board or several: posted the day it is up on
    all of them, taken down the day the last one takes it down. `hos`: the board of a
    notice on one that does not name it."""
    entries = anslag if isinstance(anslag, list) else [anslag]
    hos = hos if len(entries) == 1 else ""
    boards = [Board(hos=registry.shared(e.get("hos", hos)), posted=e.get("uppsättande"),
                    taken_down=e.get("nedtagande")) for e in entries]
    posted = [b.posted for b in boards]
    taken_down = [b.taken_down for b in boards]
    places = [b.hos for b in boards if b.hos]
    return Notice(
        justeringsdatum=justeringsdatum,
        posted=max(posted) if boards and None not in posted else None,
        taken_down=max(taken_down) if boards and None not in taken_down else None,
        posted_where=registry.shared(domain.swedish_list(places)),
        kept_at=kept_at,
        boards=tuple(boards) if len(boards) > 1 else (),
    )


def _corrections(doc, protokoll: Protokoll, problems) -> tuple[Correction, ...]:
    by_number = {p.number: p for p in protokoll.paragraphs}
    corrections = []
    for index, entry in enumerate(doc.meta.get("rättelser", [])):
        number = entry.get("paragraf")
        paragraph = by_number.get(number) if number is not None else None
        if number is not None and paragraph is None:
            problems.error(doc.path, doc.located.line_of(("rättelser", index, "paragraf")),
                           f"the rättelse is of § {number}, but the protokoll has no § {number}",
                           f"the paragraphs run {protokoll.paragraph_span}; leave out 'paragraf' for "
                           "a correction of the protokoll as a whole")
        # Of a secret paragraph, as of its text, what was corrected is not published.
        text = "" if paragraph is not None and paragraph.sekretess else entry["text"]
        corrections.append(Correction(day=entry["datum"], text=text, paragraph=paragraph,
                                      line=doc.located.line_of(("rättelser", index))))
    return tuple(sorted(corrections, key=lambda c: c.day))  # most have none: one shared empty tuple


def _paragraph(section, meta, meeting, registry, protokoll, doc, problems) -> Paragraph:
    attachments = protokoll.attachments
    heading_text = registry.shared(section.heading_text)
    paragraph = Paragraph(
        number=section.number,
        heading=registry.shared(_one_if_same(_link_mentions(section.heading_html, attachments),
                                             heading_text)),
        heading_text=heading_text,
        line=section.line,
        meeting=meeting,
        details=_details(meta, registry,
                         _own_notice(section.number, meta, meeting, protokoll, doc, registry, problems)),
        references=tuple(section.references),
    )
    elsewhere = _decided_elsewhere(section, meeting)
    paragraph.unpacked = _text_blocks(section, attachments, elsewhere)
    if section.analysed is not None and not elsewhere:  # None: a secret paragraph, its text never kept
        paragraph.decisions = tuple(Decision(html=_one_if_same(d.html, d.text), text=d.text,
                                             paragraph=paragraph)
                                    for d in section.analysed.decisions)
    paragraph.topics = _topics(meta.get("topics", []), registry)
    for topic in paragraph.topics:
        topic.paragraphs.append(paragraph)
    paragraph.attachments = tuple(mentioned_attachments(section, attachments, doc, problems))
    # Messages about the people a paragraph names point at its entry, where they are fixed.
    for key in PEOPLE_KEYS.intersection(meta):
        protokoll.lines[intern(f"§{section.number}.{key}")] = \
            doc.located.line_of(("paragraphs", section.number, key))
    if "votering" in meta:  # an error anywhere in a vote leaves it incomplete in the model
        at = ("paragraphs", section.number, "votering")
        protokoll.lines[intern(f"§{section.number}.votering.last")] = max(
            (line for path, line in doc.located.lines.items() if path[:3] == at),
            default=doc.located.line_of(at))
    return paragraph


PEOPLE_KEYS = frozenset({"reservation", "protokollsanteckning", "votering", "jäv"})


# What a paragraph's entry in `paragraphs` may hold besides its topics: _details reads it.
DETAIL_KEYS = frozenset(PARAGRAPH.fields) - {"topics"}


def _own_notice(number, meta, meeting, protokoll, doc, registry, problems) -> Notice | None:
    """The notice of a paragraph justerad at once, when its `anslag` is given: justerad
    at the meeting, posted where the protokoll's notice is unless `anslag` says otherwise."""
    anslag = meta.get("anslag")
    if meta.get("omedelbar_justering"):
        protokoll.lines[intern(f"§{number}.omedelbar_justering")] = \
            doc.located.line_of(("paragraphs", number, "omedelbar_justering"))
    elif anslag is not None and not problems.has_error_at(  # a wrong value was reported already
            doc.path, doc.located.line_of(("paragraphs", number, "omedelbar_justering"))):
        problems.error(doc.path, doc.located.line_of(("paragraphs", number, "anslag")),
                       f"§ {number} has an 'anslag' of its own, but is not justerad at once",
                       "add 'omedelbar_justering: true' if it was; else remove this 'anslag': "
                       "the protokoll's covers the paragraph")
    if not meta.get("omedelbar_justering") or anslag is None:
        return None
    _record_notice_lines(protokoll, doc, anslag, ("paragraphs", number, "anslag"), f"§{number}.anslag")
    notice = _notice(meeting.date, anslag, registry, kept_at=protokoll.notice.kept_at)
    if not notice.posted_where and not notice.boards:
        notice.posted_where = protokoll.notice.posted_where
    return notice


def _details(meta, registry, notice: Notice | None = None) -> ParagraphDetails:
    """The paragraph's reservations, jäv, votes and the like: for most, none. Of a
    secret paragraph, as of its text, the texts of reservations and notes are not
    kept: who reserved is on record, why is part of the matter."""
    if meta.keys().isdisjoint(DETAIL_KEYS):  # most paragraphs: no object made only to be compared
        return NO_DETAILS
    vote = meta.get("votering")
    secret = bool(meta.get("sekretess"))
    details = ParagraphDetails(
        reservations=tuple(NamedText(registry.person(r["name"]), "" if secret else r.get("text", ""))
                           for r in meta.get("reservation", ())),
        jäv=tuple(registry.person(name) for name in meta.get("jäv", ())),
        protokollsanteckningar=tuple(NamedText(registry.person(r["name"]),
                                               "" if secret else r.get("text", ""))
                                     for r in meta.get("protokollsanteckning", ())),
        votering=Vote(**{k: [registry.person(n) for n in vote.get(k, [])] for k in ("ja", "nej", "avstår")})
        if vote is not None else None,
        omedelbar_justering=meta.get("omedelbar_justering", False),
        notice=notice,
        sekretess=meta.get("sekretess", ""),
        allows_personnummer=meta.get("tillåt_personnummer", False),
    )
    return NO_DETAILS if details == NO_DETAILS else details


def _one_if_same(html: str, text: str) -> str:
    """`html`, or `text` when they are equal: most headings and decisions have no markup,
    and one string then serves as both (a large site holds hundreds of thousands)."""
    return text if html == text else html


def _text_blocks(section, attachments: list[Attachment], decided_elsewhere: bool) -> tuple[Block, ...]:
    """The paragraph's text in runs; with `decided_elsewhere` (see _decided_elsewhere), its
    closing sentence is text like the rest."""
    if section.analysed is None:
        return ()
    blocks = list(section.analysed.blocks)
    if decided_elsewhere:
        html, _ = blocks.pop()
        if blocks and not blocks[-1][1]:
            html = blocks.pop()[0] + html
        blocks.append((html, False))
    return tuple(Block(_link_mentions(html, attachments), is_decision) for html, is_decision in blocks)


def _decided_elsewhere(section, meeting: Meeting) -> bool:
    """Whether the paragraph's decision is a closing sentence naming another organ than
    the meeting's ('Kommunfullmäktige fastställde skattesatsen' in a kommunstyrelse's
    minutes): an account of that organ's decision, not one of this meeting. The meeting's
    organ is named in full or by its last word ('Nämnden', 'Styrelsen' for
    Kommunstyrelsen: Swedish writes its compounds as one word)."""
    if section.analysed is None:
        return False
    return any(d.by and not _names_organ(d.by, meeting) for d in section.analysed.decisions)


def _names_organ(named: str, meeting: Meeting) -> bool:
    """Whether `named` ('Styrelsen', 'nämnden') is the meeting's organ: its name in full
    or by its last word (Swedish writes its compounds as one word: 'Styrelsen' for
    Kommunstyrelsen). Not an abbreviation in capitals ('KF'), which names another body."""
    return not named.isupper() and " ".join(meeting.organ.name.split()).casefold().endswith(named.casefold())


def _cites_another_body(named: str, meeting: Meeting) -> bool:
    """Whether a § reference with `named` before it (body.body_named_before) is another
    body's paragraph ('KF § 50', 'kommunfullmäktiges beslut § 12' in the Styrelsen's minutes)."""
    return bool(named) and not _names_organ(named, meeting)


def _topics(names, registry) -> tuple[Topic, ...]:
    topics: list[Topic] = []
    for name in names:
        topic = registry.topic(name)
        if topic not in topics:
            topics.append(topic)
    return registry.shared(tuple(topics))


def _link_references(meetings: list[Meeting], problems: Problems, root: Path) -> None:
    """Turn '§ 45' (same organ, same year) and '§ 45/2020' into links to that paragraph."""
    index = _paragraph_index(meetings)
    years_on_site = {(m.organ.slug, m.date.year) for m in meetings if m.protokoll}
    # A protokoll that could not be read may hold the paragraph: not this file's error, then.
    unread = unread_protokolls(root, meetings, problems)
    for meeting in meetings:
        linked = False
        for paragraph in meeting.protokoll.paragraphs if meeting.protokoll else []:
            if not paragraph.references:
                continue
            linked = True
            targets = {}
            for number, year, line, named in paragraph.references:
                if _cites_another_body(named, meeting):
                    continue
                key = _reference_key(meeting, number, year)
                if key in index:
                    targets[(number, year)] = index[key]
                    continue
                label = f"§ {number}" + (f"/{year}" if year else "")
                message = (f"{label} refers to no paragraph of {meeting.organ.name} "
                           f"in {key[1]}")
                hint = ("check the number; '§ N' means this organ's § N of the same year, "
                        "'§ N/ÅÅÅÅ' another year; a section of a law is written as laws are, "
                        "'5 § kommunallagen', and one of a rule book '§ 5 i förbundsordningen'")
                maybe_in = _unread_that_may_hold(key, unread.get(key[0], ()), meetings)
                if maybe_in:
                    problems.warning(meeting.protokoll.source, line, f"{message} read so far ({maybe_in[0]} "
                                     "could not be read; the paragraph may be in it)", "fix that file first")
                elif (key[0], key[1]) in years_on_site:
                    problems.error(meeting.protokoll.source, line, message, hint)
                else:
                    problems.warning(meeting.protokoll.source, line,
                                     message + " on this site (that year is not published here)")
            _link_blocks(paragraph, targets, meeting)
        if linked:
            meeting.protokoll.pack_texts()  # with the links


def _link_blocks(paragraph: Paragraph, targets: dict, meeting: Meeting) -> None:
    for block in paragraph.blocks:
        block.html = _link_paragraphs(block.html, targets, meeting)


# --- an edit of a protokoll's text alone (site-gen serve) -----------------------------


def changes_text_only(old: SourceDocument, new: SourceDocument) -> bool:
    """Whether `new` is `old` with only the text of its paragraphs changed: the same
    front matter, headings and decisions (the summary), and the same § references
    and attachment mentions, so that nothing outside the meeting's own pages changes."""
    return (old.kind == new.kind == "protokoll" and old.organ == new.organ
            and old.summary == new.summary and len(old.sections) == len(new.sections)
            and all(a.number == b.number and list(a.bilaga_mentions) == list(b.bilaga_mentions)
                    and [_cited(r) for r in a.references] == [_cited(r) for r in b.references]
                    for a, b in zip(old.sections, new.sections, strict=True)))


def _cited(reference: tuple) -> tuple:
    """A reference without its line: what it links to."""
    number, year, _, named = reference
    return number, year, named


def replace_paragraph_texts(meeting: Meeting, new: SourceDocument) -> None:
    """Give the meeting's paragraphs the text of `new` (see changes_text_only), with
    links as a full assembly would make them."""
    protokoll = meeting.protokoll
    index = None  # made at the first reference: most paragraphs have none
    for paragraph, section in zip(protokoll.paragraphs, new.sections, strict=True):
        elsewhere = _decided_elsewhere(section, meeting)
        paragraph.unpacked = _text_blocks(section, protokoll.attachments, elsewhere)
        paragraph.references = tuple(section.references)
        paragraph.line = section.line
        if paragraph.references:
            index = index or _paragraph_index(meeting.organ.meetings)
            targets = {(number, year): index.get(_reference_key(meeting, number, year))
                       for number, year, _, named in paragraph.references
                       if not _cites_another_body(named, meeting)}
            _link_blocks(paragraph, {ref: target for ref, target in targets.items() if target}, meeting)
    protokoll.digest = new.digest
    protokoll.pack_texts()


def _unread_that_may_hold(key: tuple[str, int, int], unread, meetings: list[Meeting]) -> list[str]:
    """The protokoll that could not be read (of the organ: (day or None, where)) that may
    hold § `key`: of its year, and dated between the meeting read before the § and the
    one read after it, where those are known (a file without a date may be any)."""
    organ, year, number = key
    of_year = [(day, where) for day, where in unread if day is None or day.year == year]
    read = [m for m in meetings if m.organ.slug == organ and m.date.year == year
            and m.protokoll and m.protokoll.paragraphs] if of_year else []
    after = max((m.date for m in read if m.protokoll.paragraphs[-1].number < number), default=None)
    before = min((m.date for m in read if m.protokoll.paragraphs[0].number > number), default=None)
    return [where for day, where in of_year if day is None or (
        (after is None or day > after) and (before is None or day < before))]


def _reference_key(meeting: Meeting, number: int, year: int | None) -> tuple[str, int, int]:
    """The paragraph a reference in `meeting` names: '§ N' is of the same organ and
    year, '§ N/ÅÅÅÅ' of that year."""
    return meeting.organ.slug, year or meeting.date.year, number


def _paragraph_index(meetings) -> dict[tuple[str, int, int], Paragraph]:
    """(organ, year, §) → the paragraph: what a reference '§ N' or '§ N/ÅÅÅÅ' names."""
    return {(m.organ.slug, m.date.year, p.number): p
            for m in meetings if m.protokoll for p in m.protokoll.paragraphs}


def _link_paragraphs(html: str, targets: dict, meeting: Meeting) -> str:
    """Each paragraph a reference names, linked: '§ 45', '§§ <45>–<47>', '§ 45 och <48>'
    (the first link takes the § sign in)."""
    def link(match: re.Match) -> str:
        citation, pieces, done = match.group(), [], 0
        if _cites_another_body(body.body_named_before(match.string, match.start()), meeting):
            return citation
        for number, year, start, end in body.cited_paragraphs(citation):
            start = start if done else 0
            target = targets.get((number, year))
            pieces += [citation[done:start], _link_to(target, citation[start:end]) if target
                       else citation[start:end]]
            done = end
        return "".join(pieces) + citation[done:]

    return markdown.substitute_in_text(html, body.REFERENCE, link)


def _link_to(target, text: str) -> str:
    """`text` (already HTML) as a link to the page or paragraph `target`."""
    return f'<a href="{escape(urls.url(target))}">{text}</a>'


# --- kallelse --------------------------------------------------------------------


def _kallelse(doc, meeting, config, registry, problems) -> Kallelse:
    meta = doc.meta
    kallelse = Kallelse(source=doc.path, time=registry.shared(meta.get("time", "")),
                        place=registry.shared(meta.get("place", "")),
                        title=meta.get("title", ""), digest=doc.digest,
                        summary=doc.summary)
    kallelse.attachments = attachments_of(doc, meeting, "kallelse", config, problems,
                                          withheld=secret_attachments(doc))
    item_meta = meta.get("items", {})
    _check_time_and_place(doc, problems)
    _check_item_numbers(doc, problems)
    for section in doc.sections:
        analysed = section.analysed
        entry = item_meta.get(section.number, {})
        heading_text = registry.shared(section.heading_text)
        item = AgendaItem(
            number=section.number,
            heading=registry.shared(_one_if_same(_link_mentions(section.heading_html, kallelse.attachments),
                                                 heading_text)),
            heading_text=heading_text,
            kind=registry.shared(analysed.kind), presenter=registry.shared(analysed.presenter),
            proposal=registry.shared(analysed.proposal_html),
            html=registry.shared(_link_mentions(analysed.html, kallelse.attachments)),
            meeting=meeting, sekretess=entry.get("sekretess", ""),
            allows_personnummer=entry.get("tillåt_personnummer", False),
        )
        item.attachments = tuple(mentioned_attachments(section, kallelse.attachments, doc, problems))
        item.topics = _topics(entry.get("topics", []), registry)
        for topic in item.topics:
            topic.agenda_items.append(item)
        kallelse.items.append(item)
    numbers = {s.number for s in doc.sections}
    for number in item_meta:
        if number not in numbers:
            problems.error(doc.path, doc.located.line_of(("items", number)),
                           f"'items' has an entry for item {number}, but the agenda has no item {number}")
    return kallelse


# What a kallelse must tell members and residents, with an example of each.
_KALLELSE_TELLS = {"time": 'time: "18.00"', "place": "place: Kommunhuset"}


def _check_time_and_place(doc, problems) -> None:
    """A kallelse tells when and where the meeting is (a meeting online is 'Distansmöte')."""
    missing = [key for key in _KALLELSE_TELLS if not str(doc.meta.get(key) or "").strip()]
    if missing:
        problems.warning(doc.path, doc.located.line_of(("date",)),
                         f"the kallelse gives no {' and no '.join(missing)} for the meeting",
                         "add " + " and ".join(f"'{_KALLELSE_TELLS[key]}'" for key in missing))


def _check_item_numbers(doc, problems) -> None:
    """An agenda's items are numbered one after another. A number given twice would
    also give two items one address (#punkt-N); a gap or a step back is a slip, or an
    item withdrawn, and only warned about. After a slip the next item may follow either
    the number written or the one meant, so that one mistyped number is one warning;
    but right after a secret item only the next number will do, since any other is
    most likely a heading of the secret item's text, which would be published."""
    seen: dict[int, int] = {}
    follows: set[int] = {0}  # numbers the next item may take
    secret = body.secret_sections("kallelse", doc.meta)
    for before, section in zip([None, *doc.sections], doc.sections, strict=False):
        number = section.number
        if number in seen:
            problems.error(doc.path, section.line, f"item {number} appears twice on the agenda "
                           f"(also on line {seen[number]})", "renumber one of them")
        elif before and before.number in secret and number != before.number + 1:
            problems.error(doc.path, section.line,
                           f"item {number} follows the secret item {before.number}, where item "
                           f"{before.number + 1} was expected: as a heading of item {before.number}'s "
                           "text, it would publish what follows it",
                           "write a heading of an item's text with more '#' than the items' own, "
                           "or number the items one after another")
        elif number - 1 not in follows:
            expected = min(follows) + 1
            problems.warning(doc.path, section.line,
                             f"item {number} comes where item {expected} was expected: "
                             + ("a gap" if number > expected else "out of order"),
                             "an agenda's items are numbered one after another, from 1")
        seen.setdefault(number, section.line)
        follows = {number} | ({min(follows) + 1} if number - 1 not in follows else set())


# --- links to attachments -------------------------------------------------------


def _link_mentions(html: str, attachments: list[Attachment]) -> str:
    """Link each 'Bilaga N' in rendered text to that attachment, where it is published."""
    # The common case, checked first: 40,000 calls a build.
    if not attachments or not any(word in html for word in ("ilag", "il.", "ILAG", "IL.")):
        return html
    linkable = {a.number: a for a in attachments if a.source is not None}
    if not linkable:
        return html

    def link_numbers(match: re.Match) -> str:
        # "Bilaga 1" is linked as a whole; in "bilaga 2 och 3" the word goes with the first.
        text = match.group(0)
        numbers = list(re.finditer(r"\d+", text))
        out, last = [], 0
        for index, number in enumerate(numbers):
            attachment = linkable.get(int(number.group()))
            start = 0 if index == 0 else number.start()
            out.append(text[last:start])
            piece = text[start:number.end()]
            out.append(_link_to(attachment, piece) if attachment else piece)
            last = number.end()
        out.append(text[last:])
        return "".join(out)

    return markdown.substitute_in_text(html, body.BILAGA_MENTION, link_numbers)
