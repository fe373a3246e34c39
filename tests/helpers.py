"""Helpers for tests: crawl built output, read a page's visible text."""

from __future__ import annotations

import calendar
import datetime as dt
import gzip
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

# The smallest valid site: one organ, and the front matter of a protokoll without any
# optional key (warned about as not justerat: POSTED follows it in a protokoll checked
# and posted). Tests add to them what they are about.
MINIMAL_SITE_YML = ("title: T\norganisation: O\ntillganglighet: {kontakt: kansliet@example.se, datum: 2024-01-15}\n"
                    "organs:\n  styrelsen:\n    name: Styrelsen\n")
MINIMAL_FRONT = """\
kind: protokoll
date: 2024-03-01
beslutande:
  - name: Åsa Öberg
    role: ordförande
  - Lena Lind
sekreterare: Åsa Öberg
justerare: Lena Lind
"""
POSTED = ("justeringsdatum: 2024-03-08\nanslag: {hos: Förbundet, uppsättande: 2024-03-10, nedtagande: 2024-04-02}\n"
          "förvaras: Kansliet\n")


class LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name) and tag in ("a", "link", "img", "script"):
                self.links.append(attrs[name])


def parse_links(html: str) -> LinkCollector:
    collector = LinkCollector()
    collector.feed(html)
    return collector


def crawl(fetch, start: str) -> tuple[dict[str, str], list[str]]:
    """Follow every same-site link from `start`.

    `fetch(url)` returns the body text or None for a missing page. Returns the pages
    reached (url → html) and the broken links (including missing #anchors).
    """
    pages: dict[str, str] = {}
    broken: list[str] = []
    anchors_wanted: list[tuple[str, str, str]] = []
    queue = [start]
    base = urlsplit(start)
    while queue:
        url = queue.pop()
        if url in pages:
            continue
        body = fetch(url)
        if body is None:
            broken.append(url)
            continue
        pages[url] = body
        if not url.endswith((".html", "/")):
            continue
        links = parse_links(body)
        for link in links.links:
            absolute = urljoin(url, link)
            parts = urlsplit(absolute)
            if parts.netloc != base.netloc or parts.scheme not in ("http", "https", "file"):
                continue
            target, fragment = urldefrag(absolute)
            if fragment:
                anchors_wanted.append((url, target, fragment))
            if target not in pages:
                queue.append(target)
    for source, target, fragment in anchors_wanted:
        if target in pages and f'id="{fragment}"' not in pages[target]:
            broken.append(f"{target}#{fragment} (linked from {source})")
    return pages, broken


def visible_text(html: str) -> str:
    """The page's text with tags removed and whitespace folded, for 'appears on page' checks."""
    import html as html_module

    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", html_module.unescape(text)).strip()


def epoch(day: str) -> str:
    """SOURCE_DATE_EPOCH for noon (UTC) of the day YYYY-MM-DD: the build date is that day."""
    return str(calendar.timegm(dt.date.fromisoformat(day).timetuple()) + 12 * 3600)


def pagefind_file(path: Path):
    """A file of a Pagefind bundle: gzip("pagefind_dcd" + CBOR), or + JSON for a page's
    fragment."""
    import cbor2  # noqa: PLC0415 - only the search tests read Pagefind's own files

    from site_gen.write.search import SIGNATURE

    data = gzip.decompress(path.read_bytes())
    assert data.startswith(SIGNATURE)
    data = data[len(SIGNATURE):]
    return json.loads(data) if path.suffix == ".pf_fragment" else cbor2.loads(data)


def indexed_pages(output: Path) -> dict[str, dict]:
    """URL → Pagefind's record of the page in output/pagefind/<year>/ (content, filters,
    meta, anchors)."""
    from site_gen.site.urls import SEARCH_FOLDER

    records = (pagefind_file(fragment) for fragment in (output / SEARCH_FOLDER).glob("*/fragment/*"))
    return {record["url"]: record for record in records}
# --- hostile input ---------------------------------------------------------------

SAFE_URL_SCHEMES = {"http", "https", "mailto"}
# Elements that run code or load another document; none may come from the sources.
ACTIVE_ELEMENTS = {"script", "iframe", "frame", "object", "embed", "svg", "math", "form",
                   "base", "applet", "meta", "link", "style", "img", "video", "audio", "source"}


class ActiveContent(HTMLParser):
    """Everything in a page that could run code or load something: elements, on*
    attributes and links, each as a hashable description."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple] = []
        self._script: list | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(("attribute", tag, name, value))
            if name in ("href", "src", "action", "formaction", "xlink:href", "data", "srcdoc") and value:
                scheme = re.match(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*):", value)
                if scheme and scheme.group(1).lower() not in SAFE_URL_SCHEMES:
                    self.found.append(("url", tag, name, value))
            if name == "style" and re.search(r"url\(|expression\(", value or "", re.I):
                self.found.append(("style", tag, value))
        if tag in ACTIVE_ELEMENTS:
            # Described without the relative part of links, which depends on the page's depth.
            described = tuple(sorted((n, (v or "").rsplit("/", 1)[-1] if n in ("href", "src") else v or "")
                                     for n, v in attrs))
            if tag == "script":  # described with its code, so the theme's own is told apart
                self._script = [described]
            else:
                self.found.append(("element", tag, described))

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.found.append(("element", "script", self._script[0], "".join(self._script[1:])))
            self._script = None

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def active_content(html: str) -> list[tuple]:
    parser = ActiveContent()
    parser.feed(html)
    parser.close()
    return parser.found


def unexpected_active_content(html: str, known: set[tuple]) -> list[tuple]:
    """Active content of a page that the theme itself does not put on its pages."""
    return [item for item in active_content(html) if item not in known]


def not_justerat_yet(path: Path) -> None:
    """Make the protokoll at `path` one whose justering has not happened: its
    justeringsdatum and its notice, each written on one line, are taken out."""
    lines = path.read_text(encoding="utf-8").split("\n")
    kept = [line for line in lines if not line.startswith(("justeringsdatum:", "anslag: {"))]
    path.write_text("\n".join(kept), encoding="utf-8")


def pdf_with_pages(*pages: str) -> bytes:
    """A real PDF file, one page for each text (its lines one under another; ASCII and
    Latin-1): what a secretary's "save as PDF" makes, in its smallest form."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    kids = []
    for text in pages:
        lines = [line.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
                 for line in text.split("\n")]
        stream = b"BT /F1 12 Tf 14 TL 72 720 Td " + b" T* ".join(b"(%s) Tj" % line for line in lines) + b" ET"
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                       b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % len(objects))
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def office_file(parts: dict[str, str]) -> bytes:
    """A zip file of XML parts, as Word, Excel and OpenDocument files are."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, xml)
    return buffer.getvalue()
