"""Attachments, slugs, configured folders and links: the build never reads or writes
outside the site's own folders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import MINIMAL_FRONT, MINIMAL_SITE_YML

from site_gen.build import build, check_site
from site_gen.problems import SiteGenError

SITE_YML = MINIMAL_SITE_YML
FRONT = MINIMAL_FRONT
BODY = "## § 1 Öppning\n\nText.\n"
SECRET = "root:x:0:0:HEMLIGT-UTANFOR-SAJTEN"


@pytest.fixture
def site(tmp_path) -> Path:
    """A site in tmp_path/site, with a secret file beside it (outside the site)."""
    (tmp_path / "secret.txt").write_text(SECRET)
    (tmp_path / "secret.md").write_text(f"---\nkind: protokoll\n---\n{SECRET}\n")
    root = tmp_path / "site"
    (root / "content" / "styrelsen" / "bilagor").mkdir(parents=True)
    (root / "site.yml").write_text(SITE_YML)
    return root


def protokoll(root: Path, bilaga_file: str | None = None, name: str = "m.md") -> Path:
    front = FRONT + (f"bilagor:\n  - title: B\n    file: '{bilaga_file}'\n" if bilaga_file else "")
    path = root / "content" / "styrelsen" / name
    path.write_text(f"---\n{front}---\n\n{BODY}")
    return path


def errors(root: Path) -> list[str]:
    return [p.format() for p in check_site(root).errors]


def published(tmp_path: Path) -> bytes:
    output = tmp_path / "site" / "output"
    return b"".join(p.read_bytes() for p in output.rglob("*") if p.is_file()) if output.exists() else b""


def run_without_privileges(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run `command` bound by file permissions: root reads every folder unless its
    capabilities are dropped (setpriv, from util-linux)."""
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: permissions cannot be tested")
        command = ["setpriv", "--inh-caps=-all", "--bounding-set=-all", "--", *command]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


def assert_refused(root: Path, message: str, tmp_path: Path):
    found = errors(root)
    assert any(message in problem for problem in found), found
    with pytest.raises(SiteGenError):
        build(root)
    assert not (root / "output").exists()
    assert SECRET.encode() not in published(tmp_path)


@pytest.mark.parametrize("reference", [
    "../../../secret.txt", "../../../../../../../../etc/passwd", "/etc/passwd", "bilagor/../../../site.yml",
    "bilagor/../../../../secret.txt", "..", "bilagor/../../..", "~/.ssh/id_rsa", "C:\\Windows\\win.ini",
])
def test_attachment_reference_outside_content_is_refused(site, tmp_path, reference):
    path = protokoll(site, reference)
    found = errors(site)
    assert any(problem.startswith("content/styrelsen/m.md:12: error: the attachment") for problem in found), found
    with pytest.raises(SiteGenError):
        build(site)
    assert SECRET.encode() not in published(tmp_path)
    assert path.exists()


@pytest.mark.parametrize("target", ["../../../../secret.txt", "/etc/passwd", "../../../../secret.md"])
def test_attachment_that_is_a_link_out_of_the_tree_is_refused(site, tmp_path, target):
    assert (site / "content/styrelsen/bilagor" / target).is_file()  # the link leads somewhere
    os.symlink(target, site / "content" / "styrelsen" / "bilagor" / "b.pdf")
    protokoll(site, "bilagor/b.pdf")
    assert_refused(site, "content/styrelsen/m.md:12: error: the attachment file 'bilagor/b.pdf' is a link to a "
                         "place outside content/, and is not published", tmp_path)


def test_attachment_page_that_is_a_link_out_of_the_tree_is_refused(site, tmp_path):
    os.symlink(tmp_path / "secret.md", site / "content" / "styrelsen" / "bilagor" / "b.md")
    protokoll(site, "bilagor/b.md")
    assert_refused(site, "the attachment file 'bilagor/b.md' is a link to a place outside content/", tmp_path)


