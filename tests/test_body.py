"""Body parsing: § sections, decisions in both styles, agenda items."""

import pytest

from site_gen.load.body import (
    agenda_sections,
    analyse_agenda_item,
    analyse_paragraph,
    paragraph_sections,
    parse_body,
)


def decisions(text: str) -> list[str]:
    return [d.text for d in analyse_paragraph(text).decisions]


def test_sections_keep_numbers_headings_and_lines():
    body = "\n## § 42 Mötets öppnande\n\nÖppnat.\n\n---\n\n#### **§ 43 Val av justerare**\n\nX valdes.\n"
    sections, issues = paragraph_sections(body, 10)
    assert issues == []
    assert [(s.number, s.heading, s.line) for s in sections] == [
        (42, "Mötets öppnande", 11), (43, "Val av justerare", 17)]
    assert sections[0].text == "\nÖppnat."  # the "---" separator is dropped, line 12 stays first


def test_a_heading_is_deeper_than_its_own_sections_not_only_the_firsts():
    # The first § written '#' and the rest '##': a mistyped '## § 47' (46 comes next)
    # starts a paragraph, so that the gap is told at its own line; '### § 9' under a
    # '##' paragraph is a heading of its text.
    body = ("# § 44 Mötets öppnande\n\nÖppnat.\n\n## § 45 Budget\n\nBudget.\n\n"
            "### § 9 i förra årets protokoll\n\nSe där.\n\n## § 47 Avslutning\n\nAvslutat.\n")
    sections, issues = paragraph_sections(body, 1)
    assert issues == []
    assert [(s.number, s.line) for s in sections] == [(44, 1), (45, 5), (47, 13)]
    assert "### § 9 i förra årets protokoll" in sections[1].text


def test_a_paragraph_heading_in_another_style_is_told_and_taken_as_meant():
    # The law books' '11 §', 'Paragraf 11', or a number without § where that § comes
    # next; a numbered heading deeper than its paragraph's stays a heading of its text.
    body = ("## § 2 Budget\n\nText.\n\n### 1. Bakgrund\n\n### 3. Ekonomi\n\n### 5 § kommunallagen\n\n"
            "## 12 § förvaltningslagen\n\n## Paragraf 14 i stadgarna\n\n## 3 000 kronor\n\n    ## 3. Kod\n\n"
            "## 3 § Val\n\nValdes.\n\n## Paragraf 4 Övrigt\n\nInget.\n\n## 5. Avslutning\n\nAvslutat.\n"
            "\n## 9. Inte nästa\n\nText.\n")
    sections, issues = paragraph_sections(body, 1)
    assert [(s.number, s.heading) for s in sections] == [(2, "Budget"), (3, "Val"), (4, "Övrigt"), (5, "Avslutning")]
    assert [(i.line, i.message, i.hint, i.warning) for i in issues] == [
        (line, "this line looks like a paragraph heading but is not one", f"write it as a heading: '{meant}'", False)
        for line, meant in ((19, "## § 3 Val"), (23, "## § 4 Övrigt"), (27, "## § 5 Avslutning"))]
    assert "### 5 § kommunallagen" in sections[0].text and "## 9. Inte nästa" in sections[3].text
    assert all(line in sections[0].text for line in ("## 12 § förvaltningslagen", "## Paragraf 14", "## 3 000"))


def test_beslut_label_is_one_decision_set_apart():
    analysed = analyse_paragraph("Diskussion.\n\n**Beslut:** Styrelsen beslutade att anta rapport för tertial 1.")
    assert [d.text for d in analysed.decisions] == ["Styrelsen beslutade att anta rapport för tertial 1."]
    assert [is_decision for _, is_decision in analysed.blocks] == [False, True]
    assert "Diskussion" in analysed.blocks[0][0]


@pytest.mark.parametrize("text", [
    "Diskussion.\n\n**Beslut:** Styrelsen beslutade att anta [rapporten][r].\n\n[r]: https://example.se/r",
    "Diskussion.\n\nBeslut: Styrelsen beslutade att anta [rapporten](https://example.se/r).",
    "Diskussion.\n\n__Beslut__: Styrelsen beslutade att anta [rapporten](https://example.se/r).",
    "Diskussion.\n\n### Beslut\n\nStyrelsen beslutade att anta [rapporten](https://example.se/r).",
])
def test_a_decision_is_rendered_without_the_writers_label(text):
    # The theme labels every decision: the writer's "Beslut:" or "### Beslut" made it twice.
    analysed = analyse_paragraph(text)
    assert analysed.blocks == [
        ("<p>Diskussion.</p>\n", False),
        ('<p>Styrelsen beslutade att anta <a href="https://example.se/r">rapporten</a>.</p>\n', True)]
    assert decisions(text) == ["Styrelsen beslutade att anta rapporten."]


