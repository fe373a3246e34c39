"""A document's attachments (bilagor): their files found, read and checked, and the
text's mentions of them ('Bilaga 2') matched with them."""

from __future__ import annotations

import codecs
import hashlib
import os
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from site_gen.load import body, filetext, markdown
from site_gen.load.config import decode
from site_gen.load.documents import ATTACHMENT_DIR, CONTENT_DIR, inside, meeting_document_kind
from site_gen.model import Attachment
from site_gen.site import urls
from site_gen.validate.personal_data import (
    check_attachment_personnummer,
    check_file_scan,
    check_unread_format,
    unmistakable_personnummer,
)
from site_gen.validate.schema import check_control_characters


def attachments_of(doc, meeting, document, config, problems, withheld=None) -> list[Attachment]:
    """The document's attachments; those in `withheld` (see secret_attachments) keep
    their title and lose their file."""
    withheld = withheld or {}
    content = config.root / CONTENT_DIR
    result: list[Attachment] = []
    numbers: set[int] = set()
    published: dict[str, tuple[str, int, Path]] = {}  # name on the site -> (file as written, number, file)
    for index, entry in enumerate(doc.meta.get("bilagor", [])):
        key_path = ("bilagor", index)
        number = entry.get("number", index + 1)
        if number in numbers:
            problems.error(doc.path, doc.located.line_of(key_path),
                           f"two attachments have the number {number}", "give each its own number")
            continue
        numbers.add(number)
        attachment = Attachment(number=number, title=entry["title"], meeting=meeting,
                                document=document, line=doc.located.line_of(key_path + ("file",)))
        if "file" in entry and number in withheld:
            attachment.withheld = doc.path.parent / entry["file"]
            problems.warning(doc.path, doc.located.line_of(key_path + ("file",)),
                             f"bilaga {number} is mentioned only in "
                             f"{', '.join(body.section_name(doc.kind, n) for n in withheld[number])}, "
                             "under sekretess, so its file is not published",
                             "remove 'file' to list only its title; if the attachment is public, "
                             f"mention it in {body.a_section(doc.kind)} that is not secret")
        elif "file" in entry:
            # An attachment whose file is missing or unreadable is still listed, so
            # that the text's mentions of it are not reported as well.
            source = _attachment_file(entry["file"], doc, content, key_path, problems)
            published_as = source and urls.attachment_file_name(source.name)
            if source and source.suffix.lower() != ".md" and published_as in published:
                first, first_number, first_source = published[published_as]
                if first_source.resolve() == source.resolve():
                    problems.error(doc.path, doc.located.line_of(key_path + ("file",)),
                                   f"the file '{entry['file']}' is listed twice (also as bilaga "
                                   f"{first_number})", "list each file once; two paragraphs may both "
                                   "mention the same bilaga")
                else:
                    problems.error(doc.path, doc.located.line_of(key_path + ("file",)),
                                   f"the attachments '{first}' and '{entry['file']}' "
                                   f"would both be published as {published_as}", "rename one of the files")
            elif source and _read_attachment(attachment, source, entry["file"], doc, key_path, problems):
                published[published_as] = (entry["file"], number, source)
        result.append(attachment)
    return result


# Attachments copied as files that a browser shows as text: a personnummer in one is as
# public as one on a page. PDF and office files are read too (filetext); pictures are
# not (docs/checks.md says so). A file of any other format is read as text when it is
# text (a log, a mail, an SVG drawing), and told of as unread when it is not.
TEXT_ATTACHMENTS = frozenset({".txt", ".csv", ".tsv", ".html", ".htm", ".xml", ".json"})
PICTURES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".tif", ".tiff", ".bmp", ".heic", ".avif"})


def _read_attachment(attachment, source, name, doc, key_path, problems) -> bool:
    """Give `attachment` its file, digest and (for Markdown) page; False, with an error
    reported, when the file cannot be read."""
    line = doc.located.line_of(key_path + ("file",))
    suffix = source.suffix.lower()
    try:
        # A large archive's PDFs are many megabytes: a file whose digest the build has
        # and whose text was read before (or is never read) is not read again.
        digest = _scans.digest_of(source)
        if digest and not _to_read(suffix, digest):
            raw, text, size = None, None, source.stat().st_size
        else:
            raw = source.read_bytes()
            digest, size = hashlib.sha1(raw).hexdigest(), len(raw)
            text = decode(raw) if suffix == ".md" else None
    except OSError as exc:
        problems.error(doc.path, line, f"the attachment file '{name}' cannot be read ({exc.strerror})",
                       "give site-gen permission to read it")
        return False
    except UnicodeDecodeError as exc:
        problems.error(doc.path, line, f"the attachment '{name}' cannot be read as UTF-8 text "
                                       f"({exc.reason})", "save it as UTF-8")
        return False
    attachment.source, attachment.digest, attachment.size = source, digest, size
    kind = meeting_document_kind(text) if text is not None else None
    if kind:  # a copy of a protokoll, published as a page, would show its secret paragraphs
        problems.error(doc.path, line, f"the attachment file '{name}' is a meeting document "
                       f"('{kind[1]}'), not an attachment", _MEETING_DOCUMENT_HINT)
        return False
    if text is not None:
        check_control_characters(source, text, 1, problems)
        attachment.is_page = True
        attachment.html = markdown.to_html(text, title=attachment.title)
    _look_for_personnummer(source, raw, text, attachment.digest, problems)
    return True


