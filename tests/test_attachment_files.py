"""PDF and office attachments are read for personnummer, as a resident who opens them
would read them (site_gen/load/filetext.py); what they cannot be read for is told."""

from __future__ import annotations

import io
import os
import pickle
import re
import shutil
import sys
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest
from helpers import office_file, pdf_with_pages, visible_text

from site_gen.build import SCANS_TABLE, build, check_site
from site_gen.cache import CACHE_DIR
from site_gen.problems import SiteGenError

PROTOKOLL = "content/styrelsen/2024-03-01-protokoll.md"
FOLDER = "content/styrelsen/bilagor"


def attach(site, name: str, raw: bytes) -> str:
    """Save the file beside the protokoll and list it as its second attachment."""
    (site / FOLDER / name).write_bytes(raw)
    path = site / PROTOKOLL
    path.write_text(path.read_text().replace("  - title: Underlag som inte publiceras",
                                             f"  - title: Underlag\n    file: bilagor/{name}"))
    return f"{FOLDER}/{name}"


def found(site) -> list[tuple[str, int, str, str]]:
    return [(p.path, p.line, p.severity, p.message) for p in check_site(site).items]


def test_a_personnummer_in_a_pdf_is_found_with_its_page(minisite):
    # Page 1 has ten digits that pass the check digit, as a phone number may: in an
    # attachment only numbers written as a personnummer count.
    name = attach(minisite, "deltagare.pdf", pdf_with_pages(
        "Kansliet 0704279348", "Deltagare", "Eva Ek 121212-1212, Per Ek 19121212-1212"))
    assert found(minisite) == [(name, 0, "error", "a personnummer (121212-XXXX) on page 3 of the attachment"),
                               (name, 0, "error", "a personnummer (19121212-XXXX) on page 3 of the attachment")]


def test_a_pdf_without_a_personnummer_is_published_without_a_word(minisite):
    attach(minisite, "Underlag 2024.PDF", pdf_with_pages("Budget för 2024", "Summa 1 234 567 kr"))
    build(minisite)
    assert check_site(minisite).items == []
    published = minisite / "output/styrelsen/2024-03-01/bilagor/underlag-2024.pdf"
    assert pypdf.PdfReader(published).pages[1].extract_text() == "Summa 1 234 567 kr"


def test_a_link_to_a_file_tells_its_format_and_size(minisite):
    # A reader knows what the link opens and how much it is to fetch; a Markdown
    # attachment is a page of the site, and its link says nothing more.
    raw = pdf_with_pages(*[f"Sida {n}" for n in range(1, 300)])
    attach(minisite, "Budget 2024.pdf", raw)
    (minisite / FOLDER / "tabell.xlsx").write_bytes(bytes(1234567))
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("paragraphs:\n", "  - title: Tabell\n    file: bilagor/tabell.xlsx\nparagraphs:\n", 1)
                    .replace("Kim Kansli föredrog förslaget.", "Kim Kansli föredrog förslaget, Bilaga 2 och 3."))
    build(minisite)
    page = (minisite / "output/styrelsen/2024-03-01/index.html").read_text()
    kilobytes = round(len(raw) / 1000)
    assert f'<a href="bilagor/budget-2024.pdf">Underlag</a> <span class="meta">(PDF, {kilobytes} kB)</span>' in page
    assert '<a href="bilagor/tabell.xlsx">Bilaga 3, Tabell</a> <span class="meta">(Excel, 1,2 MB)</span>' in page
    assert '<a href="bilaga-1/">Budget 2024</a>\n</li>' in page


@pytest.mark.parametrize("size, shown", [
    (0, "0 byte"), (949, "949 byte"), (999, "1 kB"), (9949, "9,9 kB"), (24_500, "24 kB"),
    (999_999, "1 MB"), (1_234_567, "1,2 MB"), (12_345_678, "12 MB"), (3 * 10**9, "3 GB"),
])
def test_file_sizes_are_written_as_a_swedish_reader_reads_them(size, shown):
    from site_gen.render import file_size

    assert file_size(size) == shown