@pytest.mark.parametrize("text, expected", [
    # The label on a line of its own, the decision in the paragraph after it.
    ("Diskussion.\n\n**Beslut:**\n\nNämnden beslutade att godkänna uppföljningen.\n\nSedan kaffe.",
     ["Nämnden beslutade att godkänna uppföljningen."]),
    ("**Beslut:**\n\nNämnden beslutar\n\natt anta A,\n\natt anta B.",
     ["Nämnden beslutar att anta A.", "Nämnden beslutar att anta B."]),
    ("**Beslut:**\n\nBudgeten godkänns.", ["Budgeten godkänns."]),
    # ... or its att-clauses after it, each a decision.
    ("**Beslut:**\n\n- att anta A\n- att anta B", ["att anta A.", "att anta B."]),
    ("Nämnden beslöt att anta planen.", ["Nämnden beslöt att anta planen."]),
    # Alone on its line, the label may be in italics, or without its colon.
    ("**Beslut**\n\nNämnden godkänner planen.", ["Nämnden godkänner planen."]),
    ("_Beslut:_\n\nGodkänt.", ["Godkänt."]),
    # A list after it, or a lead ending in a colon and its list, is one decision.
    ("**Beslut:**\n\n1. Styrelsen antar budgeten.\n2. Kassören betalar.",
     ["Styrelsen antar budgeten.\n\nKassören betalar."]),
    ("**Beslut:**\n\nStyrelsen beslutar:\n\n1. Anta budgeten.\n2. Betala.",
     ["Styrelsen beslutar:\nAnta budgeten.\n\nBetala."]),
])
def test_a_label_on_its_own_line_takes_the_decision_after_it(text, expected):
    analysed = analyse_paragraph(text)
    assert [d.text for d in analysed.decisions] == expected
    assert "Beslut:" not in "".join(html for html, _ in analysed.blocks)  # the theme labels it
    assert not any("Sedan kaffe" in html for html, is_decision in analysed.blocks if is_decision)


def test_a_label_with_nothing_after_it_is_no_decision_and_stays_as_written():
    analysed = analyse_paragraph("Diskussion.\n\n**Beslut:**")
    assert analysed.decisions == []
    assert analysed.blocks == [("<p>Diskussion.</p>\n<p><strong>Beslut:</strong></p>\n", False)]
    # Nor is a block of another kind after it, nor an italic quotation of a decision.
    assert analyse_paragraph("**Beslut:**\n\n**Reservation:** Bo Ek reserverar sig.").decisions == []
    assert [d.text for d in analyse_paragraph("*Beslut: se § 12/2023.*\n\nStyrelsen beslutar att anta.").decisions] \
        == ["Styrelsen beslutar att anta."]


def test_a_beslut_heading_over_nothing_stays():
    assert analyse_paragraph("Diskussion.\n\n### Beslut\n\n### Övrigt\n\nInget.").blocks == [
        ("<p>Diskussion.</p>\n<h4>Beslut</h4>\n<h4>Övrigt</h4>\n<p>Inget.</p>\n", False)]


def test_att_clauses_in_one_sentence_are_separate_decisions():
    assert decisions("Styrelsen beslutar att anta budgeten, att uppdra åt förbundschefen att svara.") == [
        "Styrelsen beslutar att anta budgeten.",
        "Styrelsen beslutar att uppdra åt förbundschefen att svara.",
    ]


def test_att_clauses_as_list_after_lead():
    text = "Styrelsen beslutar\n\n- att lägga rapporten till handlingarna\n- att begära en ny rapport i maj"
    assert decisions(text) == [
        "Styrelsen beslutar att lägga rapporten till handlingarna.",
        "Styrelsen beslutar att begära en ny rapport i maj.",
    ]


def test_beslut_heading_region_is_one_decision_with_its_reasons():
    text = ("### Bakgrund\n\nDen 26 oktober 2018 beslutade styrelsen att delta.\n\n"
            "### Beslut\n\nDock beslutar styrelsen att ompröva sitt beslut.\n\n"
            "Detta framför allt som följd av;\n\n- att situationen har ändrats\n- att kostnaderna ökar")
    analysed = analyse_paragraph(text)
    assert len(analysed.decisions) == 1
    assert analysed.decisions[0].text.startswith("Dock beslutar styrelsen att ompröva sitt beslut.")
    assert "kostnaderna ökar" in analysed.decisions[0].text
    # The background's "beslutade styrelsen att" is history, not a decision of this meeting.
    assert "26 oktober" not in analysed.decisions[0].text
    assert "<h4>Bakgrund</h4>" in analysed.blocks[0][0]


