"""Markdown to safe HTML: markdown-it-py with tables, then an allow-list sanitiser.

Raw HTML is parsed (the seeds contain <b>) but every fragment passes through nh3,
so only harmless tags and attributes and http(s)/mailto links reach the page.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd",
    "del", "dl", "dt", "em", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "li",
    "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# markdown-it writes table alignment as style="text-align:…"; nothing else may pass.
ALIGN_STYLE = {"text-align"}


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table")


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        filter_style_properties=ALIGN_STYLE,
        link_rel="noopener",
        strip_comments=True,
    )


def to_html(text: str, top_heading: int = 2, title: str = "") -> str:
    """`text` as HTML whose headings start at h`top_heading`; without a first heading
    that only repeats the page's `title` (a document's own title, above its text)."""
    tokens = parser().parse(text)
    if title and _opens_with_heading(tokens, title):
        del tokens[:3]
    shift_headings(tokens, top_heading)
    return render_tokens(tokens)


def _opens_with_heading(tokens: list[Token], title: str) -> bool:
    if len(tokens) < 3 or tokens[0].type != "heading_open":
        return False
    words = (child.content for child in tokens[1].children or () if child.type in ("text", "code_inline"))
    return heading_key("".join(words)) == heading_key(title)


def heading_key(text: str) -> str:
    """A heading or title as compared with another: spaces, capitals and a last full
    stop aside."""
    return " ".join(text.split()).casefold().rstrip(".")


def shift_headings(tokens: list[Token], top: int) -> None:
    """Renumber headings so the highest one is h`top`, keeping the page's outline in order."""
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    if not levels:
        return
    offset = top - min(levels)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + offset)}"


_HEADER_CELL = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
TABLE_NAME_LENGTH = 80


def table_name(table: str) -> str:
    """A name for a table of table_pieces, from the header cells of its first row
    ('Tabell: Tillgångar, Belopp'), so that the tables of a page are told apart where a
    screen reader lists its regions."""
    first_row = table[:table.find("</tr>")]
    cells = [unescape("".join(piece for is_text, piece, _ in html_text_segments(cell) if is_text)).strip()
             for cell in _HEADER_CELL.findall(first_row)]
    name = ", ".join(cell for cell in cells if cell)
    if len(name) > TABLE_NAME_LENGTH:
        name = name[:TABLE_NAME_LENGTH].rsplit(" ", 1)[0].rstrip(",") + " …"
    return f"Tabell: {name}" if name else "Tabell"


_HEADING_TAG = re.compile(r"<(/?)h([2-6])(?=[\s>])")


def headings_moved(html: str, by: int) -> str:
    """Rendered text with every heading `by` levels higher (negative) or lower, between
    h2 and h6: the text of a § sits under an h3 on the protokoll page and under an h2 on
    its extract page. Like table_pieces, it counts on what this module renders: '<' is
    escaped everywhere but in tags."""
    if not by or "<h" not in html:
        return html
    return _HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{min(6, max(2, int(m.group(2)) + by))}", html)


def inline_to_html(text: str) -> str:
    return render_tokens(parser().parseInline(text))


# Characters that may start inline markup (escapes, code, emphasis, links, images,
# autolinks, raw HTML, entities), a line break, or that markdown-it replaces (NUL, CR);
# text without any is only escaped.
_INLINE_MARKUP = re.compile(r"[\\`*_\[\]!<&\n\r\0]")
_HTML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def inline(text: str) -> tuple[str, str]:
    """A line of inline Markdown (a heading) as (HTML, plain text). Most headings hold
    no markup at all, and for them markdown-it's per-call setup is skipped."""
    if not _INLINE_MARKUP.search(text):
        return text.translate(_HTML_ESCAPES), _single_spaced(text).strip()
    tokens = parser().parseInline(text)
    return render_tokens(tokens), plain_text(tokens)


