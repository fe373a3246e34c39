"""The disk cache (.site-gen-cache/) and the helper processes make builds faster,
never different: every build here is compared with a fresh build made without them."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest
from helpers import MINIMAL_FRONT
from hypothesis import given
from hypothesis import strategies as st
from test_incremental import edit, tree

from site_gen import build as build_module
from site_gen import cache, render
from site_gen.build import Builder, build
from site_gen.load import config, documents, sources

THEME = Path(__file__).parent.parent / "themes/default/templates"


def fresh_build(site: Path, tmp_path: Path) -> dict[str, bytes]:
    copy = tmp_path / "fresh"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("output", cache.CACHE_DIR))
    build(copy, use_cache=False)
    return tree(copy / "output")


def new_process_build(site: Path):
    """A build as a new `site-gen build` makes it: nothing in memory, the cache on disk."""
    return Builder(site).build()


def test_nothing_changed_reuses_every_file_and_gives_the_same_output(minisite, tmp_path):
    first = new_process_build(minisite)
    before = tree(minisite / "output")
    second = new_process_build(minisite)
    assert (minisite / cache.CACHE_DIR).is_dir()
    assert second.rendered == 0 and second.pages == first.pages and second.files == first.files
    assert tree(minisite / "output") == before == fresh_build(minisite, tmp_path)


def test_warnings_are_reported_again_when_nothing_changed(minisite):
    edit(minisite, "content/styrelsen/2024-03-01-protokoll.md", "justeringsdatum: 2024-03-08",
         "justeringsdatum: 2024-03-06")  # the notice on the 10th is late
    first = new_process_build(minisite)
    assert first.problems.warnings
    second = new_process_build(minisite)
    assert second.rendered == 0
    assert second.problems.sorted() == first.problems.sorted()


CHANGES = [
    ("source", lambda site: edit(site, "content/styrelsen/2024-03-01-protokoll.md",
                                 "anta budgeten för 2024", "anta den reviderade budgeten för 2024")),
    ("template", lambda site: _override_template(site, "topic.html", "<h1>{{ topic.name }}</h1>",
                                                 "<h1>Ämne: {{ topic.name }}</h1>")),
    ("base template", lambda site: _override_template(site, "base.html", "<p>{{ config.organisation }}</p>",
                                                      "<p>{{ config.organisation }} (ändrad)</p>")),
    ("config value", lambda site: edit(site, "site.yml", "title: Protokoll – Testförbundet",
                                       "title: Protokoll från Testförbundet")),
    ("static file", lambda site: _append(site / "static" / "extra.css", "p { color: black }\n")),
    ("attachment", lambda site: edit(site, "content/styrelsen/bilagor/budget-2024.md",
                                     "| Intäkter | 1 000 |", "| Intäkter | 1 100 |")),
    ("kallelse", lambda site: edit(site, "content/arbetsutskottet/2024-05-02-kallelse.md",
                                   "Lägesrapport", "Lägesrapport om ekonomin")),
    ("removed source", lambda site: (site / "content/arbetsutskottet/2024-05-02-kallelse.md").unlink()),
]


def _override_template(site: Path, name: str, old: str, new: str) -> None:
    (site / "templates").mkdir(exist_ok=True)
    target = site / "templates" / name
    if not target.exists():
        shutil.copy(THEME / name, target)
    edit(site, f"templates/{name}", old, new)


def _append(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def test_every_change_reaches_every_page_it_affects(minisite, tmp_path):
    new_process_build(minisite)
    for name, change in CHANGES:
        before = tree(minisite / "output")
        change(minisite)
        result = new_process_build(minisite)
        after = tree(minisite / "output")
        assert after == fresh_build(minisite, tmp_path), name
        assert after != before, name
        if name == "source":
            assert 0 < result.rendered < result.pages, name


def test_the_manifest_lists_every_output_file_as_it_is_after_every_kind_of_build(minisite):
    """A build takes the entries of files it links from the previous manifest instead of
    looking at them again: they must still describe the files exactly."""
    def listed_and_found():
        builder = Builder(minisite)
        listed = {relative: (entry.size, entry.mtime_ns, entry.inode)
                  for relative, entry in builder.disk.manifest(builder.output).files.items()}
        found = {relative: (stat.st_size, stat.st_mtime_ns, stat.st_ino)
                 for relative, stat in build_module._walk_files(builder.output)
                 if relative != ".site-gen-build"}
        return listed, found

    new_process_build(minisite)
    for name, change in [("first", lambda site: None), *CHANGES]:
        change(minisite)
        new_process_build(minisite)  # from the second on, the spare is reused
        listed, found = listed_and_found()
        assert listed == found, name
        assert any("pagefind/" in relative for relative in listed), name


def test_a_change_of_content_is_seen_even_when_size_and_time_are_kept(minisite, tmp_path):
    import os

    new_process_build(minisite)
    path = minisite / "content/styrelsen/2024-03-01-protokoll.md"
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("anta budgeten", "anta budgetar"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    new_process_build(minisite)
    assert tree(minisite / "output") == fresh_build(minisite, tmp_path)


def test_an_output_file_edited_by_hand_is_written_again(minisite, tmp_path):
    new_process_build(minisite)
    page = minisite / "output/styrelsen/2024-03-01/index.html"
    page.write_text("changed by hand", encoding="utf-8")
    (minisite / "output/404.html").unlink()
    new_process_build(minisite)
    assert tree(minisite / "output") == fresh_build(minisite, tmp_path)


def test_nothing_changed_leaves_the_output_folder_untouched(minisite):
    new_process_build(minisite)
    output = minisite / "output"
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in output.rglob("*")}
    new_process_build(minisite)
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in output.rglob("*")} == before


def test_a_file_added_to_the_output_by_hand_is_removed_by_the_next_build(minisite, tmp_path):
    new_process_build(minisite)
    (minisite / "output/styrelsen/left-over.html").write_text("not ours", encoding="utf-8")
    (minisite / "output/left-over").mkdir()
    (minisite / "output/left-over/page.html").write_text("not ours", encoding="utf-8")
    new_process_build(minisite)
    assert tree(minisite / "output") == fresh_build(minisite, tmp_path)


def test_a_damaged_cache_is_ignored(minisite, tmp_path):
    new_process_build(minisite)
    for path in (minisite / cache.CACHE_DIR).rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            path.write_bytes(data[: len(data) // 2])  # as if a build was killed mid-write
    edit(minisite, "content/styrelsen/2024-03-01-protokoll.md", "anta budgeten för 2024",
         "anta en ny budget för 2024")
    new_process_build(minisite)
    assert tree(minisite / "output") == fresh_build(minisite, tmp_path)
    shutil.rmtree(minisite / cache.CACHE_DIR)
    (minisite / cache.CACHE_DIR).write_text("not a folder")
    new_process_build(minisite)  # a cache that cannot be used at all: still builds
    assert tree(minisite / "output") == fresh_build(minisite, tmp_path)


@pytest.mark.parametrize("damage", [
    lambda data: data[:20],  # cut short
    lambda data: data.replace(b"Justeringsdatum", b"JusteringsDATUM"),  # edited, the same length
    lambda data: data[:len(data) // 2] + bytes([data[len(data) // 2] ^ 0xFF]) + data[len(data) // 2 + 1:],
])
def test_a_damaged_compiled_template_is_compiled_again(minisite, tmp_path, damage):
    new_process_build(minisite)
    compiled = list((minisite / cache.CACHE_DIR / "templates").iterdir())
    assert compiled
    for path in compiled:
        path.write_bytes(damage(path.read_bytes()))
    edit(minisite, "content/styrelsen/2024-03-01-protokoll.md", "anta budgeten för 2024",
         "anta en ny budget för 2024")
    new_process_build(minisite)
    assert tree(minisite / "output") == fresh_build(minisite, tmp_path)


def test_another_version_of_site_gen_does_not_use_the_cache(minisite, monkeypatch):
    new_process_build(minisite)
    monkeypatch.setattr(cache, "code_digest", lambda: "another version")
    result = new_process_build(minisite)
    assert result.rendered == result.pages


def test_helper_processes_write_the_same_site(minisite, tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "PARALLEL_MINIMUM", 1)
    result = Builder(minisite, use_cache=False, processes=2).build()
    assert result.rendered == result.pages
    assert tree(minisite / "output") == fresh_build(minisite, tmp_path)


def test_site_inputs_are_where_the_pipeline_reads_them():
    assert cache.SITE_INPUTS == (config.CONFIG_NAME, documents.CONTENT_DIR, render.SITE_TEMPLATES,
                                 render.SITE_STATIC, "themes")


def _spare(site: Path) -> Path:
    spares = list((site / cache.CACHE_DIR).glob("*.spare"))
    assert len(spares) == 1
    return spares[0]


def test_no_build_writes_into_a_file_of_the_published_output(minisite, tmp_path):
    """Later builds start from the replaced output (hard links to the same files): a
    file of the live output must never change in place, only be replaced."""
    new_process_build(minisite)
    new_process_build(minisite)
    for name, change in CHANGES[:4]:
        witness = tmp_path / "witness"
        shutil.rmtree(witness, ignore_errors=True)
        before = {}
        for path in (minisite / "output").rglob("*"):
            if path.is_file():
                relative = path.relative_to(minisite / "output")
                (witness / relative).parent.mkdir(parents=True, exist_ok=True)
                (witness / relative).hardlink_to(path)
                before[relative] = path.read_bytes()
        change(minisite)
        new_process_build(minisite)
        assert {r: (witness / r).read_bytes() for r in before} == before, name
        assert tree(minisite / "output") == fresh_build(minisite, tmp_path), name


def test_a_spare_output_changed_by_hand_is_put_right(minisite, tmp_path):
    new_process_build(minisite)
    edit(minisite, "content/styrelsen/2024-03-01-protokoll.md", "Kim Kansli föredrog förslaget.",
         "Kim Kansli föredrog det nya förslaget.")
    new_process_build(minisite)  # the first output is now the spare
    spare = _spare(minisite)
    (spare / "extra.html").write_text("left over")
    (spare / "gammal/sida").mkdir(parents=True)
    (spare / "gammal/sida/index.html").write_text("left over, in folders of its own")
    page = spare / "styrelsen/2024-03-01/index.html"
    page.unlink()
    page.write_text("replaced by hand")
    shutil.rmtree(spare / "amnen")
    edit(minisite, "content/styrelsen/2024-03-01-protokoll.md", "anta budgeten för 2024",
         "anta en ny budget för 2024")
    new_process_build(minisite)
    assert tree(minisite / "output") == fresh_build(minisite, tmp_path)
    assert not (minisite / "output/gammal").exists()
    (_spare(minisite) / ".site-gen-build").unlink()  # as if a build was killed while updating it
    edit(minisite, "content/styrelsen/2024-03-01-protokoll.md", "anta en ny budget", "anta budgeten")
    new_process_build(minisite)
    assert tree(minisite / "output") == fresh_build(minisite, tmp_path)


def test_editing_the_text_of_a_paragraph_leaves_lists_of_meetings_alone(minisite, tmp_path):
    new_process_build(minisite)
    output = minisite / "output"
    before = {p: p.stat().st_ino for p in output.rglob("*") if "pagefind" not in p.parts}
    edit(minisite, "content/styrelsen/2024-03-01-protokoll.md", "Kim Kansli föredrog förslaget.",
         "Kim Kansli föredrog det reviderade förslaget.")
    result = new_process_build(minisite)
    replaced = {p.relative_to(output).as_posix() for p in output.rglob("*")
                if p.is_file() and before.get(p) != p.stat().st_ino
                and "pagefind" not in p.parts and p.name != ".site-gen-build"}
    # Only the meeting's own pages (protokoll, kallelse, attachment, extracts) are made
    # again; the open data, like the lists, shows headings and decisions, not the text.
    assert "styrelsen/2024-03-01/index.html" in replaced
    assert {page for page in replaced if not page.startswith("styrelsen/2024-03-01/")} == set()
    assert result.rendered == len(replaced)
    assert tree(output) == fresh_build(minisite, tmp_path)
    # A heading is shown in lists (topics, persons' paragraphs): those follow.
    edit(minisite, "content/styrelsen/2024-03-01-protokoll.md", "## § 3 Uppdrag om lokaler",
         "## § 3 Uppdrag om nya lokaler")
    new_process_build(minisite)
    assert "Uppdrag om nya lokaler" in (output / "amnen/ekonomi/index.html").read_text()
    assert tree(output) == fresh_build(minisite, tmp_path)


def _archived_meeting(year: int) -> str:
    front = MINIMAL_FRONT.replace("2024-03-01", f"{year}-02-01")
    return f"""---
{front}justeringsdatum: {year}-02-05
anslag:
  hos: Norrby kommun
  uppsättande: {year}-02-06
  nedtagande: {year}-03-06