@pytest.mark.parametrize("text", ["Kommunstyrelsen beslutar enligt arbetsutskottets förslag.",
                                  "Nämnden beslutade i enlighet med förvaltningens förslag, med ändringen att "
                                  "punkt 3 stryks."])
def test_a_decision_taken_as_proposed_is_one_decision(text):
    assert decisions("Förvaltningen redogjorde för ärendet.\n\n" + text) == [text]


def test_decision_sentence_inside_discussion_without_explicit_marker():
    assert decisions("Styrelsen diskuterade och beslutade också att ha en tätare kommunikation med NNS.") == [
        "Styrelsen diskuterade och beslutade också att ha en tätare kommunikation med NNS."]


@pytest.mark.parametrize("text", [
    "Ordförande förklarade mötet öppnat.",
    "Beslutet från i fjol gäller.",
    # Approving words not ending the §, in a clause, after more than one sentence, or
    # approving the meeting's own procedure.
    "Styrelsen godkände rapporten.\n\nDärefter diskuterades hösten.",
    "Mikael Holmlund föredrog rapporten som godkändes i maj.",
    "Planen antogs av fullmäktige 2019. Nu följs den upp.",
    "Styrelsen godkände rapporten. Därefter diskuterades hösten. Mötet avslutades klockan tolv.",
    "Dagordningen godkändes.",
    "Föregående protokoll godkändes och lades till handlingarna.",
    "Styrelsen godkände dagordningen.",
    "Styrelsen diskuterade rapporten.",
    # Approved by another, or on a day of its own: an account, not this meeting's decision.
    "Försäkringskassan beviljade medlen.",
    "Budgeten fastställdes av fullmäktige.",
    "Styrelsen antog den 30 november 2018 en verksamhetsplan.",
    "Avtalet godkändes 2019.",
    "Regionfullmäktige antog planen 2026-01-28.",
    "Kommunens ansökan om statsbidrag beviljades.",
    # Not a decision at all, or the meeting's procedure.
    "Byggnationen antas vara klar under hösten.",
    "Nämnden antar att kostnaderna kommer att öka.",
    "Bidrag kan beviljas först när komplettering inkommit.",
    "Detaljplanen beräknas antas under våren.",
    "Kallelsen godkändes.",
    "Bertil Berg godkändes som justerare.",
])
def test_text_without_decision_markers_has_no_decision(text):
    assert decisions(text) == []


@pytest.mark.parametrize("text", [
    "Styrelsen godkände rapporten.",
    "Rapporterna godkändes.",
    "Nämnden antar taxan för 2025",
    "Ansökan beviljas.",
    "Informationen läggs till handlingarna.",
    "Kommunstyrelsens arbetsutskott lade rapporten till handlingarna.",
    "Tekniska nämnden godkänner avtalet.",
    "Nämnden antar taxan för år 2027.",
    "Bygglov beviljas med stöd av 9 kap. 31 § plan- och bygglagen.",
    "Bygglov beviljas för tillbyggnad av fritidshus på fastigheten Söderby 1:7.",
    "Bygg- och miljönämnden beviljar bygglov.",
    "Ansökan om strandskyddsdispens avslås.",
    "Nämnden avslår ansökan.",
    "Nämnden noterar informationen och uppdrar åt förvaltningen att ta fram en åtgärdsplan.",
    "Styrelsen ger förbundschefen i uppdrag att återkomma med en plan.",
    "Nämnden tackar för redovisningen och godkänner den.",
    # A second sentence says more of it, a date too.
    "Nämnden godkänner attestordningen. Den gäller från 1 januari 2022.",
])
def test_a_sentence_that_approves_ending_the_paragraph_is_its_decision(text):
    analysed = analyse_paragraph("Katarina Hansson föredrog nuläget.\n\n" + text)
    assert [d.text for d in analysed.decisions] == [text if text.endswith(".") else text + "."]
    assert [is_decision for _, is_decision in analysed.blocks] == [False, True]


PROPOSED = "Socialnämnden beslutar att höja taxan med 5 procent."
DECIDED = "Socialnämnden beslutar att höja taxan med 3 procent."