_MEETING_DOCUMENT_HINT = ("to refer to another meeting's minutes, name them in the text; their own page "
                          "is on the site")


def _to_read(suffix: str, digest: str) -> bool:
    """Whether the checks need the file's bytes: its text, or a format's text not yet
    read (see _scan)."""
    if suffix in filetext.FORMATS:
        return _scan_key(suffix, digest) not in _scans.known
    return suffix not in PICTURES


def _look_for_personnummer(source: Path, raw: bytes | None, text: str | None, digest: str,
                           problems) -> None:
    """In the attachment as a resident who opens it reads it: as a page (Markdown), as
    text, or through the program its format needs."""
    suffix = source.suffix.lower()
    if text is not None:
        check_attachment_personnummer(source, text, problems)
    elif suffix in filetext.FORMATS:
        check_file_scan(source, _scan(raw, digest, source), problems)
    elif suffix in TEXT_ATTACHMENTS or (suffix not in PICTURES and _is_text(raw)):
        check_attachment_personnummer(source, _digits_readable(raw), problems, is_page=False)
    elif suffix not in PICTURES:
        check_unread_format(source, suffix, problems)


@dataclass(frozen=True)
class FileScan:
    """What reading a PDF or office file found."""

    personnummer: tuple[tuple[int, str], ...] = ()  # (page, number masked); page 0 in an office file
    unreadable: str = ""  # why the file could not be read
    has_text: bool = True


def _not_known(path: Path) -> str:
    return ""


class _FileScans:
    """Files read before, by their format and digest: a PDF of a thousand pages takes
    three seconds to read, and an archive's attachments seldom change. A build starts
    from the table the last one left in the disk cache (see scan_table)."""

    def __init__(self):
        self.known: dict[str, FileScan] = {}
        self.used: set[str] = set()  # by this build
        self.progress = None  # the build's progress.Progress, told of each page read
        self.digest_of = _not_known  # a file's digest, when the build has read it already


_scans = _FileScans()


def scan_table() -> dict[str, FileScan]:
    """What reading this build's PDF and office files found, to hand to `use_scan_table`
    in a later build."""
    return {key: _scans.known[key] for key in _scans.used}


def use_scan_table(table: dict[str, FileScan], progress=None, digest_of=_not_known) -> None:
    """Start a build's reading of files from `table`; `progress` shows the pages read;
    `digest_of` gives a file's digest ('' when not known) without reading it again."""
    _scans.known = dict(table)
    _scans.used = set()
    _scans.progress = progress
    _scans.digest_of = digest_of


def _scan_key(suffix: str, digest: str) -> str:
    return f"{suffix} {digest}"  # the same bytes read as another format say other things


def _scan(raw: bytes | None, digest: str, source: Path) -> FileScan:
    """What the file holds; `raw` may be None when the table knows the file."""
    key = _scan_key(source.suffix.lower(), digest)
    _scans.used.add(key)
    if key not in _scans.known:
        _scans.known[key] = _read_file(raw, source)
    return _scans.known[key]


def _read_file(raw: bytes, source: Path) -> FileScan:
    suffix = source.suffix.lower()
    progress = _scans.progress
    on_page = progress and (lambda done, total: progress.update(f"Reading {source.name}, page", done, total))
    try:
        texts = filetext.texts_of(raw, suffix, on_page)
    except filetext.Unreadable as exc:
        return FileScan(unreadable=str(exc))
    paged = suffix == filetext.PDF
    # Each number once a page, however often it is there.
    found = dict.fromkeys((number if paged else 0, masked)
                          for number, text in enumerate(texts, 1)
                          for _, masked in unmistakable_personnummer(text, space_separates=not paged,
                                                                     lines_joined=False))
    return FileScan(personnummer=tuple(found), has_text=not paged or any(text.strip() for text in texts))


def _is_text(raw: bytes) -> bool:
    """Whether a file of a format site-gen does not know holds text: UTF-16 with its
    byte-order mark, or bytes without a zero byte (which text in UTF-8 or an 8-bit
    encoding never has, and compressed or binary data nearly always does)."""
    return raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\0" not in raw[:65536]


