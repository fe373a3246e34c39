"""Protokollsutdrag: one printable page per meeting holding every paragraph's extract,
each with its own anchor, the header facts and a certification block; a secret
paragraph shows only its heading and the withheld note."""

from __future__ import annotations

import re

from helpers import not_justerat_yet, parse_links, visible_text

from site_gen.build import build

MEETING = "styrelsen/2024-03-01/"


def extracts_page(output, meeting: str = MEETING) -> str:
    return (output / meeting / "utdrag" / "index.html").read_text()


def extract(output, number: int) -> str:
    """The header of the extracts page and the section of paragraph `number`."""
    html = extracts_page(output)
    start = html.index(f'<section class="extract" id="paragraf-{number}"')
    end = html.find('<section class="extract"', start + 1)
    return html[:html.index('<nav class="extract-list"')] + html[start:end if end > 0 else None]


def test_every_paragraph_has_an_extract_linked_from_the_meeting_page(minisite):
    build(minisite)
    output = minisite / "output"
    meeting = (output / MEETING / "index.html").read_text()
    links = parse_links(meeting).links
    page = extracts_page(output)
    for number in (1, 2, 3, 4):
        assert f"utdrag/#paragraf-{number}" in links
        assert f'<section class="extract" id="paragraf-{number}"' in page
        assert f'<a href="#paragraf-{number}">' in page  # the page's own list of extracts
    assert not (output / MEETING / "paragraf-1").exists()
    assert '<section class="extract" id="paragraf-1"' in extracts_page(output, "arbetsutskottet/2024-02-01/")


def test_extract_holds_header_facts_decision_and_certification(minisite):
    build(minisite)
    html = extract(minisite / "output", 2)
    text = visible_text(html[html.index("<main"):])
    for fact in ["Protokollsutdrag", "Testförbundet", "§ 2 Budget 2024", "Organ Styrelsen",
                 "Sammanträdesdatum fredag 1 mars 2024", "Plats Stadshuset, rum Älven",
                 "Tid Klockan 09.00-11.00", "Justerare Lena Lind", "Justerad fredag 8 mars 2024",
                 "Anslaget uppsatt söndag 10 mars 2024", "Sista dag att överklaga tisdag 2 april 2024",
                 "Beslutande Åsa Öberg, Erik Ärlig, Lena Lind",  # who took this decision
                 "Beslut Styrelsen beslutade att anta budgeten för 2024.",  # the label once
                 "Reservation: Erik Ärlig reserverar sig mot beslutet: Till förmån för eget förslag.",
                 "Utdragsbestyrkande § 2 ur protokoll fört vid sammanträde med Styrelsen fredag 1 mars 2024 "
                 "Rätt utdraget betygar Underskrift Namnförtydligande Datum"]:
        assert fact in text, fact
    assert '<a href="../#paragraf-2">' in html  # back to the paragraph in the whole protokoll
    assert "Kim Kansli föredrog förslaget." in text
    assert "§ 3" not in text  # only this paragraph


def test_an_extract_of_minutes_not_yet_checked_offers_no_certification(minisite):
    not_justerat_yet(minisite / "content/arbetsutskottet/2024-02-01-protokoll.md")
    build(minisite)
    page = visible_text(extracts_page(minisite / "output", "arbetsutskottet/2024-02-01/"))
    assert "Rätt utdraget betygar" not in page
    assert "Utdragsbestyrkande § 1 ur protokoll fört vid sammanträde med Arbetsutskottet torsdag 1 februari 2024 " \
        "Protokollet är inte justerat ännu. Utdraget kan bestyrkas först när " \
        "protokollet har justerats." in page


def test_secret_paragraph_extract_withholds_the_text(minisite):
    build(minisite)
    html = extract(minisite / "output", 4)
    text = visible_text(html)
    assert "§ 4 Personalärende" in text
    assert "Paragrafen omfattas av sekretess (OSL 26 kap. 1 §). Innehållet publiceras inte." in text
    assert "Hemlis" not in html and "Hemlig" not in html


def test_extract_prints_without_navigation(minisite):
    build(minisite)
    print_css = (minisite / "output" / "static" / "print.css").read_text()
    assert ".site-header nav" in print_css and ".extract .permalink" in print_css
    assert ".extract { border-top: none; break-before: page; }" in print_css  # one per sheet
    html = extracts_page(minisite / "output")
    assert 'href="../../../static/print.css" media="print"' in html


