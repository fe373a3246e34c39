"""The complete protokoll examples in the README and docs/format.md, and the snippets of
format.md, pass every check:
a writer who copies one as the start of their own gets no error and no warning."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import MINIMAL_SITE_YML

from site_gen.build import check_site
from site_gen.validate import formats

ROOT = Path(__file__).resolve().parent.parent
WHOLE_DOCUMENT = re.compile(r"```markdown\n(---\nkind:.*?)```", re.S)


@pytest.mark.parametrize("doc", ["README.md", "docs/format.md"])
def test_each_complete_example_passes_every_check(tmp_path, doc):
    examples = WHOLE_DOCUMENT.findall((ROOT / doc).read_text(encoding="utf-8"))
    assert examples, f"{doc} no longer holds a complete example"
    for number, example in enumerate(examples):
        site = tmp_path / str(number)
        (site / "content" / "styrelsen").mkdir(parents=True)
        # As the README advises: where the organ's minutes are kept is said once, in site.yml.
        (site / "site.yml").write_text(MINIMAL_SITE_YML + "    förvaras: Kansliet\nbase_url: https://example.se/\n",
                                       encoding="utf-8")
        (site / "content" / "styrelsen" / "example.md").write_text(example, encoding="utf-8")
        assert [p.format() for p in check_site(site).items] == [], f"example {number + 1} of {doc}"


def test_each_snippet_of_the_format_reference_passes_every_check_in_its_place(tmp_path):
    """A YAML snippet (a key or two) dropped into the complete example, or into
    site.yml, where its keys belong."""
    page = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    example = WHOLE_DOCUMENT.findall(page)[0]
    _, front, body = example.split("---\n", 2)
    snippets = [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", page, re.S)]
    assert snippets, "docs/format.md no longer holds a snippet"
    for number, snippet in enumerate(snippets):
        site_yml = yaml.safe_load(MINIMAL_SITE_YML)
        meta = yaml.safe_load(front)
        if set(snippet) <= set(formats.CONFIG.fields):
            site_yml.update(snippet)
        else:
            assert set(snippet) <= set(formats.PROTOKOLL.fields), f"snippet {number + 1}: whose keys?"
            meta.update(snippet)
        site = tmp_path / str(number)
        (site / "content" / "styrelsen").mkdir(parents=True)
        site_yml.setdefault("base_url", "https://example.se/")
        site_yml["organs"]["styrelsen"]["förvaras"] = "Kansliet"
        (site / "site.yml").write_text(yaml.safe_dump(site_yml, allow_unicode=True), encoding="utf-8")
        (site / "content" / "styrelsen" / "example.md").write_text(
            "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body,
            encoding="utf-8")
        assert [p.format() for p in check_site(site).items] == [], f"snippet {number + 1} of docs/format.md"


def test_the_format_reference_has_a_row_for_every_key():
    rows = set(re.findall(r"^\| `([^`]+)` \|", (ROOT / "docs" / "format.md").read_text(encoding="utf-8"), re.M))
    tables = [formats.PROTOKOLL, formats.KALLELSE, formats.PARAGRAPH, formats.AGENDA_ITEM, formats.PERSON,
              formats.ANSLAG, formats.BILAGA, formats.RATTELSE, formats.CONFIG, formats.ORGAN, formats.TILLGANGLIGHET]
    keys = {key for table in tables for key in table.fields}
    assert keys - rows == set()


def test_the_sample_check_output_is_what_check_prints_for_the_example_site():
    sample = re.search(r"```console\n\$ site-gen check\n(.*?)```", (ROOT / "docs/checks.md").read_text(encoding="utf-8"),
                       re.S).group(1)
    printed = subprocess.run([sys.executable, "-m", "site_gen.cli", "check"], cwd=ROOT, capture_output=True,
                             text=True, timeout=120)
    assert printed.stdout + printed.stderr == sample


def test_the_template_reference_names_what_each_template_gets():
    """docs/templates.md has a row for every page template of the default theme, naming
    every name pages.py hands it (the test site has every kind of page but one)."""
    from site_gen.build import load_site
    from site_gen.problems import Problems
    from site_gen.site.pages import site_pages

    page = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    table = page.split("## What each template gets", 1)[1].split("\n## ", 1)[0]
    rows = dict(re.findall(r"^\| `([^`]+)` \| (.*) \|$", table, re.M))
    templates = {p.name for p in (ROOT / "themes" / "default" / "templates").iterdir()
                 if not p.name.startswith("_") and p.name != "base.html"}  # base.html: what pages extend
    assert set(rows) == templates
    minisite = Path(__file__).parent / "fixtures" / "minisite"
    given: dict[str, set[str]] = {}
    for each in site_pages(load_site(minisite, Problems(root=minisite), use_cache=False)):
        given.setdefault(each.template, set()).update(each.context)
    for template, names in given.items():
        if template:  # the open data files have no template
            documented = set(re.findall(r"`([a-z_]+)`(?:[:;,( ]|$)", rows[template])) - {"site"}
            # A row names the page's own objects before any field of them (meeting.protokoll).
            assert names <= documented, f"{template}: {names - documented} not in docs/templates.md"


def test_the_command_reference_names_every_command_and_option():
    import argparse

    from site_gen.cli import _parser

    page = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    parser = _parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    for name, command in {"": parser, **commands}.items():
        assert not name or f"## site-gen {name}\n" in page, name
        for action in command._actions:
            for option in action.option_strings:
                assert option in ("-h", "--help") or f"`{option}" in page, f"site-gen {name} {option}"


def test_the_architecture_page_places_every_module():
    """A module added to site_gen must be placed in the map contributors read first, by
    its path: the folder says which stage it belongs to."""
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = ({name.removesuffix(".py") + ".py" for name in re.findall(r"`([a-z_/]+)`", page)}
             | set(re.findall(r"`([a-z_/]+\.py)`", page)) | set(re.findall(r"^  ([a-z_]+/)", page, re.M)))
    package = ROOT / "site_gen"
    modules = {p.relative_to(package).as_posix() for p in package.rglob("*.py")
               if p.stem != "__init__" or p.parent != package and _has_code(p)}
    stages = {f"{p.parent.name}/" for p in package.glob("*/__init__.py")}
    assert (modules | stages) - named == set(), "not placed in docs/architecture.md"


def _has_code(module: Path) -> bool:
    """Whether a module holds more than its docstring (a stage folder's __init__.py may not)."""
    import ast

    body = ast.parse(module.read_text(encoding="utf-8")).body
    return any(not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)) for node in body)