def _digits_readable(raw: bytes) -> str:
    """A text file's text, near enough to read its digits whatever the encoding: UTF-16
    (what a spreadsheet saves as 'Unicode text') by its byte-order mark or its zero
    bytes, else UTF-8, where an 8-bit encoding's letters become stand-ins."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", "replace")
    if b"\0" in raw[:1000]:  # UTF-16 without a mark: every ASCII character has a zero byte
        return raw.decode("utf-16-be" if raw[:1] == b"\0" else "utf-16-le", "replace")
    return raw.decode("utf-8", "replace")


def secret_attachments(doc) -> dict[int, list[int]]:
    """Attachment number → the sections (§ or agenda items) mentioning it, for each
    attachment that only sections under secrecy mention: it belongs to their matter."""
    secret = body.secret_sections(doc.kind, doc.meta)
    if not secret:
        return {}
    mentioned_in: dict[int, set[int]] = defaultdict(set)
    for section in doc.sections:
        for number in section.bilaga_mentions:
            mentioned_in[number].add(section.number)
    return {number: sorted(paragraphs) for number, paragraphs in mentioned_in.items() if paragraphs <= secret}


def _attachment_file(name, doc, content, key_path, problems) -> Path | None:
    line = doc.located.line_of(key_path + ("file",))
    if "://" in name:
        problems.error(doc.path, line, f"the attachment file '{name}' is a web address, not a file",
                       "save the file in the 'bilagor' folder next to the document and name it here, "
                       "or give the address in the text instead")
        return None
    candidate = (doc.path.parent / name)
    if Path(name).is_absolute() or not inside(candidate, content):
        _report_outside(candidate, name, content, doc.path, line, problems)
        return None
    try:
        candidate = _as_spelt_on_disk(candidate)
        found, folder, there = candidate.is_file(), candidate.is_dir(), candidate.exists()
    except OSError as exc:  # a name too long for the file system, …
        problems.error(doc.path, line, f"the attachment file '{name[:100]}' cannot be read ({exc.strerror})")
        return None
    if not inside(candidate, content):  # the name as spelt on disk is another entry, a link out
        _report_outside(candidate, name, content, doc.path, line, problems)
        return None
    if not found:
        what = ("is a folder, not a file" if folder else "is not an ordinary file (a pipe, a device or a "
                "socket), and is not read" if there else "does not exist")
        looked = f"looked for {candidate.relative_to(content.parent).as_posix()}"
        other_case = None if there else _spelt_in_other_capitals(candidate)
        problems.error(doc.path, line, f"the attachment file '{name}' {what}",
                       f"{looked}; there is {Path(name).parent.joinpath(other_case).as_posix()}, and the "
                       "name must match in capitals too" if other_case else looked)
        return None
    if candidate.suffix.lower() == ".md" and not _in_attachment_folder(candidate, content):
        # Published as a page, a meeting document would show its whole source, the text
        # of its secret paragraphs too.
        problems.error(doc.path, line, f"the attachment file '{name}' is a meeting document, not an "
                       "attachment (a Markdown attachment lies in a 'bilagor' folder)",
                       _MEETING_DOCUMENT_HINT)
        return None
    return candidate


def _spelt_in_other_capitals(candidate: Path) -> str | None:
    """The name of a file beside `candidate` that differs from it only in capitals:
    'Budget.PDF' for 'budget.pdf', which Windows and macOS find and Linux does not."""
    try:
        wanted = candidate.name.casefold()
        return next((entry.name for entry in os.scandir(candidate.parent)
                     if entry.name.casefold() == wanted and entry.is_file()), None)
    except OSError:  # no such folder either
        return None


def _report_outside(candidate: Path, name: str, content: Path, source: Path, line: int, problems) -> None:
    if inside(candidate.parent, content) and candidate.is_symlink():
        where = "to a place outside content/" if candidate.exists() else "that leads nowhere"
        problems.error(source, line, f"the attachment file '{name}' is a link {where}, and is not "
                       "published", "copy the file into the folder instead of linking to it")
    else:
        problems.error(source, line, f"the attachment '{name}' is outside content/",
                       "put attachments in a 'bilagor' folder next to the document")


def _in_attachment_folder(path: Path, content: Path) -> bool:
    """Whether the file itself lies in a 'bilagor' folder: a link there may lead to a
    meeting document beside it."""
    return ATTACHMENT_DIR in path.resolve().relative_to(content.resolve()).parts[:-1]


def _as_spelt_on_disk(path: Path) -> Path:
    """`path`, or the file in its folder whose name differs only in how å, ä and ö are
    encoded (macOS writes names decomposed, an editor types them composed)."""
    if path.exists() or not path.parent.is_dir():
        return path
    wanted = unicodedata.normalize("NFC", path.name)
    for entry in path.parent.iterdir():
        if unicodedata.normalize("NFC", entry.name) == wanted:
            return entry
    return path


def mentioned_attachments(section, attachments, doc, problems) -> list[Attachment]:
    by_number = {a.number: a for a in attachments}
    found: list[Attachment] = []
    for number, line in section.bilaga_mentions.items():
        if number not in by_number:
            problems.error(doc.path, line, f"the text mentions bilaga {number}, but "
                           f"'bilagor' has no attachment number {number}",
                           "add it under 'bilagor' with its title")
        elif by_number[number] not in found:
            found.append(by_number[number])
    return found
