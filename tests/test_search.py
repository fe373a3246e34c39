"""The search index: what Pagefind indexes from the built pages, byte-identical builds,
re-indexing on in-place (serve) rebuilds, and clear errors when Pagefind cannot run.
tests/browser/test_search.py searches it in a real browser."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from helpers import MINIMAL_FRONT, indexed_pages, pagefind_file

from site_gen.build import Builder, build
from site_gen.write.search import PROGRAM_VARIABLE


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
    for year in ("2021", "2019", "2017"):
        entry = json.loads((example_output / "pagefind" / year / "pagefind-entry.json").read_text())
        assert list(entry["languages"]) == ["sv"]  # Swedish stemming, from <html lang="sv">


def test_one_bundle_per_year_and_the_newest_holds_the_script(example_output):
    folder = example_output / "pagefind"
    assert sorted(p.name for p in folder.iterdir()) == ["2017", "2019", "2021"]
    assert {p.name for p in (folder / "2021").iterdir() if not p.name.endswith(".pf_meta")} == {
        "pagefind-entry.json", "index", "fragment", "filter", "pagefind.js", "pagefind-worker.js",
        "wasm.sv.pagefind", "wasm.unknown.pagefind"}
    for year in ("2017", "2019"):  # merged into the primary in the browser: the index alone
        assert {p.name for p in (folder / year).iterdir() if not p.name.endswith(".pf_meta")} == {
            "pagefind-entry.json", "index", "fragment", "filter"}
    urls = {url: record["filters"]["år"] for url, record in indexed_pages(example_output).items()}
    assert urls["/styrelsen/2017-10-27/"] == ["2017"]
    search_page = (example_output / "sok" / "index.html").read_text()
    assert 'data-bundles="2021 2019 2017"' in search_page


def test_an_edit_indexes_only_its_year_again(example_output, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(example_output.parent, site, ignore=shutil.ignore_patterns("output", ".site-gen-cache"))
    Builder(site).build()
    output = site / "output"
    before = {p: p.stat().st_ino for p in (output / "pagefind").rglob("*") if p.is_file()}
    protokoll = next((site / "content").rglob("2019-06-20*protokoll*.md"))
    protokoll.write_text(protokoll.read_text(encoding="utf-8") + "\nEtt tillägg om blåsippor.\n",
                         encoding="utf-8")
    Builder(site).build()
    replaced = {p.relative_to(output).parts[1] for p in before if not p.exists()
                or p.stat().st_ino != before[p]}
    assert replaced == {"2019"}
    assert "blåsippor" in indexed_pages(output)["/styrelsen/2019-06-20/"]["content"]

    def other_years(folder):
        return {name: data for name, data in tree(folder).items() if not name.startswith("2019/")}

    assert other_years(output / "pagefind") == other_years(example_output / "pagefind")


def test_a_protokoll_carries_its_meeting_filters_paragraphs_and_decisions(example_output):
    record = indexed_pages(example_output)["/styrelsen/2021-06-01/"]
    assert record["meta"]["title"] == "Protokoll Styrelsen 2021-06-01"
    assert record["meta"]["datum"] == "2021-06-01"
    # The decision without the minutes' own label "Beslut:": the page and search.js label it.
    assert record["meta"]["beslut-48"] == "Styrelsen beslutade att anta rapport för tertial 1."
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


def test_labels_stay_out_of_the_index_and_names_stay_in(example_output):
    content = indexed_pages(example_output)["/styrelsen/2021-06-01/"]["content"]
    # Labels ran into the next words ("NamnFöreträder / funktionRoll…", "OrdförandePeter
    # Vigren"), and the caption "Beslutande" made the attendance the best hit for "beslutade".
    for glued in ("NamnFöreträder", "OrdförandePeter", "Justeringsdatum2021", "SammanträdesdatumTisdag"):
        assert glued.lower() not in content.lower()
    for label in ("Företräder / funktion", "Beslutande", "Sammanträdesdatum", "Justeringsdatum", "Hela mötet"):
        assert label not in content
    for name in ("Peter Vigren", "Monica Widman Lundmark", "Johanna Långdal Persson"):
        assert name in content
    assert "Region Västerbotten" in content  # whom a member represents


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


def _copied_in_order(output: Path, target: Path, newest_first: bool) -> Path:
    """A copy of `output` whose files were made in sorted or in reverse order: on tmpfs,
    a folder lists its files in the order they were made, newest first."""
    for path in sorted(output.rglob("*"), reverse=newest_first):
        if path.is_file():
            copy = target / path.relative_to(output)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, copy)
    return target


def _page_urls(bundle: Path) -> tuple[list, list[str]]:
    """A bundle's metadata, and the URL of each page by its number."""
    (meta_file,) = bundle.glob("pagefind.*.pf_meta")
    meta = pagefind_file(meta_file)
    return meta, [pagefind_file(bundle / "fragment" / f"{name}.pf_fragment")["url"] for name, _ in meta[1]]