WORD = ('<w:document><w:body><w:p><w:r><w:t>Eva Ek </w:t></w:r><w:r><w:rPr><w:b/></w:rPr>'
        '<w:t>1212</w:t></w:r><w:r><w:t>12-1212</w:t></w:r></w:p></w:body></w:document>')


@pytest.mark.parametrize("name, parts", [
    # Word splits text into runs wherever its formatting changes, even inside a number.
    ("lista.docx", {"word/document.xml": WORD}),
    ("lista.xlsx", {"xl/sharedStrings.xml": "<sst><si><t>Namn</t></si><si><t>121212-1212</t></si></sst>",
                    "xl/worksheets/sheet1.xml": "<worksheet><c><v>0</v></c><c><v>1</v></c></worksheet>"}),
    ("lista.odt", {"content.xml": "<office:text><text:p>Eva Ek <text:span>121212</text:span>-1212</text:p>"
                                  "</office:text>"}),
    ("lista.pptx", {"ppt/slides/slide2.xml": "<p:sld><a:p><a:r><a:t>Eva 121212&#8211;1212</a:t></a:r></a:p></p:sld>"}),
    # Word's non-breaking hyphen, which keeps a personnummer on one line, is an element.
    ("brev.docx", {"word/document.xml": "<w:p><w:r><w:t>Eva 121212</w:t><w:noBreakHyphen/><w:t>1212</w:t></w:r></w:p>"}),
    # So is an OpenDocument space; and a text's footer is kept with its styles.
    ("brev.odt", {"content.xml": "<office:text/>",
                  "styles.xml": "<style:footer><text:p>Eva 121212<text:s/>1212</text:p></style:footer>"}),
    # A formula's value follows its formula, which must not run into it; comments are read.
    ("lista.xlsx", {"xl/worksheets/sheet1.xml": '<c t="str"><f>A2&amp;"-"&amp;B2</f><v>121212-1212</v></c>'}),
    ("lista.xlsx", {"xl/comments1.xml": "<comments><comment><text><r><t>Eva 121212-1212</t></r></text></comment></comments>"}),
])
def test_a_personnummer_in_an_office_file_is_found(minisite, name, parts):
    path = attach(minisite, name, office_file(parts))
    assert found(minisite) == [(path, 0, "error", "a personnummer (121212-XXXX) in the attachment")]


def test_a_personnummer_in_an_attachments_file_name_after_a_dash_is_found(minisite):
    # The file's name is published in its address, on the meeting's page and its extracts.
    attach(minisite, "yttrande-19121212-1212.txt", b"Yttrande over ansokan.\n")
    line = (minisite / PROTOKOLL).read_text().split("\n").index("    file: bilagor/yttrande-19121212-1212.txt") + 1
    assert [(p.path, p.line, p.message) for p in check_site(minisite).errors] == [
        (PROTOKOLL, line, "a personnummer (19121212-XXXX) in the front matter")]


def test_a_date_and_a_number_side_by_side_in_a_pdf_table_are_not_one_personnummer(minisite):
    # Text read from a PDF has a space between the cells of a table: an accounting list's
    # date and account number would be taken for a personnummer one time in ten.
    name = attach(minisite, "verifikationer.pdf", pdf_with_pages(
        "Datum Konto Belopp 20240306 5010 12 500 kr", "Eva Ek 19121212 - 1212"))
    assert found(minisite) == [(name, 0, "error", "a personnummer (19121212-XXXX) on page 2 of the attachment")]


def test_a_number_wrapped_at_a_dash_in_a_pdf_is_read_as_wrapped(minisite):
    # A personnummer broken after its dash is one; an invoice name broken after its
    # prefix is none, as on one line (kallelse-240301-1030.pdf, INV-210315-1235).
    name = attach(minisite, "fakturor.pdf", pdf_with_pages("Faktura INV-\n210315-1235", "Eva Ek 811218-\n9876"))
    assert found(minisite) == [(name, 0, "error", "a personnummer (811218-XXXX) on page 2 of the attachment")]


