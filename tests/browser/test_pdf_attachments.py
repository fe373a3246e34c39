"""Attachments saved as PDF by a real program, Chromium's "print to PDF", are read for
personnummer as a resident who opens them reads them (site_gen/load/filetext.py)."""

from __future__ import annotations

from test_attachment_files import attach, found

from site_gen.load.filetext import texts_of

# Narrow boxes, so that Chromium breaks the lines after the dashes, as a table cell of a
# real attachment does: a personnummer then lies on two lines, and so does an invoice's.
WRAPPED = """<!doctype html><html lang="sv"><meta charset="utf-8">
<style>p { width: 7.5em; font: 12pt sans-serif; } .smal { width: 4.5em; }</style>
<h1>Närvarolista för sammanträdet</h1>
<table><tr><th>Namn</th><th>Personnummer</th></tr><tr><td>Åsa Öberg</td><td>121212-1212</td></tr></table>
<p class="smal">Örjan 811218-9876 sökte bidrag.</p>
<p>Underlag: faktura INV-210315-1235 och kvitto 2024-03-01.</p>
<table><tr><th>Datum</th><th>Konto</th></tr><tr><td>20240306</td><td>5010</td></tr></table>
"""


def printed(page, tmp_path, html: str) -> bytes:
    source = tmp_path / "bilaga.html"
    source.write_text(html, encoding="utf-8")
    page.goto(source.as_uri())
    return page.pdf(format="A4")


def test_a_pdf_printed_by_chromium_is_read_with_its_wrapped_lines(page, tmp_path, minisite):
    raw = printed(page, tmp_path, WRAPPED)
    [text] = texts_of(raw, ".pdf")
    assert "INV-210315-1235" in text  # broken after "INV-" in print, one word to a reader
    path = attach(minisite, "narvaro.pdf", raw)
    # The wrapped personnummer is found; the invoice name broken after its dash, and a
    # date beside an account number in a table, are not taken for one.
    assert found(minisite) == [(path, 0, "error", "a personnummer (121212-XXXX) on page 1 of the attachment"),
                               (path, 0, "error", "a personnummer (811218-XXXX) on page 1 of the attachment")]


def test_a_printed_page_without_text_is_told_as_a_scan(page, tmp_path, minisite):
    raw = printed(page, tmp_path, '<!doctype html><svg width="400" height="300"><rect width="300" height="200"/></svg>')
    path = attach(minisite, "karta.pdf", raw)
    assert [(where, severity) for where, _, severity, _ in found(minisite)] == [(path, "warning")]
