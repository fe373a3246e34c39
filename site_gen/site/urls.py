"""Every URL of the site, computed in this one module.

Pages and content refer to each other with root-relative placeholders ("@/path/");
`relativize` turns them into relative links for the page they end up on, so the
same output works at any sub-path of any host, and `absolutize` turns them into
full URLs for feeds.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache, singledispatch
from hashlib import sha1
from urllib.parse import urlsplit

from slugify import slugify

from site_gen.model import AgendaItem, Attachment, Decision, Meeting, Organ, Paragraph, Person, Topic

ROOT = "@/"
HOME = ""
ARCHIVE = "arkiv/"
DECISIONS = "beslut/"
TOPICS = "amnen/"
PERSONS = "personer/"
SEARCH = "sok/"
NOT_FOUND = "404.html"
STATIC = "static/"
NOTICE_BOARD = "anslagstavla/"
NOTICE_ARCHIVE = "anslagstavla/arkiv/"
ACCESSIBILITY = "tillganglighet/"
APPEAL = "overklaga/"
CALENDAR = "kalender.ics"
OPEN_DATA = "data/site.json"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
FEED_FILE = "flode.xml"
# The site's own pages and files, for templates: {{ paths.archive|url }}.
SITE_PATHS = {"home": HOME, "archive": ARCHIVE, "decisions": DECISIONS, "topics": TOPICS,
              "persons": PERSONS, "search": SEARCH, "static": STATIC, "notice_board": NOTICE_BOARD,
              "notice_archive": NOTICE_ARCHIVE, "accessibility": ACCESSIBILITY, "appeal": APPEAL,
              "calendar": CALENDAR, "open_data": OPEN_DATA, "feed": FEED_FILE}
_PLACEHOLDER = re.compile(r'(href|src|action)="@/([^"]*)"')


def meeting_path(meeting: Meeting) -> str:
    return f"{meeting.organ.slug}/{_day(meeting.date)}/"


@lru_cache(maxsize=1 << 16)
def _day(date) -> str:
    return date.isoformat()


def kallelse_path(meeting: Meeting) -> str:
    return meeting_path(meeting) + "kallelse/"


def document_path(meeting: Meeting) -> str:
    """The meeting's main page: its protokoll, or its kallelse while there is none."""
    return meeting_path(meeting) if meeting.protokoll else kallelse_path(meeting)


def organ_year_path(organ: Organ, year: int) -> str:
    return f"{organ.slug}/{year}/"


def topic_year_path(topic: Topic, year: int) -> str:
    return f"{path_of(topic)}{year}/"


def notice_year_path(year: int) -> str:
    """Earlier notices of one year; the archive page itself shows the newest year's."""
    return f"{NOTICE_ARCHIVE}{year}/"


def year_path(year: int) -> str:
    return f"{ARCHIVE}{year}/"


def decisions_year_path(year: int) -> str:
    return f"{DECISIONS}{year}/"


def paragraph_anchor(number: int) -> str:
    return f"paragraf-{number}"


def item_anchor(number: int) -> str:
    return f"punkt-{number}"


def posting_key(posting) -> str:
    """'styrelsen-2024-03-01', '…-paragraf-3': a notice's part of ids on the notice
    board and of the calendar's events."""
    own = f"-{paragraph_anchor(posting.paragraph.number)}" if posting.paragraph else ""
    return f"{posting.meeting.organ.slug}-{_day(posting.meeting.date)}{own}"


def notice_anchor(posting) -> str:
    """A notice's id on the notice board and in its archive."""
    return f"anslag-{posting_key(posting)}"


def extracts_path(meeting: Meeting) -> str:
    """The page of the meeting's protokollsutdrag: one per paragraph, on one page."""
    return f"{meeting_path(meeting)}utdrag/"


def extract_path(paragraph: Paragraph) -> str:
    """The paragraph's protokollsutdrag: the extracts page, at the paragraph's anchor
    (which its style sheet shows alone). One page per meeting rather than one per
    paragraph keeps the site about a tenth as many files."""
    return f"{extracts_path(paragraph.meeting)}#{paragraph_anchor(paragraph.number)}"


def meeting_list_path(organ: Organ, year: int) -> str:
    """The open data of an organ's meetings of one year (see opendata)."""
    return f"{posixpath.dirname(OPEN_DATA)}/{organ.slug}/{year}.json"


