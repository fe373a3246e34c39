"""The open-data export: the whole site as plain data, written as JSON: the body with
its organs, people and topics in data/site.json, and the meetings, with their
paragraphs, in one file per organ and year (data/<organ>/<year>.json), so that an
edited protokoll rewrites one small file, not the whole export.

data/site.json stays small however large the archive grows: like OParl's external
lists, it names where the meetings are instead of listing them under each organ,
person and topic; those links are in the meetings (organization, participant, topic).

Field names follow OParl 1.1 where it has a counterpart (Body, Organization, Meeting,
AgendaItem, Person, Membership, Location); docs/opendata.md documents every field.
Every identifier is the URL of the object's page, so a program and a person find the
same thing at the same address. Lists keep the site's order, so output is stable.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from site_gen.model import (
    AgendaItem,
    Attendance,
    Meeting,
    Notice,
    Organ,
    Paragraph,
    Person,
    Site,
    Topic,
    by_year,
)
from site_gen.site import urls
from site_gen.times import local_iso, time_span

OPARL = "https://schema.oparl.org/1.1/"
FORMAT_VERSION = 3

Link = Callable[[Any], str]


def site_data(site: Site, link: Link) -> dict[str, Any]:
    """The body: organs, people, topics, and where the meetings are listed."""
    config = site.config
    return {
        "id": link(""),
        "type": OPARL + "Body",
        "name": config.organisation,
        "shortName": config.title,
        "website": link(""),
        "formatVersion": FORMAT_VERSION,
        "modified": _date(max((m.updated for m in site.meetings), default=None)),
        "organization": [_organization(organ, link) for organ in site.organs],
        "meetingList": [_list_entry(organ, year, meetings, link)
                        for organ in site.organs for year, meetings in by_year(organ.meetings).items()],
        "person": [_person(person, link) for person in site.persons if person.attendances],
        "topic": [_topic(topic, link) for topic in site.topics],
    }


def meeting_list(organ: Organ, year: int, meetings: list[Meeting], site: Site, link: Link) -> dict[str, Any]:
    """One organ's meetings of one year, in full."""
    return {
        "type": "MeetingList",
        "organization": link(organ),
        "year": year,
        "meeting": [_meeting(meeting, link) for meeting in meetings],
    }


def _list_entry(organ: Organ, year: int, meetings: list[Meeting], link: Link) -> dict[str, Any]:
    return {"organization": link(organ), "year": year, "count": len(meetings),
            "url": link(urls.meeting_list_path(organ, year))}


def _organization(organ: Organ, link: Link) -> dict[str, Any]:
    return {
        "id": link(organ),
        "type": OPARL + "Organization",
        "name": organ.name,
        "organizationType": "Gremium",
        "web": link(organ),
    }


def _meeting(meeting: Meeting, link: Link) -> dict[str, Any]:
    span = time_span(meeting.time)
    data: dict[str, Any] = {
        "id": link(meeting),
        "type": OPARL + "Meeting",
        "name": (meeting.kallelse and meeting.kallelse.title)
        or f"{meeting.organ.name} {meeting.date.isoformat()}",
        "meetingState": "scheduled" if meeting.is_upcoming else "terminated",
        "start": local_iso(meeting.date, span[0]) if span else meeting.date.isoformat(),
        "end": local_iso(meeting.date, span[1]) if span and span[1] else None,
        "location": {"type": OPARL + "Location", "description": meeting.place} if meeting.place else None,
        "organization": [link(meeting.organ)],
        "participant": [link(a.person) for a in meeting.attendances],
        "attendance": [_attendance(a, link) for a in meeting.attendances],
        "web": link(meeting),
        "protokoll": link(meeting) if meeting.protokoll else None,
        "kallelse": link(urls.kallelse_path(meeting)) if meeting.kallelse else None,
        "modified": meeting.updated.isoformat(),
    }
    if meeting.protokoll:
        data["agendaItem"] = [_paragraph(p, index, link)
                              for index, p in enumerate(meeting.protokoll.paragraphs, 1)]
        data["notice"] = _notice(meeting)
        data["corrections"] = [_without_empty({"date": c.day.isoformat(), "text": c.text,
                                               "agendaItem": link(c.paragraph) if c.paragraph else None})
                               for c in meeting.protokoll.corrections]
    else:
        data["agendaItem"] = [_item(i, index, link) for index, i in enumerate(meeting.kallelse.items, 1)]
    return _without_empty(data)


def _attendance(attendance: Attendance, link: Link) -> dict[str, Any]:
    """Who took part, in what capacity, and for which paragraphs: with the paragraphs'
    conflictOfInterest, who took each decision."""
    protokoll = attendance.meeting.protokoll
    partly = (attendance.present is not None or attendance.serving is not None) and protokoll
    return _without_empty({
        "person": link(attendance.person),
        "votingRight": attendance.voting,
        "role": attendance.role,
        "represents": attendance.represents,
        "substitutes": link(attendance.replaces) if attendance.replaces else None,
        "agendaItem": [link(p) for p in protokoll.paragraphs if attendance.takes_part_in(p.number)]
        if partly else None,
    })


