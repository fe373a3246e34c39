"""output/ is never damaged: a build killed at any moment or a failed build leaves the
previous site complete, and the build refuses to replace a folder it did not make."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from site_gen.build import build
from site_gen.problems import SiteGenError
from site_gen.write import MARKER

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402

MEETINGS = 120  # about 170 pages: long enough to be killed in every phase
KILLS = 5


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def cli(*args: str, cwd: Path | None = None) -> list[str]:
    return [sys.executable, "-m", "site_gen.cli", *args]


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(cli(*args), cwd=cwd, capture_output=True, text=True, timeout=300)


def set_title(site: Path, title: str) -> None:
    config = site / "site.yml"
    lines = config.read_text(encoding="utf-8").splitlines()
    lines[0] = f"title: {title}"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")


def leftovers(site: Path) -> list[str]:
    return sorted(p.name for p in site.iterdir() if p.name.startswith(".output-"))


def test_build_killed_at_random_moments_leaves_a_complete_output(tmp_path):
    site = generate(MEETINGS, tmp_path / "site")
    # The site as built under two titles: every page differs between the two, so a
    # mix of old and new files would show.
    expected = {}
    for title in ("Titel A", "Titel B"):
        set_title(site, title)
        started = time.monotonic()
        result = run_cli("build", "--quiet", "--output", str(tmp_path / title), cwd=site)
        assert result.returncode == 0, result.stderr
        duration = time.monotonic() - started
        expected[title] = tree(tmp_path / title)
    assert expected["Titel A"].keys() == expected["Titel B"].keys()
    shutil.copytree(tmp_path / "Titel A", site / "output")
    current = "Titel A"
    rng = random.Random(7)
    outcomes = []
    for attempt in range(KILLS):
        new = "Titel B" if current == "Titel A" else "Titel A"
        set_title(site, new)
        process = subprocess.Popen(cli("build", "--quiet"), cwd=site, start_new_session=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.1, 1.1) * duration)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        after = tree(site / "output")
        if process.returncode == 0:  # finished before the kill
            assert after == expected[new]
        else:
            assert process.returncode == -signal.SIGKILL
            assert after in (expected[current], expected[new]), \
                f"attempt {attempt}: output/ is neither the old nor the new site"
        outcomes.append("old" if after == expected[current] else "new")
        current = new if after == expected[new] else current
    set_title(site, "Titel B")
    result = run_cli("build", "--quiet", cwd=site)
    assert result.returncode == 0, result.stderr
    assert tree(site / "output") == expected["Titel B"]
    assert leftovers(site) == [], "staging folders of killed builds are removed"
    assert "old" in outcomes, outcomes  # at least one kill hit a build before its swap


def test_build_stopped_by_sigterm_says_so_and_leaves_output_as_it_was(tmp_path):
    # How CI and service managers stop a program: a message, not the parsing helpers'
    # tracebacks, and output/ as it was.
    site = generate(MEETINGS, tmp_path / "site")
    assert run_cli("build", "--quiet", cwd=site).returncode == 0
    before = tree(site / "output")
    set_title(site, "Ny titel")
    stopped = 0
    for fraction in (0.2, 0.4, 0.6):
        shutil.rmtree(site / ".site-gen-cache")  # so that every source is parsed, by the helpers
        started = time.monotonic()
        process = subprocess.Popen(cli("build", "--quiet"), cwd=site, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True)
        time.sleep(fraction * 2.0)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
        if process.returncode == 0:  # finished first
            before = tree(site / "output")
            continue
        stopped += 1
        if "published" in stderr:  # stopped after the swap, while the replaced output was removed
            assert (process.returncode, stderr) == (
                143, f"site-gen: interrupted after the new site was published in {site / 'output'}\n")
            before = tree(site / "output")
            assert all(b"Ny titel" in data for name, data in before.items() if name.endswith(".html"))
            continue
        assert (process.returncode, stderr) == (143, "site-gen: interrupted; output/ was left as it was\n"), \
            f"after {time.monotonic() - started:.1f} s"
        assert tree(site / "output") == before
        assert leftovers(site) == []
    assert stopped, "every build finished before it was stopped"


def test_a_stop_after_the_swap_says_the_new_site_is_published(minisite, monkeypatch, capsys):
    # Ctrl-C while the replaced output is being removed: the new site is already live,
    # and the message must not say the old one was kept.
    from site_gen import cli, write

    build(minisite)
    set_title(minisite, "Ny titel")

    def stopped_while_removing(self, previous):
        raise cli.Stopped

    monkeypatch.setattr(write.Staging, "_keep_or_remove", stopped_while_removing)
    monkeypatch.setattr(write, "published", [])
    assert cli.main(["build", "--quiet", "--site", str(minisite)]) == 143
    output = minisite / "output"
    assert capsys.readouterr().err == f"site-gen: interrupted after the new site was published in {output}\n"
    assert "Ny titel" in (output / "index.html").read_text(encoding="utf-8")
    build(minisite)  # the next build removes what the stopped one left behind
    assert leftovers(minisite) == []
    # A build that ended is no build interrupted after its swap: serve, stopped while it
    # waits for saves, says output/ was left as it was.
    assert write.published == []


def test_failed_build_never_touches_output(minisite):
    build(minisite)
    output = minisite / "output"
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(output.rglob("*"))
              if p.is_file()}
    folder = output.stat().st_ino
    protokoll = minisite / "content" / "styrelsen" / "2024-03-01-protokoll.md"
    protokoll.write_text(protokoll.read_text().replace("date: 2024-03-01", "date: 2024-03-41"))
    with pytest.raises(SiteGenError):
        build(minisite)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(output.rglob("*")) if p.is_file()}
    assert after == before
    assert output.stat().st_ino == folder  # the same folder, not a copy swapped in
    assert leftovers(minisite) == []


def test_failed_template_render_leaves_no_staging_folder(minisite):
    build(minisite)
    before = tree(minisite / "output")
    (minisite / "templates").mkdir()
    (minisite / "templates" / "topic.html").write_text('{% extends "base.html" %}{% block main %}'
                                                       '{{ topic.no_such_thing.deeper }}{% endblock %}')
    with pytest.raises(SiteGenError, match="a template has an error"):
        build(minisite)
    assert tree(minisite / "output") == before
    assert leftovers(minisite) == []
    # Topic pages come after the indexed pages: the search runs started before the
    # error were waited for, not left writing into a folder already removed.
    assert [t.name for t in threading.enumerate() if t.name.startswith("pagefind")] == []


# --- refusing folders that are not ours ---------------------------------------------------


def refused(minisite: Path, output: Path) -> subprocess.CompletedProcess:
    result = run_cli("build", "--output", str(output), cwd=minisite)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    return result


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else b"<dir>")
            for p in sorted(folder.rglob("*"))}


def test_refuses_the_site_folder_itself(minisite):
    before = snapshot(minisite)
    result = refused(minisite, minisite)
    assert "is not empty and was not made by site-gen; refusing to replace it" in result.stderr
    assert snapshot(minisite) == before


def test_a_refused_output_folder_does_not_hide_the_sources_problems(minisite, tmp_path):
    # All problems in one run: the secretary fixes the date while choosing another folder.
    path = minisite / "content/styrelsen/2024-03-01-protokoll.md"
    path.write_text(path.read_text(encoding="utf-8").replace("date: 2024-03-01", "date: 2024-03-41"),
                    encoding="utf-8")
    target = tmp_path / "notes.txt"
    target.write_text("viktigt")
    before = snapshot(minisite)
    result = refused(minisite, target)
    assert "content/styrelsen/2024-03-01-protokoll.md:3: error: 'date' is 2024-03-41" in result.stderr
    assert "exists and is not a folder" in result.stderr.splitlines()[-1]
    assert snapshot(minisite) == before  # nothing cached on the way


def test_refuses_the_folder_above_the_site(minisite):
    before = snapshot(minisite.parent)
    refused(minisite, minisite.parent)
    assert snapshot(minisite.parent) == before


def test_refuses_a_home_like_folder(minisite, tmp_path):
    home = tmp_path / "home" / "anna"
    (home / "Dokument").mkdir(parents=True)
    (home / ".bashrc").write_text("export PS1='$ '\n")
    (home / "Dokument" / "budget.xlsx").write_bytes(b"PK\x03\x04")
    (home / "index.html").write_text("<p>min sida</p>")  # looks like a site, but not ours
    before = snapshot(home)
    result = refused(minisite, home)
    assert str(home) in result.stderr and "Move it away or choose another folder" in result.stderr
    assert snapshot(home) == before


def test_refuses_a_file(minisite, tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("viktigt")
    result = refused(minisite, target)
    assert "exists and is not a folder" in result.stderr
    assert target.read_text() == "viktigt"


@pytest.mark.parametrize("points_to", ["earlier build", "foreign folder", "nothing"])
def test_refuses_a_symlink(minisite, tmp_path, points_to):
    target = tmp_path / "target"
    if points_to == "earlier build":
        build(minisite, output=target)
    elif points_to == "foreign folder":
        target.mkdir()
        (target / "keep.txt").write_text("keep")
    link = tmp_path / "link"
    os.symlink(target, link)
    before = snapshot(target) if target.exists() else None
    result = refused(minisite, link)
    assert "is a link; site-gen will not replace it" in result.stderr
    assert link.is_symlink()
    assert (snapshot(target) if target.exists() else None) == before


def test_accepts_an_empty_folder_and_its_own_earlier_build(minisite, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    build(minisite, output=empty)
    assert (empty / MARKER).is_file() and (empty / "index.html").is_file()
    build(minisite, output=empty)  # its own build: replaced without complaint
    assert (empty / "index.html").is_file()


def test_leftovers_of_killed_builds_are_removed_but_foreign_folders_kept(minisite):
    build(minisite)
    killed = minisite / ".output-output-killed1"  # a staging folder of a killed build
    (killed / "styrelsen").mkdir(parents=True)
    (killed / MARKER).write_text("")
    (killed / "styrelsen" / "index.html").write_text("half")
    empty = minisite / ".output-output-empty2"  # killed before it wrote its marker
    empty.mkdir()
    foreign = minisite / ".output-output-mine"  # someone's own folder with a similar name
    foreign.mkdir()
    (foreign / "keep.txt").write_text("keep")
    build(minisite)
    assert not killed.exists() and not empty.exists()
    assert (foreign / "keep.txt").read_text() == "keep"


def test_output_moved_aside_by_a_killed_swap_is_put_back(minisite):
    build(minisite)
    before = tree(minisite / "output")
    # A swap without renameat2 moves output/ aside first; killed right then, only the
    # marked old folder is left.
    os.rename(minisite / "output", minisite / ".output-output-abc123-old")
    protokoll = minisite / "content" / "styrelsen" / "2024-03-01-protokoll.md"
    protokoll.write_text(protokoll.read_text().replace("date: 2024-03-01", "date: 2024-03-41"))
    with pytest.raises(SiteGenError):
        build(minisite)  # fails before writing: the old output is still where it was put
    protokoll.write_text(protokoll.read_text().replace("date: 2024-03-41", "date: 2024-03-01"))
    build(minisite)
    assert tree(minisite / "output") == before
    assert leftovers(minisite) == []


def test_a_running_builds_staging_folder_is_left_alone(minisite):
    """Two builds at once (serve and build): the second does not take the first's
    staging folder for a leftover."""
    from site_gen.write import Staging

    build(minisite)
    first = Staging(minisite / "output")
    (first.path / "page.html").write_text("being written")
    build(minisite)
    assert (first.path / "page.html").read_text() == "being written"
    first.discard()
    assert leftovers(minisite) == []


def test_a_page_changed_after_the_build_looked_at_it_is_rendered_not_linked(minisite):
    """A page found unchanged is linked only later in the build; if the live file was
    replaced or removed meanwhile (by hand, or by `serve`), it is rendered instead."""
    from site_gen.build import _linked_if_unchanged
    from site_gen.cache import OutputFile
    from site_gen.write import Staging, replace_file

    build(minisite)
    output = minisite / "output"
    page = output / "index.html"
    stat = page.stat()
    entry = OutputFile("fingerprint", stat.st_size, stat.st_mtime_ns, stat.st_ino)
    with Staging(output) as staging:
        for name in ("a", "b", "c"):
            staging.claim(f"{name}/index.html")
        assert _linked_if_unchanged(staging, "a/index.html", page, entry)
        assert (staging.path / "a" / "index.html").stat().st_ino == stat.st_ino
        replace_file(output, "index.html", b"<p>edited by hand</p>")
        assert not _linked_if_unchanged(staging, "b/index.html", page, entry)
        page.unlink()
        assert not _linked_if_unchanged(staging, "c/index.html", page, entry)
        assert not (staging.path / "b" / "index.html").exists()


def test_a_second_build_waits_for_the_first_and_publishes_the_newer_sources(minisite):
    # Two builds at once shared the spare and the search bundles being made, and the one
    # finishing last published its sources, maybe the older. The first build's lock is
    # held here, where the test can tell when to let go.
    import fcntl

    from site_gen.cache import CACHE_DIR, DiskCache

    build(minisite)
    lock = DiskCache(minisite / CACHE_DIR).lock_file((minisite / "output").absolute())
    with open(lock, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        second = subprocess.Popen([sys.executable, "-m", "site_gen.cli", "build"], cwd=minisite,
                                  stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        assert second.poll() is None  # waiting
        config = minisite / "site.yml"
        config.write_text(config.read_text().replace("Protokoll – Testförbundet", "Nya protokoll"))
    _, stderr = second.communicate(timeout=120)
    assert second.returncode == 0, stderr
    assert "waiting for another build of this site to finish" in stderr
    assert "Nya protokoll" in (minisite / "output" / "index.html").read_text()
