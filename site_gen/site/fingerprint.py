"""What each page is made from, as one digest: a page whose digest is unchanged since
the last build is the same page and need not be rendered again.

A page's digest covers the templates and static files, the site configuration, the
site's structure (organs and which meetings exist), the page's own place and title,
and every meeting it shows. A meeting's digest covers its source files and the facts
other files lend it: people's and topics' names, and links to other meetings' §§.

Pages that list meetings (archive, topics, persons, decisions …) declare
`summary_only`: they depend on a meeting's summary, which is everything but the text
of its paragraphs, agenda items and attachments: the documents' front matter, their
sections' headings, decisions and agenda details (documents.summary_digest), and the same
facts from other files as the full digest. Editing the text of a § then re-renders
the meeting's own pages, not every list that mentions the meeting.
"""

from __future__ import annotations

from site_gen.cache import hash_parts
from site_gen.model import Meeting, Site
from site_gen.site.pages import Page


def meeting_digest(meeting: Meeting, summary: bool = False) -> str:
    parts: list[str] = [meeting.organ.slug, meeting.organ.name, meeting.date.isoformat()]
    for document in (meeting.protokoll, meeting.kallelse):
        if document is None:
            parts.append("-")
            continue
        if summary:
            parts.append(document.summary)
            parts.extend(f"{a.number}:{a.title}:{a.source}:{a.is_page}" for a in document.attachments)
        else:
            parts.append(document.digest)
            parts.extend(f"{a.number}:{a.digest}" for a in document.attachments)
    for attendance in meeting.attendances:
        parts.append(attendance.person.name)
        if attendance.replaces:
            parts.append(attendance.replaces.name)
    protokoll = meeting.protokoll
    if protokoll:
        parts.extend(p.name for p in protokoll.justerare)
        if protokoll.sekreterare:
            parts.append(protokoll.sekreterare.name)
        for paragraph in protokoll.paragraphs:
            parts.extend(t.name for t in paragraph.topics)
            parts.extend(r.person.name for r in paragraph.reservations + paragraph.protokollsanteckningar)
            parts.extend(p.name for p in paragraph.jäv)
            if paragraph.references and not summary:  # links to other meetings' paragraphs
                parts.extend(block.html for block in paragraph.blocks)
    if meeting.kallelse:
        for item in meeting.kallelse.items:
            parts.extend(t.name for t in item.topics)
    return hash_parts(parts)


def structure_digest(site: Site) -> str:
    """The organs and which meetings exist: what navigation between pages may show."""
    parts = [f"{o.slug}:{o.name}" for o in site.organs]
    parts += [f"{m.organ.slug}:{m.date}:{bool(m.protokoll)}:{bool(m.kallelse)}" for m in site.meetings]
    return hash_parts(parts)


class Fingerprinter:
    def __init__(self, site: Site, globals_digest: str):
        self.meetings = {id(m): meeting_digest(m) for m in site.meetings}
        self.summaries: dict[int, str] = {}
        self.site = site
        self.base = hash_parts((globals_digest, structure_digest(site)))
        self.whole_site = hash_parts(self.meetings.values())

    def meeting_changed(self, meeting: Meeting) -> None:
        """Take in a change to the text of one meeting (its summary is unchanged)."""
        self.meetings[id(meeting)] = meeting_digest(meeting)
        self.whole_site = hash_parts(self.meetings.values())

    def page(self, page: Page) -> str:
        parts = [self.base, page.path, page.template, page.title, repr(page.trail), page.links,
                 page.also, repr(page.feed)]
        if page.summary_only:
            parts.append("summary")
            meetings = self.site.meetings if page.depends is None else page.depends
            parts.extend(self._summary(m) for m in meetings)
        elif page.depends is None:
            parts.append(self.whole_site)
        else:
            parts.extend(self.meetings[id(m)] for m in page.depends)
        return hash_parts(parts)

    def _summary(self, meeting: Meeting) -> str:
        found = self.summaries.get(id(meeting))
        if found is None:
            found = self.summaries[id(meeting)] = meeting_digest(meeting, summary=True)
        return found
