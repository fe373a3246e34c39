"""The text inside attachment files that a browser does not show as text: PDF, Word,
Excel, PowerPoint and OpenDocument files. It is read so that the personnummer check
sees what a resident who opens the file can read. A scanned page is a picture: it has
no text to read.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
import zlib

PDF = ".pdf"
# Each office format is a zip file of XML parts: its kind, and the parts that hold its text.
_WORD, _EXCEL, _POWERPOINT, _OPENDOCUMENT = (
    re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml"),
    re.compile(r"xl/(sharedStrings|worksheets/sheet\d+|comments\d*|threadedComments/threadedComment\d+)\.xml"),
    re.compile(r"ppt/(slides/slide\d+|notesSlides/notesSlide\d+)\.xml"),
    re.compile(r"(content|styles)\.xml"),  # an OpenDocument text's headers and footers are in its styles
)
_OFFICE_PARTS = {  # the kind with its article, as the messages say it
    ".docx": ("a Word", _WORD), ".xlsx": ("an Excel", _EXCEL), ".pptx": ("a PowerPoint", _POWERPOINT),
    ".odt": ("an OpenDocument", _OPENDOCUMENT), ".ods": ("an OpenDocument", _OPENDOCUMENT),
    ".odp": ("an OpenDocument", _OPENDOCUMENT),
}
# Formats nothing here reads, with the one to save the file in instead: a file in one is
# said to be unchecked.
_UNREAD_FORMATS = {".doc": ".docx", ".xls": ".xlsx", ".ppt": ".pptx", ".rtf": ".docx"}
# What texts_of takes: the formats it reads, and those it tells why it does not.
FORMATS = frozenset({PDF, *_OFFICE_PARTS, *_UNREAD_FORMATS})
# An office file saved with a password is not a zip file but a Compound File, as the
# older formats (.doc, .xls) are.
_COMPOUND_FILE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A paragraph, cell, line break or tab ends a line; any other tag (one for each run of
# differently formatted text) is left out, so that a number split into runs is whole again.
# No pattern here runs past the next '<': in XML no text holds one, and a part made of
# '<' alone would otherwise take each pattern to the end of the part from every '<' in
# it, a time that grows with the square of its size (hours for a 1 MB part).
_LINE_END = re.compile(r"</(?:w:p|a:p|si|c|text:p|text:h|table:table-cell)>"
                       r"|<(?:w:br|w:tab|a:br|text:tab|text:line-break)\b[^<>]*>")
_FORMULA = re.compile(r"<f\b[^<>]*>[^<]*</f>|<f\b[^<>]*/>")  # Excel's: its value follows it
# Characters written as elements of their own: Word's non-breaking hyphen (the usual way
# to keep a personnummer on one line) and OpenDocument's spaces.
_AS_CHARACTER = [(re.compile(r"<w:noBreakHyphen\s*/>"), "-"), (re.compile(r"<text:s\b[^<>]*/>"), " ")]
_TAG = re.compile(r"<[^<>]*>")
# More text than this, in a file's parts or pages together, is not a real document's but a
# zip bomb, or a PDF whose pages all show one huge stream: reading it all would take
# minutes and gigabytes. A 2,000-page report holds about 6 MB.
_LARGEST_TEXT = 32 * 1024 * 1024
_TOO_MUCH_TEXT = "it holds more than 32 MB of text, more than any document a meeting refers to"


class Unreadable(Exception):
    """The file cannot be read as what its name says; the message says why."""


def texts_of(raw: bytes, suffix: str, on_page=None) -> list[str]:
    """The text of each page of a PDF, or the whole text of an office file as one.
    `on_page(done, total)` is told of each page of a PDF read."""
    if suffix in _UNREAD_FORMATS:
        raise Unreadable(f"site-gen does not read {suffix} files; it reads {_UNREAD_FORMATS[suffix]} and PDF")
    if suffix == PDF:
        return _pdf_pages(raw, on_page or (lambda done, total: None))
    return [_office_text(raw, *_OFFICE_PARTS[suffix])]


def _pdf_pages(raw: bytes, on_page) -> list[str]:
    import pypdfium2  # only for a PDF not read before

    if not raw.strip():
        raise Unreadable("the file is empty")
    if b"%PDF-" not in raw[:1024]:  # where every PDF reader looks for it
        raise Unreadable("it is not a PDF: it does not begin as one (another kind of file renamed?)")

    try:
        document = pypdfium2.PdfDocument(raw)
    except pypdfium2.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise Unreadable("it is protected by a password") from None
        raise Unreadable(f"it is not a PDF that can be read: {_first_line(exc)}") from None
    try:
        pages, size = [], 0
        for index in range(len(document)):
            page = document[index]
            try:
                pages.append(_page_text(page))
            finally:
                page.close()
            size += len(pages[-1])
            if size > _LARGEST_TEXT:
                raise Unreadable(_TOO_MUCH_TEXT)
            on_page(index + 1, len(document))
        return pages
    except pypdfium2.PdfiumError as exc:
        raise Unreadable(f"it is not a PDF that can be read: {_first_line(exc)}") from None
    finally:
        document.close()


def _page_text(page) -> str:
    """What a reader of the page sees: its text, and the text of its notes and the
    values of its form fields, which a PDF keeps apart from the text."""
    text_page = page.get_textpage()
    try:
        text = text_page.get_text_range()
    finally:
        text_page.close()
    return "\n".join([_joined_at_dashes(text.replace("\r\n", "\n")), *_annotation_texts(page.raw)])


# A line of a PDF that ends in a word's dash was broken there to fit a column or a
# table cell ("faktura INV-" above "210315-1235"): the reader reads it as one word.
# PDFium gives such a dash as U+FFFE when it takes it for a hyphen.
_WRAPPED_AT_A_DASH = re.compile(r"(?<=\w)(?:\ufffe|([-\u2010\u2011\u2013\u2014])\n)")


def _joined_at_dashes(text: str) -> str:
    return _WRAPPED_AT_A_DASH.sub(lambda match: match.group(1) or "-", text)


def _annotation_texts(handle) -> list[str]:
    """The notes' texts and form fields' values of a page, given PDFium's handle of it."""
    import ctypes

    import pypdfium2.raw as pdfium

    found = []
    for index in range(pdfium.FPDFPage_GetAnnotCount(handle)):
        annotation = pdfium.FPDFPage_GetAnnot(handle, index)
        if not annotation:  # one PDFium could not read: a null handle must not be used
            continue
        try:
            for key in (b"Contents", b"V"):  # a note's text, a form field's value
                size = pdfium.FPDFAnnot_GetStringValue(annotation, key, None, 0)
                if size > 2:  # more than the closing zero of UTF-16
                    buffer = ctypes.create_string_buffer(size)
                    wide = ctypes.cast(buffer, ctypes.POINTER(pdfium.FPDF_WCHAR))
                    pdfium.FPDFAnnot_GetStringValue(annotation, key, wide, size)
                    found.append(buffer.raw[:size - 2].decode("utf-16-le", "replace"))
        finally:
            pdfium.FPDFPage_CloseAnnot(annotation)
    return found


