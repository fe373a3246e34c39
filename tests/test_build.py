"""Building a site: expected output, reproducibility, safe failure, overrides, safety of HTML."""

import filecmp
import json
import os
import re
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import epoch, not_justerat_yet, visible_text

from site_gen.build import build, check_site
from site_gen.problems import SiteGenError
from site_gen.site import urls

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = Path(__file__).parent / "expected" / "minisite"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def pages_tree(folder: Path) -> dict[str, bytes]:
    """The output without the search index: Pagefind's binary files are not kept in
    tests/expected; test_search.py checks them (and the trees below compare them)."""
    return {name: data for name, data in tree(folder).items() if not name.startswith("pagefind/")}


def run_cli(*args, cwd) -> subprocess.CompletedProcess:
    # Output buffered as a user's pipe has it: the command ends its process at once
    # (cli.console_main), and what it printed must still arrive.
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    return subprocess.run([sys.executable, "-m", "site_gen.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_a_profiler_watching_the_command_still_writes_its_results(minisite, tmp_path):
    profile = tmp_path / "check.prof"
    result = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "site_gen.cli",
                             "check"], cwd=minisite, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "0 errors" in result.stdout
    assert profile.stat().st_size > 0


def test_what_a_command_prints_reaches_a_pipe_whole(minisite):
    result = run_cli("check", "--format", "json", cwd=minisite)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
    (minisite / "site.yml").unlink()
    result = run_cli("check", "--format", "json", cwd=minisite)
    assert result.returncode == 1
    assert [p["path"] for p in json.loads(result.stdout)] == ["site.yml"]


def test_fixture_site_matches_expected_output(minisite):
    build(minisite)
    built = pages_tree(minisite / "output")
    if os.environ.get("SITE_GEN_UPDATE_EXPECTED"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(minisite / "output", EXPECTED, ignore=shutil.ignore_patterns("pagefind"))
    expected = tree(EXPECTED)
    assert sorted(built) == sorted(expected)
    different = [name for name in built if built[name] != expected[name]]
    assert different == [], "regenerate with SITE_GEN_UPDATE_EXPECTED=1 after checking the diff"


def test_two_builds_in_different_folders_are_identical(tmp_path, minisite):
    other = tmp_path / "elsewhere" / "site"
    shutil.copytree(minisite, other)
    build(minisite)
    build(other)
    comparison = filecmp.dircmp(minisite / "output", other / "output")
    assert tree(minisite / "output") == tree(other / "output"), comparison.diff_files


def test_cli_reports_every_problem_and_keeps_last_good_output(minisite):
    result = run_cli("build", cwd=minisite)
    assert result.returncode == 0, result.stderr
    before = tree(minisite / "output")
    protokoll = minisite / "content" / "styrelsen" / "2024-03-01-protokoll.md"
    protokoll.write_text(protokoll.read_text().replace("date: 2024-03-01", "date: 2024-02-30"))
    kallelse = minisite / "content" / "arbetsutskottet" / "2024-05-02-kallelse.md"
    kallelse.write_text(kallelse.read_text().replace("place:", "plats:"))
    result = run_cli("build", cwd=minisite)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert "content/arbetsutskottet/2024-05-02-kallelse.md:5: error: unknown key 'plats' " \
           "in a kallelse (did you mean 'place'?)" in lines
    assert any(line.startswith("content/styrelsen/2024-03-01-protokoll.md:3: error: 'date' is "
                               "2024-02-30, which is not a real date") for line in lines)
    assert lines[-1] == "site-gen: the site has errors; nothing was published (2 errors)"
    assert tree(minisite / "output") == before


def test_debug_flag_shows_traceback(minisite):
    (minisite / "site.yml").write_text("title: [\n")
    result = run_cli("build", "--debug", cwd=minisite)
    assert result.returncode == 1
    assert "site.yml:2:1: error: YAML syntax error" in result.stderr
    assert "Traceback" in result.stderr


def test_summary_line(minisite):
    result = run_cli("build", cwd=minisite)
    assert result.returncode == 0
    # Every file written from a page counts: HTML pages, feeds, calendar, open data, robots.txt;
    # not the search index, which Pagefind writes.
    pages = sum(1 for p in (minisite / "output").rglob("*") if p.is_file()
                and not {"static", "bilagor", "pagefind"} & set(p.parts) and p.name != ".site-gen-build")
    copied = sum(1 for p in (minisite / "output" / "static").rglob("*") if p.is_file())
    assert f"Built {pages} pages and copied {copied} files into output in" in result.stderr.splitlines()[-1]
    assert result.stderr.splitlines()[-1].endswith("s")  # the fixture has no warning to count
    # Built again, nothing has changed; after an edit, only the edited meeting's pages are new.
    again = run_cli("build", cwd=minisite).stderr.splitlines()[-1]
    assert again.startswith(f"Up to date: none of the {pages} pages in output had changed (")
    path = minisite / "content/styrelsen/2024-03-01-protokoll.md"
    path.write_text(path.read_text(encoding="utf-8").replace("föredrog förslaget", "föredrog ärendet"), encoding="utf-8")
    edited = run_cli("build", cwd=minisite).stderr.splitlines()[-1]
    assert re.match(rf"Built {pages} pages \((\d+) of them anew\) and copied", edited)
    assert 0 < int(re.search(r"\((\d+) of them", edited).group(1)) < pages
    # A copied file removed by hand is copied again: not 'up to date', though no page is new.
    (minisite / "output/static/style.css").unlink()
    repaired = run_cli("build", cwd=minisite).stderr.splitlines()[-1]
    assert repaired.startswith(f"Built {pages} pages (none of them anew) and copied {copied} files")
    assert (minisite / "output/static/style.css").is_file()


@pytest.mark.parametrize("quiet", ["-q", "--quiet"])
def test_quiet_build_prints_no_summary(minisite, quiet):
    result = run_cli("build", quiet, cwd=minisite)
    assert result.returncode == 0 and (minisite / "output" / "index.html").is_file()
    assert result.stderr == ""  # the fixture has no problem to print


def test_refuses_to_replace_a_folder_it_did_not_make(minisite):
    foreign = minisite / "output"
    foreign.mkdir()
    (foreign / "important.txt").write_text("keep me")
    with pytest.raises(SiteGenError, match="not made by site-gen"):
        build(minisite)
    assert (foreign / "important.txt").read_text() == "keep me"


def test_rebuild_removes_pages_of_deleted_sources(minisite):
    build(minisite)
    assert (minisite / "output" / "arbetsutskottet" / "2024-05-02" / "kallelse" / "index.html").exists()
    (minisite / "content" / "arbetsutskottet" / "2024-05-02-kallelse.md").unlink()
    build(minisite)
    assert not (minisite / "output" / "arbetsutskottet" / "2024-05-02").exists()
    assert not list(minisite.glob(".output-*")), "staging folders are cleaned up"


def test_site_template_overrides_one_theme_template(minisite):
    (minisite / "templates").mkdir()
    (minisite / "templates" / "topic.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>Eget ämne: {{ topic.name }}</h1>{% endblock %}')
    build(minisite)
    topic = (minisite / "output" / "amnen" / "budget" / "index.html").read_text()
    assert "<h1>Eget ämne: Budget</h1>" in topic
    assert 'class="skip-link"' in topic  # base.html still comes from the theme
    home = (minisite / "output" / "index.html").read_text()
    assert "Eget ämne" not in home


def test_a_theme_of_the_sites_own_takes_what_it_lacks_from_the_default_theme(minisite):
    theme = minisite / "themes" / "egen"
    (theme / "templates").mkdir(parents=True)
    (theme / "static").mkdir()
    (theme / "templates" / "base.html").write_text(
        '<!doctype html><html lang="sv"><title>{{ page.title }}</title><body class="egen">'
        '{% block main %}{% endblock %}</body></html>')
    (theme / "static" / "style.css").write_text("body { color: green }")
    (minisite / "templates").mkdir()
    (minisite / "templates" / "topic.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>Eget ämne</h1>{% endblock %}')
    with (minisite / "site.yml").open("a") as site_yml:
        site_yml.write("theme: egen\n")
    build(minisite)
    output = minisite / "output"
    home = (output / "index.html").read_text()
    assert '<body class="egen">' in home  # the theme's frame
    assert "Styrelsen" in home  # around the default theme's home page
    assert "<h1>Eget ämne</h1>" in (output / "amnen" / "budget" / "index.html").read_text()  # the site's own
    assert (output / "static" / "style.css").read_text() == "body { color: green }"
    assert (output / "static" / "search.js").is_file()  # from the default theme


def test_a_base_template_pagefind_cannot_read_is_told_as_such(minisite):
    (minisite / "templates").mkdir()
    (minisite / "templates" / "base.html").write_text("<title>x</title>{% block main %}{% endblock %}")
    result = run_cli("build", cwd=minisite)
    assert result.returncode == 1
    assert "Pagefind found nothing to index" in result.stderr
    assert "check the theme's base.html" in result.stderr


def test_an_editors_lock_file_beside_a_template_is_no_template(minisite):
    # Emacs marks a file being edited with a link that leads nowhere, '.#base.html'.
    (minisite / "templates").mkdir()
    (minisite / "templates" / ".#base.html").symlink_to("kim@dator.4711:1700000000")
    (minisite / "templates" / ".base.html.swp").write_bytes(b"b0VIM 9.0\x00{% endfor %}")
    assert run_cli("build", cwd=minisite).returncode == 0


def test_template_syntax_error_names_the_template(minisite):
    (minisite / "templates").mkdir()
    (minisite / "templates" / "topic.html").write_text("{% extends 'base.html' %}\n{% block main %}\n{% endfor %}")
    result = run_cli("build", cwd=minisite)
    assert result.returncode == 1
    assert "templates/topic.html:3: error: Encountered unknown tag 'endfor'" in result.stderr
    assert "Traceback" not in result.stderr


def test_template_rendering_error_names_the_template_line(minisite):
    (minisite / "templates").mkdir()
    (minisite / "templates" / "topic.html").write_text(
        "{% extends 'base.html' %}\n{% block main %}\n<h1>{{ topic.name }}</h1>\n{{ undefined_thing.x }}\n{% endblock %}")
    result = run_cli("build", cwd=minisite)
    assert result.returncode == 1
    assert "templates/topic.html:4: error: while writing amnen/" in result.stderr
    assert "'undefined_thing' is undefined" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("written, said", [
    ("{{ paths.archiv|url }}", "has no attribute 'archiv'"),  # a name misspelt
    ("{{ 2024|organ_year_url }}", "missing 1 required positional argument"),  # an argument left out
])
def test_a_link_written_wrong_in_a_template_names_the_line(minisite, written, said):
    (minisite / "templates").mkdir()
    (minisite / "templates" / "404.html").write_text(
        "{% extends 'base.html' %}\n{% block main %}\n<a href=\"" + written + "\">x</a>\n{% endblock %}")
    result = run_cli("build", cwd=minisite)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "bug in site-gen" not in result.stderr
    assert "templates/404.html:3: error: while writing 404.html: " in result.stderr
    assert said in result.stderr


def test_every_template_that_cannot_be_compiled_is_told_at_once_and_by_check(minisite):
    (minisite / "templates").mkdir()
    (minisite / "templates" / "topic.html").write_text("{% extends 'base.html' %}\n{% block main %}\n{% endfor %}")
    (minisite / "templates" / "home.html").write_text(
        "{% extends 'base.html' %}\n{% block main %}{{ page.title|shortdate }}{% endblock %}")
    (minisite / "templates" / "notes.md").write_text("{{ not a template")  # not a template: left alone
    expected = [
        "templates/home.html:2: error: No filter named 'shortdate'. "
        "(site-gen's docs/templates.md lists the filters a template can use)",
        "templates/topic.html:3: error: Encountered unknown tag 'endfor'. Jinja was looking for the following "
        "tags: 'endblock'. The innermost block that needs to be closed is 'block'. "
        "(check the {% %} and {{ }} of this line, and the block it opens or closes)"]
    result = run_cli("build", cwd=minisite)
    assert result.returncode == 1 and not (minisite / "output").exists()
    assert result.stderr.splitlines()[:2] == expected
    assert run_cli("check", cwd=minisite).returncode == 1
    assert [p.format() for p in check_site(minisite).sorted()] == expected


@pytest.mark.parametrize("written, said", [
    ("{{ 1/0 }}", "while writing index.html: division by zero"),
    ("{{ 'x'|longdate }}", "while writing index.html: AssertionError"),
    ("{% include 'saknas.html' %}", "the template 'saknas.html' was not found"),
    ("{% for m in site.meetings if m.protokoll %}{% for a in m.protokoll.attachments %}"
     "<a href=\"{{ a|url }}\">x</a>{% endfor %}{% endfor %}",
     "while writing index.html: bilaga 2 (Underlag som inte publiceras) is not published, so it has no "
     "address; link to it only {% if attachment.source %}"),
])
def test_any_mistake_a_template_line_makes_names_the_line(minisite, written, said):
    (minisite / "templates").mkdir()
    (minisite / "templates" / "home.html").write_text("{% extends 'base.html' %}\n{% block main %}\n"
                                                      + written + "\n{% endblock %}")
    result = run_cli("build", cwd=minisite)
    assert result.returncode == 1 and "bug in site-gen" not in result.stderr
    assert f"templates/home.html:3: error: {said}" in result.stderr


@pytest.mark.parametrize("written", [
    "<a href='{{ paths.archive|url }}'>x</a>",  # single quotes
    '<div style="background: url({{ (paths.static ~ \'style.css\')|url }})"></div>',
    '<script>const HOME = "{{ paths.home|url }}";</script>',
])
def test_a_link_where_it_cannot_be_made_relative_stops_the_build(minisite, written):
    (minisite / "templates").mkdir()
    (minisite / "templates" / "home.html").write_text("{% extends 'base.html' %}\n{% block main %}\n"
                                                      + written + "\n{% endblock %}")
    result = run_cli("build", cwd=minisite)
    assert result.returncode == 1 and not (minisite / "output").exists()
    assert "templates/home.html: error: while writing index.html: the link to '" in result.stderr
    assert "is not in a double-quoted href, src or action attribute" in result.stderr


def test_raw_html_is_sanitised(minisite):
    build(minisite)
    page = (minisite / "output" / "styrelsen" / "2024-03-01" / "index.html").read_text()
    assert "<b>Fet</b>" in page
    # The one script is the theme's own, from a file: none from the text.
    assert re.findall(r"<script[^>]*>", page) == ['<script src="../../static/dagen.js" defer>']
    assert "alert(" not in page


def test_secret_paragraph_text_never_reaches_output(minisite):
    build(minisite)
    everything = b"".join(tree(minisite / "output").values())
    assert "Personalärende".encode() in everything
    assert b"Hemlis" not in everything
    page = (minisite / "output" / "styrelsen" / "2024-03-01" / "index.html").read_text()
    assert "omfattas av sekretess (OSL 26 kap. 1 §)" in visible_text(page)


def test_a_secret_paragraphs_reservations_notes_and_attachments_stay_unpublished(minisite):
    path = minisite / "content/styrelsen/2024-03-01-protokoll.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    sekretess: OSL 26 kap. 1 §\n", "    sekretess: OSL 26 kap. 1 §\n"
                        "    reservation:\n      - name: Lena Lind\n        text: Hemlig reservation.\n"
                        "    protokollsanteckning:\n      - name: Åsa Öberg\n        text: Hemlig anteckning.\n")
    # Bilaga 1 now belongs to the secret § 4 alone, which mentions it in its (unpublished) text.
    text = text.replace("## § 2 Budget 2024 (Bilaga 1)", "## § 2 Budget 2024") \
        .replace("Hemlis Hemlisson.", "Hemlis Hemlisson, se bilaga 1.")
    path.write_text(text, encoding="utf-8")
    problems = check_site(minisite)
    assert [p.format() for p in problems.items] == [
        "content/styrelsen/2024-03-01-protokoll.md:26: warning: bilaga 1 is mentioned only in § 4, under "
        "sekretess, so its file is not published (remove 'file' to list only its title; if the attachment "
        "is public, mention it in a paragraph that is not secret)"]
    build(minisite)
    everything = b"".join(tree(minisite / "output").values()).decode("utf-8", "replace")
    assert "Hemlig reservation" not in everything and "Hemlig anteckning" not in everything
    assert "Intäkter" not in everything  # the attachment's text
    assert not (minisite / "output/styrelsen/2024-03-01/bilaga-1").exists()
    page = visible_text((minisite / "output/styrelsen/2024-03-01/index.html").read_text(encoding="utf-8"))
    # Who reserved is on record; the title of the attachment is listed.
    assert "Reservation: Lena Lind reserverar sig mot beslutet." in page
    assert "Bilaga 1: Budget 2024 (publiceras inte på webben)" in page


def test_a_correction_is_shown_with_the_minutes_it_corrects(minisite):
    path = minisite / "content/styrelsen/2024-03-01-protokoll.md"
    path.write_text(path.read_text(encoding="utf-8").replace("paragraphs:\n", (
        "rättelser:\n"
        "  - datum: 2024-03-15\n    paragraf: 2\n"
        "    text: Beslutet angav 2023 i stället för 2024; rättat.\n"
        "  - datum: 2024-03-12\n    text: Närvarolistan kompletterad.\n"
        "paragraphs:\n"), 1), encoding="utf-8")
    assert check_site(minisite).items == []
    build(minisite)
    output = minisite / "output"
    # Text around a link folds to ' ( rättelser )': the spaces before and after tags are kept.
    page = re.sub(r" ([,:)])", r"\1", visible_text(
        (output / "styrelsen/2024-03-01/index.html").read_text(encoding="utf-8"))).replace("( ", "(")
    assert "Rättat tisdag 12 mars 2024, fredag 15 mars 2024 (rättelser)" in page
    assert ("Rättelser Protokollet har rättats efter justeringen. tisdag 12 mars 2024: Närvarolistan "
            "kompletterad. fredag 15 mars 2024, § 2: Beslutet angav 2023 i stället för 2024; rättat.") in page
    # The corrected paragraph says so, on the meeting page and in its extract.
    marker = "Rättad fredag 15 mars 2024: Beslutet angav 2023 i stället för 2024; rättat."
    assert page.count(marker) == 1 and page.index("Länk till § 2") < page.index(marker) < page.index("Länk till § 3")
    extract = visible_text((output / "styrelsen/2024-03-01/utdrag/index.html").read_text(encoding="utf-8"))
    extract = extract.replace(" :", ":")
    assert marker in extract
    [meeting] = [m for m in json.loads((output / "data/styrelsen/2024.json").read_text())["meeting"]]
    assert meeting["corrections"] == [
        {"date": "2024-03-12", "text": "Närvarolistan kompletterad."},
        {"date": "2024-03-15", "text": "Beslutet angav 2023 i stället för 2024; rättat.",
         "agendaItem": "https://testforbundet.example/protokoll/styrelsen/2024-03-01/#paragraf-2"}]
    assert meeting["modified"] == "2024-03-15"
    # A feed reader sees the entry updated, first published when it was.
    feed = (output / "flode.xml").read_text(encoding="utf-8")
    entry = feed[feed.index("<title>Protokoll Styrelsen 2024-03-01</title>"):]
    assert "<updated>2024-03-15T00:00:00Z</updated>" in entry[:300]
    assert "<published>2024-03-10T00:00:00Z</published>" in entry[:300]
    decisions = visible_text((output / "beslut/2024/index.html").read_text(encoding="utf-8"))
    assert "Styrelsen beslutade att anta budgeten för 2024. Rättad fredag 15 mars 2024" in decisions


@pytest.mark.parametrize("source, front, message", [
    ("styrelsen/2024-03-01", "  - datum: 2024-03-15\n    paragraf: 9\n    text: Rättat.\n",
     "content/styrelsen/2024-03-01-protokoll.md:30: error: the rättelse is of § 9, but the protokoll has no § 9"),
    ("styrelsen/2024-03-01", "  - datum: 2024-03-07\n    text: Rättat.\n",
     "content/styrelsen/2024-03-01-protokoll.md:29: error: the rättelse is dated 2024-03-07, before justering "
     "(2024-03-08)"),
    ("styrelsen/2024-03-01", "  - datum: 2042-03-15\n    text: Rättat.\n",
     "content/styrelsen/2024-03-01-protokoll.md:29: warning: the rättelse is dated 2042-03-15, 6581 days after "
     "justering (2024-03-08)"),
    ("arbetsutskottet/2024-02-01", "  - datum: 2024-02-07\n    text: Rättat.\n",
     "content/arbetsutskottet/2024-02-01-protokoll.md:12: warning: a rättelse of a protokoll that is not "
     "justerat yet"),
])
def test_a_correction_of_no_paragraph_or_before_justering_is_reported(minisite, source, front, message):
    path = minisite / f"content/{source}-protokoll.md"
    if source.startswith("arbetsutskottet"):
        not_justerat_yet(path)
    path.write_text(path.read_text(encoding="utf-8").replace(
        "paragraphs:\n", "rättelser:\n" + front + "paragraphs:\n", 1), encoding="utf-8")
    [found] = [p.format() for p in check_site(minisite).items if "rättelse" in p.message]
    assert found.startswith(message + " (")


def test_a_correction_of_a_secret_paragraph_keeps_what_was_corrected_unpublished(minisite):
    path = minisite / "content/styrelsen/2024-03-01-protokoll.md"
    path.write_text(path.read_text(encoding="utf-8").replace("paragraphs:\n", (
        "rättelser:\n  - datum: 2024-03-12\n    paragraf: 4\n    text: Namnet rättat till Hemlig Person.\n"
        "paragraphs:\n"), 1), encoding="utf-8")
    build(minisite)
    everything = b"".join(tree(minisite / "output").values()).decode("utf-8", "replace")
    assert "Hemlig Person" not in everything
    page = visible_text((minisite / "output/styrelsen/2024-03-01/index.html").read_text(encoding="utf-8"))
    assert "paragrafen omfattas av sekretess, och vad som rättades publiceras inte." in page
    assert "Rättad tisdag 12 mars 2024 ." in page


def test_topics_differing_in_case_or_accent_are_one(minisite):
    build(minisite)
    topic = visible_text((minisite / "output" / "amnen" / "ekonomi" / "index.html").read_text())
    # 'Ekonomi', 'ekonomi' and 'Ékonomi' are one topic, shown under the most used spelling.
    assert "3 paragrafer om Ekonomi" in topic
    assert not (minisite / "output" / "amnen" / "ekonomi-2").exists()


@pytest.mark.parametrize("old, new, shown", [
    # The protokoll read first writes the name in lower case; the other as usual.
    ("Lena Lind", "lena lind", "Lena Lind"),
    # One document each way: the one written with more care, whichever is read first.
    ("Åsa Öberg", "Asa Oberg", "Åsa Öberg"),
])
def test_a_person_written_in_other_capitals_is_one_shown_under_the_most_used_spelling(minisite, old, new,
                                                                                       shown):
    path = minisite / "content/arbetsutskottet/2024-02-01-protokoll.md"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    build(minisite)
    output = minisite / "output"
    slug = urls.slug(shown)
    assert not (output / "personer" / f"{slug}-2").exists()
    pages = {relative: visible_text(html.decode("utf-8")) for relative, html in tree(output).items()
             if relative.endswith(".html")}
    assert shown in pages[f"personer/{slug}/index.html"]
    assert shown in pages["arbetsutskottet/2024-02-01/index.html"]
    assert [relative for relative, text in pages.items() if new in text] == []


def test_a_spelling_counts_once_for_each_document_it_is_in():
    # One protokoll naming a member in three roles does not outweigh two others.
    from site_gen.model.assemble import _Registry

    registry = _Registry()
    for names in (["LENA LIND"] * 3, ["Lena Lind"], ["Lena Lind"], ["ÅSA ÖBERG"], ["Åsa Öberg"]):
        registry.next_document()
        for name in names:
            registry.person(name)
    registry.settle_names()
    assert registry.persons["lena-lind"].name == "Lena Lind"
    assert registry.persons["asa-oberg"].name == "Åsa Öberg"  # as many: not the one in capitals


def test_urls_are_ascii_slugs(minisite):
    build(minisite)
    for path in (minisite / "output").rglob("*"):
        assert path.relative_to(minisite / "output").as_posix().isascii(), path


def test_kallelse_and_protokoll_link_both_ways(minisite):
    build(minisite)
    meeting = minisite / "output" / "styrelsen" / "2024-03-01"
    assert 'href="kallelse/"' in (meeting / "index.html").read_text()
    assert 'href="../"' in (meeting / "kallelse" / "index.html").read_text()


def test_person_page_gives_the_paragraphs_attended_as_runs(minisite):
    build(minisite)
    rows = {}
    for person in ("erik-arlig", "lena-lind"):
        html = (minisite / "output/personer" / person / "index.html").read_text()
        row = html[html.index('<time datetime="2024-03-01">'):]
        rows[person] = visible_text(row[:row.index("</tr>")])
    assert rows["erik-arlig"].endswith("§ 1–2")  # present: 1-2 of §§ 1–4
    assert rows["lena-lind"].endswith("§ 1–4")


def test_person_page_leaves_out_the_paragraphs_the_person_was_jav_in(minisite):
    path = minisite / "content/styrelsen/2024-03-01-protokoll.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "    topics: [Ekonomi, Budget]\n", "    topics: [Ekonomi, Budget]\n    jäv: [Lena Lind]\n"), encoding="utf-8")
    build(minisite)
    html = (minisite / "output/personer/lena-lind/index.html").read_text()
    row = html[html.index('<time datetime="2024-03-01">'):]
    assert visible_text(row[:row.index("</tr>")]).endswith("§ 1, 3–4")  # left the room for § 2


def test_no_page_says_a_decision_can_still_be_appealed_once_the_last_day_has_passed(minisite, monkeypatch):
    # A static page is read long after it is built: it names the last day to appeal,
    # which stays true, and never says the decision "can be appealed" until then.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2024-06-10"))
    build(minisite)
    pages = {relative: visible_text(html.decode("utf-8")) for relative, html in tree(minisite / "output").items()
             if relative.endswith((".html", ".xml"))}
    assert [relative for relative, text in pages.items() if "överklagas till och med" in text] == []
    assert "Sista dag att överklaga tisdag 2 april 2024" in pages["styrelsen/2024-03-01/index.html"]
    assert "Sista dag att överklaga tisdag 2 april 2024" in pages["beslut/index.html"]


def test_a_notice_without_hos_is_posted_where_its_organ_posts(minisite):
    # site.yml gives the arbetsutskottet 'anslag_hos'; its protokoll's notice names no board.
    build(minisite)
    page = visible_text((minisite / "output/arbetsutskottet/2024-02-01/index.html").read_text())
    assert "Justeringen har tillkännagivits genom anslag hos Norrby kommun" in page


@pytest.mark.parametrize("page, marked", [
    ("arkiv/index.html", ("Sammanträden", "page")),
    ("styrelsen/index.html", ("Sammanträden", "true")),  # an organ's pages are among the meetings
    ("styrelsen/2024-03-01/utdrag/index.html", ("Sammanträden", "true")),
    ("amnen/ekonomi/index.html", ("Ämnen", "true")),
    ("personer/lena-lind/index.html", ("Personer", "true")),
    ("anslagstavla/arkiv/index.html", ("Anslagstavla", "true")),
    ("tillganglighet/index.html", None),  # in no part of the menu
])
def test_the_menu_marks_the_part_of_the_site_a_page_is_in(minisite, page, marked):
    build(minisite)
    html = (minisite / "output" / page).read_text(encoding="utf-8")
    menu = html[html.index('<nav aria-label="Huvudmeny">'):html.index("</nav>")]
    found = re.findall(r'<a href="[^"]*" aria-current="(\w+)">([^<]+)</a>', menu)
    assert found == ([(marked[1], marked[0])] if marked else [])


def test_a_tjanstgorande_ersattare_takes_the_members_seat(minisite):
    # Erik Ärlig leaves after § 2; Eva Ersättare serves in his place for § 3–4 and votes.
    path = minisite / "content/styrelsen/2024-03-01-protokoll.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  - Lena Lind\n", "  - Lena Lind\n  - name: Eva Ersättare\n    role: ersättare\n"
        "    ersätter: Erik Ärlig\n    present: 3-4\n", 1).replace(
        "      ja: [Åsa Öberg]", "      ja: [Åsa Öberg, Eva Ersättare]"), encoding="utf-8")
    assert check_site(minisite).items == []
    build(minisite)
    page = (minisite / "output/styrelsen/2024-03-01/index.html").read_text(encoding="utf-8")
    row = page[page.index('href="../../personer/eva-ersattare/"'):]
    assert visible_text(row[:row.index("</tr>")]).endswith("§ 3–4 tjänstgörande ersättare för Erik Ärlig")
    person = visible_text((minisite / "output/personer/eva-ersattare/index.html").read_text(encoding="utf-8"))
    assert "Tjänstgörande ersättare för Erik Ärlig: 1 sammanträde" in person
    extracts = (minisite / "output/styrelsen/2024-03-01/utdrag/index.html").read_text(encoding="utf-8")
    extract = visible_text(extracts[extracts.index('id="paragraf-3"'):extracts.index('id="paragraf-4"')])
    assert "Beslutande Åsa Öberg, Lena Lind, Eva Ersättare (tjänstgörande ersättare för Erik Ärlig)" in extract


def build_on_a_terminal(site: Path):
    """Build with the progress line on a real terminal (from the start: no delay):
    (the result or the error, what the terminal showed)."""
    from site_gen.progress import Progress

    main, side = os.openpty()
    try:
        with open(side, "w", encoding="utf-8") as terminal:
            try:
                result = build(site, progress=Progress(terminal, delay=0))
            except SiteGenError as error:
                result = error
            shown = b""
            while select.select([main], [], [], 0)[0]:
                shown += os.read(main, 65536)
    finally:
        os.close(main)
    return result, shown.decode()


def test_progress_on_a_terminal_counts_each_step_and_clears_the_line(tmp_path):
    from site_gen.load.documents import document_names

    site = tmp_path / "site"
    shutil.copytree(ROOT / "content", site / "content")
    shutil.copy(ROOT / "site.yml", site / "site.yml")
    result, text = build_on_a_terminal(site)
    sources = len(document_names(site / "content"))
    years = len(list((site / "output" / "pagefind").iterdir()))
    for line in (f"Reading sources {sources}/{sources}", f"Writing pages {result.pages}/{result.pages}",
                 f"Indexing the search {years}/{years}"):
        assert line in text
    assert text.endswith("\r\x1b[K")


def test_a_failing_build_clears_the_progress_line_before_its_message(minisite):
    protokoll = minisite / "content" / "styrelsen" / "2024-03-01-protokoll.md"
    protokoll.write_text(protokoll.read_text().replace("date: 2024-03-01", "date: 2024-03-41"))
    error, text = build_on_a_terminal(minisite)
    assert isinstance(error, SiteGenError)
    assert "Reading sources" in text and text.endswith("\r\x1b[K")


def test_a_terminal_that_goes_away_does_not_stop_the_build():
    from site_gen.progress import Progress

    main, side = os.openpty()
    os.close(main)  # writing to the terminal now fails
    with open(side, "w", encoding="utf-8") as terminal:
        progress = Progress(terminal, delay=0)
        progress.update("Writing pages", 1, 2)
        progress.finish()
    assert not progress.enabled


def test_decision_lists_say_until_when_each_decision_can_be_appealed(minisite):
    # Arbetsutskottet's protokoll is justerat, and its notice not yet posted.
    path = minisite / "content/arbetsutskottet/2024-02-01-protokoll.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "anslag: {uppsättande: 2024-02-06, nedtagande: 2024-02-28}\n", ""), encoding="utf-8")
    build(minisite)
    output = minisite / "output"
    home = visible_text((output / "index.html").read_text(encoding="utf-8"))
    # The text between tags is folded to single spaces: 'april 2024</time>.' reads 'april 2024 .'
    year = visible_text((output / "beslut/2024/index.html").read_text(encoding="utf-8")).replace(" .", ".")
    topic = visible_text((output / "amnen/ekonomi/index.html").read_text(encoding="utf-8")).replace(" .", ".")
    posted = "Sista dag att överklaga tisdag 2 april 2024"  # 2024-03-10 + 3 weeks, past Easter
    waiting = "Justerat; tiden för att överklaga börjar när anslaget sätts upp"
    assert re.search(r"§ 2 Budget 2024 .*?, Styrelsen 2024-03-01 .*? " + posted, home)
    assert re.search(r"§ 1 Ekonomisk uppföljning , Arbetsutskottet 2024-02-01 .*? " + waiting, home)
    assert f"Styrelsen fredag 1 mars 2024 {posted}." in year
    assert f"Arbetsutskottet torsdag 1 februari 2024 {waiting}." in year
    assert f"Styrelsen, fredag 1 mars 2024. {posted}" in topic
    assert f"Arbetsutskottet, torsdag 1 februari 2024. {waiting}" in topic


def test_a_sites_extra_css_is_linked_after_the_themes(minisite):
    build(minisite)
    assert "extra.css" not in (minisite / "output/index.html").read_text(encoding="utf-8")
    (minisite / "static").mkdir()
    (minisite / "static/extra.css").write_text(":root { --link: #004080; }\n", encoding="utf-8")
    build(minisite)
    home = (minisite / "output/index.html").read_text(encoding="utf-8")
    assert home.index('href="static/style.css"') < home.index('href="static/extra.css"')
    assert (minisite / "output/static/extra.css").read_text(encoding="utf-8") == ":root { --link: #004080; }\n"
    page = (minisite / "output/styrelsen/2024-03-01/index.html").read_text(encoding="utf-8")
    assert 'href="../../static/extra.css"' in page  # every page, not only those rendered anew


@pytest.mark.parametrize("closing, decided", [
    ("Styrelsen godkände rapporten.", True),
    ("Tekniska nämnden godkände rapporten.", False),  # another organ: an account of its decision
    ("Arbetsutskottet godkände rapporten.", False),  # the site's other organ
    ("Kommunfullmäktige fastställde skattesatsen.", False),
])
def test_a_closing_sentence_is_the_decision_of_the_meeting_only_when_it_names_its_organ(minisite, closing,
                                                                                         decided):
    path = minisite / "content/styrelsen/2024-03-01-protokoll.md"
    path.write_text(path.read_text().replace("\n---\n\n## § 2 ", f"\n{closing}\n\n---\n\n## § 2 ", 1))
    build(minisite)
    html = (minisite / "output/styrelsen/2024-03-01/index.html").read_text()
    section = html[html.index('id="paragraf-1"'):html.index('id="paragraf-2"')]
    assert closing in visible_text(section)
    assert ('class="decision' in section) == decided
    decisions = visible_text((minisite / "output/beslut/2024/index.html").read_text())
    assert (closing in decisions) == decided  # listed with its last day to appeal, or not at all