def test_a_link_out_found_by_its_other_spelling_of_a_letter_is_refused(site, tmp_path):
    # The name as written (å composed) is not there; the entry spelt as macOS spells it
    # (å decomposed) is a link out of content/.
    import unicodedata

    name = "hemlig-å.txt"
    os.symlink(tmp_path / "secret.txt", site / "content/styrelsen/bilagor" / unicodedata.normalize("NFD", name))
    protokoll(site, f"bilagor/{name}")
    assert_refused(site, f"the attachment file 'bilagor/{name}' is a link to a place outside content/", tmp_path)


@pytest.mark.parametrize("make", [os.symlink, os.link, shutil.copyfile])
def test_a_meeting_document_reached_from_the_attachment_folder_is_no_attachment(site, tmp_path, make):
    # A link in bilagor/ to the minutes beside it, or a copy of them there: published as
    # a page, either would show the minutes' source, secret paragraphs and all.
    minutes = protokoll(site, name="2023-12-10-protokoll.md")
    minutes.write_text(minutes.read_text().replace("2024-03-01", "2023-12-10").replace("Text.", SECRET))
    make(minutes, site / "content/styrelsen/bilagor/extra.md")
    protokoll(site, "bilagor/extra.md")
    assert_refused(site, "content/styrelsen/m.md:12: error: the attachment file 'bilagor/extra.md' is a meeting "
                         "document", tmp_path)


def test_the_same_file_listed_twice_is_told_so_however_its_letters_are_stored(site):
    import unicodedata

    name = "Årsrapport.pdf"
    (site / "content/styrelsen/bilagor" / unicodedata.normalize("NFD", name)).write_bytes(b"%PDF-1.4")
    front = FRONT + (f"bilagor:\n  - title: A\n    file: bilagor/{name}\n"
                     f"  - title: B\n    file: bilagor/{name}\n")
    (site / "content" / "styrelsen" / "m.md").write_text(f"---\n{front}---\n\n{BODY}")
    assert [e.split(" (")[0] for e in errors(site)] == [
        f"content/styrelsen/m.md:14: error: the file 'bilagor/{name}' is listed twice"]


@pytest.mark.parametrize("target", ["../../../secret.md", "/etc/passwd"])
def test_content_file_that_is_a_link_out_of_the_tree_is_refused(site, tmp_path, target):
    protokoll(site)
    os.symlink(target, site / "content" / "styrelsen" / "l.md")
    assert_refused(site, "content/styrelsen/l.md: error: this file links to a place outside content/", tmp_path)


