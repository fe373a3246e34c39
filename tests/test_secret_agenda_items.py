"""An agenda item under sekretess: a kallelse publishes its heading and a note, never
its text, presenter, proposal or an attachment only secret items mention; `site-gen
new protokoll` keeps the matter secret in the minutes made from the agenda."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import yaml
from helpers import indexed_pages, visible_text

from site_gen import scaffold
from site_gen.build import build, check_site
from site_gen.load.frontmatter import split_front_matter
from site_gen.problems import SiteGenError

KALLELSE = "content/styrelsen/2024-09-05-kallelse.md"
SECRET_ITEM = ("## 2. Tvist om avtal – beslut\n\n"
               "Kim Kansli föredrar Avtalsparten Hemligsson AB:s krav.\n\n"
               "Förslag till beslut: Styrelsen föreslås förlikas med Hemligsson AB.\n\n")
MENTIONING_BILAGA = SECRET_ITEM.replace("– beslut", "– beslut (bilaga 1)")


def write_kallelse(site, items: str, sekretess: str = "OSL 19 kap. 1 §", bilagor: str = "") -> str:
    (site / KALLELSE).write_text(
        '---\nkind: kallelse\ndate: 2024-09-05\ntime: "09.00"\nplace: Stadshuset\n' + bilagor
        + f"items:\n  2:\n    topics: [Avtal]\n    sekretess: {sekretess}\n---\n\n"
        "## 1. Mötets öppnande\n\n" + items + "## 3. Budget 2025 – beslut\n\nFörslag till beslut: Anta budgeten.\n",
        encoding="utf-8")
    return KALLELSE


def attach_utredning(site) -> str:
    (site / "content/styrelsen/bilagor/utredning.txt").write_text("Hemlig utredning om Hemligsson AB\n")
    return "bilagor:\n  - title: Utredning\n    file: bilagor/utredning.txt\n"


def test_a_secret_items_text_presenter_and_proposal_never_reach_the_site(minisite):
    write_kallelse(minisite, SECRET_ITEM)
    assert check_site(minisite).items == []
    build(minisite)
    output = minisite / "output"
    everything = b"".join(p.read_bytes() for p in output.rglob("*") if p.is_file())
    assert b"Hemligsson" not in everything and "förlikas".encode() not in everything
    page = visible_text((output / "styrelsen/2024-09-05/kallelse/index.html").read_text(encoding="utf-8"))
    assert ("2. Tvist om avtal – beslut Avtal Ärendet omfattas av sekretess (OSL 19 kap. 1 §). "
            "Innehållet publiceras inte.") in page
    assert "Föredragande" not in page.split("3. Budget")[0]
    assert "Förslag till beslut Anta budgeten." in page  # the public item is as it was
    searched = indexed_pages(output)
    kallelse = next(r for url, r in searched.items() if url.endswith("2024-09-05/kallelse/"))
    assert "Tvist om avtal" in kallelse["content"] and "Hemligsson" not in json.dumps(kallelse)


def test_open_data_marks_a_secret_item_as_not_public(minisite):
    write_kallelse(minisite, SECRET_ITEM)
    build(minisite)
    data = json.loads((minisite / "output/data/styrelsen/2024.json").read_text(encoding="utf-8"))
    meeting = next(m for m in data["meeting"] if m["start"].startswith("2024-09-05"))
    items = {i["number"]: i for i in meeting["agendaItem"]}
    assert (items["2"]["public"], items["2"]["secrecyGround"]) == (False, "OSL 19 kap. 1 §")
    assert "presenter" not in items["2"] and items["2"]["kind"] == "beslut"
    assert items["3"]["public"] is True and "secrecyGround" not in items["3"]


def test_an_attachment_only_a_secret_item_mentions_is_listed_not_published(minisite):
    write_kallelse(minisite, MENTIONING_BILAGA, bilagor=attach_utredning(minisite))
    assert [(p.severity, p.line, p.message) for p in check_site(minisite).items] == [
        ("warning", 8, "bilaga 1 is mentioned only in item 2, under sekretess, so its file is not published")]
    build(minisite)
    assert not list((minisite / "output").rglob("utredning*"))
    page = visible_text((minisite / "output/styrelsen/2024-09-05/kallelse/index.html").read_text(encoding="utf-8"))
    assert "Bilaga 1: Utredning (publiceras inte på webben)" in page


def test_the_protokoll_may_not_publish_what_the_kallelse_keeps_off_the_site(minisite):
    write_kallelse(minisite, MENTIONING_BILAGA, bilagor=attach_utredning(minisite))
    protokoll = minisite / "content/styrelsen/2024-03-01-protokoll.md"
    protokoll.write_text(protokoll.read_text(encoding="utf-8").replace(
        "  - title: Underlag som inte publiceras", "  - title: Utredning\n    file: bilagor/utredning.txt"),
        encoding="utf-8")
    assert [(p.path, p.message) for p in check_site(minisite).errors] == [
        ("content/styrelsen/2024-03-01-protokoll.md",
         "bilaga 2 publishes content/styrelsen/bilagor/utredning.txt, which the kallelse of Styrelsen "
         "2024-09-05 keeps off the site as its bilaga 1: only agenda items under sekretess mention it there")]
    with pytest.raises(SiteGenError):
        build(minisite)


@pytest.mark.parametrize("ground", ["", "true", "ja", "sekretess", "Hemligt."])
def test_a_secret_item_needs_its_legal_ground(minisite, ground):
    write_kallelse(minisite, SECRET_ITEM, sekretess=ground)
    errors = check_site(minisite).errors
    assert [(p.path, p.line) for p in errors] == [(KALLELSE, 9)]
    assert errors[0].message.startswith("'items → 2 → sekretess' ")
    assert "legal ground" in errors[0].message + errors[0].hint


def test_a_personnummer_is_reported_in_a_public_item_and_not_in_a_secret_one(minisite):
    path = minisite / write_kallelse(minisite, SECRET_ITEM.replace("krav.", "krav, 121212-1212."))
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Förslag till beslut: Anta budgeten.", "Faktura till 19121212-1212.\n\nFörslag till beslut: Anta budgeten."),
        encoding="utf-8")
    text = path.read_text(encoding="utf-8").split("\n")
    assert [(p.line, p.message) for p in check_site(minisite).errors] == [
        (text.index("Faktura till 19121212-1212.") + 1, "a personnummer (19121212-XXXX) in item 3")]


@pytest.mark.parametrize("item", [MENTIONING_BILAGA, SECRET_ITEM.replace("krav.", "krav, se bilaga 1.")])
def test_new_protokoll_keeps_the_items_secrecy_topics_and_attachment(minisite, item):
    write_kallelse(minisite, item, bilagor=attach_utredning(minisite))
    target = scaffold.new_document(minisite, "protokoll", "styrelsen", dt.date(2024, 9, 5))
    front = yaml.safe_load(split_front_matter(target.read_text(encoding="utf-8")).front)
    # The organ's previous protokoll ended at § 4: items 1–3 become §§ 5–7.
    assert front["paragraphs"] == {6: {"topics": ["Avtal"], "sekretess": "OSL 19 kap. 1 §"}}
    assert front["bilagor"] == [{"title": "Utredning", "file": "bilagor/utredning.txt"}]
    # The protokoll keeps the file off the site on its own, whatever becomes of the kallelse.
    (minisite / KALLELSE).unlink()
    assert [(p.severity, p.message.split(",")[0]) for p in check_site(minisite).items
            if "bilaga" in p.message] == [("warning", "bilaga 1 is mentioned only in § 6")]
    build(minisite, strict=False)
    assert not list((minisite / "output").rglob("utredning*"))


@pytest.mark.parametrize("subheading", ["### 2023 års avtal", "### 1. Bakgrund", "#### 4) Motpartens krav"])
def test_a_numbered_heading_in_a_secret_items_text_stays_in_the_item(minisite, subheading):
    write_kallelse(minisite, SECRET_ITEM + f"{subheading}\n\nHemligsson AB kräver skadestånd.\n\n")
    assert check_site(minisite).items == []
    build(minisite)
    everything = b"".join(p.read_bytes() for p in (minisite / "output").rglob("*") if p.is_file())
    assert b"Hemligsson" not in everything and "skadestånd".encode() not in everything


def test_a_heading_numbered_out_of_turn_after_a_secret_item_is_an_error(minisite):
    # At the items' own level, the heading starts an item: what follows would be published.
    write_kallelse(minisite, SECRET_ITEM + "## 2023 års avtal\n\nHemligsson AB kräver skadestånd.\n\n")
    lines = (minisite / KALLELSE).read_text(encoding="utf-8").split("\n")
    assert [(p.line, p.message) for p in check_site(minisite).errors] == [
        (lines.index("## 2023 års avtal") + 1,
         "item 2023 follows the secret item 2, where item 3 was expected: as a heading of item 2's text, "
         "it would publish what follows it")]
    with pytest.raises(SiteGenError):
        build(minisite)
    assert not (minisite / "output/styrelsen/2024-09-05").exists()


def test_after_an_earlier_slip_a_heading_out_of_turn_after_a_secret_item_is_still_an_error(minisite):
    # A mistyped 7 lets the next item follow either 3 or 8; after the secret item 3,
    # only 4 may: '## 5. Bakgrund' is a heading of its text, and would publish it.
    (minisite / KALLELSE).write_text(
        '---\nkind: kallelse\ndate: 2024-09-05\ntime: "09.00"\nplace: Stadshuset\n'
        "items:\n  3:\n    sekretess: OSL 39 kap. 3 §\n---\n"
        "# 1. Mötets öppnande\n## 2. Val av justerare\n## 7. Justerarens uppgifter\n"
        "## 3. Personalärende – beslut\nFörslag till beslut: enligt utredningen.\n"
        "## 5. Bakgrund\nHemligsson AB:s medarbetare.\n## 4. Avslutning\n", encoding="utf-8")
    assert [(p.line, p.message) for p in check_site(minisite).errors] == [
        (15, "item 5 follows the secret item 3, where item 4 was expected: as a heading of item 3's text, "
             "it would publish what follows it")]
    with pytest.raises(SiteGenError):
        build(minisite)
    assert not (minisite / "output/styrelsen/2024-09-05").exists()


@pytest.mark.parametrize("kept_secret, item, heading", [
    (False, SECRET_ITEM, "## § 6  Tvist om  avtal."), (True, SECRET_ITEM, "## § 6  Tvist om  avtal."),
    # The same matter, its heading written another way: without the attachment's
    # number or with the kind, or shortened, or with a word changed.
    (False, MENTIONING_BILAGA, "## § 6 Tvist om avtal"),
    (False, SECRET_ITEM, "## § 6 Tvist om avtal – beslut (bilaga 1)"),
    (False, SECRET_ITEM.replace("Tvist om avtal", "Tvist om avtal med leverantör"), "## § 6 Tvist om avtal"),
    (False, SECRET_ITEM, "## § 6 Tvist om avtalet"),
])
def test_a_paragraph_the_kallelse_kept_secret_is_warned_about_when_published(minisite, kept_secret, item, heading):
    write_kallelse(minisite, item, bilagor=attach_utredning(minisite) if "bilaga" in item else "")
    target = scaffold.new_document(minisite, "protokoll", "styrelsen", dt.date(2024, 9, 5))
    text = target.read_text(encoding="utf-8")
    if not kept_secret:  # written by hand, or the entry lost
        text = text.replace("    sekretess: OSL 19 kap. 1 §\n", "")
    text = re.sub(r"## § 6 .*", heading, text)
    target.write_text(text, encoding="utf-8")
    line = target.read_text(encoding="utf-8").split("\n").index(heading) + 1
    found = [(p.severity, p.line, p.message, p.hint) for p in check_site(minisite).items
             if "secret" in p.message]
    assert found == ([] if kept_secret else [
        ("warning", line, "§ 6 is published in full, but the kallelse keeps the same matter secret "
                          "(item 2, OSL 19 kap. 1 §)",
         "to keep it secret here too, add 'sekretess: OSL 19 kap. 1 §' under paragraphs → 6")])


def test_a_paragraph_put_up_for_decision_without_a_decision_read_is_warned_about(minisite):
    # Item 3, 'Budget 2025 – beslut', became § 7; the secret § 6 has no text to read.
    write_kallelse(minisite, SECRET_ITEM)
    target = scaffold.new_document(minisite, "protokoll", "styrelsen", dt.date(2024, 9, 5))
    lines = target.read_text(encoding="utf-8").replace("…", "Kim Kansli").split("\n")
    beslut = [n for n, line in enumerate(lines) if line.startswith("**Beslut:**")]
    lines[beslut[-1]] = "Ärendet diskuterades, och Styrelsen bestämde sig för budgeten."
    target.write_text("\n".join(lines), encoding="utf-8")
    found = [(p.line, p.message) for p in check_site(minisite).items if "no decision" in p.message]
    assert found == [(lines.index("## § 7 Budget 2025") + 1, "§ 7 has no decision that site-gen can read, "
                      "though the kallelse put the matter up for decision (item 3)")]


def test_a_secret_item_and_a_public_one_of_the_same_matter_both_warn(minisite):
    # Items 2 and 3 read alike once their kinds are left out: the secret one must not be
    # lost behind the public one, whichever comes first.
    (minisite / KALLELSE).write_text(
        '---\nkind: kallelse\ndate: 2024-09-05\ntime: "09.00"\nplace: Stadshuset\n'
        "items:\n  2:\n    sekretess: OSL 19 kap. 1 §\n---\n\n## 1. Mötets öppnande\n\n" + SECRET_ITEM
        + "## 3. Tvist om avtal – information\n\nLäget i tvisten.\n", encoding="utf-8")
    target = scaffold.new_document(minisite, "protokoll", "styrelsen", dt.date(2024, 9, 5))
    target.write_text(target.read_text(encoding="utf-8").replace("    sekretess: OSL 19 kap. 1 §\n", ""),
                      encoding="utf-8")
    lines = target.read_text(encoding="utf-8").split("\n")
    headings = [number for number, line in enumerate(lines, 1) if line.startswith("## § ") and "Tvist" in line]
    warned = [p.line for p in check_site(minisite).items if "keeps the same matter secret" in p.message]
    assert headings[0] in warned


@pytest.mark.parametrize("kept_secret", [False, True])
def test_a_secret_item_under_a_heading_written_anew_is_warned_about_when_no_paragraph_is_secret(
        minisite, kept_secret):
    # No heading of the protokoll names the matter, so no paragraph can be told as its
    # own; but the kallelse keeps one matter secret, and the protokoll none.
    write_kallelse(minisite, SECRET_ITEM)
    target = scaffold.new_document(minisite, "protokoll", "styrelsen", dt.date(2024, 9, 5))
    text = re.sub(r"## § 6 .*", "## § 6 Förlikning med leverantören", target.read_text(encoding="utf-8"))
    if not kept_secret:
        text = text.replace("    sekretess: OSL 19 kap. 1 §\n", "")
    target.write_text(text, encoding="utf-8")
    line = text.split("\n").index("paragraphs:") + 1
    found = [(p.line, p.message) for p in check_site(minisite).items if "secret" in p.message]
    assert found == ([] if kept_secret else [
        (line, "the kallelse keeps item 2 secret (Tvist om avtal, OSL 19 kap. 1 §), but no paragraph has its "
               "heading, and the protokoll keeps no other paragraphs secret")])


def test_a_secret_item_under_a_new_heading_kept_secret_is_not_warned_about_beside_one_published(minisite):
    # Item 2 is published under its own heading (told as such); item 3's matter stands
    # secret under a heading written anew: nothing is missing there.
    (minisite / KALLELSE).write_text(
        '---\nkind: kallelse\ndate: 2024-09-05\ntime: "09.00"\nplace: Stadshuset\n'
        "items:\n  2:\n    sekretess: OSL 19 kap. 1 §\n  3:\n    sekretess: OSL 26 kap. 1 §\n---\n\n"
        "## 1. Mötets öppnande\n\n" + SECRET_ITEM + "## 3. Ansökan om bidrag – beslut\n\nEn ansökan.\n",
        encoding="utf-8")
    target = scaffold.new_document(minisite, "protokoll", "styrelsen", dt.date(2024, 9, 5))
    text = target.read_text(encoding="utf-8").replace("    sekretess: OSL 19 kap. 1 §\n", "")
    target.write_text(re.sub(r"## § 7 .*", "## § 7 Bidrag till föreningen", text), encoding="utf-8")
    found = [p.message for p in check_site(minisite).items if "secret" in p.message]
    assert found == ["§ 6 is published in full, but the kallelse keeps the same matter secret "
                     "(item 2, OSL 19 kap. 1 §)"]
