"""The example site: every seed meeting is on the site, complete, and reachable.

Expected facts are read from the seed texts in ../shared/seeds where they can be
read reliably (§ numbers and headings, notice dates, "**Beslut:**" sentences); the
member lists, whose columns the PDF extraction jumbled, are written out here.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import SEEDS
from helpers import crawl, visible_text

SEED_2017 = "protokoll-2017-10-27-umearegionen.txt"
SEED_2021 = "protokoll-2021-06-01-umearegionen.txt"
SEED_2019 = "kallelse-2019-09-20-och-protokoll-2019-06-20-umearegionen.txt"

MEETINGS = {
    "2017-10-27": {
        "seed": SEED_2017,
        "beslutande": ["Peter Vigen", "Carola Larsson", "Mikael Broman", "Ulf Björk", "Patrik Nilsson"],
        "övriga": ["Mikael Holmlund", "Kenneth Isaksson", "Elmer Eriksson", "Petra Andersin",
                   "Maria Dalid", "Anne-Li Alfredsson", "Katarina Hansson", "Henrik Källberg"],
        "partly": {"Petra Andersin": "§ 64", "Henrik Källberg": "§ 65"},
        "decisions": ["Styrelsen beslutade att anta förslaget till social budget för 2017."],
    },
    "2019-06-20": {
        "seed": SEED_2019,
        "beslutande": ["Peter Vigen", "Harriet Hedlund", "Mikael Broman", "Anders Hahlin",
                       "Christina Lidström"],
        "övriga": ["Mikael Holmlund", "Mathias Haglund"],
        "partly": {},
        "decisions": ["beslutar styrelsen att ompröva sitt beslut att delta i studien",
                      "Styrelsen beslutar att ge Mikael Holmlund i uppdrag att svara Försäkringskassan"],
    },
    "2021-06-01": {
        "seed": SEED_2021,
        "beslutande": ["Peter Vigren", "Harriet Hedlund", "Mikael Broman", "Anders Hahlin", "Anna Frej"],
        "övriga": ["Mikael Holmlund", "Johanna Långdal Persson", "Katarina Hansson",
                   "Madelaine Jakobsson", "Patrik Nilsson", "Kenneth Andersson",
                   "Monica Widman Lundmark"],
        "partly": {"Anders Hahlin": "§ 42–47, 49–56", "Monica Widman Lundmark": "§ 42–46"},
        "decisions": ["Styrelsen beslutade att anta rapport för tertial 1.",
                      "Styrelsen beslutade att svara på samma sätt som tidigare år."],
    },
}


def read_seed(name: str) -> str:
    """A seed text: the minutes as published, which the example site was written from.
    They are not part of the repository, but beside it; without them there is nothing to
    compare the site with."""
    if not SEEDS.is_dir():
        pytest.skip(f"the seed minutes are not beside the repository ({SEEDS})")
    return (SEEDS / name).read_text(encoding="utf-8")


def seed_text(name: str) -> str:
    text = read_seed(name)
    if name == SEED_2019:
        return text[text.index("\nPROTOKOLL\n"): text.index("Tertialrapport maj")]
    return text


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("*", "").replace("<b>", "").replace("</b>", "")).strip()


def seed_paragraphs(text: str) -> list[tuple[int, str]]:
    found = []
    for line in text.splitlines():
        match = re.match(r"^[#\s*]*§\s*(\d+)\s+(.+?)[\s*]*$", line)
        if match:
            found.append((int(match.group(1)), fold(match.group(2))))
    return found


def seed_notice(text: str) -> dict[str, str]:
    return {
        "justeringsdatum": re.search(r"Justeringsdatum:\s*(\d{4}-\d\d-\d\d)", text).group(1),
        "uppsatt": re.search(r"uppsättande:\s*(\d{4}-\d\d-\d\d)", text).group(1),
        "nedtas": re.search(r"nedtagande:\s*(\d{4}-\d\d-\d\d)", text).group(1),
    }


def page(output: Path, day: str) -> str:
    return (output / "styrelsen" / day / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("day", sorted(MEETINGS))
def test_every_seed_paragraph_is_on_its_meeting_page(example_output, day):
    text = visible_text(page(example_output, day))
    paragraphs = seed_paragraphs(seed_text(MEETINGS[day]["seed"]))
    assert len(paragraphs) >= 6
    for number, heading in paragraphs:
        assert f"§ {number} {heading}" in text, (number, heading)


@pytest.mark.parametrize("day", sorted(MEETINGS))
def test_every_member_with_presence_is_on_its_meeting_page(example_output, day):
    html = page(example_output, day)
    expected = MEETINGS[day]
    for caption, names in (("Beslutande", expected["beslutande"]), ("Övriga deltagare", expected["övriga"])):
        table = html[re.search(rf"<caption[^>]*>{caption}</caption>", html).start():]
        table = visible_text(table[: table.index("</table>")])
        for name in names:
            assert name in table, (caption, name)
    for name, presence in expected["partly"].items():
        row = re.search(rf">{re.escape(name)}</a></th>(.*?)</tr>", html, re.S).group(1)
        assert presence in visible_text(row), (name, presence)


@pytest.mark.parametrize("day", sorted(MEETINGS))
def test_notice_dates_and_roles_are_on_its_meeting_page(example_output, day):
    text = visible_text(page(example_output, day))
    notice = seed_notice(seed_text(MEETINGS[day]["seed"]))
    assert f"Justeringsdatum {notice['justeringsdatum']}" in text
    assert f"Anslaget uppsatt {notice['uppsatt']}" in text
    assert f"Anslaget nedtas {notice['nedtas']}" in text
    assert "Protokollet förvaras Samordningsförbundets kansli" in text
    for role in ("Sekreterare", "Ordförande", "Justerare"):
        assert re.search(rf"{role} [A-ZÅÄÖ]", text), role


@pytest.mark.parametrize("day", sorted(MEETINGS))
def test_decisions_are_set_apart_on_its_meeting_page(example_output, day):
    html = page(example_output, day)
    decision_html = " ".join(re.findall(r'<div class="decision">(.*?)</div>', html, re.S))
    decision_text = visible_text(decision_html)
    seed = seed_text(MEETINGS[day]["seed"])
    labelled = [fold(m) for m in re.findall(r"\*\*Beslut:\*\*\s*(.+)", seed)]
    for decision in labelled + MEETINGS[day]["decisions"]:
        assert decision[:60] in decision_text, decision


def test_kallelse_items_and_link_to_attachment(example_output):
    seed = read_seed(SEED_2019)
    agenda = seed[: seed.index("\nPROTOKOLL\n")]
    items = [int(n) for n in re.findall(r"^\**(\d+)\. ", agenda, re.M)]
    assert items == list(range(1, 13))
    html = (example_output / "styrelsen" / "2019-09-20" / "kallelse" / "index.html").read_text()
    text = visible_text(html)
    for number in items:
        assert f'id="punkt-{number}"' in html
    assert "Föredragande: Mikael Holmlund" in text
    assert "Styrelsen föreslås anta förslag på rapport." in text
    assert "Lokal Folkets hus i Umeå, rum Källan" in text
    assert 'href="bilaga-2/"' in html
    report = visible_text((example_output / "styrelsen" / "2019-09-20" / "kallelse" / "bilaga-2" / "index.html").read_text())
    assert "Summa intäkter 11 540 8 672 11 540" in report


def read_file_url(output: Path):
    def fetch(url: str):
        path = Path(url.removeprefix("file://"))
        if path.is_dir():
            path = path / "index.html"
        return path.read_text(encoding="utf-8") if path.is_file() else None
    return fetch


def test_every_seed_paragraph_and_decision_is_reachable_from_home(example_output):
    pages, broken = crawl(read_file_url(example_output), f"file://{example_output}/index.html")
    assert broken == []
    reached = " ".join(pages)
    for day, meeting in MEETINGS.items():
        assert f"file://{example_output}/styrelsen/{day}/" in reached
        for number, _ in seed_paragraphs(seed_text(meeting["seed"])):
            assert f'id="paragraf-{number}"' in pages[f"file://{example_output}/styrelsen/{day}/"]
    assert f"file://{example_output}/styrelsen/2019-09-20/kallelse/" in pages
    # Every decision page lists what the meeting pages hold.
    decisions = pages[f"file://{example_output}/beslut/"]
    assert "Styrelsen beslutade att anta rapport för tertial 1." in decisions


@pytest.fixture
def served_under_subpath(example_output, tmp_path):
    """The output copied to /a/b/ of a real HTTP server."""
    docroot = tmp_path / "www"
    shutil.copytree(example_output, docroot / "a" / "b")
    handler = functools.partial(_QuietHandler, directory=str(docroot))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/a/b/"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def http_fetch(url: str):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError:
        return None


def test_no_broken_link_under_a_subpath(served_under_subpath):
    pages, broken = crawl(http_fetch, served_under_subpath)
    assert broken == []
    assert len(pages) > 30
    assert all(url.startswith(served_under_subpath) for url in pages)
