"""site-gen init and site-gen new: the files a writer starts from build, continue the
organ's § numbers, carry members over, and take agenda items from a kallelse."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import epoch

from site_gen import scaffold
from site_gen.build import build, check_site
from site_gen.load.frontmatter import split_front_matter

CLI = [sys.executable, "-m", "site_gen.cli"]


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(CLI + args, cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})


def front_matter(path: Path) -> dict:
    return yaml.safe_load(split_front_matter(path.read_text(encoding="utf-8")).front)


def paragraph_numbers(path: Path) -> list[int]:
    return [int(n) for n in re.findall(r"^## § (\d+) ", path.read_text(encoding="utf-8"), re.M)]


def test_newcomer_commands_give_a_site_that_builds(tmp_path):
    """`site-gen init mysite && cd mysite && site-gen new protokoll --organ styrelsen`."""
    created = run(["init", "mysite"], cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    site = tmp_path / "mysite"
    new = run(["new", "protokoll", "--organ", "styrelsen"], cwd=site)
    assert new.returncode == 0, new.stderr
    written = site / "content" / "styrelsen" / f"{dt.date.today().isoformat()}-protokoll.md"
    assert new.stdout.strip() == f"Wrote {written.relative_to(site)}"
    built = run(["build"], cwd=site)
    assert built.returncode == 0, built.stderr
    assert (site / "output" / "styrelsen" / dt.date.today().isoformat() / "index.html").is_file()


def test_the_example_meeting_of_a_new_site_is_a_finished_protokoll(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2025-03-20"))  # built the day it was made
    scaffold.init_site(tmp_path / "s", today=dt.date(2025, 3, 20))
    found = [p.format() for p in check_site(tmp_path / "s").items]
    assert [p for p in found if not p.startswith("site.yml:")] == []  # no '…', justerare named


def test_a_new_protokoll_is_warned_about_until_it_is_written(tmp_path):
    site = tmp_path / "s"
    scaffold.init_site(site, today=dt.date(2025, 3, 20))
    target = scaffold.new_document(site, "protokoll", "styrelsen", dt.date(2025, 4, 2))
    text = target.read_text(encoding="utf-8")
    lines = text.split("\n")
    unfilled = [n for n, line in enumerate(lines, 1) if "…" in line]
    relative = target.relative_to(site).as_posix()
    warned = {(p.line, p.message) for p in check_site(site).warnings if p.path == relative}
    assert {line for line, message in warned if "'…' marks something still to be written" in message} \
        == set(unfilled) and len(unfilled) >= 3
    assert any("no justerare is named yet" in message for _, message in warned)
    written = text.replace("justerare: []", "justerare: [Bertil Berg]").replace("…", "Bertil Berg")
    target.write_text(written, encoding="utf-8")
    # What is left is what comes after the meeting: the justering.
    assert [(p.line, p.message) for p in check_site(site).items if p.path == relative] == [
        (lines.index(next(line for line in lines if line.startswith("justeringsdatum:"))) + 1,
         "the protokoll is not justerat, but is published")]


def test_a_first_protokoll_of_an_organ_marks_what_to_write_and_is_warned_about(tmp_path):
    # No earlier meeting to take members from: the chair, the secretary, time and place
    # are left as '…', each warned about; nothing is an error, nothing a made-up name.
    site = tmp_path / "s"
    example = scaffold.init_site(site, today=dt.date(2025, 3, 20))
    example.unlink()
    target = scaffold.new_document(site, "protokoll", "styrelsen", dt.date(2025, 4, 2))
    lines = target.read_text(encoding="utf-8").split("\n")
    unfilled = {n for n, line in enumerate(lines, 1) if "…" in line}
    front = {n for n in unfilled if n < lines.index("---", 1) + 1}
    assert [lines[n - 1].split(":")[0].strip(" -") for n in sorted(front)] == [
        "time", "place", "name", "represents", "sekreterare"]
    relative = target.relative_to(site).as_posix()
    found = [p for p in check_site(site).items if p.path == relative]
    assert not [p for p in found if p.severity == "error"], found
    assert {p.line for p in found if "'…' marks something still to be written" in p.message} == unfilled


def test_init_refuses_a_folder_that_has_a_site(tmp_path):
    scaffold.init_site(tmp_path / "s")
    again = run(["init", "s"], cwd=tmp_path)
    assert again.returncode == 1
    assert "site.yml exists already" in again.stderr
    assert "Traceback" not in again.stderr


def test_init_overwrites_no_file_of_a_folder_it_is_given(tmp_path):
    own = tmp_path / "s" / "content" / "styrelsen" / f"{dt.date.today() - scaffold.EXAMPLE_MEETING_AGE}-protokoll.md"
    own.parent.mkdir(parents=True)
    own.write_text("mitt protokoll", encoding="utf-8")
    (tmp_path / "s" / ".gitignore").write_text("*.bak", encoding="utf-8")
    done = run(["init", "s"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert own.read_text(encoding="utf-8") == "mitt protokoll"
    assert (tmp_path / "s" / ".gitignore").read_text(encoding="utf-8") == "*.bak\noutput/\n.site-gen-cache/\n"
    assert "no example was written" in done.stdout
    assert (tmp_path / "s" / "site.yml").is_file()


def test_init_refuses_a_file(tmp_path):
    (tmp_path / "afile").write_text("x")
    done = run(["init", "afile"], cwd=tmp_path)
    assert (done.returncode, done.stderr) == (1, "site-gen: afile is a file, not a folder (name a new folder: "
                                                 "site-gen init <folder>)\n")


def test_new_protokoll_continues_numbers_and_carries_members_over(tmp_path):
    site = tmp_path / "s"
    example = scaffold.init_site(site, today=dt.date(2025, 3, 20))
    last = max(paragraph_numbers(example))
    target = scaffold.new_document(site, "protokoll", "styrelsen", dt.date(2025, 4, 2))
    numbers = paragraph_numbers(target)
    assert numbers[0] == last + 1
    assert numbers == list(range(last + 1, last + 1 + len(numbers)))
    headings = re.findall(r"^## § \d+ (.+)$", target.read_text(encoding="utf-8"), re.M)
    assert headings[:3] == ["Mötets öppnande", "Val av justerare", "Godkännande av dagordning"]
    previous, new = front_matter(example), front_matter(target)
    assert new["beslutande"] == previous["beslutande"]
    assert new["sekreterare"] == previous["sekreterare"]
    assert set(new["anslag"]) == {"hos", "uppsättande", "nedtagande"}
    assert new["justeringsdatum"] is None  # left for the writer to fill in


ERSATTARE = "  - name: Eva Ersättare\n    represents: Region Norr\n    role: ersättare\n    ersätter: {}\n"


@pytest.mark.parametrize("organ, day, written, as_written, expected", [
    # Eva Ersättare served for Erik Ärlig from § 3 on, where he was jäv …
    ("styrelsen", "2024-03-01", "  - Lena Lind\n", "  - Lena Lind\n" + ERSATTARE.format("Erik Ärlig")
     + "    present: 3-4\n", ["Åsa Öberg", "Erik Ärlig", "Lena Lind"]),
    # … or for Lena Lind, away from the whole meeting.
    ("arbetsutskottet", "2024-02-01", "  - Lena Lind\n", ERSATTARE.format("Lena Lind"), ["Åsa Öberg", "Lena Lind"]),
])
def test_new_protokoll_gives_a_tjanstgorande_ersattares_seat_back_to_the_member(minisite, organ, day, written,
                                                                                  as_written, expected):
    path = minisite / f"content/{organ}/{day}-protokoll.md"
    text = path.read_text(encoding="utf-8")
    assert written in text
    path.write_text(text.replace(written, as_written, 1).replace("justerare: Lena Lind", "justerare: Eva Ersättare"),
                    encoding="utf-8")
    assert not check_site(minisite).errors
    target = scaffold.new_document(minisite, "protokoll", organ, dt.date(2024, 6, 5))
    members = front_matter(target)["beslutande"]
    assert [m["name"] for m in members] == expected
    assert all("ersättare" not in str(m.get("role")) for m in members)


def test_new_protokoll_keeps_an_ersattare_there_throughout_among_the_others(minisite):
    # Eva Ersättare was at the whole meeting and served for Erik Ärlig in § 3 alone.
    path = minisite / "content/styrelsen/2024-03-01-protokoll.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  - Lena Lind\n", "  - Lena Lind\n" + ERSATTARE.format("Erik Ärlig") + "    tjänstgör: 3\n", 1),
        encoding="utf-8")
    assert not check_site(minisite).errors
    target = scaffold.new_document(minisite, "protokoll", "styrelsen", dt.date(2024, 6, 5))
    new = front_matter(target)
    assert [m["name"] for m in new["beslutande"]] == ["Åsa Öberg", "Erik Ärlig", "Lena Lind"]
    others = {m["name"]: m for m in new["övriga_deltagare"]}
    assert sorted(others) == ["Eva Ersättare", "Kim Kansli"]
    assert others["Eva Ersättare"].get("role") == "ersättare"  # not who she served for then


def test_new_protokoll_restarts_numbering_in_a_new_year(tmp_path):
    site = tmp_path / "s"
    scaffold.init_site(site, today=dt.date(2025, 12, 20))
    target = scaffold.new_document(site, "protokoll", "styrelsen", dt.date(2026, 1, 15))
    assert paragraph_numbers(target)[0] == 1


def test_new_protokoll_takes_over_the_kallelse_agenda(minisite):
    target = scaffold.new_document(minisite, "protokoll", "arbetsutskottet", dt.date(2024, 5, 2))
    text = target.read_text(encoding="utf-8")
    # The organ's previous protokoll (2024-02-01) ended at § 1.
    assert re.findall(r"^## § (\d+) (.+)$", text, re.M) == [
        ("2", "Mötets öppnande"), ("3", "Lägesrapport")]
    assert front_matter(target)["place"] == "Distansmöte"
    assert "Kim Kansli föredrog ärendet." in text
    assert not check_site(minisite).errors


def test_new_protokoll_leaves_the_board_to_site_yml_where_it_names_the_organs(minisite):
    # Without 'anslag_hos' in site.yml, the notice is posted where the last one was.
    target = scaffold.new_document(minisite, "protokoll", "styrelsen", dt.date(2024, 11, 5))
    assert front_matter(target)["anslag"]["hos"] == "Norrby kommun"
    target.unlink()
    config = minisite / "site.yml"
    config.write_text(config.read_text().replace("    name: Styrelsen\n", "    name: Styrelsen\n"
                                                  "    anslag_hos: Norrby kommuns anslagstavla\n"))
    target = scaffold.new_document(minisite, "protokoll", "styrelsen", dt.date(2024, 11, 5))
    assert "hos" not in front_matter(target)["anslag"]  # written once, in site.yml


def test_new_kallelse_builds_and_is_listed_as_upcoming(minisite):
    target = scaffold.new_document(minisite, "kallelse", "styrelsen", dt.date(2024, 9, 5))
    assert re.findall(r"^## (\d+)\. (.+)$", target.read_text(encoding="utf-8"), re.M)[:3] == [
        ("1", "Mötets öppnande"), ("2", "Val av justerare"), ("3", "Godkännande av dagordning")]
    build(minisite)
    home = (minisite / "output" / "index.html").read_text(encoding="utf-8")
    assert "styrelsen/2024-09-05/kallelse/" in home


def test_new_protokoll_lists_the_attachments_its_agenda_mentions(minisite):
    kallelse = minisite / "content/styrelsen/2024-09-05-kallelse.md"
    kallelse.write_text('---\nkind: kallelse\ndate: 2024-09-05\ntime: "09.00"\nplace: Stadshuset\n'
                        "bilagor:\n  - title: Budget\n    file: bilagor/budget-2024.md\n"
                        "  - title: Yttrande\n    number: 3\n---\n\n"
                        "## 1. Budget – beslut (bilaga 1)\n\n## 2. Yttrande – information (bilaga 3)\n",
                        encoding="utf-8")
    target = scaffold.new_document(minisite, "protokoll", "styrelsen", dt.date(2024, 9, 5))
    assert front_matter(target)["bilagor"] == [{"title": "Budget", "file": "bilagor/budget-2024.md"},
                                               {"title": "Yttrande", "number": 3}]
    assert [p.message for p in check_site(minisite).errors] == []


def test_new_kallelse_meets_where_and_when_the_last_did(minisite):
    target = scaffold.new_document(minisite, "kallelse", "styrelsen", dt.date(2024, 9, 5))
    assert (front_matter(target)["time"], front_matter(target)["place"]) == ("09.00", "Stadshuset, rum Älven")
    # Where the last kallelse gave no time, the new one marks it still to write.
    last = minisite / "content/arbetsutskottet/2024-05-02-kallelse.md"
    last.write_text(last.read_text().replace('time: "13.00"\n', ""))
    target = scaffold.new_document(minisite, "kallelse", "arbetsutskottet", dt.date(2024, 9, 5))
    assert (front_matter(target)["time"], front_matter(target)["place"]) == ("…", "Distansmöte")
    relative = target.relative_to(minisite).as_posix()
    lines = [p.line for p in check_site(minisite).items if p.path == relative
             and p.message == "'…' marks something still to be written here"]
    assert 4 in lines and 5 not in lines  # the time, not the place; then the agenda's items


def test_a_kallelse_without_time_or_place_is_warned_about(minisite):
    kallelse = minisite / "content/arbetsutskottet/2024-05-02-kallelse.md"
    kallelse.write_text(kallelse.read_text().replace('time: "13.00"\n', ""))
    assert [(p.line, p.message, p.hint) for p in check_site(minisite).items
            if p.path == "content/arbetsutskottet/2024-05-02-kallelse.md"] == [
        (3, "the kallelse gives no time for the meeting", "add 'time: \"18.00\"'")]
    kallelse.write_text(kallelse.read_text().replace("place: Distansmöte\n", ""))
    assert [p.message for p in check_site(minisite).items] == ["the kallelse gives no time and no place for the meeting"]


def test_new_refuses_an_unknown_organ_and_an_existing_file(minisite):
    unknown = run(["new", "protokoll", "--organ", "fullmäktige"], cwd=minisite)
    assert unknown.returncode == 1
    assert "there is no organ 'fullmäktige' in site.yml (organs: arbetsutskottet, styrelsen)" \
        in unknown.stderr
    twice = run(["new", "protokoll", "--organ", "styrelsen", "--date", "2024-03-01"], cwd=minisite)
    assert twice.returncode == 1
    assert "2024-03-01-protokoll.md exists already; edit it, or give another day with --date" in twice.stderr
    bad_date = run(["new", "kallelse", "--organ", "styrelsen", "--date", "2024-02-30"], cwd=minisite)
    assert bad_date.returncode == 2
    assert "'2024-02-30' is not a real date (februari 2024 has no day 30)" in bad_date.stderr
    not_a_date = run(["new", "kallelse", "--organ", "styrelsen", "--date", "5/3 2024"], cwd=minisite)
    assert "'5/3 2024' is not a date written YYYY-MM-DD" in not_a_date.stderr


@pytest.mark.parametrize("text", ["Ledamot: kassör", "08.30", "# inte en kommentar", "ja", "Umeå kommun"])
def test_carried_over_values_read_back_unchanged(text):
    assert yaml.safe_load(f"key: {scaffold.yaml_scalar(text)}") == {"key": text}


def test_members_with_awkward_titles_are_carried_over_as_written(tmp_path):
    site = tmp_path / "s"
    example = scaffold.init_site(site, today=dt.date(2025, 3, 20))
    example.write_text(example.read_text(encoding="utf-8").replace(
        "title: Sekreterare", 'title: "Sekreterare: kansliet"'), encoding="utf-8")
    target = scaffold.new_document(site, "protokoll", "styrelsen", dt.date(2025, 4, 2))
    assert front_matter(target)["övriga_deltagare"][0]["title"] == "Sekreterare: kansliet"


def test_every_command_and_option_has_help(tmp_path):
    top = run(["--help"], cwd=tmp_path)
    assert top.returncode == 0
    for command in ["build", "check", "serve", "init", "new"]:
        assert re.search(rf"^\s+{command}\s+\S", top.stdout, re.M), f"{command} missing from --help"
        sub = run([command, "--help"], cwd=tmp_path)
        assert sub.returncode == 0
        lines = sub.stdout.splitlines()
        options = [i for i, line in enumerate(lines) if re.match(r"^\s+-", line)]
        assert len(options) > 1, f"{command} --help lists no options of its own"
        for i in options:
            # Help text follows on the option's line, or on the next when the name is long.
            same_line = re.match(r"^\s+-\S*(?: \S+)*?(?:, -\S+(?: \S+)?)?\s{2,}\S", lines[i])
            next_line = i + 1 < len(lines) and re.match(r"^\s{10,}\S", lines[i + 1])
            assert same_line or next_line, f"{command}: '{lines[i].strip()}' has no help text"


def test_new_waits_until_the_organs_documents_are_free_of_errors(tmp_path):
    # A previous protokoll with an error is missing from the model: the new one would
    # start at § 1 and without members, with no word said.
    site = tmp_path / "s"
    example = scaffold.init_site(site, today=dt.date(2025, 3, 20))
    example.write_text(re.sub(r"^date: .*$", "date: 2025-02-30", example.read_text(encoding="utf-8"), count=1,
                              flags=re.M), encoding="utf-8")
    done = run(["new", "protokoll", "--organ", "styrelsen", "--date", "2025-04-02"], cwd=site)
    assert done.returncode == 1
    assert "Styrelsen's documents have errors; fix them first" in done.stderr
    assert example.relative_to(site).as_posix() in done.stderr
    assert not (site / "content/styrelsen/2025-04-02-protokoll.md").exists()


def test_new_tells_the_organs_errors_in_the_order_of_their_lines(tmp_path):
    # One found when the file is read (the heading, line 45), one by the rules run after
    # (the justerare, line 16): told as the file reads.
    site = tmp_path / "s"
    example = scaffold.init_site(site, today=dt.date(2025, 3, 20))
    example.write_text(example.read_text(encoding="utf-8").replace("justerare: Bertil Berg", "justerare: Doris Dahl")
                       .replace("## § 4 Verksamhetsplan", "##§ 4 Verksamhetsplan"), encoding="utf-8")
    done = run(["new", "protokoll", "--organ", "styrelsen", "--date", "2025-04-02"], cwd=site)
    assert [int(n) for n in re.findall(r"\.md:(\d+): error", done.stderr)] == [16, 45], done.stderr


def test_a_role_the_title_already_says_is_not_repeated(tmp_path):
    # init's example: Cecilia Ceder, title "Sekreterare", is the protokoll's sekreterare.
    site = tmp_path / "s"
    example = scaffold.init_site(site, today=dt.date(2025, 3, 20))
    build(site)
    page = (site / "output/styrelsen" / example.name[:10] / "index.html").read_text(encoding="utf-8")
    row = re.search(r"<tr>\s*<th scope=\"row\"><a [^>]*>Cecilia Ceder</a></th>(.*?)</tr>", page, re.S).group(1)
    assert re.findall(r"<td[^>]*>(.*?)</td>", row) == ["Hela mötet", "", "Sekreterare"]


def test_new_waits_while_the_organ_folder_itself_has_an_error(tmp_path):
    site = tmp_path / "s"
    scaffold.init_site(site, today=dt.date(2025, 3, 20))
    (site / "content/styrelsen").rename(tmp_path / "elsewhere")
    os.symlink(tmp_path / "elsewhere", site / "content/styrelsen")  # reported, and not followed
    done = run(["new", "protokoll", "--organ", "styrelsen", "--date", "2025-04-02"], cwd=site)
    assert done.returncode == 1 and "Styrelsen's documents have errors; fix them first" in done.stderr