def test_linked_folder_in_content_is_reported_not_skipped(site, tmp_path):
    protokoll(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.md").write_text(f"---\n{FRONT.replace('2024-03-01', '2024-04-01')}---\n\n{BODY}")
    os.symlink(elsewhere, site / "content" / "styrelsen" / "2024")
    assert_refused(site, "content/styrelsen/2024: error: this folder is a link to another place", tmp_path)


def test_unreadable_folder_in_content_is_reported_not_skipped(site, tmp_path):
    protokoll(site)
    (site / "content" / "styrelsen" / "2024").mkdir()
    protokoll(site, name="2024/x.md")
    (site / "content" / "styrelsen" / "2024").chmod(0)
    try:
        checked = run_without_privileges([sys.executable, "-m", "site_gen.cli", "check"], site)
    finally:
        (site / "content" / "styrelsen" / "2024").chmod(0o755)
    assert checked.returncode == 1, checked.stdout
    assert ("content/styrelsen/2024\n  file: error: this folder cannot be read (Permission denied), "
            "so its documents would be left off the site" in checked.stdout), checked.stdout


@pytest.mark.parametrize("name", ["b.pdf", "b.md"])
def test_unreadable_attachment_is_an_error_not_a_crash(site, name):
    attachment = site / "content" / "styrelsen" / "bilagor" / name
    attachment.write_text("Bilaga.")
    protokoll(site, f"bilagor/{name}")
    attachment.chmod(0)
    built = run_without_privileges([sys.executable, "-m", "site_gen.cli", "build"], site)
    assert built.returncode == 1 and "internal error" not in built.stderr, built.stderr
    assert (f"content/styrelsen/m.md:12: error: the attachment file 'bilagor/{name}' cannot be read "
            "(Permission denied) (give site-gen permission to read it)") in built.stderr, built.stderr


def test_attachment_given_as_a_web_address_is_told_so(site):
    protokoll(site, "https://example.se/budget.pdf")
    assert errors(site) == ["content/styrelsen/m.md:12: error: the attachment file 'https://example.se/budget.pdf' is "
                            "a web address, not a file (save the file in the 'bilagor' folder next to the document "
                            "and name it here, or give the address in the text instead)"]


def test_missing_attachment_is_one_error_not_also_an_unknown_mention(site):
    path = protokoll(site, "bilagor/saknas.pdf")
    path.write_text(path.read_text().replace("Text.", "Se bilaga 1."))
    assert errors(site) == ["content/styrelsen/m.md:12: error: the attachment file 'bilagor/saknas.pdf' does "
                            "not exist (looked for content/styrelsen/bilagor/saknas.pdf)"]


def test_file_name_not_in_utf8_is_an_error_not_a_crash(site, tmp_path):
    protokoll(site)
    latin1 = os.fsencode(site / "content" / "styrelsen") + b"/m\xf6te.md"
    with open(latin1, "w") as handle:
        handle.write(f"---\n{FRONT.replace('2024-03-01', '2024-04-01')}---\n\n{BODY}")
    assert_refused(site, "content/styrelsen/m\udcf6te.md: error: this name is not text site-gen can show "
                         "on the site: it was saved in another character encoding than UTF-8", tmp_path)


@pytest.mark.parametrize("name", ["m.MD", "m.markdown", "m.md.txt"])
def test_markdown_file_not_named_md_is_reported_not_skipped(site, tmp_path, name):
    protokoll(site)
    protokoll(site, name=name)
    assert_refused(site, f"content/styrelsen/{name}: error: this file is not read: only files whose "
                         "name ends in '.md' are documents (rename it to 'm.md')", tmp_path)


def test_link_inside_content_to_a_file_inside_content_is_fine(site):
    protokoll(site)
    (site / "content" / "styrelsen" / "bilagor" / "real.pdf").write_bytes(b"%PDF")
    os.symlink("real.pdf", site / "content" / "styrelsen" / "bilagor" / "b.pdf")
    protokoll(site, "bilagor/b.pdf")
    build(site)
    assert (site / "output" / "styrelsen" / "2024-03-01" / "bilagor" / "b.pdf").read_bytes() == b"%PDF"


@pytest.mark.parametrize("target", ["../../secret.txt", "/etc/passwd"])
def test_static_file_that_is_a_link_out_of_the_tree_is_refused(site, tmp_path, target):
    protokoll(site)
    (site / "static").mkdir()
    os.symlink(target, site / "static" / "logo.svg")
    with pytest.raises(SiteGenError, match="static/logo.svg: this file is a link to a place outside"):
        build(site)
    assert SECRET.encode() not in published(tmp_path)
    assert not (site / "output").exists()


@pytest.mark.parametrize("theme", ["../../..", "../secret", "/etc", "default/../../x", ".", "..", "a/b", ""])
def test_theme_must_be_a_plain_folder_name(site, theme):
    protokoll(site)
    (site / "site.yml").write_text(SITE_YML + f"theme: '{theme}'\n")
    found = errors(site)
    assert any(problem.startswith("site.yml:7: error:") and "theme" in problem or "is empty" in problem
               for problem in found), found
    with pytest.raises(SiteGenError):
        build(site)


def test_a_theme_that_does_not_exist_is_found_by_check_as_by_build(site):
    protokoll(site)
    (site / "site.yml").write_text(SITE_YML + "theme: nosuch\n")
    assert [p for p in errors(site) if "theme" in p] == [
        f"site.yml:7: error: the theme 'nosuch' was not found (looked in {site / 'themes'} and among the themes "
        "shipped with site-gen; write 'default' or the name of a folder under themes/)"]


def test_theme_folder_beside_the_site_is_used(site):
    protokoll(site)
    from site_gen.load.config import theme_dir

    shipped = theme_dir(site, "default")
    (site / "themes").mkdir()
    os.symlink(shipped, site / "themes" / "mitt-tema")
    (site / "site.yml").write_text(SITE_YML + "theme: mitt-tema\n")
    build(site)
    assert (site / "output" / "static" / "style.css").exists()


@pytest.mark.parametrize("slug", ["../x", "..", "/etc", "a/b", "A", "amnen", "static", "sok", "pagefind", "data",
                                  ".hidden", "x y", "ö"])
def test_organ_ids_cannot_be_paths_or_reserved(site, slug):
    (site / "site.yml").write_text(SITE_YML + f"  '{slug}':\n    name: X\n")
    assert any(problem.startswith("site.yml:7: error: the organ id") for problem in errors(site)), errors(site)


def test_page_paths_come_from_slugs_not_from_text(site):
    front = FRONT.replace("Lena Lind", "../../../../x/Lena Lind") + "paragraphs:\n  1:\n    topics: ['../../../etc', '/', '..']\n"
    (site / "content" / "styrelsen" / "m.md").write_text(f"---\n{front}---\n\n{BODY}")
    build(site)
    output = (site / "output").resolve()
    for path in output.rglob("*"):
        assert path.resolve().is_relative_to(output)
    assert not (site.parent / "x").exists() and not (site.parent / "etc").exists()
    topics = sorted(p.name for p in (output / "amnen").iterdir() if p.is_dir())
    assert topics == ["etc", "x"]  # '/' and '..' have no letters: slug 'x'


def test_attachment_file_names_that_collide_on_the_site_are_an_error(site):
    folder = site / "content" / "styrelsen" / "bilagor"
    (folder / "Budget 2024.pdf").write_bytes(b"a")
    (folder / "budget-2024.pdf").write_bytes(b"b")
    front = FRONT + ("bilagor:\n  - title: A\n    file: bilagor/Budget 2024.pdf\n"
                     "  - title: B\n    file: bilagor/budget-2024.pdf\n")
    (site / "content" / "styrelsen" / "m.md").write_text(f"---\n{front}---\n\n{BODY}")
    assert "content/styrelsen/m.md:14: error: the attachments 'bilagor/Budget 2024.pdf' and " \
           "'bilagor/budget-2024.pdf' would both be published as budget-2024.pdf (rename one of the files)" \
           in errors(site)


@pytest.mark.parametrize("base_url", ['https://example.se/"><script>alert(1)</script>/',
                                      "https://example.se/a b/", "javascript:alert(1)//", "//example.se/"])
def test_base_url_must_be_a_plain_web_address(site, base_url):
    protokoll(site)
    (site / "site.yml").write_text(SITE_YML + f"base_url: '{base_url}'\n")
    assert any(problem.startswith("site.yml:7: error: base_url") for problem in errors(site)), errors(site)


@pytest.mark.parametrize("kind", ["pipe", "folder"])
def test_a_document_that_is_not_a_regular_file_is_an_error_not_a_hang(site, tmp_path, kind):
    protokoll(site)
    odd = site / "content" / "styrelsen" / "x.md"
    if kind == "pipe":
        os.mkfifo(odd)  # reading it would wait for a writer forever
    else:
        odd.mkdir()
    assert_refused(site, "content/styrelsen/x.md: error: this is not a regular file", tmp_path)


def test_a_loop_of_links_is_an_error_not_a_crash(site, tmp_path):
    protokoll(site, "bilagor/loop.pdf")
    folder = site / "content" / "styrelsen"
    os.symlink("b.md", folder / "a.md")
    os.symlink("a.md", folder / "b.md")
    os.symlink("loop.pdf", folder / "bilagor" / "loop.pdf")
    found = errors(site)
    assert "content/styrelsen/a.md: error: this is not a regular file (a folder, a pipe, or a link that " \
           "leads nowhere) and is not read (a document must be an ordinary text file)" in found
    assert "content/styrelsen/m.md:12: error: the attachment file 'bilagor/loop.pdf' is a link that leads " \
           "nowhere, and is not published (copy the file into the folder instead of linking to it)" in found
    with pytest.raises(SiteGenError):
        build(site)


def test_a_site_with_no_meetings_yet_has_no_error_about_it(site):
    shutil.rmtree(site / "content")
    (site / "content").mkdir()
    assert errors(site) == []


def test_a_missing_content_folder_stops_the_build_and_keeps_the_published_site(site):
    # A content/ that is a link to a share not connected, or gone: a site of no meetings
    # would replace the published one (and rsync --delete would empty the host).
    protokoll(site)
    build(site)
    published = (site / "output" / "index.html").read_text()
    shutil.rmtree(site / "content")
    os.symlink("/nonexistent/share/content", site / "content")
    assert errors(site) == ["content: error: content/ is a link to /nonexistent/share/content, which is not "
                            "there (a network share not connected?), so the site would have no meetings "
                            "(site-gen init makes a new site with its folders)"]
    with pytest.raises(SiteGenError):
        build(site)
    (site / "content").unlink()
    assert errors(site) == ["content: error: there is no content/ folder, so the site would have no "
                            "meetings (site-gen init makes a new site with its folders)"]
    assert (site / "output" / "index.html").read_text() == published


def test_an_output_folder_that_cannot_be_removed_is_told_and_does_not_block_later_builds(site):
    # As one 'sudo site-gen build' leaves it: the next build, as its user, publishes, but
    # cannot delete the output it replaced. That is told, and no later build is stuck on it.
    protokoll(site)
    build(site)
    for folder in [site / "output", *(p for p in (site / "output").rglob("*") if p.is_dir())]:
        folder.chmod(0o555)
    (site / "site.yml").write_text(SITE_YML.replace("title: T", "title: Ny titel"))
    try:
        built = run_without_privileges([sys.executable, "-m", "site_gen.cli", "build"], site)
        assert built.returncode == 0, built.stderr
        assert "Ny titel" in (site / "output" / "index.html").read_text()
        assert "warning: the site was published, but the output it replaced could not be removed " \
               "(Permission denied)" in built.stderr
        path = site / "content" / "styrelsen" / "m.md"
        path.write_text(path.read_text().replace("date: 2024-03-01", "date: 2024-02-30"))
        again = run_without_privileges([sys.executable, "-m", "site_gen.cli", "build"], site)
        assert again.returncode == 1 and "internal error" not in again.stderr, again.stderr
        assert "'date' is 2024-02-30, which is not a real date" in again.stderr
    finally:
        for folder in site.glob(".output*"):
            for each in [folder, *folder.rglob("*")]:
                if each.is_dir():
                    each.chmod(0o755)


def test_a_build_cache_that_cannot_be_used_is_told_and_left_alone(site):
    protokoll(site)
    build(site)
    cache = site / ".site-gen-cache"
    path = site / "content" / "styrelsen" / "m.md"
    path.write_text(path.read_text().replace("Text.", "Ny text."))
    folders = [cache, *(p for p in cache.rglob("*") if p.is_dir())]
    for folder in reversed(folders):
        folder.chmod(0)
    try:
        built = run_without_privileges([sys.executable, "-m", "site_gen.cli", "build"], site)
        checked = run_without_privileges([sys.executable, "-m", "site_gen.cli", "check"], site)
    finally:
        for folder in folders:
            folder.chmod(0o755)
    assert built.returncode == 0, built.stderr
    assert ".site-gen-cache: warning: the build cache cannot be used (Permission denied), so everything " \
           "is read and written anew" in built.stderr
    assert "Ny text." in (site / "output" / "styrelsen" / "2024-03-01" / "index.html").read_text()
    assert checked.returncode == 0 and "the build cache cannot be used" in checked.stdout, checked.stdout


@pytest.mark.parametrize("name", ["site.yml", "static/extra.css", "templates/base.html"])
def test_an_unreadable_file_of_the_site_is_an_error_not_a_crash(site, name):
    protokoll(site)
    path = site / name
    if not path.exists():
        path.parent.mkdir()
        path.write_text("body { color: green }" if name.endswith(".css") else "{% block main %}{% endblock %}")
    path.chmod(0)
    try:
        built = run_without_privileges([sys.executable, "-m", "site_gen.cli", "build"], site)
        checked = run_without_privileges([sys.executable, "-m", "site_gen.cli", "check"], site)
    finally:
        path.chmod(0o644)
    for said in (built.stderr, checked.stdout):
        assert "internal error" not in said
    assert f"{name}: error: the file cannot be read (Permission denied) (give site-gen permission to read it)" \
        in built.stderr, built.stderr
    assert built.returncode == checked.returncode == 1
    assert not (site / "output").exists()


def test_init_where_nothing_can_be_written_or_inside_a_sites_content_is_refused(site, tmp_path):
    (tmp_path / "ro").mkdir()
    (tmp_path / "ro").chmod(0o555)
    try:
        refused = run_without_privileges([sys.executable, "-m", "site_gen.cli", "init", "ro/ny"], tmp_path)
    finally:
        (tmp_path / "ro").chmod(0o755)
    assert refused.returncode == 1 and "internal error" not in refused.stderr, refused.stderr
    assert "site-gen: cannot create a site in ro/ny: Permission denied" in refused.stderr
    nested = subprocess.run([sys.executable, "-m", "site_gen.cli", "init", "content/ny"], cwd=site,
                            capture_output=True, text=True, timeout=60)
    assert nested.returncode == 1
    assert f"content/ny is inside the content/ folder of the site in {site}" in nested.stderr
    assert not (site / "content" / "ny").exists()
    beside = subprocess.run([sys.executable, "-m", "site_gen.cli", "init", "content/../../granne"], cwd=site,
                            capture_output=True, text=True, timeout=60)
    assert beside.returncode == 0, beside.stderr  # the path only passes through content/
    assert (site.parent / "granne" / "site.yml").is_file()


def test_a_build_where_there_is_no_site_makes_nothing(tmp_path):
    (tmp_path / "tom").mkdir()
    for folder in ("tom", "finns-inte/heller"):
        built = subprocess.run([sys.executable, "-m", "site_gen.cli", "build", "--site", folder], cwd=tmp_path,
                               capture_output=True, text=True, timeout=60)
        assert built.returncode == 1 and "no site.yml found" in built.stderr, built.stderr
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["tom"]


@pytest.mark.parametrize("command", ["build", "check", "serve"])
def test_a_site_yml_that_is_a_folder_or_a_broken_link_is_told_as_such(tmp_path, command):
    folder = tmp_path / "mapp"
    (folder / "site.yml").mkdir(parents=True)
    link = tmp_path / "lank"
    link.mkdir()
    (link / "site.yml").symlink_to(tmp_path / "utdelning" / "site.yml")
    for site, said in ((folder, "site.yml in {} is not a file (a folder, or another kind of entry)"),
                       (link, "site.yml in {} is a link to {}, which is not there")):
        run = subprocess.run([sys.executable, "-m", "site_gen.cli", command, "--site", str(site),
                              *(["--port", "8000"] if command == "serve" else [])],
                             capture_output=True, text=True, timeout=60)
        told = run.stdout + run.stderr
        assert run.returncode == 1 and said.format(site, tmp_path / "utdelning" / "site.yml") in told, told
        assert "Traceback" not in told and "no site.yml found" not in told
    assert sorted(p.name for p in folder.iterdir()) == ["site.yml"]  # nothing made beside it (site.yml is checked before the port)


def test_init_of_an_empty_name_is_refused(tmp_path):
    # As from a script's site-gen init "$NAME" with NAME unset: not the current folder.
    refused = subprocess.run([sys.executable, "-m", "site_gen.cli", "init", ""], cwd=tmp_path,
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "the folder's name is empty" in refused.stderr
    assert list(tmp_path.iterdir()) == []
