"""Protokollsutdrag: one printable page per paragraph, with the header facts and a
certification block; a secret paragraph shows only its heading and the withheld note."""

from __future__ import annotations

from helpers import parse_links, visible_text

from site_gen.build import build

MEETING = "styrelsen/2024-03-01/"


def extract(output, number: int) -> str:
    return (output / MEETING / f"paragraf-{number}" / "index.html").read_text()


def test_every_paragraph_has_an_extract_linked_from_the_meeting_page(minisite):
    build(minisite)
    output = minisite / "output"
    meeting = (output / MEETING / "index.html").read_text()
    links = parse_links(meeting).links
    for number in (1, 2, 3, 4):
        assert f"paragraf-{number}/" in links
        assert (output / MEETING / f"paragraf-{number}" / "index.html").is_file()
    assert (output / "arbetsutskottet/2024-02-01/paragraf-1/index.html").is_file()


def test_extract_holds_header_facts_decision_and_certification(minisite):
    build(minisite)
    html = extract(minisite / "output", 2)
    text = visible_text(html[html.index("<main"):])
    for fact in ["Protokollsutdrag", "Testförbundet", "§ 2 Budget 2024", "Organ Styrelsen",
                 "Sammanträdesdatum fredag 1 mars 2024", "Plats Stadshuset, rum Älven",
                 "Tid Klockan 09.00-11.00", "Justerare Lena Lind", "Justeringsdatum 2024-03-08",
                 "Beslut Beslut: Styrelsen beslutade att anta budgeten för 2024.",
                 "Reservation: Erik Ärlig reserverar sig mot beslutet: Till förmån för eget förslag.",
                 "Utdragsbestyrkande Rätt utdraget betygar Underskrift Namnförtydligande Datum"]:
        assert fact in text, fact
    assert '<a href="../#paragraf-2">' in html  # back to the paragraph in the whole protokoll
    assert "Kim Kansli föredrog förslaget." in text
    assert "§ 3" not in text  # only this paragraph


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
    html = extract(minisite / "output", 2)
    assert 'href="../../../static/print.css" media="print"' in html


def test_example_site_extract_of_the_tertial_report(example_output):
    text = visible_text((example_output / "styrelsen/2021-06-01/paragraf-48/index.html").read_text())
    assert "§ 48 Rapport Tertial 1 2021" in text
    assert "Justeringsdatum 2021-06-21" in text
    assert "Sista dag att överklaga måndag 19 juli 2021" in text
    assert "Styrelsen beslutade att anta rapport för tertial 1." in text