def test_example_site_extract_of_the_tertial_report(example_output):
    html = (example_output / "styrelsen/2021-06-01/utdrag/index.html").read_text()
    text = visible_text(html[html.index('id="paragraf-48"'):html.index('id="paragraf-49"')])
    assert "Justerad måndag 21 juni 2021" in text
    assert "Sista dag att överklaga måndag 19 juli 2021" in text
    # Anders Hahlin was away for § 48 alone: not among those who took its decision.
    beslutande = text[text.index("Beslutande"):text.index("Beslut ")]
    assert "Peter Vigren" in beslutande and "Anders Hahlin" not in beslutande
    assert "§ 48 Rapport Tertial 1 2021" in text
    assert "Styrelsen beslutade att anta rapport för tertial 1." in text


def test_a_member_jav_for_the_paragraph_is_not_among_its_beslutande(minisite):
    # Erik Ärlig is jäv in § 3; present for the whole meeting, he still took no part in it.
    path = minisite / "content/styrelsen/2024-03-01-protokoll.md"
    text = path.read_text(encoding="utf-8")
    assert "    present: 1-2\n" in text
    path.write_text(text.replace("    present: 1-2\n", "", 1), encoding="utf-8")
    build(minisite)
    html = extract(minisite / "output", 3)
    facts = html[html.index('<dl class="facts extract-facts">', html.index('id="paragraf-3"')):]
    assert "<dt>Beslutande</dt><dd>Åsa Öberg, Lena Lind</dd>" in facts[:facts.index("</dl>")]


def test_the_headings_in_a_paragraph_keep_their_order_under_its_extract(minisite):
    # On the meeting page the § is an h3 and its text's headings start at h4; on the
    # extract page the § is an h2, so they start at h3.
    path = minisite / "content/styrelsen/2024-03-01-protokoll.md"
    path.write_text(path.read_text().replace("Kim Kansli föredrog förslaget.",
                                             "### Bakgrund\n\nKim Kansli föredrog förslaget.\n\n#### Kostnader\n\nInga."))
    build(minisite)
    output = minisite / "output"
    assert "<h4>Bakgrund</h4>" in (output / MEETING / "index.html").read_text()
    section = extract(output, 2)
    assert '<h2 id="paragraf-2-rubrik">' in section
    assert "<h3>Bakgrund</h3>" in section and "<h4>Kostnader</h4>" in section


def test_an_extract_of_a_decision_tells_how_to_appeal_it(minisite):
    """A printed extract, sent to those a decision concerns, names the page on appealing
    by its full address (print.css prints it after the link's words, which a screen
    reader reads instead of the address); a paragraph without a decision, or a secret
    one, does not."""
    build(minisite)
    output = minisite / "output"
    guide = "https://testforbundet.example/protokoll/overklaga/"
    for number, has_decision in ((1, False), (2, True), (3, True), (4, False)):  # § 4 is secret
        link = f'<a href="../../../overklaga/" data-address="{guide}">så överklagar du ett beslut</a>'
        assert (link in extract(output, number)) is has_decision, number
    page = visible_text((output / "overklaga" / "index.html").read_text())
    assert "Så överklagar du ett beslut" in page and "inom tre veckor" in page and "förvaltningsrätten" in page
    assert "13 kapitlet kommunallagen" in page and "Testförbundet" in page
    meeting = parse_links((output / MEETING / "index.html").read_text()).links
    assert "../../overklaga/" in meeting


def test_every_page_links_to_how_to_appeal(example_output):
    for page in ("index.html", "anslagstavla/index.html", "personer/index.html", "sok/index.html"):
        links = parse_links((example_output / page).read_text()).links
        assert any(link.endswith("overklaga/") for link in links), page


def test_a_decision_is_a_heading_under_its_paragraph(example_output):
    """A screen reader going from heading to heading reaches each decision: one level
    below the paragraph's heading, on the meeting page and in the extracts."""
    for page, level in (("styrelsen/2021-06-01/index.html", 3), ("styrelsen/2021-06-01/utdrag/index.html", 2)):
        html = (example_output / page).read_text(encoding="utf-8")
        start = html.index('id="paragraf-48')
        paragraph = html[html.rindex("<", 0, start):html.index('id="paragraf-49')]
        headings = [(int(n), re.sub(r"<[^>]+>", "", text).strip())
                    for n, text in re.findall(r"<h(\d)[^>]*>(.*?)</h\1>", paragraph, re.S)]
        assert headings[0][0] == level and headings[0][1].endswith("Rapport Tertial 1 2021"), page
        assert (level + 1, "Beslut") in headings[1:], page