def feed_path(subject: Organ | Topic | None = None) -> str:
    """The Atom feed of an organ or a topic, beside its page; of the whole site at the root."""
    return FEED_FILE if subject is None else path_of(subject) + FEED_FILE


def attachment_path(attachment: Attachment) -> str:
    owner = meeting_path(attachment.meeting) if attachment.document == "protokoll" \
        else kallelse_path(attachment.meeting)
    if attachment.is_page:
        return f"{owner}bilaga-{attachment.number}/"
    if attachment.source is None:  # a template linking to it is told why it cannot
        raise ValueError(f"bilaga {attachment.number} ({attachment.title}) is not published, so it has "
                         "no address; link to it only {% if attachment.source %}")
    return f"{owner}bilagor/{attachment_file_name(attachment.source.name)}"


LONGEST_SLUG = 200  # ASCII: bytes; leaves room below the 255 a file system allows
LONGEST_FILE_NAME = 255  # bytes, on every file system a site is built on
LONGEST_EXTENSION = 16


@lru_cache(maxsize=65536)
def slug(text: str, longest: int = LONGEST_SLUG) -> str:
    """ASCII slug for URLs: å→a, ä→a, ö→o, lower case, words joined by '-'.

    A slug is a folder or file name on disk, where 255 bytes is the most: one longer than
    `longest` is cut at a word, with a digest of the whole slug after it, so that two
    long names alike in their first words still get a page each. (No shorter than that:
    a page's web address, once published, should stay as it is.)"""
    whole = slugify(text) or "x"
    if len(whole) <= longest:
        return whole
    digest = sha1(whole.encode()).hexdigest()[:8]
    room = longest - len(digest) - 1
    head = whole[:room + 1]  # one more: a '-' there ends the word before it in time
    at_word = head.rfind("-")
    head = head[:at_word] if at_word > room // 2 else head[:room]  # a long word: cut in it
    return f"{head}-{digest}"


def attachment_file_name(name: str) -> str:
    """A copied attachment's name on the site: 'Årsredovisning 2023.PDF' ->
    'arsredovisning-2023.pdf'. The writer's file name may hold anything (spaces,
    quotes, '<'); a URL and an output file name must not."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    extension = re.sub(r"[^a-z0-9]", "", extension.lower())[:LONGEST_EXTENSION]
    # Written out, '½' and the like grow ('1-2'): a name that fits on disk in the sources
    # may not in the output, and is cut there.
    base = slug(stem, LONGEST_FILE_NAME - len(extension) - 1) if slugify(stem) else "bilaga"
    return f"{base}.{extension}" if extension else base


@singledispatch
def path_of(obj) -> str:
    if isinstance(obj, str):
        return obj
    raise TypeError(f"no URL for {type(obj).__name__}")


path_of.register(Meeting, document_path)
path_of.register(Attachment, attachment_path)


@path_of.register
def _(obj: Organ) -> str:
    return f"{obj.slug}/"


@path_of.register
def _(obj: Topic) -> str:
    return f"{TOPICS}{obj.slug}/"


@path_of.register
def _(obj: Person) -> str:
    return f"{PERSONS}{obj.slug}/"


@path_of.register
def _(obj: Paragraph) -> str:
    return f"{meeting_path(obj.meeting)}#{paragraph_anchor(obj.number)}"


@path_of.register
def _(obj: AgendaItem) -> str:
    return f"{kallelse_path(obj.meeting)}#{item_anchor(obj.number)}"


@path_of.register
def _(obj: Decision) -> str:
    return path_of(obj.paragraph)


def url(obj) -> str:
    """The placeholder URL of a model object or a root-relative path."""
    return ROOT + path_of_anything(obj)


def path_of_anything(obj) -> str:
    """`path_of`, quick: the path of a model object, or a path given as it is."""
    return _path_function(type(obj))(obj)


_path_functions: dict[type, object] = {}
_registered = 0


def _path_function(kind: type):
    """`path_of`'s implementation for a type, looked up once: templates ask for
    hundreds of thousands of URLs, and singledispatch's own lookup is slow."""
    global _registered
    if len(path_of.registry) != _registered:  # a type was registered since: look again
        _path_functions.clear()
        _registered = len(path_of.registry)
    found = _path_functions.get(kind)
    if found is None:
        found = _path_functions[kind] = path_of.dispatch(kind)
    return found


def relative(target: str, page_path: str) -> str:
    """A link from the page at `page_path` (e.g. 'styrelsen/2021/') to `target`."""
    return _Linker(page_path).link(target)


