"""Script, event handlers, frames, javascript: and data: links and template syntax in
every text a writer controls: none reaches the site as active content, none is
evaluated, and front-matter text is shown literally (escaped)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import active_content, unexpected_active_content, visible_text

from site_gen.build import build
from site_gen.load.markdown import to_html

# Template syntax whose evaluation would leave a number that appears nowhere else.
TEMPLATE = "{{ 12345*3 }} {% set x = 4321*3 %}{{ x }} ${7*7} #{7*7} {{ 7*7 }}"
EVALUATED = ("37035", "12963")
ACTIVE = ('<script>alert(1)</script><img src=x onerror=alert(1)><iframe src="javascript:alert(1)">'
          '</iframe><svg onload=alert(1)><a href="javascript:alert(1)">j</a> '
          '<a href="data:text/html;base64,PHNjcmlwdD4=">d</a> javascript:alert(1)')
PAYLOAD = f"{ACTIVE} {TEMPLATE}"


def field(label: str) -> str:
    """A front-matter value: a label to find it by, then the payload."""
    return f"{label} {PAYLOAD}"


def quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


CHAIR = field("NAMN-ORDF")
MEMBER = field("NAMN-LEDAMOT")
SECRETARY = field("NAMN-SEKR")
# Front-matter and site.yml fields shown as text on some page, by label.
SHOWN_FIELDS = ["SAJT-TITEL", "ORGANISATION", "ORGAN-NAMN", "FORVARAS", "TID", "PLATS", "REPRESENTERAR",
                "TITEL", "ROLL", "ANSLAG-HOS", "BILAGA-TITEL", "BILAGA-FIL-TITEL", "AMNE", "RESERVATION",
                "ANTECKNING", "SEKRETESS", "KALLELSE-TITEL", "KALLELSE-TID", "KALLELSE-PLATS",
                "KALLELSE-BILAGA", "NAMN-ORDF", "NAMN-LEDAMOT", "NAMN-SEKR"]


def hostile_site(root: Path) -> Path:
    (root / "content" / "styrelsen" / "bilagor").mkdir(parents=True)
    (root / "site.yml").write_text(f"""\
title: {quoted(field("SAJT-TITEL"))}
organisation: {quoted(field("ORGANISATION"))}
organs:
  styrelsen:
    name: {quoted(field("ORGAN-NAMN"))}
    förvaras: {quoted(field("FORVARAS"))}
""", encoding="utf-8")
    (root / "content" / "styrelsen" / "2024-03-01-protokoll.md").write_text(f"""\
---
kind: protokoll
date: 2024-03-01
time: {quoted(field("TID"))}
place: {quoted(field("PLATS"))}
beslutande:
  - name: {quoted(CHAIR)}
    represents: {quoted(field("REPRESENTERAR"))}
    role: ordförande
  - name: {quoted(MEMBER)}
    role: {quoted(field("ROLL"))}
övriga_deltagare:
  - name: {quoted(SECRETARY)}
    title: {quoted(field("TITEL"))}
sekreterare: {quoted(SECRETARY)}
justerare: {quoted(MEMBER)}
justeringsdatum: 2024-03-08
anslag:
  hos: {quoted(field("ANSLAG-HOS"))}
  uppsättande: 2024-03-11
  nedtagande: 2024-04-02
bilagor:
  - title: {quoted(field("BILAGA-TITEL"))}
  - title: {quoted(field("BILAGA-FIL-TITEL"))}
    file: "bilagor/x\\" onmouseover=\\"alert(1)\\" <b>.pdf"
  - title: Sida
    file: bilagor/sida.md
paragraphs:
  1:
    topics: [{quoted(field("AMNE"))}]
    reservation:
      - name: {quoted(MEMBER)}
        text: {quoted(field("RESERVATION"))}
    protokollsanteckning:
      - name: {quoted(CHAIR)}
        text: {quoted(field("ANTECKNING"))}
    jäv: [{quoted(SECRETARY)}]
    votering:
      ja: [{quoted(CHAIR)}]
      nej: [{quoted(MEMBER)}]
  3:
    sekretess: {quoted(field("SEKRETESS"))}
