"""Which pages the site has: one `Page` per output HTML file, plus files to copy."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import urls
from .model import Meeting, Site

LATEST_MEETINGS_PER_ORGAN = 5
LATEST_DECISIONS = 10


@dataclass
class Page:
    path: str  # URL path from the site root, e.g. 'styrelsen/2021-06-01/'
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    # Breadcrumb trail above the page title: (title, url-path) pairs, root first.
    trail: list[tuple[str, str]] = field(default_factory=list)
    # The meetings the page shows, so it is rebuilt when one changes; None: all of them.
    depends: list[Meeting] | None = field(default_factory=list)
    # True for pages that list meetings without the text of their paragraphs, agenda
    # items or attachments: they are rebuilt only when the rest of a meeting changes
    # (see fingerprint.SUMMARY_LEAVES_OUT). Leave False for a page showing that text.
    summary_only: bool = False

    @property
    def file(self) -> str:
        return urls.output_file(self.path)


def site_pages(site: Site) -> list[Page]:
    home = _home_context(site)
    pages = [
        Page("", "home.html", "Start", home, depends=_home_meetings(site, home), summary_only=True),
        Page("404.html", "404.html", "Sidan finns inte"),
        Page("arkiv/", "archive.html", "Alla sammanträden", {"years": _by_year(site.meetings)},
             trail=[("Start", "")], depends=None, summary_only=True),
        Page("amnen/", "topics.html", "Ämnen", trail=[("Start", "")], depends=None, summary_only=True),
        Page("personer/", "persons.html", "Personer", trail=[("Start", "")], depends=None,
             summary_only=True),
    ]
    pages += _decision_pages(site)
    for year, meetings in _by_year(site.meetings).items():
        pages.append(Page(urls.year_path(year), "year.html", f"Sammanträden {year}",
                          {"year": year, "meetings": meetings},
                          trail=[("Start", ""), ("Alla sammanträden", "arkiv/")], depends=meetings,
                          summary_only=True))
    for organ in site.organs:
        trail = [("Start", "")]
        pages.append(Page(urls.path_of(organ), "organ.html", organ.name,
                          {"organ": organ, "years": _by_year(organ.meetings)}, trail=trail,
                          depends=organ.meetings, summary_only=True))
        for year, meetings in _by_year(organ.meetings).items():
            pages.append(Page(urls.organ_year_path(organ, year), "organ_year.html",
                              f"{organ.name} {year}",
                              {"organ": organ, "year": year, "meetings": meetings},
                              trail=trail + [(organ.name, urls.path_of(organ))], depends=meetings,
                              summary_only=True))
    for meeting in site.meetings:
        pages += _meeting_pages(meeting)
    for topic in site.topics:
        shown = {id(p.meeting): p.meeting for p in topic.paragraphs}
        shown.update({id(i.meeting): i.meeting for i in topic.agenda_items})
        pages.append(Page(urls.path_of(topic), "topic.html", topic.name, {"topic": topic},
                          trail=[("Start", ""), ("Ämnen", "amnen/")], depends=list(shown.values()),
                          summary_only=True))
    for person in site.persons:
        if person.attendances:
            pages.append(Page(urls.path_of(person), "person.html", person.name,
                              {"person": person}, trail=[("Start", ""), ("Personer", "personer/")],
                              depends=person.meetings, summary_only=True))
    return pages


def _meeting_pages(meeting) -> list[Page]:
    organ = meeting.organ
    trail = [("Start", ""), (organ.name, urls.path_of(organ)),
             (str(meeting.date.year), urls.organ_year_path(organ, meeting.date.year))]
    day = meeting.date.isoformat()
    pages = []
    documents = []
    if meeting.protokoll:
        pages.append(Page(urls.meeting_path(meeting), "protokoll.html",
                          f"Protokoll {organ.name} {day}", {"meeting": meeting}, trail=trail,
                          depends=[meeting]))
        documents.append(("protokoll", meeting.protokoll, urls.meeting_path(meeting)))
    if meeting.kallelse:
        pages.append(Page(urls.kallelse_path(meeting), "kallelse.html",
                          f"Kallelse {organ.name} {day}", {"meeting": meeting}, trail=trail,
                          depends=[meeting]))
        documents.append(("kallelse", meeting.kallelse, urls.kallelse_path(meeting)))
    for kind, document, path in documents:
        for attachment in document.attachments:
            if attachment.is_page:
                pages.append(Page(urls.attachment_path(attachment), "attachment.html",
                                  f"Bilaga {attachment.number}: {attachment.title}",
                                  {"meeting": meeting, "attachment": attachment},
                                  trail=trail + [(f"{kind.capitalize()} {day}", path)],
                                  depends=[meeting]))
    return pages


def _decision_pages(site: Site) -> list[Page]:
    by_year = _by_year([m for m in site.meetings if m.protokoll and m.protokoll.decisions])
    latest = site.decisions[:LATEST_DECISIONS * 5]
    # Which years have decisions can change with any meeting: this page follows them all.
    pages = [Page("beslut/", "decisions.html", "Beslut", {"years": by_year, "latest": latest},
                  trail=[("Start", "")], depends=None, summary_only=True)]
    for year, meetings in by_year.items():
        pages.append(Page(f"beslut/{year}/", "decisions_year.html", f"Beslut {year}",
                          {"year": year, "meetings": meetings},
                          trail=[("Start", ""), ("Beslut", "beslut/")], depends=meetings,
                          summary_only=True))
    return pages


def _home_context(site: Site) -> dict[str, Any]:
    return {
        "latest_by_organ": [
            (organ, [m for m in organ.meetings if m.protokoll][:LATEST_MEETINGS_PER_ORGAN])
            for organ in site.organs
        ],
        "upcoming": sorted((m for m in site.meetings if m.is_upcoming), key=lambda m: m.date),
        "latest_decisions": site.decisions[:LATEST_DECISIONS],
    }


def _home_meetings(site: Site, home: dict[str, Any]) -> list[Meeting] | None:
    """The meetings the home page shows, and every meeting newer than the oldest whose
    decision it lists: a new decision in any of those changes the list."""
    decisions = home["latest_decisions"]
    if len(decisions) < LATEST_DECISIONS:
        return None  # a decision anywhere would join the list
    listed = [m for _, meetings in home["latest_by_organ"] for m in meetings] + home["upcoming"]
    oldest = decisions[-1].paragraph.meeting
    return _unique(listed + site.meetings[: site.meetings.index(oldest) + 1])


def _unique(meetings) -> list[Meeting]:
    return list({id(m): m for m in meetings}.values())


def _by_year(meetings) -> dict[int, list]:
    years: dict[int, list] = defaultdict(list)
    for meeting in meetings:
        years[meeting.date.year].append(meeting)
    return dict(sorted(years.items(), reverse=True))


def files_to_copy(site: Site, static_dirs: list[Path]) -> dict[str, Path]:
    """Output path → source file, for theme/site static files and non-page attachments."""
    files: dict[str, Path] = {}
    for folder in static_dirs:  # later folders (the site's own) win
        if folder.is_dir():
            for source in sorted(folder.rglob("*")):
                if source.is_file() and not source.name.startswith("."):
                    files["static/" + source.relative_to(folder).as_posix()] = source
    for meeting in site.meetings:
        for document in (meeting.protokoll, meeting.kallelse):
            for attachment in document.attachments if document else []:
                if attachment.source is not None and not attachment.is_page:
                    files[urls.attachment_path(attachment)] = attachment.source
    return files
