"""Open data: data/site.json and one file of meetings per organ and year; identifiers
equal to page URLs, OParl field names."""

from __future__ import annotations

import json
import re
from urllib.parse import urldefrag

from site_gen.build import build
from site_gen.site import opendata

BASE = "https://testforbundet.example/protokoll/"
OPARL = "https://schema.oparl.org/1.1/"


def read_json(path):
    return json.loads(path.read_text(encoding="utf-8"))


def load(output) -> dict:
    """data/site.json with the meetings of every file it lists, newest first, under "meeting"."""
    data = read_json(output / "data" / "site.json")
    meetings = []
    for entry in data["meetingList"]:
        listed = read_json(output / "data" / entry["url"].split("/data/", 1)[1])
        assert (listed["organization"], listed["year"]) == (entry["organization"], entry["year"])
        assert len(listed["meeting"]) == entry["count"]
        meetings += listed["meeting"]
    data["meeting"] = sorted(meetings, key=lambda m: m["start"], reverse=True)
    return data


def all_urls(value) -> list[str]:
    if isinstance(value, dict):
        return [u for v in value.values() for u in all_urls(v)]
    if isinstance(value, list):
        return [u for v in value for u in all_urls(v)]
    return [value] if isinstance(value, str) and value.startswith(BASE) else []


def test_export_holds_organs_meetings_paragraphs_people_and_topics(minisite):
    build(minisite)
    data = load(minisite / "output")
    assert data["type"] == OPARL + "Body" and data["name"] == "Testförbundet"
    assert [o["name"] for o in data["organization"]] == ["Arbetsutskottet", "Styrelsen"]
    assert [m["id"] for m in data["meeting"]] == [
        BASE + "arbetsutskottet/2024-05-02/kallelse/", BASE + "styrelsen/2024-03-01/",
        BASE + "arbetsutskottet/2024-02-01/"]
    assert {p["name"] for p in data["person"]} == {"Åsa Öberg", "Erik Ärlig", "Lena Lind", "Kim Kansli"}
    assert [t["name"] for t in data["topic"]] == ["Budget", "Ekonomi"]
    assert {m["type"] for m in data["meeting"]} == {OPARL + "Meeting"}
    assert data["modified"] == "2024-05-02"  # the newest date in the sources: the kallelse


def test_meeting_and_agenda_item_fields_follow_oparl(minisite):
    build(minisite)
    meeting = load(minisite / "output")["meeting"][1]
    assert meeting["start"] == "2024-03-01T09:00:00+01:00" and meeting["end"] == "2024-03-01T11:00:00+01:00"
    assert meeting["location"] == {"type": OPARL + "Location", "description": "Stadshuset, rum Älven"}
    assert meeting["organization"] == [BASE + "styrelsen/"]
    assert meeting["meetingState"] == "terminated"
    assert meeting["notice"] == {
        "sekreterare": "Kim Kansli", "justerare": ["Lena Lind"], "justeringsdatum": "2024-03-08",
        "postedAt": "Norrby kommun", "posted": "2024-03-10", "takenDown": "2024-04-02",
        "lastAppealDay": "2024-04-02", "keptAt": "Förbundets kansli"}
    items = {item["number"]: item for item in meeting["agendaItem"]}
    budget = items["2"]
    assert budget["type"] == OPARL + "AgendaItem" and budget["order"] == 2
    assert budget["name"] == "Budget 2024 (Bilaga 1)" and budget["public"] is True
    assert budget["resolutionText"] == "Styrelsen beslutade att anta budgeten för 2024."
    assert budget["keyword"] == ["Ekonomi", "Budget"]
    assert budget["reservation"] == [BASE + "personer/erik-arlig/"]
    assert budget["extract"] == BASE + "styrelsen/2024-03-01/utdrag/#paragraf-2"
    assert items["3"]["decision"] == ["Styrelsen beslutar att ge förbundschefen i uppdrag att se över lokalerna.",
                                      "Styrelsen beslutar att återrapportera i juni."]
    assert items["3"]["vote"] == {"yes": [BASE + "personer/asa-oberg/"], "no": [BASE + "personer/lena-lind/"],
                                  "abstain": []}
    upcoming = load(minisite / "output")["meeting"][0]
    assert upcoming["meetingState"] == "scheduled" and upcoming["start"] == "2024-05-02T13:00:00+02:00"
    assert [i["name"] for i in upcoming["agendaItem"]] == ["Mötets öppnande", "Lägesrapport"]


def test_meetings_are_in_one_file_per_organ_and_year(minisite):
    build(minisite)
    output = minisite / "output"
    body = read_json(output / "data" / "site.json")
    assert "meeting" not in body
    assert body["meetingList"] == [
        {"organization": BASE + "arbetsutskottet/", "year": 2024, "count": 2,
         "url": BASE + "data/arbetsutskottet/2024.json"},
        {"organization": BASE + "styrelsen/", "year": 2024, "count": 1, "url": BASE + "data/styrelsen/2024.json"}]
    styrelsen = read_json(output / "data" / "styrelsen" / "2024.json")
    assert styrelsen["type"] == "MeetingList"
    assert [m["id"] for m in styrelsen["meeting"]] == [BASE + "styrelsen/2024-03-01/"]


