"""What the Atom feeds hold: newest protokoll of the site or an organ, newest paragraphs
on a topic and the topic's agenda items of meetings still without a protokoll. Entries are
dated from the sources (`Meeting.updated`), never by the clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from site_gen.model import AgendaItem, Meeting, Organ, Paragraph, Site, Topic

FEED_LENGTH = 50
# The date of a feed with no entries and no meetings: any fixed date keeps builds identical.
EMPTY_FEED_DATE = dt.date(1970, 1, 1)


@dataclass
class Entry:
    meeting: Meeting
    paragraph: Paragraph | None  # set in topic feeds, whose entries are single paragraphs
    updated: dt.date
    item: AgendaItem | None = None  # in topic feeds, for a meeting still to be held

    @property
    def published(self) -> dt.date:
        """The date first published, which a later correction leaves as it is."""
        return self.meeting.published


def entries(site: Site, subject: Organ | Topic | None = None) -> list[Entry]:
    """The newest entries first: protokoll of the whole site or of one organ, or a topic's
    paragraphs and agenda items. A resident who follows a topic hears of it when it is on
    an agenda, and again from the protokoll, which then takes the agenda item's place."""
    if isinstance(subject, Topic):
        found = [Entry(p.meeting, p, p.meeting.updated) for p in subject.paragraphs]
        found += [Entry(i.meeting, None, i.meeting.updated, i) for i in subject.agenda_items
                  if not i.meeting.protokoll]
    else:
        meetings = subject.meetings if subject else site.meetings
        found = [Entry(m, None, m.updated) for m in meetings if m.protokoll]
    found.sort(key=lambda entry: entry.updated, reverse=True)  # stable: ties keep site order
    return found[:FEED_LENGTH]


def updated(entries: list[Entry], meetings: list[Meeting]) -> dt.date:
    """The feed's date: its newest entry's, else its newest meeting's."""
    dates = [e.updated for e in entries] or [m.updated for m in meetings]
    return max(dates, default=EMPTY_FEED_DATE)
