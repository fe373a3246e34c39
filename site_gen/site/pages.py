"""Which pages the site has: one `Page` per output file (HTML pages, feeds, calendar,
open data …), plus files to copy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from site_gen.load.documents import inside
from site_gen.model import Meeting, Organ, Site, Topic, by_year, meeting_date
from site_gen.problems import SiteGenError
from site_gen.site import feeds, opendata, urls
from site_gen.times import build_date

LATEST_MEETINGS_PER_ORGAN = 5
LATEST_DECISIONS = 10
LATEST_ON_TOPIC = 10  # paragraphs, and agenda items, on a topic's own page
# The calendar is for subscribing: the year behind the build date and everything ahead.
# The whole archive would be megabytes that calendar apps fetch again and again.
CALENDAR_PAST = dt.timedelta(days=365)

# How a page's links are written (see render.render_page).
RELATIVE = "relative"  # relative to the page: the site works at any sub-path of any host
FROM_ROOT = "from-root"  # from base_url's path: the 404 page, which is served at any depth
ABSOLUTE = "absolute"  # full URLs from base_url: feeds, sitemap, calendar, open data


# A large site has a page object for each of tens of thousands of pages, all held
# while the site is written: slots, and what a meeting's pages have in common (trail,
# context, depends) shared between them.
@dataclass(slots=True)
class Page:
    path: str  # URL path from the site root, e.g. 'styrelsen/2021-06-01/'
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    # Breadcrumb trail above the page title: (title, url-path) pairs, root first.
    trail: list[tuple[str, str]] = field(default_factory=list)
    # The meetings the page shows, so it is rebuilt when one changes; None: all of them.
    depends: list[Meeting] | None = field(default_factory=list)
    links: str = RELATIVE
    # What else the page is made from, for its fingerprint: e.g. the build date.
    also: str = ""
    # The Atom feed the page offers: (title, path), linked in its head and body.
    feed: tuple[str, str] | None = None
    # For data files: a function (site, link) -> plain data, written as JSON.
    data: Callable[[Site, Callable[[Any], str]], Any] | None = None
    # True for pages that list meetings without the text of their paragraphs, agenda
    # items or attachments: they are rebuilt only when the rest of a meeting changes
    # (see fingerprint.SUMMARY_LEAVES_OUT). Leave False for a page showing that text.
    summary_only: bool = False
    file: str = field(init=False)  # the output file, from `path`

    def __post_init__(self) -> None:
        self.file = urls.output_file(self.path)


# The first step of every trail of breadcrumbs.
_START = ("Start", urls.HOME)


def site_pages(site: Site, today: dt.date | None = None) -> list[Page]:
    """Every page of the site. `today` decides which notices are up (default: `build_date`)."""
    today = today or build_date(site.dates_passed())
    home = {**_home_context(site), "today": today}
    has_feeds = bool(site.config.feeds and site.config.base_url)
    pages = [
        Page(urls.HOME, "home.html", "Start", home, depends=_home_meetings(site, home),
             also=today.isoformat(), summary_only=True),
        Page(urls.NOT_FOUND, "404.html", "Sidan finns inte", links=FROM_ROOT),
        Page(urls.ARCHIVE, "archive.html", "Alla sammanträden", {"years": by_year(site.meetings)},
             trail=[_START], depends=None, summary_only=True),
        Page(urls.TOPICS, "topics.html", "Ämnen", trail=[_START], depends=None, summary_only=True),
        Page(urls.PERSONS, "persons.html", "Personer", trail=[_START], depends=None,
             summary_only=True),
        Page(urls.SEARCH, "search.html", "Sök", _search_context(site), trail=[_START], depends=None,
             summary_only=True),
    ]
    pages += _decision_pages(site)
    for year, meetings in by_year(site.meetings).items():
        pages.append(Page(urls.year_path(year), "year.html", f"Sammanträden {year}",
                          {"year": year, "meetings": meetings},
                          trail=[_START, ("Alla sammanträden", urls.ARCHIVE)], depends=meetings,
                          summary_only=True))
    for organ in site.organs:
        trail = [_START]
        pages.append(Page(urls.path_of(organ), "organ.html", organ.name,
                          {"organ": organ, "years": by_year(organ.meetings)}, trail=trail,
                          depends=organ.meetings, summary_only=True))
        for year, meetings in by_year(organ.meetings).items():
            pages.append(Page(urls.organ_year_path(organ, year), "organ_year.html",
                              f"{organ.name} {year}",
                              {"organ": organ, "year": year, "meetings": meetings},
                              trail=trail + [(organ.name, urls.path_of(organ))], depends=meetings,
                              summary_only=True))
    trails: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for meeting in site.meetings:
        pages += _meeting_pages(meeting, trails)
    for topic in site.topics:
        pages += _topic_pages(topic)
    for person in site.persons:
        if person.attendances:
            pages.append(Page(urls.path_of(person), "person.html", person.name,
                              {"person": person}, trail=[_START, ("Personer", urls.PERSONS)],
                              depends=person.meetings, summary_only=True))
    pages += _notice_pages(site, today)
    pages.append(Page(urls.ACCESSIBILITY, "accessibility.html", "Tillgänglighetsredogörelse",
                      {"statement": site.config.tillganglighet}, trail=[_START]))
    pages.append(Page(urls.APPEAL, "appeal.html", "Så överklagar du ett beslut", trail=[_START]))
    pages += _data_pages(site, pages, has_feeds, today)
    if has_feeds:
        links: dict[int, tuple[str, str]] = {}
        for page in pages:
            if page.links != ABSOLUTE:
                subject = _feed_subject(page)
                if id(subject) not in links:
                    links[id(subject)] = _feed_link(subject)
                page.feed = links[id(subject)]
        pages += _feed_pages(site)
    return pages


def _topic_pages(topic: Topic) -> list[Page]:
    """A topic's page, with its latest paragraphs and agenda items and its years, and a
    page for each year: a topic of a large archive has thousands of paragraphs."""
    trail = [_START, ("Ämnen", urls.TOPICS)]
    paragraphs = by_year(topic.paragraphs, meeting_date)
    items = by_year(topic.agenda_items, meeting_date)
    years = {year: (paragraphs.get(year, []), items.get(year, []))
             for year in sorted(paragraphs.keys() | items.keys(), reverse=True)}
    latest_paragraphs = topic.paragraphs[:LATEST_ON_TOPIC]
    latest_items = topic.agenda_items[:LATEST_ON_TOPIC]
    pages = [Page(urls.path_of(topic), "topic.html", topic.name,
                  {"topic": topic, "paragraphs": latest_paragraphs, "agenda_items": latest_items,
                   "years": years},
                  trail=trail, depends=_topic_meetings(topic), summary_only=True)]
    for year, (year_paragraphs, year_items) in years.items():
        pages.append(Page(urls.topic_year_path(topic, year), "topic_year.html", f"{topic.name} {year}",
                          {"topic": topic, "year": year, "paragraphs": year_paragraphs,
                           "agenda_items": year_items},
                          trail=trail + [(topic.name, urls.path_of(topic))],
                          depends=_unique(x.meeting for x in [*year_paragraphs, *year_items]),
                          summary_only=True))
    return pages


def _topic_meetings(topic: Topic) -> list[Meeting]:
    return _unique(x.meeting for x in [*topic.paragraphs, *topic.agenda_items])


def _feed_link(subject: Organ | Topic | None) -> tuple[str, str]:
    """The title and path of the feed of an organ, a topic or (None) the whole site."""
    if isinstance(subject, Topic):
        return f"Nytt om {subject.name}", urls.feed_path(subject)
    if isinstance(subject, Organ):
        return f"Nya protokoll från {subject.name}", urls.feed_path(subject)
    return "Nya protokoll", urls.feed_path()


def _feed_subject(page: Page) -> Organ | Topic | None:
    """What a page is about, for the feed it offers: its topic, its organ, else the site."""
    meeting = page.context.get("meeting")
    return (page.context.get("topic") or page.context.get("organ")
            or (meeting.organ if meeting else None))


def _feed_pages(site: Site) -> list[Page]:
    """The Atom feeds; each is rebuilt with the meetings its page shows (any, for the site's)."""
    subjects = [(None, None)] + [(o, o.meetings) for o in site.organs] \
        + [(t, _topic_meetings(t)) for t in site.topics]
    pages = []
    for subject, depends in subjects:
        entries = feeds.entries(site, subject)
        title, path = _feed_link(subject)
        alternate = urls.path_of(subject) if subject else ""
        pages.append(Page(path, "feed.xml", title,
                          {"entries": entries, "alternate": alternate,
                           "updated": feeds.updated(entries, site.meetings if depends is None else depends)},
                          links=ABSOLUTE, depends=depends, summary_only=True))  # headings, decisions
    return pages


def _notice_pages(site: Site, today: dt.date) -> list[Page]:
    """The notice board and its archive; both change with the date, so it is in their fingerprint."""
    posted = [posting for m in site.meetings for posting in m.postings]
    posted.sort(key=lambda p: (p.notice.posted, p.meeting.date, p.meeting.organ.slug,
                               -p.paragraph.number if p.paragraph else 0), reverse=True)
    board = [p for p in posted if p.notice.ends >= today]
    archive = [p for p in posted if p.notice.ends < today]
    trail = [_START, ("Anslagstavla", urls.NOTICE_BOARD)]
    years = by_year(archive, lambda posting: posting.meeting.date)
    pages = [
        Page(urls.NOTICE_BOARD, "notice_board.html", "Anslagstavla",
             {"notices": board, "today": today,
              "shown": [p for p in board if p.notice.is_up(today)]},
             trail=[_START], depends=None, also=today.isoformat(), summary_only=True),
        Page(urls.NOTICE_ARCHIVE, "notice_archive.html", "Tidigare anslag",
             {"years": years, "today": today}, trail=trail, depends=None,
             also=today.isoformat(), summary_only=True),
    ]
    # The newest year is on the archive page itself; each earlier year has a page of its own,
    # made from that year's notices alone: a page per year depending on every meeting would
    # cost years × meetings to fingerprint.
    for year, postings in list(years.items())[1:]:
        pages.append(Page(urls.notice_year_path(year), "notice_archive_year.html", f"Tidigare anslag {year}",
                          {"year": year, "postings": postings, "today": today},
                          trail=trail + [("Tidigare anslag", urls.NOTICE_ARCHIVE)],
                          depends=_unique(p.meeting for p in postings), also=today.isoformat(),
                          summary_only=True))
    return pages


def _data_pages(site: Site, html_pages: list[Page], has_feeds: bool, today: dt.date) -> list[Page]:
    """Files for programs rather than people: sitemap, robots.txt, calendar, open data."""
    since = today - CALENDAR_PAST
    in_calendar = [m for m in site.meetings if m.is_upcoming or m.date >= since]
    pages = [
        Page(urls.CALENDAR, "calendar.ics", "Kalender",
             {"meetings": in_calendar, "uid_domain": urls.uid_domain(site.config)},
             links=ABSOLUTE, depends=in_calendar, summary_only=True),  # which meetings: all it changes with
        # The body lists organs, people, topics and the meeting files: all from summaries.
        Page(urls.OPEN_DATA, "", "Öppna data", links=ABSOLUTE, depends=None, summary_only=True,
             data=opendata.site_data),
        Page(urls.ROBOTS, "robots.txt", "robots.txt", {"sitemap": has_feeds}, links=ABSOLUTE),
    ]
    for organ in site.organs:
        for year, meetings in by_year(organ.meetings).items():
            # The open data holds headings and decisions, not the text of paragraphs.
            pages.append(Page(urls.meeting_list_path(organ, year), "", f"Öppna data: {organ.name} {year}",
                              links=ABSOLUTE, depends=meetings, summary_only=True,
                              data=partial(opendata.meeting_list, organ, year, meetings)))
    if not has_feeds:
        return pages
    listed = [p.path for p in html_pages if p.links == RELATIVE and p.template != "extract.html"]
    # Which pages there are changes with the build date too (the notice archive's years).
    pages.append(Page(urls.SITEMAP, "sitemap.xml", "sitemap.xml", {"paths": listed},
                      links=ABSOLUTE, depends=None, also="\n".join(listed), summary_only=True))
    return pages


def _meeting_pages(meeting, trails: dict[tuple[str, int], list[tuple[str, str]]]) -> list[Page]:
    """The pages of one meeting. `trails`: the trail of each organ and year, shared by
    its meetings' pages (none of them changes a trail)."""
    organ = meeting.organ
    year = meeting.date.year
    trail = trails.get((organ.slug, year))
    if trail is None:
        trail = trails[(organ.slug, year)] = [_START, (organ.name, urls.path_of(organ)),
                                              (str(year), urls.organ_year_path(organ, year))]
    day = meeting.date.isoformat()
    context = {"meeting": meeting}
    depends = [meeting]
    pages = []
    documents = []
    if meeting.protokoll:
        path = urls.meeting_path(meeting)
        pages.append(Page(path, "protokoll.html", f"Protokoll {organ.name} {day}", context,
                          trail=trail, depends=depends))
        documents.append(("protokoll", meeting.protokoll, path))
        if meeting.protokoll.paragraphs:
            pages.append(Page(urls.extracts_path(meeting), "extract.html",
                              f"Protokollsutdrag, {organ.name} {day}", context,
                              trail=trail + [(f"Protokoll {day}", path)], depends=depends))
    if meeting.kallelse:
        path = urls.kallelse_path(meeting)
        pages.append(Page(path, "kallelse.html", f"Kallelse {organ.name} {day}", context,
                          trail=trail, depends=depends))
        documents.append(("kallelse", meeting.kallelse, path))
    for kind, document, path in documents:
        for attachment in document.attachments:
            if attachment.is_page:
                pages.append(Page(urls.attachment_path(attachment), "attachment.html",
                                  f"Bilaga {attachment.number}: {attachment.title}",
                                  {"meeting": meeting, "attachment": attachment},
                                  trail=trail + [(f"{kind.capitalize()} {day}", path)],
                                  depends=depends))
    return pages


def _decision_pages(site: Site) -> list[Page]:
    years = by_year([m for m in site.meetings if m.protokoll and m.protokoll.decisions])
    latest = site.decisions[:LATEST_DECISIONS * 5]
    # Which years have decisions can change with any meeting: this page follows them all.
    pages = [Page(urls.DECISIONS, "decisions.html", "Beslut", {"years": years, "latest": latest},
                  trail=[_START], depends=None, summary_only=True)]
    for year, meetings in years.items():
        pages.append(Page(urls.decisions_year_path(year), "decisions_year.html", f"Beslut {year}",
                          {"year": year, "meetings": meetings},
                          trail=[_START, ("Beslut", urls.DECISIONS)], depends=meetings,
                          summary_only=True))
    return pages


def _search_context(site: Site) -> dict[str, Any]:
    """The choices of the search page's filters: the same values the pages carry
    in their data-pagefind-filter markup. The years are also those of the index's
    bundles (search.plan): every meeting has a page that is indexed."""
    return {"organs": site.organs, "topics": site.topics, "years": list(by_year(site.meetings))}


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


def files_to_copy(site: Site, static_dirs: list[Path]) -> dict[str, Path]:
    """Output path → source file, for theme/site static files and non-page attachments."""
    files: dict[str, Path] = {}
    for folder in static_dirs:  # later folders (the site's own) win
        if folder.is_dir():
            for source in sorted(folder.rglob("*")):
                if source.is_file() and not source.name.startswith("."):
                    if not inside(source, folder):
                        raise SiteGenError(f"{source}: this file is a link to a place outside "
                                           f"{folder}; site-gen does not publish it (copy the file "
                                           "there instead of linking to it)")
                    files[urls.STATIC + source.relative_to(folder).as_posix()] = source
    for meeting in site.meetings:
        for document in (meeting.protokoll, meeting.kallelse):
            for attachment in document.attachments if document else []:
                if attachment.source is not None and not attachment.is_page:
                    files[urls.attachment_path(attachment)] = attachment.source
    return files