def test_notes_and_form_fields_of_a_pdf_are_read(minisite):
    from pypdf.annotations import FreeText

    writer = pypdf.PdfWriter()
    writer.add_blank_page(612, 792)
    writer.add_blank_page(612, 792)
    writer.add_annotation(1, FreeText(text="Sökande: 811218-9876", rect=(50, 550, 300, 650)))
    buffer = io.BytesIO()
    writer.write(buffer)
    name = attach(minisite, "ansokan.pdf", buffer.getvalue())
    assert found(minisite) == [(name, 0, "error", "a personnummer (811218-XXXX) on page 2 of the attachment")]


def test_a_long_pdf_shows_its_pages_on_the_progress_line(minisite):
    from test_build import build_on_a_terminal

    attach(minisite, "lang.pdf", pdf_with_pages(*[f"Sida {n}" for n in range(1, 41)]))
    result, shown = build_on_a_terminal(minisite)
    assert result.problems.items == []
    assert "Reading lang.pdf, page 40/40" in shown


STYLES = ('<styleSheet><numFmts count="2"><numFmt numFmtId="164" formatCode="000000\\-0000"/>'
          '<numFmt numFmtId="165" formatCode="#,##0&quot; kr&quot;"/></numFmts>'
          '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/>'
          '<xf numFmtId="165"/></cellXfs></styleSheet>')


def test_a_number_a_spreadsheet_shows_as_a_personnummer_is_read_as_shown(minisite):
    # Excel's special format "Personnummer" keeps ten digits and shows them with a dash,
    # and a leading zero the number lost (born in 2005: 050101-0003).
    sheet = ('<worksheet><sheetData><row><c r="A1" s="1"><v>8112189876</v></c>'
             '<c r="B1" s="1" t="n"><v>501010003</v></c>'
             '<c r="C1" s="0"><v>1212121212</v></c><c r="D1" s="2"><v>1212121212</v></c>'
             '<c r="E1" s="1" t="s"><v>0</v></c></row></sheetData></worksheet>')
    path = attach(minisite, "personal.xlsx", office_file({
        "xl/styles.xml": STYLES, "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": "<sst><si><t>Namn</t></si></sst>"}))
    # The same ten digits shown plainly, or as an amount, could be a phone number.
    assert found(minisite) == [(path, 0, "error", "a personnummer (811218-XXXX) in the attachment"),
                               (path, 0, "error", "a personnummer (050101-XXXX) in the attachment")]


def test_cells_of_a_spreadsheet_are_not_read_as_one_number(minisite):
    # Two cells side by side: a date and a four-digit amount, not one personnummer.
    attach(minisite, "tabell.xlsx", office_file({
        "xl/sharedStrings.xml": "<sst><si><t>121212</t></si><si><t>-1212</t></si></sst>"}))
    assert found(minisite) == []


def test_a_pdf_with_a_password_is_told_and_still_published(minisite):
    writer = pypdf.PdfWriter()
    writer.add_blank_page(612, 792)
    writer.encrypt("hemligt", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    name = attach(minisite, "skyddad.pdf", buffer.getvalue())
    result = build(minisite)
    assert [(p.path, p.severity, p.message, p.hint) for p in result.problems.items] == [
        (name, "warning", "the attachment cannot be read to look for personnummer in it "
                          "(it is protected by a password)",
         "open it and check it yourself before it is published")]
    assert (minisite / "output/styrelsen/2024-03-01/bilagor/skyddad.pdf").read_bytes() == buffer.getvalue()


@pytest.mark.parametrize("name, raw, reason", [
    ("trasig.pdf", b"%PDF-1.4\n1 0 obj\n<<", "it is not a PDF that can be read"),
    ("tom.pdf", b"", "the file is empty"),
    ("bild.pdf", b"\xff\xd8\xff\xe0\x00\x10JFIF", "it is not a PDF: it does not begin as one"),
    ("trasig.docx", b"PK\x03\x04 not a zip", "it is not a Word file that can be read"),
    ("trasig.xlsx", b"PK\x03\x04 not a zip", "it is not an Excel file that can be read"),
])
def test_a_damaged_file_is_told(minisite, name, raw, reason):
    path = attach(minisite, name, raw)
    [(where, line, severity, message)] = found(minisite)
    assert (where, line, severity) == (path, 0, "warning")
    assert message.startswith(f"the attachment cannot be read to look for personnummer in it ({reason}")


def with_zip_password_flag(raw: bytes) -> bytes:
    """The zip file with each entry marked encrypted, as 'zip -P' marks it: bit 0 of the
    flags in the local header (offset 6) and in the central directory's (offset 8)."""
    data = bytearray(raw)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature)
        while start != -1:
            data[start + offset] |= 0x1
            start = data.find(signature, start + 1)
    return bytes(data)