def _index_content(bundle: Path) -> dict:
    """What a Pagefind bundle says, told by page URL instead of page number: each page
    with its word count, each word and variant with its locations on each page, and
    each filter value with its pages. In a word's list, page numbers are differences."""
    (_, pages, chunks, filters, sorts, _), urls = _page_urls(bundle)
    words: dict[tuple, list] = {}
    for _, _, name in chunks:
        (chunk,) = pagefind_file(bundle / "index" / f"{name}.pf_index")
        for word, entries, variants in chunk:
            for form, found in [(None, entries), *variants]:
                number = 0
                for difference, locations, meta_locations in found:
                    number += difference
                    words.setdefault((word, form), []).append((urls[number], locations, meta_locations))
    values = {}
    for _, name in filters:
        field, by_value = pagefind_file(bundle / "filter" / f"{name}.pf_filter")
        values[field] = {value: sorted(urls[n] for n in numbers) for value, numbers in by_value}
    return {"pages": sorted((url, count) for url, (_, count) in zip(urls, pages, strict=True)),
            "words": {key: sorted(found) for key, found in words.items()},
            "filters": values, "sorts": [[name, [urls[n] for n in numbers]] for name, numbers in sorts]}


WORDS = ("möte", "mötet", "mötets", "beslut", "beslutet", "besluten", "budget", "budgeten", "ärende",
         "ärendet", "styrelsen", "styrelse", "förslag", "förslaget", "avtal", "avtalet", "rapport")


def _many_pages(folder: Path) -> Path:
    """Forty pages of one year, of words in several forms (Pagefind's variants) and
    numbers, enough for an index of several chunks, with a filter and metadata."""
    for n in range(40):
        words = " ".join(f"{WORDS[(n * 7 + i * i) % len(WORDS)]} {n * 1000 + i}" for i in range(400))
        page = folder / f"organ{n % 3}" / f"2019-{1 + n // 28:02d}-{1 + n % 28:02d}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f'<!DOCTYPE html><html lang="sv"><head><title>Sida {n}</title></head><body>'
                        f'<main data-pagefind-body><h1 data-pagefind-meta="title">Sida {n}</h1>'
                        f'<p data-pagefind-filter="organ">Organ {n % 3}</p><p>{words}</p></main></body></html>',
                        encoding="utf-8")
    return folder


@pytest.mark.parametrize("pages", ["example site", "many pages"])
def test_the_index_is_the_same_whatever_order_the_file_system_lists_the_pages(example_output, tmp_path, pages):
    # Pagefind numbers pages in the order it finds them, which differs between file
    # systems (and between two ext4 file systems, each with its own hash seed).
    from site_gen.site.urls import searchable_pages
    from site_gen.write.search import Bundle, _index_bundle, _run_pagefind

    if not Path("/dev/shm").is_dir() or not os.access("/dev/shm", os.W_OK):
        pytest.skip("needs a tmpfs at /dev/shm, where a folder lists its files in the order they were made")
    source = example_output if pages == "example site" else _many_pages(tmp_path / "many")
    with tempfile.TemporaryDirectory(dir="/dev/shm") as scratch:
        raw, stable = {}, {}
        for newest_first in (False, True):
            site = _copied_in_order(source, Path(scratch) / f"site-{newest_first}", newest_first)
            raw[newest_first] = Path(scratch) / f"raw-{newest_first}"
            _run_pagefind(site, searchable_pages(2019), ["--output-path", str(raw[newest_first])])
            stable[newest_first] = Path(scratch) / f"stable-{newest_first}"
            _index_bundle(site, Bundle(2019, primary=False, fingerprint=""), stable[newest_first])
        # Pagefind found the pages in two orders, and so wrote two indexes of them
        assert _page_urls(raw[False])[1] != _page_urls(raw[True])[1]
        assert tree(raw[False] / "fragment") == tree(raw[True] / "fragment")
        if pages == "many pages":
            assert len(list((raw[False] / "index").iterdir())) > 1  # the words in several files
        assert tree(stable[False]) == tree(stable[True])
        for newest_first in (False, True):  # the same words, places and filters, page by page
            content = _index_content(stable[newest_first])
            assert content == _index_content(raw[newest_first])
            assert any(form for word, form in content["words"])  # variants were renumbered too


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


def test_in_place_rebuild_follows_a_new_newest_year(minisite):
    builder = Builder(minisite)
    builder.build()
    folder = minisite / "output" / "pagefind"
    assert sorted(p.name for p in folder.iterdir()) == ["2024"]
    newer = minisite / "content" / "styrelsen" / "2025-01-10-protokoll.md"
    newer.write_text(f"---\n{MINIMAL_FRONT.replace('2024-03-01', '2025-01-10')}---\n\n"
                     "## § 1 Mötets öppnande\n\nOrdföranden öppnade mötet.\n", encoding="utf-8")
    builder.build(in_place=True)
    assert sorted(p.name for p in folder.iterdir()) == ["2024", "2025"]
    assert (folder / "2025" / "pagefind.js").is_file() and not (folder / "2024" / "pagefind.js").exists()
    assert "/styrelsen/2025-01-10/" in indexed_pages(minisite / "output")
    newer.unlink()
    builder.build(in_place=True)
    assert sorted(p.name for p in folder.iterdir()) == ["2024"]
    assert (folder / "2024" / "pagefind.js").is_file()


