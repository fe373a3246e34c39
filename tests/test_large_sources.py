"""Sizes far beyond real minutes build without error and in reasonable time: a single
source of several MB, one paragraph of megabytes, and a site of thousands of files.

CI builds 1,000 files; the 20,000-file run is manual (a few minutes):
    SITE_GEN_LARGE_FILES=20000 python -m pytest tests/test_large_sources.py -k many_files
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from helpers import MINIMAL_FRONT, MINIMAL_SITE_YML, visible_text
from test_hostile_input import time_limit

from site_gen.build import build

FILES = int(os.environ.get("SITE_GEN_LARGE_FILES", "1000"))
SITE_YML = MINIMAL_SITE_YML
FRONT = "---\n" + MINIMAL_FRONT + """\
paragraphs:
  2:
    tillåt_personnummer: true
---
"""
TEXT = ("Styrelsen diskuterade ärendet ingående och konstaterade att underlaget behöver kompletteras "
        "med uppgifter om ekonomi, personal och lokaler innan beslut kan fattas. ") * 8
LIMIT = 600  # seconds: a hang, not a slow machine


def one_document_site(root: Path, text: str) -> Path:
    (root / "content" / "styrelsen").mkdir(parents=True)
    (root / "site.yml").write_text(SITE_YML)
    (root / "content" / "styrelsen" / "m.md").write_text(text, encoding="utf-8")
    return root


def test_protokoll_of_several_megabytes(tmp_path):
    parts = [FRONT]
    paragraphs = 2400
    for number in range(1, paragraphs + 1):
        parts.append(f"## § {number} Ärende {number}\n\n{TEXT}\n\nSe § {max(1, number - 1)}.\n\n"
                     f"Styrelsen beslutar att godkänna ärende {number}, att återkomma.\n\n")
        if number == 2:  # thousands of personnummer in a paragraph that may show them
            parts.append(" ".join(["19121212-1212"] * 3000) + "\n\n")
    text = "".join(parts)
    assert len(text.encode()) > 3_000_000
    root = one_document_site(tmp_path, text)
    with time_limit(LIMIT):
        result = build(root)
    page = (root / "output" / "styrelsen" / "2024-03-01" / "index.html").read_text(encoding="utf-8")
    assert f'id="paragraf-{paragraphs}"' in page
    assert result.problems.errors == []
    decisions = visible_text((root / "output" / "beslut" / "2024" / "index.html").read_text(encoding="utf-8"))
    assert f"Styrelsen beslutar att godkänna ärende {paragraphs}." in decisions


def test_one_paragraph_of_megabytes(tmp_path):
    body = "## § 1 Ett mycket långt ärende\n\n" + "\n\n".join(
        f"Stycke {n}. {TEXT} **fet** _kursiv_ [länk](https://example.se/{n}) § 1" for n in range(1500))
    root = one_document_site(tmp_path, FRONT.replace("  2:\n    tillåt_personnummer: true\n", "  1:\n"
                                                     "    topics: [Ekonomi]\n") + body)
    assert len(body.encode()) > 2_000_000
    with time_limit(LIMIT):
        build(root)
    page = (root / "output" / "styrelsen" / "2024-03-01" / "index.html").read_text(encoding="utf-8")
    assert "Stycke 1499." in page


def many_documents_site(root: Path, files: int) -> Path:
    """`files` small protokoll, 20 organs meeting every day, § numbers running per year."""
    organs = 20
    (root / "site.yml").write_text("title: T\norganisation: O\norgans:\n" + "".join(
        f"  organ-{i}:\n    name: Organ {i}\n" for i in range(organs)))
    first_day = dt.date(2000, 1, 1)
    for index in range(files):
        organ = index % organs
        day = first_day + dt.timedelta(days=index // organs)
        number = day.timetuple().tm_yday
        folder = root / "content" / f"organ-{organ}" / str(day.year)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{day}.md").write_text(
            f"---\nkind: protokoll\ndate: {day}\nbeslutande:\n  - name: Ordförande Nummer{organ}\n"
            f"    role: ordförande\n  - Ledamot Nummer{organ}\nsekreterare: Ordförande Nummer{organ}\n"
            f"justerare: Ledamot Nummer{organ}\n"
            f"---\n\n## § {number} Ärende {number}\n\nStyrelsen beslutar att godkänna ärendet.\n",
            encoding="utf-8")
    return root


def test_site_of_many_files(tmp_path):
    root = many_documents_site(tmp_path, FILES)
    assert sum(1 for _ in (root / "content").rglob("*.md")) == FILES
    with time_limit(LIMIT * (FILES // 1000 or 1)):
        result = build(root)
    assert result.problems.errors == []
    assert result.pages > FILES
    last = dt.date(2000, 1, 1) + dt.timedelta(days=(FILES - 1) // 20)
    assert (root / "output" / f"organ-{(FILES - 1) % 20}" / last.isoformat() / "index.html").is_file()