---

## § 1 Ekonomisk uppföljning

Styrelsen beslutar att lägga rapporten till handlingarna.
"""


def test_a_change_to_one_years_notice_leaves_the_other_years_archive_pages_alone(minisite, tmp_path):
    """Each year of the notice archive is made from that year's notices: it follows a
    change to them, and a change to another year's notice does not make it again."""
    for year in (2020, 2021, 2022, 2023):  # 2023 or 2024 is on the archive page itself
        (minisite / f"content/arbetsutskottet/{year}-02-01-protokoll.md").write_text(
            _archived_meeting(year), encoding="utf-8")
    new_process_build(minisite)
    output = minisite / "output"
    archive = output / "anslagstavla/arkiv"
    before = {year: (archive / f"{year}/index.html").stat().st_ino for year in (2020, 2021, 2022)}
    edit(minisite, "content/arbetsutskottet/2021-02-01-protokoll.md", "nedtagande: 2021-03-06",
         "nedtagande: 2021-03-07")
    new_process_build(minisite)
    assert "2021-03-07" in (archive / "2021/index.html").read_text(encoding="utf-8")
    assert (archive / "2021/index.html").stat().st_ino != before[2021]
    assert [(archive / f"{year}/index.html").stat().st_ino for year in (2020, 2022)] == \
        [before[2020], before[2022]]
    assert tree(output) == fresh_build(minisite, tmp_path)


@given(st.dictionaries(
    st.text(min_size=1),
    st.builds(cache.OutputFile, st.one_of(st.just(""), st.text(alphabet="0123456789abcdef:copy")),
              st.integers(0, 2**64 - 1), st.integers(-(2**63), 2**63 - 1), st.integers(0, 2**64 - 1))))
def test_packed_manifest_entries_read_back_as_written(files):
    packed = cache.OutputFiles(files.items())
    kept = pickle.loads(pickle.dumps(packed))
    assert dict(kept.items()) == files and len(kept) == len(files)
    some = list(files)[::2]
    assert dict(kept.only(some).items()) == {relative: files[relative] for relative in some}
    assert kept.get("\0not a file") is None