MANIFEST = ('<manifest:manifest><manifest:file-entry manifest:full-path="content.xml">'
            '<manifest:encryption-data manifest:checksum-type="SHA1/1K"/></manifest:file-entry></manifest:manifest>')


@pytest.mark.parametrize("name, raw, reason", [
    ("zip.docx", with_zip_password_flag(office_file({"word/document.xml": WORD})), "it is protected by a password"),
    # LibreOffice's "save with password" encrypts the parts and says so in the manifest.
    ("libre.odt", office_file({"content.xml": "\x8f\x02 scrambled", "META-INF/manifest.xml": MANIFEST}),
     "it is protected by a password"),
    # Word's and Excel's own password makes a Compound File, as the older formats are.
    ("word.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
     "it is protected by a password, or not a Word file but one of an older format"),
    ("tom.docx", office_file({"[Content_Types].xml": "<Types/>"}),
     "it holds none of the parts a Word file keeps its text in"),
    ("gammal.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
     "site-gen does not read .doc files; it reads .docx and PDF"),
    ("brev.RTF", b"{\\rtf1 Eva 121212-1212}", "site-gen does not read .rtf files; it reads .docx and PDF"),
])
def test_an_office_file_that_cannot_be_read_is_told(minisite, name, raw, reason):
    path = attach(minisite, name, raw)
    assert found(minisite) == [
        (path, 0, "warning", f"the attachment cannot be read to look for personnummer in it ({reason})")]


def test_the_same_bytes_under_two_names_are_read_as_each_names_format(minisite):
    (minisite / FOLDER / "tom.pdf").write_bytes(b"")
    path = attach(minisite, "tom.docx", b"")
    protokoll = minisite / PROTOKOLL
    protokoll.write_text(protokoll.read_text().replace("paragraphs:\n", "  - title: Samma\n    file: bilagor/tom.pdf\nparagraphs:\n", 1))
    messages = sorted((where, message.split(": ")[0]) for where, _, _, message in found(minisite))
    assert messages == [
        (path, "the attachment cannot be read to look for personnummer in it (it is not a Word file that can be read"),
        (f"{FOLDER}/tom.pdf", "the attachment cannot be read to look for personnummer in it (the file is empty)")]


def test_a_file_under_sekretess_is_neither_published_nor_read(minisite):
    # Bilaga 3 is mentioned only in § 4, which is secret: the file stays in the sources.
    attach(minisite, "utredning.pdf", pdf_with_pages("Eva Ek 121212-1212"))
    protokoll = minisite / PROTOKOLL
    protokoll.write_text(protokoll.read_text().replace("Hemlis Hemlisson.", "Hemlis Hemlisson, se Bilaga 2."))
    assert [(p.path, p.severity, p.message.split(",")[0]) for p in check_site(minisite).items] == [
        (PROTOKOLL, "warning", "bilaga 2 is mentioned only in § 4")]
    build(minisite)
    assert not list((minisite / "output").rglob("utredning.pdf"))


@pytest.mark.parametrize("mention", ["Se bilagorna 1–2.", "Se bil. 2.", "SE BILAGA 2.", "Se bilaga nr 2.",
                                     "Se bilaga 1 t.o.m. 2.", "Se bilagan 2."])