def _office_text(raw: bytes, kind: str, parts: re.Pattern) -> str:
    if raw.startswith(_COMPOUND_FILE):
        raise Unreadable(f"it is protected by a password, or not {kind} file but one of an older format")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = [member for member in archive.infolist() if parts.fullmatch(member.filename)]
            if not members:
                raise Unreadable(f"it holds none of the parts {kind} file keeps its text in")
            if _encrypted(archive):
                raise Unreadable("it is protected by a password")
            if sum(member.file_size for member in members) > _LARGEST_TEXT:  # as unpacked
                raise Unreadable(_TOO_MUCH_TEXT)
            xml = {member.filename: _part(archive, member) for member in members}
            found = [_text_of_xml(part) for part in xml.values()]
            if parts is _EXCEL:
                found.append(_numbers_shown_with_a_dash(archive, xml))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, zlib.error) as exc:
        raise Unreadable(f"it is not {kind} file that can be read: {_first_line(exc)}") from None
    return "\n".join(found)


def _encrypted(archive: zipfile.ZipFile) -> bool:
    """Whether the zip file's entries are encrypted (zip's own password), or its
    OpenDocument manifest says its parts are (LibreOffice's "save with password")."""
    if any(member.flag_bits & 0x1 for member in archive.infolist()):
        return True
    manifest = "META-INF/manifest.xml"
    return manifest in archive.namelist() and "encryption-data" in _part(archive, manifest)