def render_tokens(tokens: list[Token]) -> str:
    md = parser()
    _empty_headers_as_cells(tokens)
    html = md.renderer.render(tokens, md.options, {})
    return sanitize(html) if _needs_sanitizing(tokens) else html


def _empty_headers_as_cells(tokens: list[Token]) -> None:
    """A header cell left empty ('| Tillgångar | |') heads nothing: a screen reader would
    announce a column without a name. It becomes an ordinary cell."""
    for index, token in enumerate(tokens):
        if token.type == "th_open" and tokens[index + 1].type == "inline" \
                and not tokens[index + 1].content.strip():
            token.tag = tokens[index + 2].tag = "td"


# markdown-it escapes all text and attributes and refuses javascript: links itself;
# only raw HTML, images (not on the allow-list) and links with another scheme than
# URL_SCHEMES (markdown-it lets data:image/… through) can bring in anything else.
_UNSAFE_TOKENS = {"html_block", "html_inline", "image"}
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")


def _needs_sanitizing(tokens: list[Token]) -> bool:
    for token in tokens:
        if token.type in _UNSAFE_TOKENS:
            return True
        if token.type == "link_open":
            scheme = _SCHEME.match(str(token.attrGet("href") or ""))
            if scheme and scheme.group(1).lower() not in URL_SCHEMES:
                return True
        if token.children and _needs_sanitizing(token.children):
            return True
    return False


def plain_text(tokens: list[Token]) -> str:
    """The visible text of some tokens, with soft breaks as spaces."""
    parts: list[str] = []
    for token in tokens:
        if token.type == "inline":
            parts.append(plain_text(token.children or []))
        elif token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type in ("paragraph_close", "heading_close", "list_item_close"):
            parts.append("\n")
    return _single_spaced("".join(parts)).strip()


_SPACES = re.compile(r"[ \t]+")


def _single_spaced(text: str) -> str:
    """Runs of spaces and tabs as one space; most texts have none to replace."""
    return _SPACES.sub(" ", text) if "  " in text or "\t" in text else text


def top_level_blocks(tokens: list[Token]) -> list[list[Token]]:
    """Split a token stream into its top-level blocks (paragraph, list, heading …)."""
    blocks: list[list[Token]] = []
    current: list[Token] = []
    depth = 0
    for token in tokens:
        current.append(token)
        depth += token.nesting
        if depth == 0:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def substitute_in_text(html: str, pattern: re.Pattern, replacement) -> str:
    """`html` with `pattern` replaced (`replacement` as for re.sub) in its text only: not
    in tags, and not inside links, which cannot hold another."""
    return "".join(pattern.sub(replacement, piece) if is_text and not inside_link else piece
                   for is_text, piece, inside_link in html_text_segments(html))


def html_text_segments(html: str):
    """Yield (is_text, piece, inside_link) over HTML, so text can be rewritten safely."""
    inside_link = False
    for piece in re.split(r"(<[^>]*>)", html):
        if piece.startswith("<"):
            if re.match(r"<a[\s>]", piece):
                inside_link = True
            elif piece.startswith("</a"):
                inside_link = False
            yield False, piece, inside_link
        elif piece:
            yield True, piece, inside_link


_TABLE_TAG = re.compile(r"<(/?)table[\s>]")


def table_pieces(html: str) -> list[tuple[bool, str]]:
    """Rendered Markdown cut into (is_table, html) pieces, each outermost table a piece of
    its own, so that a theme can frame tables. Like html_text_segments, it counts on what
    this module renders: '<' is escaped everywhere but in tags."""
    if "<table" not in html:
        return [(False, html)]
    pieces: list[tuple[bool, str]] = []
    depth = done = 0
    for tag in _TABLE_TAG.finditer(html):
        if not tag.group(1):
            if depth == 0 and tag.start() > done:
                pieces.append((False, html[done:tag.start()]))
                done = tag.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                end = html.index(">", tag.start()) + 1
                pieces.append((True, html[done:end]))
                done = end
    if done < len(html):
        pieces.append((False, html[done:]))
    return pieces