def test_secret_paragraph_is_marked_and_has_no_text(minisite):
    build(minisite)
    raw = "".join(p.read_text() for p in (minisite / "output" / "data").rglob("*.json"))
    assert "Hemlis" not in raw
    secret = [i for m in load(minisite / "output")["meeting"] for i in m["agendaItem"] if not i["public"]]
    assert [(i["name"], i["secrecyGround"]) for i in secret] == [("Personalärende", "OSL 26 kap. 1 §")]
    assert "decision" not in secret[0] and "resolutionText" not in secret[0]


def test_every_identifier_is_a_published_page(minisite):
    build(minisite)
    output = minisite / "output"
    data = load(output)
    urls = set(all_urls(data))
    assert len(urls) > 20
    for url in urls:
        page, fragment = urldefrag(url)
        file = output / page[len(BASE):]
        file = file / "index.html" if page.endswith("/") else file
        assert file.is_file(), url
        if fragment:
            assert f'id="{fragment}"' in file.read_text(), url


def test_links_between_objects_are_kept_on_the_meetings(minisite):
    """site.json lists no meetings or agenda items under organs, people and topics,
    so it stays small; every such link is found from the meetings instead, and it
    leads to an object site.json has."""
    build(minisite)
    data = load(minisite / "output")
    for listed in data["organization"] + data["person"] + data["topic"]:
        assert "meeting" not in listed and "agendaItem" not in listed, listed["name"]
    assert data["formatVersion"] == 3
    organs = {o["id"] for o in data["organization"]}
    people = {p["id"]: p["name"] for p in data["person"]}
    topics = {t["id"]: t["name"] for t in data["topic"]}
    attended = {}
    for meeting in data["meeting"]:
        assert set(meeting["organization"]) <= organs
        for person in meeting.get("participant", []):
            attended.setdefault(people[person], []).append(meeting["start"][:10])
        for item in meeting["agendaItem"]:
            assert [topics[t] for t in item.get("topic", [])] == item.get("keyword", [])
    assert attended["Erik Ärlig"] == ["2024-03-01"]
    assert set(attended) == set(people.values())


def test_attendance_tells_who_took_each_decision(minisite):
    """A meeting's attendance gives each person's voting right, role, whose seat a
    tjänstgörande ersättare took and, for one present part of the meeting, the
    paragraphs: with a paragraph's conflictOfInterest that is who decided it."""
    source = minisite / "content" / "styrelsen" / "2024-03-01-protokoll.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("  - Lena Lind\n", "  - Lena Lind\n  - name: Per Plats\n"
                                   "    ersätter: Erik Ärlig\n    present: 3-4\n", 1), encoding="utf-8")
    build(minisite)
    meeting = load(minisite / "output")["meeting"][1]
    people = {p["id"]: p["name"] for p in load(minisite / "output")["person"]}
    attendance = {people[a["person"]]: a for a in meeting["attendance"]}
    assert [people[a["person"]] for a in meeting["attendance"]] == [people[p] for p in meeting["participant"]]
    assert attendance["Åsa Öberg"] == {"person": meeting["attendance"][0]["person"], "votingRight": True,
                                       "role": "ordförande", "represents": "Norrby kommun"}
    assert attendance["Kim Kansli"]["votingRight"] is False
    assert people[attendance["Per Plats"]["substitutes"]] == "Erik Ärlig"
    numbers = {item["id"]: item["number"] for item in meeting["agendaItem"]}
    assert [numbers[i] for i in attendance["Erik Ärlig"]["agendaItem"]] == ["1", "2"]
    assert [numbers[i] for i in attendance["Per Plats"]["agendaItem"]] == ["3", "4"]
    assert "agendaItem" not in attendance["Lena Lind"]  # present for the whole meeting


def test_without_base_url_identifiers_are_paths_from_the_site_root(minisite):
    config = minisite / "site.yml"
    config.write_text(re.sub(r"base_url: .*\n", "", config.read_text()))
    build(minisite)
    data = load(minisite / "output")
    assert data["id"] == "/"
    assert data["meeting"][1]["id"] == "/styrelsen/2024-03-01/"
    assert data["person"][0]["id"].startswith("/personer/")


def test_example_site_export_is_complete(example_output):
    data = load(example_output)
    paragraphs = [i for m in data["meeting"] if "protokoll" in m for i in m["agendaItem"]]
    assert len(paragraphs) >= 30
    tertial = [i for i in paragraphs if i["name"] == "Rapport Tertial 1 2021"]
    assert tertial[0]["resolutionText"] == "Styrelsen beslutade att anta rapport för tertial 1."
    assert "Vuxentorget" in tertial[0]["keyword"]
    for path in (example_output / "data").rglob("*.json"):
        text = path.read_text()
        assert text == opendata.as_text(json.loads(text))  # one fixed layout
        lists = [value for value in json.loads(text).values() if isinstance(value, list) and value]
        # each item of a list on a line of its own: a diff shows which item changed
        assert text.count("\n") == len(json.loads(text)) + 2 + sum(len(v) + 1 for v in lists)