@pytest.mark.parametrize("proposal", [
    f"Förvaltningens förslag till beslut:\n\n{PROPOSED}",
    f"**Förslag till beslut:** {PROPOSED}",
    f"Arbetsutskottets förslag: {PROPOSED}",
    "Förslag till beslut\n\nSocialnämnden beslutar\n\n- att höja taxan med 5 procent\n- att sänka avgiften",
])
def test_a_proposal_is_no_decision_and_the_decision_after_it_is(proposal):
    analysed = analyse_paragraph(f"{proposal}\n\nErik Ärlig (S) yrkar 3 procent.\n\n{DECIDED}")
    assert [d.text for d in analysed.decisions] == [DECIDED]
    assert [is_decision for _, is_decision in analysed.blocks] == [False, True]
    assert "5 procent" in analysed.blocks[0][0]


def test_the_chairs_finding_is_the_decision_only_with_none_after_it():
    finding = ("Ordföranden ställer förvaltningens förslag mot Erik Ärligs yrkande och finner att "
               "nämnden beslutar enligt förvaltningens förslag.")
    assert decisions(f"{finding} Votering begärs.\n\n{DECIDED}") == [DECIDED]
    assert decisions(finding) == [finding]


@pytest.mark.parametrize("bullet", ["•\t", "• ", "·\t", "–\t", "– ", "\uf0b7\t", "o\t"])
def test_a_list_pasted_from_word_gives_its_att_clauses(bullet):
    body = (f"## § 74 Fördelning\n\nStyrelsen beslutar\n\n{bullet}att fördela ramen enligt redovisningen,\n\n"
            f"{bullet}att återkomma med en uppföljning i december.\n")
    [section], issues = parse_body("protokoll", body, 1, set())
    assert issues == []
    assert [d.text for d in section.analysed.decisions] == [
        "Styrelsen beslutar att fördela ramen enligt redovisningen.",
        "Styrelsen beslutar att återkomma med en uppföljning i december."]
    page = section.analysed.blocks[0][0]
    assert page.count("<li>") == 2 and f"<p>{bullet.strip()}" not in page


@pytest.mark.parametrize("text, decided", [
    # A line broken before a dash goes on its sentence: no list cuts the decision short.
    ("Styrelsen beslutar att avtalet gäller för perioden 1 januari\n– 31 december 2025.",
     ["Styrelsen beslutar att avtalet gäller för perioden 1 januari – 31 december 2025."]),
    ("Styrelsen beslutar att anta planen\n– med de ändringar bilaga 2 visar –\nsamt att uppdra åt förbundschefen "
     "att återkomma.", ["Styrelsen beslutar att anta planen – med de ändringar bilaga 2 visar – samt att uppdra "
                        "åt förbundschefen att återkomma."]),
])
def test_a_dash_opening_a_line_within_a_sentence_is_no_list(text, decided):
    [section], _ = parse_body("protokoll", f"## § 1 Avtal\n\n{text}\n", 1, set())
    assert [d.text for d in section.analysed.decisions] == decided
    assert "<li>" not in section.analysed.blocks[0][0]


@pytest.mark.parametrize("text", [
    "Arbetsutskottets förslag godkänns och nämnden beslutar att anta planen.",
    "Ordförandens förslag till ändring bifalls och nämnden beslutar att anta planen.",
])
def test_a_proposal_named_in_a_sentence_is_no_proposals_label(text):
    assert decisions(text) == [text]


def test_a_finding_not_the_chairs_is_a_decision_like_any_other():
    first = "Nämnden finner att åtgärden är planenlig och beslutar att bevilja bygglov."
    second = "Nämnden beslutar vidare att ta ut en avgift enligt taxa."
    assert decisions(f"{first}\n\n{second}") == [first, second]


def test_a_clause_ending_in_samt_or_och_ends_in_a_full_stop():
    assert decisions("Styrelsen beslutar\n\natt uppdraget ska redovisas vid nästa sammanträde, samt\n\n"
                     "att kostnaden ryms i budgeten; och\n\natt planen antas") == [
        "Styrelsen beslutar att uppdraget ska redovisas vid nästa sammanträde.",
        "Styrelsen beslutar att kostnaden ryms i budgeten.",
        "Styrelsen beslutar att planen antas."]


def test_an_account_of_someones_proposal_in_an_agenda_item_is_its_text():
    item = analyse_agenda_item("Vägen – beslut", "Trafikverkets förslag innebär att vägen breddas.\n\n"
                               "Förslag till beslut: Nämnden föreslås yttra sig.")
    assert "Trafikverkets förslag innebär att vägen breddas." in item.html
    assert item.proposal_html == "Nämnden föreslås yttra sig."