# Stands in for Pagefind: notes what the run finds when it starts (its year's pages on
# disk with a digest of each, its priority), then hands over to the real program.
WITNESS = """\
import hashlib, json, os, sys
from pathlib import Path
from site_gen.site.urls import search_year
args = sys.argv[1:]
site = Path(args[args.index("--site") + 1])
year = int(args[args.index("--glob") + 1].split("/")[1][:4])
pages = {p.relative_to(site).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest()
         for p in site.rglob("index.html")}
with open(os.environ["WITNESS_LOG"], "a") as log:
    log.write(json.dumps({"year": year, "nice": os.nice(0),
                          "pages": {f: d for f, d in pages.items() if search_year(f) == year}}) + "\\n")
os.execv(os.environ["REAL_PAGEFIND"], [os.environ["REAL_PAGEFIND"], *args])
"""


def _witness_program(folder: Path) -> Path:
    program = folder / "witness-pagefind"
    program.write_text(f"#!{sys.executable}\n" + WITNESS)
    program.chmod(0o755)
    return program


def test_each_year_is_indexed_once_all_its_pages_are_written(tmp_path, monkeypatch):
    """Pagefind indexes a year while the build renders the rest: each run must find
    every page of its year written as published, nothing else (the later builds
    start from the output the build before replaced, with old pages in it), and run
    at low priority."""
    from site_gen.write.search import BACKGROUND_NICENESS, LOWEST_PRIORITY, pagefind_program

    site = tmp_path / "site"
    shutil.copytree(Path(__file__).parent.parent / "content", site / "content")
    shutil.copy(Path(__file__).parent.parent / "site.yml", site / "site.yml")
    log = tmp_path / "runs.jsonl"
    monkeypatch.setenv("REAL_PAGEFIND", str(pagefind_program()))
    monkeypatch.setenv("WITNESS_LOG", str(log))
    monkeypatch.setenv(PROGRAM_VARIABLE, str(_witness_program(tmp_path)))
    protokoll = next((site / "content").rglob("2019-06-20*protokoll*.md"))
    for edit in ("", "\nEtt tillägg om blåsippor.\n", "\nOch ett om vitsippor.\n"):
        protokoll.write_text(protokoll.read_text(encoding="utf-8") + edit, encoding="utf-8")
        log.unlink(missing_ok=True)
        build(site)
        runs = [json.loads(line) for line in log.read_text().splitlines()]
        published: dict[int, dict[str, str]] = {}
        for url in indexed_pages(site / "output"):
            file = url.strip("/") + "/index.html"
            digest = hashlib.sha1((site / "output" / file).read_bytes()).hexdigest()
            published.setdefault(int(url.split("/")[2][:4]), {})[file] = digest
        assert sorted(run["year"] for run in runs) == (sorted(published) if not edit else [2019])
        for run in runs:
            assert run["pages"] == published[run["year"]]
            if sys.platform.startswith("linux"):
                assert run["nice"] == min(os.nice(0) + BACKGROUND_NICENESS, LOWEST_PRIORITY)


def _failing_program(folder: Path) -> Path:
    program = folder / "broken-pagefind"
    program.write_text("#!/bin/sh\necho 'Error: the disk is full' >&2\nexit 3\n")
    program.chmod(0o755)
    return program


@pytest.mark.parametrize("program, said", [
    ("missing", "could not be started"),
    ("failing", "stopped with status 3; Pagefind said: Error: the disk is full"),
    ("/bin/true", "ended without writing one (site-gen runs Pagefind 1.5.x)"),  # another program
])
def test_pagefind_failure_is_a_clear_error_and_keeps_the_output(minisite, tmp_path, program, said,
                                                                 monkeypatch):
    assert run_cli("build", cwd=minisite).returncode == 0
    before = tree(minisite / "output")
    path = {"missing": tmp_path / "no-such-pagefind", "failing": _failing_program(tmp_path)}.get(program, program)
    monkeypatch.setenv(PROGRAM_VARIABLE, str(path))
    protokoll = minisite / "content" / "styrelsen" / "2024-03-01-protokoll.md"
    protokoll.write_text(protokoll.read_text().replace("öppnat.", "öppnat igen."))
    result = run_cli("build", cwd=minisite)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"site-gen: the search index could not be built: {path} {said}" in result.stderr
    assert tree(minisite / "output") == before
    assert [p.name for p in minisite.iterdir() if p.name.startswith(".output-")] == []
