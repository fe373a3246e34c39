"""The search index: what Pagefind indexes from the built pages, byte-identical builds,
re-indexing on in-place (serve) rebuilds, and clear errors when Pagefind cannot run.
tests/browser/test_search.py searches it in a real browser."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import indexed_pages

from site_gen.build import Builder, build
from site_gen.search import PROGRAM_VARIABLE


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run_cli(*args, cwd, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "site_gen.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_meeting_pages_are_indexed_and_nothing_else(example_output):
    assert sorted(indexed_pages(example_output)) == [
        "/styrelsen/2017-10-27/",
        "/styrelsen/2019-06-20/",
        "/styrelsen/2019-09-20/kallelse/",
        "/styrelsen/2019-09-20/kallelse/bilaga-2/",
        "/styrelsen/2021-06-01/",
    ]
    entry = json.loads((example_output / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["sv"]  # Swedish stemming, from <html lang="sv">


def test_a_protokoll_carries_its_meeting_filters_paragraphs_and_decisions(example_output):
    record = indexed_pages(example_output)["/styrelsen/2021-06-01/"]
    assert record["meta"]["title"] == "Protokoll Styrelsen 2021-06-01"
    assert record["meta"]["datum"] == "2021-06-01"
    assert record["meta"]["beslut-48"] == "Beslut: Styrelsen beslutade att anta rapport för tertial 1."
    assert record["filters"]["organ"] == ["Styrelsen"]
    assert record["filters"]["år"] == ["2021"]
    assert {"Tertialrapport", "Vuxentorget"} <= set(record["filters"]["ämne"])
    paragraphs = {a["id"]: a["text"] for a in record["anchors"] if a["id"].startswith("paragraf-")}
    assert paragraphs["paragraf-48"] == "§ 48 Rapport Tertial 1 2021"
    assert sorted(paragraphs, key=lambda a: int(a.split("-")[1])) == [
        f"paragraf-{n}" for n in range(42, 57)]
    # The table of contents and permalinks would repeat every heading: not indexed.
    assert "Länk till §" not in record["content"]
    assert record["content"].count("Rapport Tertial 1 2021") == 1


def test_a_kallelse_carries_its_proposals(example_output):
    record = indexed_pages(example_output)["/styrelsen/2019-09-20/kallelse/"]
    assert record["filters"]["år"] == ["2019"]
    assert any(a["id"] == "punkt-6" for a in record["anchors"])
    assert record["meta"]["forslag-6"].startswith("Styrelsen föreslås anta")


def test_two_builds_write_the_same_index(example_output, tmp_path):
    # Pagefind itself orders its filter files differently on each run.
    site = example_output.parent
    other = tmp_path / "again"
    shutil.copytree(site, other, ignore=shutil.ignore_patterns("output"))
    build(other)
    assert tree(other / "output" / "pagefind") == tree(example_output / "pagefind")


def test_in_place_rebuild_indexes_the_edit(minisite):
    builder = Builder(minisite)
    builder.build()
    protokoll = minisite / "content" / "styrelsen" / "2024-03-01-protokoll.md"
    protokoll.write_text(protokoll.read_text().replace(
        "Ordföranden förklarade mötet öppnat.", "Ordföranden förklarade mötet öppnat med en fågelsång."))
    result = builder.build(in_place=True)
    assert result.rendered < result.pages
    assert "fågelsång" in indexed_pages(minisite / "output")["/styrelsen/2024-03-01/"]["content"]
    assert [p.name for p in minisite.iterdir() if p.name.startswith(".output-")] == []


def test_in_place_rebuild_without_changes_keeps_the_index(minisite):
    builder = Builder(minisite)
    builder.build()
    before = tree(minisite / "output" / "pagefind")
    assert builder.build(in_place=True).rendered == 0
    assert tree(minisite / "output" / "pagefind") == before


def _failing_program(folder: Path) -> Path:
    program = folder / "broken-pagefind"
    program.write_text("#!/bin/sh\necho 'Error: the disk is full' >&2\nexit 3\n")
    program.chmod(0o755)
    return program


@pytest.mark.parametrize("program, said", [
    ("missing", "could not be started"),
    ("failing", "stopped with status 3; Pagefind said: Error: the disk is full"),
])
def test_pagefind_failure_is_a_clear_error_and_keeps_the_output(minisite, tmp_path, program, said,
                                                                 monkeypatch):
    assert run_cli("build", cwd=minisite).returncode == 0
    before = tree(minisite / "output")
    path = tmp_path / "no-such-pagefind" if program == "missing" else _failing_program(tmp_path)
    monkeypatch.setenv(PROGRAM_VARIABLE, str(path))
    protokoll = minisite / "content" / "styrelsen" / "2024-03-01-protokoll.md"
    protokoll.write_text(protokoll.read_text().replace("öppnat.", "öppnat igen."))
    result = run_cli("build", cwd=minisite)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"site-gen: the search index could not be built: {path} {said}" in result.stderr
    assert tree(minisite / "output") == before
    assert [p.name for p in minisite.iterdir() if p.name.startswith(".output-")] == []