---

## § 1 RUBRIK-1 {PAYLOAD}

TEXT-1 {PAYLOAD} (Bilaga 2, bilaga 3)

[länk](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) [bild](data:image/png;base64,AAAA)
<javascript:alert(1)> ![x](javascript:alert(1)) <a href="jav&#x09;ascript:alert(1)">t</a>

**Beslut:** Styrelsen beslutade att BESLUT-1 {PAYLOAD}.

## § 2 **RUBRIK-2** <b onmouseover=alert(1)>fet</b> {{{{ 12345*3 }}}}

### Beslut

Styrelsen beslutar att A <script>alert(2)</script>, att B {{{{ 12345*3 }}}}.

```
KOD {PAYLOAD}
```

## § 3 Sekretess

Hemligt {PAYLOAD}
""", encoding="utf-8")
    (root / "content" / "styrelsen" / "bilagor" / 'x" onmouseover="alert(1)" <b>.pdf').write_bytes(b"%PDF-1.4\n")
    (root / "content" / "styrelsen" / "bilagor" / "sida.md").write_text(
        f"# BILAGESIDA {PAYLOAD}\n\n{PAYLOAD}\n", encoding="utf-8")
    (root / "content" / "styrelsen" / "2024-03-01-kallelse.md").write_text(f"""\
---
kind: kallelse
date: 2024-03-01
time: {quoted(field("KALLELSE-TID"))}
place: {quoted(field("KALLELSE-PLATS"))}
title: {quoted(field("KALLELSE-TITEL"))}
bilagor:
  - title: {quoted(field("KALLELSE-BILAGA"))}
---

## 1. PUNKT-1 {PAYLOAD} – beslut

Anna Andersson föredrar {PAYLOAD}