def relativize(html: str, page_path: str) -> str:
    linker = _Linker(page_path)
    return _PLACEHOLDER.sub(lambda m: f'{m.group(1)}="{linker.link(m.group(2))}"', html)


class _Linker:
    """Relative links from one page, each target worked out once: a page links to the
    same few places (menu, breadcrumbs, its meeting) many times, and this is the
    hottest loop of rendering."""

    def __init__(self, page_path: str):
        self.page_path = page_path
        base = page_path if page_path.endswith("/") else posixpath.dirname(page_path) + "/"
        self.base = base
        self.base_parts = [p for p in base.split("/") if p]
        self.links: dict[str, str] = {}

    def link(self, target: str) -> str:
        found = self.links.get(target)
        if found is None:
            found = self.links[target] = self._link(target)
        return found

    def _link(self, target: str) -> str:
        path, hash_, fragment = target.partition("#")
        if hash_ and path == self.page_path:
            return "#" + fragment
        rel = self._relpath(path)
        if rel == ".":
            rel = "./"
        elif path.endswith("/") or not path:
            rel += "/"
        return rel + (hash_ + fragment if hash_ else "")

    def _relpath(self, path: str) -> str:
        """posixpath.relpath('/' + path, '/' + base), without its abspath calls."""
        parts = [p for p in path.split("/") if p]
        if "." in parts or ".." in parts or "." in self.base_parts or ".." in self.base_parts:
            return posixpath.relpath("/" + path, "/" + self.base)
        start = self.base_parts
        common = 0
        while common < len(parts) and common < len(start) and parts[common] == start[common]:
            common += 1
        rel = [".."] * (len(start) - common) + parts[common:]
        return "/".join(rel) if rel else "."


def absolutize(text: str, base_url: str) -> str:
    return _PLACEHOLDER.sub(lambda m: f'{m.group(1)}="{base_url}{m.group(2)}"', text)


def absolute(obj, base_url: str) -> str:
    """A full URL from base_url, or a path from the site root ('/styrelsen/') without one."""
    return (base_url or "/") + path_of(obj)


def uid_domain(config) -> str:
    """The part of calendar UIDs after '@': the site's host and folder
    ('kommun.se/protokoll'), else a made-up name under the reserved .invalid domain, so
    UIDs stay unique to the site either way. The folder keeps apart two sites on one
    host whose organs share a name: a calendar subscribed to both would otherwise let
    one overwrite the other's events."""
    if not config.base_url:
        return slugify(config.organisation) + ".invalid"
    parts = urlsplit(config.base_url)
    return (parts.hostname or "") + parts.path.rstrip("/")


# The pages the search indexes: protokoll, kallelse and attachment pages, as laid out by
# meeting_path, kallelse_path and attachment_path. The index is cut in one bundle per
# year (search_bundle_path); Pagefind is told to read only that year's pages: parsing
# every list and extract page as well took it three times as long.
_SEARCHABLE_FILES = "{index.html,bilaga-*/index.html,kallelse/index.html,kallelse/bilaga-*/index.html}"
_SEARCHABLE = re.compile(r"[^/]+/(\d{4})-\d\d-\d\d/(?:kallelse/)?(?:bilaga-[^/]+/)?index\.html")
SEARCH_FOLDER = "pagefind"
# Top-level folders the site itself uses: an organ may not take one. ('bilagor' and
# '404' would only confuse: a folder of attachments, a page named like the error page.)
RESERVED_FOLDERS = frozenset(path.split("/")[0] for path in (
    ARCHIVE, DECISIONS, TOPICS, PERSONS, SEARCH, STATIC, NOTICE_BOARD, ACCESSIBILITY, APPEAL, OPEN_DATA,
    SEARCH_FOLDER)) | {"bilagor", "404"}


def searchable_pages(year: int) -> str:
    """A Pagefind glob for the indexed pages of one year."""
    return f"*/{year:04d}-[0-9][0-9]-[0-9][0-9]/{_SEARCHABLE_FILES}"


def search_year(file: str) -> int | None:
    """The year whose search bundle indexes this output file; None: not indexed."""
    found = _SEARCHABLE.fullmatch(file)
    return int(found.group(1)) if found else None


def search_bundle_path(year: int) -> str:
    return f"{SEARCH_FOLDER}/{year}/"


def output_file(page_path: str) -> str:
    """The file a page path is written to: 'a/b/' -> 'a/b/index.html'."""
    return page_path + "index.html" if page_path.endswith("/") or not page_path else page_path