def _part(archive: zipfile.ZipFile, member: zipfile.ZipInfo | str) -> str:
    member = member if isinstance(member, zipfile.ZipInfo) else archive.getinfo(member)
    if member.file_size > _LARGEST_TEXT:
        raise Unreadable(f"its part {member.filename} is too large to read")
    return archive.read(member).decode("utf-8", "replace")


# Excel keeps a number as digits alone, and shows it through its cell's number format:
# its special format "Personnummer", 000000-0000, shows 8112189876 as 811218-9876.
_NUMBER_FORMAT = re.compile(r'<numFmt\b[^<>]*?\bnumFmtId="(\d+)"[^<>]*?\bformatCode="([^"<]*)"')
_CELL_FORMATS = re.compile(r"<cellXfs\b[^<>]*>((?:[^<]|<(?!/?cellXfs\b))*)</cellXfs>")
_CELL_FORMAT = re.compile(r"<xf\b([^<>]*)>")
_FORMAT_ID = re.compile(r'\bnumFmtId="(\d+)"')
_NUMBER_CELL = re.compile(r'<c\b([^<>]*)>\s*<v>(\d+)</v>')
_STYLE = re.compile(r'\bs="(\d+)"')
_NOT_A_NUMBER = re.compile(r'\bt="(?!n")')  # the value is a shared string's index, a truth value …
_DASHED = re.compile(r"(0+)-(0000)")


def _numbers_shown_with_a_dash(archive: zipfile.ZipFile, xml: dict[str, str]) -> str:
    """Each number of the workbook whose format puts a dash before its last four digits,
    as the cell shows it, one a line. `xml`: the text parts already read, by name."""
    if "xl/styles.xml" not in archive.namelist():
        return ""
    styles = _part(archive, "xl/styles.xml")
    widths = {}  # number format id -> the digits it shows
    for format_id, code in _NUMBER_FORMAT.findall(styles):
        if dashed := _DASHED.fullmatch(re.sub(r'[\\"]', "", html.unescape(code))):
            widths[format_id] = len(dashed.group(1)) + 4
    if not widths:
        return ""
    cell_formats = _CELL_FORMATS.search(styles)
    shown = {}  # style index -> width
    for index, attributes in enumerate(_CELL_FORMAT.findall(cell_formats.group(1) if cell_formats else "")):
        format_id = _FORMAT_ID.search(attributes)
        if format_id and format_id.group(1) in widths:
            shown[index] = widths[format_id.group(1)]
    lines = []
    for name, part in xml.items():
        if name.startswith("xl/worksheets/"):
            for attributes, value in _NUMBER_CELL.findall(part):
                style = _STYLE.search(attributes)
                if style and int(style.group(1)) in shown and not _NOT_A_NUMBER.search(attributes):
                    digits = value.zfill(shown[int(style.group(1))])
                    lines.append(f"{digits[:-4]}-{digits[-4:]}")
    return "\n".join(lines)


def _text_of_xml(xml: str) -> str:
    xml = _FORMULA.sub("", xml)
    for element, character in _AS_CHARACTER:
        xml = element.sub(character, xml)
    return html.unescape(_TAG.sub("", _LINE_END.sub("\n", xml)))


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