def test_agenda_item_kind_presenter_and_proposal():
    item = analyse_agenda_item(
        "Rapport tertial 2 2019 – beslut (bilaga 2)",
        "Mikael Holmlund föredrar förslag på tertialrapport.\n\n"
        "Förslag till beslut: Styrelsen föreslås anta förslag på rapport.")
    assert item.heading == "Rapport tertial 2 2019 (bilaga 2)"
    assert item.kind == "beslut"
    assert item.presenter == "Mikael Holmlund"
    assert item.proposal_html == "Styrelsen föreslås anta förslag på rapport."
    assert "föreslås" not in item.html


@pytest.mark.parametrize("heading, kind", [
    ("Nuläget på Arbetsförmedlingen, stående punkt – Information", "information"),
    ("Finansiering av psykolog - diskussion", "diskussion"),
    ("Analysgruppens rekommendationer – information/diskussion", "information/diskussion"),
    ("Nationella nätverket för Samordning – NNS", ""),
])
def test_agenda_item_kinds(heading, kind):
    assert analyse_agenda_item(heading, "").kind == kind


@pytest.mark.parametrize(("line", "unfilled"), [
    ("… valdes till justerare.", True),
    ("**Beslut:** …", True),
    ("Förslag till beslut: …", True),
    ("Citatet slutar […] här.", False),  # an omission in a quotation
    ("Frågan lämnades öppen…", False),  # an ellipsis ending a word
    ("(…)", False),
])
def test_a_lone_ellipsis_is_warned_about_as_text_still_to_write(line, unfilled):
    _, issues = paragraph_sections(f"## § 1 Rubrik\n\n{line}\n", 10)
    assert [(i.line, i.warning) for i in issues] == ([(12, True)] if unfilled else [])


def test_a_heading_with_too_long_a_number_is_told_so_once():
    _, issues = paragraph_sections("## § 1 A\n\nx\n\n## § 12345678901 Stor\n\nText.\n", 10)
    assert [(i.line, i.message) for i in issues] == [(14, "the number of this paragraph has more than 9 digits")]


def test_a_fence_is_closed_only_by_one_of_its_own_kind_and_length():
    # '```' inside a block opened with '````' is code, as markdown-it shows it: the
    # heading after it is too, and cuts no item.
    text = ("## 1. Exempel\n\n````\n```\n## 2. Inte en punkt\n```\n````\n\n"
            "~~~\n```\n## 3. Inte heller\n~~~\n\n## 2. Punkt\n")
    sections, issues = agenda_sections(text, 1)
    assert [(s.number, s.heading) for s in sections] == [(1, "Exempel"), (2, "Punkt")]
    assert "## 2. Inte en punkt" in sections[0].text and issues == []


@pytest.mark.parametrize("written", ["## § 5: Budget", "## Paragraf 5: Budget", "## 5 § – Budget", "## **5. Budget**"])
def test_a_colon_or_dash_after_the_number_is_left_out_of_the_heading_meant(written):
    _, issues = paragraph_sections(f"## § 4 Öppnande\n\nx\n\n{written}\n\ny\n", 1)
    assert [(i.line, i.hint) for i in issues] == [(5, "write it as a heading: '## § 5 Budget'")]


def test_paragraphs_cited_together_out_of_rising_order_are_warned_about():
    from site_gen.load.body import parse_body

    text = ("## § 1 A\n\nSe §§ 6–5.\n\nOch §§ 12, 10 och 14, § 48, 2 000 kronor och §§ 3–4.\n\n"
            # Where the number left out is no § number, or in code: nothing to tell.
            "§§ 14–15, 2 ledamöter. §§ 12 och 3 ärenden bordlades. `§§ 6–5` och §§ 5, 5 och 7.\n\n"
            # A lower number listed after the citation, or a § sign before the next.
            "§§ 207, 203–204 och §§ 206–205 och § 207. §§ 204–205, 3 kap. 5 § kommunallagen.\n")
    _, issues = parse_body("protokoll", text, 10, set())
    said = "cites paragraphs out of rising order, and is read up to where it leaves it"
    assert [(i.line, i.message, i.warning) for i in issues] == [
        (12, f"'§§ 6–5' {said}", True), (14, f"'§§ 12, 10 och 14' {said}", True), (16, f"'§§ 5, 5 och 7' {said}", True),
        (18, f"'§§ 207, 203' {said}", True), (18, f"'§§ 206–205' {said}", True)]
