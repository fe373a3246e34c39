"""Generate a deterministic corpus of N meetings in site-gen's format.

    python benchmarks/generate.py 1000 /tmp/corpus

Modelled on the seeds: several organs, many years, 10–20 paragraphs per protokoll
with § numbers running on through each year, topics, members with per-paragraph
presence, decisions in both styles, notices with valid dates, and a kallelse for
some meetings. The same N always gives the same files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from site_gen.domain import (  # noqa: E402
    USUAL_JUSTERING_DAYS,
    is_non_working_day,
    last_appeal_day,
    unusual_meeting_day,
)
from site_gen.validate.schema import LATEST_YEAR  # noqa: E402

MEETINGS_A_YEAR = 11  # about monthly, but for the summer
ORGANS = [("styrelsen", "Styrelsen"), ("arbetsutskottet", "Arbetsutskottet"),
          ("kommunstyrelsen", "Kommunstyrelsen"), ("bildningsnamnden", "Bildningsnämnden"),
          ("socialnamnden", "Socialnämnden"), ("byggnadsnamnden", "Byggnadsnämnden"),
          ("kulturnamnden", "Kulturnämnden"), ("tekniska-namnden", "Tekniska nämnden"),
          ("miljonamnden", "Miljönämnden"), ("valnamnden", "Valnämnden"),
          ("overformyndarnamnden", "Överförmyndarnämnden"), ("revisionen", "Revisionen")]
FIRST = ["Anna", "Erik", "Maria", "Lars", "Karin", "Anders", "Eva", "Johan", "Kerstin", "Per",
         "Ingrid", "Mikael", "Birgitta", "Nils", "Åsa", "Örjan", "Lena", "Peter", "Sara", "Olof"]
LAST = ["Andersson", "Johansson", "Lundqvist", "Nilsson", "Eriksson", "Larsson", "Olsson",
        "Persson", "Svensson", "Gustafsson", "Lindström", "Åberg", "Öberg", "Hedlund", "Broman"]
ORGS = ["Umeå kommun", "Region Västerbotten", "Försäkringskassan", "Arbetsförmedlingen",
        "Vännäs kommun", "Nordmalings kommun", "Robertsfors kommun", "Bjurholms kommun"]
TOPICS = ["Ekonomi", "Vuxentorget", "Ungdomstorget", "Tertialrapport", "Verksamhetsplan",
          "Budget", "Lokaler", "Personal", "Upphandling", "Kranskommunerna", "Våld i nära relation",
          "Analysgruppen", "Digitalisering", "Folkhälsa", "Skola", "Äldreomsorg", "Miljö",
          "Detaljplan", "Kultur", "Trafik", "Bostäder", "Integration", "Friluftsliv", "Ledarskap"]
WORDS = ("styrelsen diskuterade rapporten och lyfte fram vikten av samverkan mellan "
         "parterna inflöde utflöde resultat uppföljning insatser deltagare plattformar "
         "ekonomiska läget prognos helår verksamheten målgrupper kompetensutveckling "
         "organisation behov utveckling arbetet region kommunerna förbundet").split()
OPENING = ["Mötets öppnande", "Val av justerare", "Godkännande av dagordning"]


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph_text(rng: random.Random, index: int) -> str:
    body = "\n\n".join(" ".join(sentence(rng, rng.randint(5, 11)) for _ in range(rng.randint(1, 3)))
                       for _ in range(rng.randint(1, 2)))
    style = index % 4
    if style == 0:
        return body + f"\n\n**Beslut:** Styrelsen beslutade att {sentence(rng, 6).lower()}"
    if style == 1:
        return (body + f"\n\nStyrelsen beslutar att {' '.join(rng.choice(WORDS) for _ in range(5))}, "
                f"att {' '.join(rng.choice(WORDS) for _ in range(6))}.")
    return body


def members(rng: random.Random, organ_index: int):
    people = [f"{FIRST[(organ_index * 7 + i) % len(FIRST)]} {LAST[(organ_index * 5 + i * 3) % len(LAST)]}"
              for i in range(9)]
    return people[:6], people[6:]


def organs_for(count: int) -> int:
    """How many organs a corpus of `count` meetings has: a dozen at most."""
    return min(len(ORGANS), max(2, count // 100))


def meeting_dates(count: int, organ_count: int) -> list[tuple[int, dt.date]]:
    """(organ index, date) for `count` meetings: each organ meets about monthly from
    2000 on, with a summer break. An archive too long for the years site-gen dates
    appeal times in (to LATEST_YEAR) starts earlier and meets through the summers."""
    dates = []
    per_organ = -(-count // organ_count)
    first, summer_break = dt.date(2000, 1, 10), True
    if per_organ > MEETINGS_A_YEAR * (LATEST_YEAR - first.year + 1):
        first, summer_break = dt.date(LATEST_YEAR - per_organ * 30 // 365, 1, 10), False
    for organ in range(organ_count):
        day = first + dt.timedelta(days=organ)
        for _ in range(per_organ):
            dates.append((organ, _held_on(day)))
            day += dt.timedelta(days=70 if summer_break and day.month == 6 else 30)
    return sorted(dates, key=lambda item: (item[1], item[0]))[:count]


def _held_on(day: dt.date) -> dt.date:
    """The meeting of about that day, moved off a Sunday or a holiday, as organs meet."""
    while unusual_meeting_day(day):
        day += dt.timedelta(days=1)
    return day


def _working_day_before(day: dt.date) -> dt.date:
    while is_non_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def working_day_after(day: dt.date, days: int) -> dt.date:
    day += dt.timedelta(days=days)
    while is_non_working_day(day):
        day += dt.timedelta(days=1)
    return day


def protokoll(rng: random.Random, organ_index: int, day: dt.date, first: int, count: int) -> str:
    voting, others = members(rng, organ_index)
    absent_for = first + rng.randint(3, count - 2)
    justering = working_day_after(day, rng.randint(3, 10))
    while (justering - day).days > USUAL_JUSTERING_DAYS:  # past Christmas: the working day before
        justering = _working_day_before(justering - dt.timedelta(days=1))
    posted = justering + dt.timedelta(days=1)  # the day after justering, as the rules want
    lines = ["---", "kind: protokoll", f"date: {day.isoformat()}", "time: 08.30-12.00",
             "place: Distansmöte", "beslutande:"]
    for index, name in enumerate(voting):
        lines += [f"  - name: {name}", f"    represents: {ORGS[(organ_index + index) % len(ORGS)]}"]
        if index == 0:
            lines.append("    role: ordförande")
        if index == 3:
            lines.append(f"    present: {first}-{absent_for - 1}, {absent_for + 1}-{first + count - 1}")
    lines.append("övriga_deltagare:")
    for index, name in enumerate(others):
        lines += [f"  - name: {name}", f"    title: {['Förbundschef', 'Sekreterare', 'Ekonom'][index]}"]
        if index == 2:
            lines.append(f"    present: {first + 3}-{first + 5}")
    lines += [f"sekreterare: {others[1]}", f"justerare: {voting[1]}",
              f"justeringsdatum: {justering.isoformat()}", "anslag:",
              "  hos: kommunens digitala anslagstavla", f"  uppsättande: {posted.isoformat()}",
              f"  nedtagande: {last_appeal_day(posted).isoformat()}",
              "förvaras: Kansliet", "paragraphs:"]
    for number in range(first + 3, first + count - 1):
        picked = rng.sample(TOPICS, rng.randint(1, 3))
        lines += [f"  {number}:", f"    topics: [{', '.join(picked)}]"]
    lines += ["---", ""]
    for offset in range(count):
        number = first + offset
        if offset < len(OPENING):
            heading, text = OPENING[offset], "Ordförande förklarade mötet öppnat."
        else:
            heading, text = f"Ärende {number} om {rng.choice(TOPICS).lower()}", paragraph_text(rng, number)
        lines += [f"## § {number} {heading}", "", text, "", "---", ""]
    return "\n".join(lines)


def kallelse(rng: random.Random, day: dt.date, count: int) -> str:
    lines = ["---", "kind: kallelse", f"date: {day.isoformat()}", "time: 08.30", "place: Distansmöte",
             "---", ""]
    for number in range(1, count + 1):
        kind = rng.choice(["beslut", "information", "diskussion"])
        lines += [f"## {number}. Ärende om {rng.choice(TOPICS).lower()} – {kind}", "",
                  f"{rng.choice(FIRST)} {rng.choice(LAST)} föredrar ärendet.", ""]
    return "\n".join(lines)


def generate(count: int, folder: Path, organ_count: int | None = None) -> Path:
    rng = random.Random(count)
    organ_count = organ_count or organs_for(count)
    folder.mkdir(parents=True, exist_ok=True)
    # A published site has its address, and so its feeds and sitemap.xml.
    config = ["title: Protokoll – Benchmarkkommunen", "organisation: Benchmarkkommunen",
              "base_url: https://benchmarkkommunen.example/protokoll/",
              "tillganglighet: {kontakt: kansliet@benchmarkkommunen.example, datum: 2024-01-15}", "organs:"]
    for slug, name in ORGANS[:organ_count]:
        config += [f"  {slug}:", f"    name: {name}"]
    (folder / "site.yml").write_text("\n".join(config) + "\n", encoding="utf-8")
    next_number: dict[tuple[int, int], int] = {}
    for index, (organ, day) in enumerate(meeting_dates(count, organ_count)):
        slug = ORGANS[organ][0]
        target = folder / "content" / slug / str(day.year)
        target.mkdir(parents=True, exist_ok=True)
        first = next_number.get((organ, day.year), 1)
        paragraphs = rng.randint(10, 20)
        next_number[(organ, day.year)] = first + paragraphs
        (target / f"{day.isoformat()}-protokoll.md").write_text(
            protokoll(rng, organ, day, first, paragraphs), encoding="utf-8")
        if index % 5 == 0:
            (target / f"{day.isoformat()}-kallelse.md").write_text(
                kallelse(rng, day, rng.randint(8, 14)), encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="number of meetings")
    parser.add_argument("folder", type=Path, nargs="?", default=None,
                        help="where to write the site (default: benchmarks/corpus-N)")
    args = parser.parse_args()
    folder = args.folder or Path(__file__).parent / f"corpus-{args.count}"
    generate(args.count, folder)
    size = sum(p.stat().st_size for p in (folder / "content").rglob("*.md"))
    files = sum(1 for _ in (folder / "content").rglob("*.md"))
    print(f"wrote {files} files ({size / files / 1024:.1f} KB each on average) to {folder}")


if __name__ == "__main__":
    main()