def _notice(meeting: Meeting) -> dict[str, Any]:
    protokoll = meeting.protokoll
    return _without_empty({
        "sekreterare": protokoll.sekreterare.name if protokoll.sekreterare else None,
        "justerare": [p.name for p in protokoll.justerare],
        **_notice_dates(protokoll.notice),
    })


def _notice_dates(notice: Notice) -> dict[str, Any]:
    return _without_empty({
        "justeringsdatum": _date(notice.justeringsdatum),
        "postedAt": notice.posted_where,
        "posted": _date(notice.posted),
        "takenDown": _date(notice.taken_down),
        "lastAppealDay": _date(notice.last_appeal_day),
        "boards": [_without_empty({"postedAt": b.hos, "posted": _date(b.posted),
                                   "takenDown": _date(b.taken_down)})
                   for b in notice.boards],
        "keptAt": notice.kept_at,
    })


def _paragraph(paragraph: Paragraph, order: int, link: Link) -> dict[str, Any]:
    secret = bool(paragraph.sekretess)
    return _without_empty({
        "id": link(paragraph),
        "type": OPARL + "AgendaItem",
        "meeting": link(paragraph.meeting),
        "number": str(paragraph.number),
        "order": order,
        "name": paragraph.heading_text,
        "public": not secret,
        "secrecyGround": paragraph.sekretess,
        "keyword": [t.name for t in paragraph.topics],
        "topic": [link(t) for t in paragraph.topics],
        "resolutionText": "\n".join(d.text for d in paragraph.decisions),
        "decision": [d.text for d in paragraph.decisions],
        "immediatelyChecked": paragraph.omedelbar_justering or None,
        "notice": _notice_dates(paragraph.own_notice) if paragraph.own_notice else None,
        "reservation": [link(r.person) for r in paragraph.reservations],
        "conflictOfInterest": [link(p) for p in paragraph.jäv],
        "vote": {"yes": [link(p) for p in paragraph.votering.ja],
                 "no": [link(p) for p in paragraph.votering.nej],
                 "abstain": [link(p) for p in paragraph.votering.avstår]} if paragraph.votering else None,
        "extract": link(urls.extract_path(paragraph)),
        "web": link(paragraph),
    })


def _item(item: AgendaItem, order: int, link: Link) -> dict[str, Any]:
    return _without_empty({
        "id": link(item),
        "type": OPARL + "AgendaItem",
        "meeting": link(item.meeting),
        "number": str(item.number),
        "order": order,
        "name": item.heading_text,
        "public": not item.sekretess,
        "secrecyGround": item.sekretess,
        "kind": item.kind,
        "presenter": item.presenter,
        "keyword": [t.name for t in item.topics],
        "topic": [link(t) for t in item.topics],
        "web": link(item),
    })


def _person(person: Person, link: Link) -> dict[str, Any]:
    memberships: dict[tuple, dict[str, Any]] = {}
    for attendance in person.attendances:
        key = (attendance.meeting.organ.slug, attendance.voting, attendance.role, attendance.represents)
        memberships.setdefault(key, _without_empty({
            "type": OPARL + "Membership",
            "organization": link(attendance.meeting.organ),
            "votingRight": attendance.voting,
            "role": attendance.role,
            "represents": attendance.represents,
        }))
    return {
        "id": link(person),
        "type": OPARL + "Person",
        "name": person.name,
        "membership": [memberships[key] for key in sorted(memberships)],
        "web": link(person),
    }


def _topic(topic: Topic, link: Link) -> dict[str, Any]:
    return {
        "id": link(topic),
        "type": "Topic",
        "name": topic.name,
        "web": link(topic),
    }


def as_text(data: dict[str, Any]) -> str:
    """The JSON of an open-data file, each item of a list on a line of its own: as easy
    to read and to diff as indented JSON, and written by the json module's fast encoder,
    which indented output cannot use."""
    fields = []
    for key, value in data.items():
        name = json.dumps(key, ensure_ascii=False)
        if isinstance(value, list) and value:
            items = ",\n  ".join(json.dumps(item, ensure_ascii=False) for item in value)
            fields.append(f" {name}: [\n  {items}\n ]")
        else:
            fields.append(f" {name}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(fields) + "\n}\n"


def _date(day) -> str | None:
    return day.isoformat() if day else None


def _without_empty(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out fields with no value, as OParl does, but keep false and 0."""
    return {k: v for k, v in data.items() if v is not None and v != "" and v != []}