def test_a_file_under_sekretess_is_kept_off_the_site_however_its_mention_is_written(minisite, mention):
    # Bilaga 2 is mentioned only in the secret § 4, in one of the ways minutes write it.
    attach(minisite, "utredning.txt", b"Hemlig utredning")
    protokoll = minisite / PROTOKOLL
    protokoll.write_text(protokoll.read_text().replace("Hemlis Hemlisson.", f"Hemlis Hemlisson. {mention}"))
    assert [p.message.split(",")[0] for p in check_site(minisite).items] == ["bilaga 2 is mentioned only in § 4"]
    build(minisite)
    assert not list((minisite / "output").rglob("utredning.txt"))


@pytest.mark.parametrize("text, numbers", [
    ("bilagorna 2–4", [2, 3, 4]), ("Bilaga 1, 3-5 samt 7", [1, 3, 4, 5, 7]), ("bilaga 3 och 1", [3, 1]),
    ("bilaga 2 till 2024 års budget", [2]), ("Mobilaga 3", []), ("bil 3", []),
])
def test_the_numbers_a_mention_of_attachments_names(text, numbers):
    from site_gen.load.body import bilaga_numbers

    assert list(bilaga_numbers(text)) == numbers


@pytest.mark.parametrize("copy", [None, os.link, shutil.copyfile])
def test_a_file_under_sekretess_is_not_published_by_the_kallelse_either(minisite, copy):
    # The protokoll keeps Bilaga 2 off the site; the kallelse of the meeting lists the
    # same file, written another way, or a link to it, or a copy of it.
    attach(minisite, "utredning.pdf", pdf_with_pages("Hemlig utredning"))
    protokoll = minisite / PROTOKOLL
    protokoll.write_text(protokoll.read_text().replace("Hemlis Hemlisson.", "Hemlis Hemlisson, se Bilaga 2."))
    listed = "utredning.pdf"
    if copy:
        listed = "utredning-kopia.pdf"
        copy(minisite / FOLDER / "utredning.pdf", minisite / FOLDER / listed)
    kallelse = minisite / "content/styrelsen/2024-03-01-kallelse.md"
    text = kallelse.read_text()
    kallelse.write_text(text.replace("items:\n", "bilagor:\n  - title: Utredning\n"
                                                 f"    file: ../styrelsen/bilagor/{listed}\nitems:\n"))
    line = kallelse.read_text().split("\n").index(f"    file: ../styrelsen/bilagor/{listed}") + 1
    errors = [(p.path, p.line, p.message) for p in check_site(minisite).errors]
    assert errors == [("content/styrelsen/2024-03-01-kallelse.md", line,
                       f"bilaga 1 publishes content/styrelsen/bilagor/{listed}, which the protokoll of "
                       "Styrelsen 2024-03-01 keeps off the site as its bilaga 2: only paragraphs under "
                       "sekretess mention it there")]
    with pytest.raises(SiteGenError):
        build(minisite)
    assert not list((minisite / "output").rglob("utredning*.pdf"))


def test_a_control_character_in_an_attachment_page_is_refused_at_its_line(minisite):
    page = minisite / FOLDER / "budget-2024.md"
    lines = page.read_text().split("\n")
    page.write_text("\n".join(lines[:2] + ["Summa \x1b[2J kronor"] + lines[2:]))
    assert [(p.path, p.line, p.message) for p in check_site(minisite).errors] == [
        (f"{FOLDER}/budget-2024.md", 3, "this line holds a control character (U+001B), which no page can show")]
    with pytest.raises(SiteGenError):
        build(minisite)


def test_a_scanned_pdf_is_told_as_unreadable_by_people_and_by_the_check(minisite):
    name = attach(minisite, "inskannad.pdf", pdf_with_pages("", ""))
    assert found(minisite) == [
        (name, 0, "warning", "the attachment has no text, only pictures of pages (a scan): screen readers "
                             "cannot read it, and site-gen cannot look for personnummer in it")]