Förslag till beslut: FORSLAG {PAYLOAD}
""", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def hostile_output(tmp_path_factory) -> Path:
    root = hostile_site(tmp_path_factory.mktemp("hostile"))
    build(root)
    return root / "output"


def pages(output: Path) -> dict[str, str]:
    return {p.relative_to(output).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(output.rglob("*.html"))}


def test_no_active_content_from_sources_on_any_page(hostile_output, theme_active_content):
    found = {name: unexpected_active_content(html, theme_active_content)
             for name, html in pages(hostile_output).items()}
    assert {name: items for name, items in found.items() if items} == {}
    assert len(found) > 10


def test_no_script_element_event_handler_or_javascript_link(hostile_output, theme_active_content):
    for name, html in pages(hostile_output).items():
        for item in active_content(html):
            assert item[0] != "attribute", (name, item)  # no on* attribute at all
            # Scripts only the theme's own (the notice board's, the search page's), code and all.
            assert not (item[0] == "element" and item[1] in ("script", "iframe", "svg", "img")
                        and item not in theme_active_content), (name, item)
            assert item[0] != "url", (name, item)  # no javascript:, data:, vbscript: …


def test_template_syntax_is_never_evaluated(hostile_output):
    everything = b"".join(p.read_bytes() for p in hostile_output.rglob("*") if p.is_file())
    for number in EVALUATED:
        assert number.encode() not in everything
    assert b"{{ 12345*3 }}" in everything


@pytest.mark.parametrize("label", SHOWN_FIELDS)
def test_every_front_matter_field_is_shown_literally(hostile_output, label):
    """The whole value, tags and template syntax included, is text on the page."""
    shown = [name for name, html in pages(hostile_output).items()
             if f"{label} {PAYLOAD}" in visible_text(html)]
    assert shown, f"{label} is not shown literally on any page"
    for name in shown:
        html = (hostile_output / name).read_text(encoding="utf-8")
        assert f"{label} &lt;script&gt;alert(1)&lt;/script&gt;" in html
        # Where it is shown, the template syntax stands as written.
        assert "{{ 7*7 }}" in html and f"{label} 49" not in visible_text(html)


@pytest.mark.parametrize("label", ["RUBRIK-1", "TEXT-1", "BESLUT-1", "BILAGESIDA", "PUNKT-1", "FORSLAG"])
def test_markdown_text_keeps_template_syntax_as_text_and_drops_active_html(hostile_output, label):
    texts = [visible_text(html) for html in pages(hostile_output).values()]
    found = [t for t in texts if label in t]
    assert found, label
    for text in found:
        start = text.index(label)
        shown = text[start:text.index("{{ 7*7 }}", start)]  # up to the end of the payload
        # Markdown reads '*' as emphasis, so '12345*3' may lose it, but nothing is evaluated.
        assert "{% set x = " in shown and "{{ x }}" in shown and "${7" in shown
        assert "<script>" not in shown  # the raw script element is removed, not shown


def test_code_blocks_show_html_as_text(hostile_output):
    page = (hostile_output / "styrelsen" / "2024-03-01" / "index.html").read_text(encoding="utf-8")
    assert "KOD &lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_secret_paragraph_payload_never_reaches_output(hostile_output):
    everything = b"".join(p.read_bytes() for p in hostile_output.rglob("*") if p.is_file())
    assert b"Hemligt" not in everything


def test_attachment_with_hostile_file_name_is_published_under_a_safe_name(hostile_output):
    folder = hostile_output / "styrelsen" / "2024-03-01" / "bilagor"
    assert [p.name for p in folder.iterdir()] == ["x-onmouseover-alert-1-b.pdf"]
    page = (hostile_output / "styrelsen" / "2024-03-01" / "index.html").read_text(encoding="utf-8")
    assert 'href="bilagor/x-onmouseover-alert-1-b.pdf">Bilaga 2</a>' in page


@pytest.mark.parametrize("source", [
    "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](java\tscript:alert(1))",
    "[x](&#106;avascript:alert(1))", "[x](vbscript:msgbox(1))", "[x](data:text/html,<script>alert(1)</script>)",
    "[x](data:image/svg+xml;base64,PHN2Zz4=)", "[x](data:image/png;base64,AAAA)", "[x](file:///etc/passwd)",
    "<javascript:alert(1)>", "<a href='javascript:alert(1)'>x</a>", "<a href=' javascript:alert(1)'>x</a>",
    "<a href='data:text/html,x'>x</a>", "![x](javascript:alert(1))", "<a href=\"&#x6A;avascript:alert(1)\">x</a>",
    "[x][r]\n\n[r]: javascript:alert(1)", "[x](<javascript:alert(1)>)", "<form action='javascript:alert(1)'><button>x",
    "<math><mi xlink:href='javascript:alert(1)'>x</mi></math>", "<object data='javascript:alert(1)'></object>",
    "<embed src='javascript:alert(1)'>", "<base href='javascript:alert(1)//'>",
    "<meta http-equiv='refresh' content='0;url=javascript:alert(1)'>",
    "<p style='background:url(javascript:alert(1))'>x</p>", "<td style='x:expression(alert(1))'>x</td>",
    "<details open ontoggle=alert(1)>", "<body onload=alert(1)>", "<input autofocus onfocus=alert(1)>",
])
def test_markdown_links_and_html_allow_only_safe_urls(source):
    html = to_html(source)
    assert active_content(html) == [], html
    assert not re.search(r"javascript:|vbscript:|data:", " ".join(
        re.findall(r'(?:href|src|action|data)="([^"]*)"', html)), re.I), html


@pytest.mark.parametrize("source,href", [
    ("[x](https://example.se/a?b=1&c=2)", "https://example.se/a?b=1&amp;c=2"),
    ("[x](mailto:registrator@example.se)", "mailto:registrator@example.se"),
    ("[x](../2021-06-01/)", "../2021-06-01/"),
    ("<https://example.se>", "https://example.se"),
    ("<a href=\"http://example.se/\">x</a>", "http://example.se/"),
])
def test_safe_links_survive(source, href):
    assert f'href="{href}"' in to_html(source)