def test_what_a_file_held_is_remembered_by_its_content_and_forgotten_with_it(minisite):
    raw = pdf_with_pages("Eva Ek 121212-1212")
    attach(minisite, "deltagare.pdf", raw)
    first = found(minisite)
    table_file = minisite / CACHE_DIR / f"{SCANS_TABLE}.pickle"
    [(digest, scan)] = pickle.loads(table_file.read_bytes())[1].items()
    assert scan.personnummer == ((1, "121212-XXXX"),)
    assert "1212-1212" not in table_file.read_bytes().decode("latin-1")  # the cache keeps it masked
    # The next build takes what the table says, without reading the file again.
    code, table = pickle.loads(table_file.read_bytes())
    table[digest] = replace(scan, personnummer=((9, "991231-XXXX"),))
    table_file.write_bytes(pickle.dumps((code, table)))
    assert [message for _, _, _, message in found(minisite)] == [
        "a personnummer (991231-XXXX) on page 9 of the attachment"]
    table_file.unlink()
    assert found(minisite) == first
    # The same file under another name is known by its content; a file no longer
    # attached is forgotten.
    (minisite / FOLDER / "deltagare.pdf").rename(minisite / FOLDER / "kopia.pdf")
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("bilagor/deltagare.pdf", "bilagor/kopia.pdf"))
    assert [message for _, _, _, message in found(minisite)] == [
        "a personnummer (121212-XXXX) on page 1 of the attachment"]
    path.write_text(path.read_text().replace("    file: bilagor/kopia.pdf\n", ""))
    assert found(minisite) == []
    assert pickle.loads(table_file.read_bytes())[1] == {}


def test_a_build_reads_an_unchanged_file_once(minisite):
    # The build's digest of every input (cache.site_key) serves the attachment and its
    # copy too: in a large archive, the PDFs are most of the bytes a build reads.
    attach(minisite, "budget.pdf", pdf_with_pages(*[f"Sida {n}" for n in range(1, 20)]))
    build(minisite)
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("Kim Kansli föredrog förslaget.", "Kim Kansli föredrog det."))
    pdf = str(minisite / FOLDER / "budget.pdf")
    opened = []
    watching = True
    sys.addaudithook(lambda event, args: watching and event == "open" and str(args[0]) == pdf
                     and opened.append(event))
    try:
        result = build(minisite)
    finally:
        watching = False
    assert result.rendered and len(opened) == 1
    published = minisite / "output/styrelsen/2024-03-01/bilagor/budget.pdf"
    assert published.read_bytes() == (minisite / FOLDER / "budget.pdf").read_bytes()


def test_a_file_changed_since_the_last_build_is_read_again(minisite):
    attach(minisite, "deltagare.pdf", pdf_with_pages("Deltagare", "Eva Ek"))
    build(minisite)
    (minisite / FOLDER / "deltagare.pdf").write_bytes(pdf_with_pages("Deltagare", "Eva Ek 121212-1212"))
    with pytest.raises(SiteGenError) as failed:
        build(minisite)
    assert [p.message for p in failed.value.problems] == ["a personnummer (121212-XXXX) on page 2 of the attachment"]


def test_another_meeting_document_is_no_attachment(minisite):
    # Published as a page, it would show its whole source, secret paragraphs and all.
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("  - title: Underlag som inte publiceras",
                                             "  - title: Föregående protokoll\n    file: ../arbetsutskottet/2024-02-01-protokoll.md"))
    problems = found(minisite)
    assert [(p[2], p[3]) for p in problems if "meeting document" in p[3]] == [
        ("error", "the attachment file '../arbetsutskottet/2024-02-01-protokoll.md' is a meeting document, "
                  "not an attachment (a Markdown attachment lies in a 'bilagor' folder)")]
    with pytest.raises(SiteGenError):
        build(minisite)


def test_a_file_name_with_decomposed_letters_is_found_by_its_composed_spelling(minisite):
    import unicodedata

    name = "Årsredovisning för 2023.pdf"
    (minisite / FOLDER / unicodedata.normalize("NFD", name)).write_bytes(pdf_with_pages("Inget att se här"))
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("  - title: Underlag som inte publiceras",
                                             f"  - title: Underlag\n    file: bilagor/{unicodedata.normalize('NFC', name)}"))
    assert found(minisite) == []
    build(minisite)
    assert (minisite / "output" / "styrelsen" / "2024-03-01" / "bilagor" / "arsredovisning-for-2023.pdf").is_file()


def test_a_folder_named_as_an_attachment_is_told_as_a_folder(minisite):
    (minisite / FOLDER / "underlag.pdf").mkdir()
    path = minisite / PROTOKOLL
    path.write_text(path.read_text().replace("  - title: Underlag som inte publiceras",
                                             "  - title: Underlag\n    file: bilagor/underlag.pdf"))
    assert [p[3] for p in found(minisite)] == ["the attachment file 'bilagor/underlag.pdf' is a folder, not a file"]


def test_an_office_part_of_nothing_but_tags_is_read_in_one_pass():
    # 4 MB of '<' (and of '<f>', Excel's formula tag, never closed): each pattern used to
    # run to the end of the part from every '<', hours in all. A minute is a hang.
    import subprocess

    # And a workbook whose styles and cells open tags that never close.
    code = ("from site_gen.load import filetext; from helpers import office_file\n"
            "for part in ('<' * 2**22, '<f>' * 2**20):\n"
            "    print(len(filetext.texts_of(office_file({'word/document.xml': part}), '.docx')[0]))\n"
            "workbook = {'xl/worksheets/sheet1.xml': '<c s=\"0\"' * 2**19, 'xl/styles.xml':\n"
            "            '<numFmt numFmtId=\"164\" formatCode=\"000000-0000\"/>' + '<cellXfs>' * 2**18\n"
            "            + '<xf numFmtId=\"164\"' * 2**17 + '<numFmt numFmtId=\"1\" ' * 2**17}\n"
            "print(len(filetext.texts_of(office_file(workbook), '.xlsx')[0]))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         cwd=Path(__file__).parent)
    assert run.returncode == 0, run.stderr
    # Whatever is not a tag is text: the lone '<' stay, the closed '<f>' tags go; the
    # workbook's tags never close, so its sheet is all text.
    assert run.stdout.split() == [str(2**22), "0", str(2**22 + 1)]


def test_a_file_of_more_text_than_any_document_is_told_not_read(monkeypatch):
    from site_gen.load import filetext

    # A zip of many parts each under the limit, and a PDF whose pages show one stream:
    # a few kB that would unpack to gigabytes. The limit, lowered here, is 32 MB.
    monkeypatch.setattr(filetext, "_LARGEST_TEXT", 3000)
    parts = {f"word/header{n}.xml": "<w:p>" + "a" * 1000 + "</w:p>" for n in range(4)}
    pages = ["b" * 900] * 4
    for raw, suffix in ((office_file(parts), ".docx"), (pdf_with_pages(*pages), ".pdf")):
        with pytest.raises(filetext.Unreadable) as refused:
            filetext.texts_of(raw, suffix)
        assert str(refused.value) == filetext._TOO_MUCH_TEXT
    assert filetext.texts_of(office_file(dict(list(parts.items())[:2])), ".docx")[0].count("a") == 2000
    assert filetext.texts_of(pdf_with_pages(*pages[:3]), ".pdf") == pages[:3]


@pytest.mark.parametrize("first_line, headings", [
    ("# Budget 2024", ["Budget 2024"]),  # the title, written again above the text: shown once
    ("#  budget 2024.", ["Budget 2024"]),  # the same words, whatever the spaces, capitals or full stop
    ("# Budgetförslag", ["Budget 2024", "Budgetförslag"]),  # a heading of its own stays
])
def test_a_markdown_attachment_does_not_repeat_its_title(minisite, first_line, headings):
    source = minisite / FOLDER / "budget-2024.md"
    source.write_text(source.read_text(encoding="utf-8").replace("# Budget 2024", first_line, 1), encoding="utf-8")
    build(minisite)
    html = (minisite / "output/styrelsen/2024-03-01/bilaga-1/index.html").read_text(encoding="utf-8")
    found = [visible_text(h) for h in re.findall(r"<h[1-6][^>]*>.*?</h[1-6]>", html[html.index("<main"):], re.S)]
    assert found == headings
