"""Shortcuts taken for speed give exactly the answers of the plain way of computing them."""

from __future__ import annotations

import posixpath
import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from site_gen import domain
from site_gen.load import markdown
from site_gen.site import urls


def _reference_relative(target: str, page_path: str) -> str:
    """The links site-gen has always written, computed with posixpath.relpath."""
    base = page_path if page_path.endswith("/") else posixpath.dirname(page_path) + "/"
    path, hash_, fragment = target.partition("#")
    if hash_ and path == page_path:
        return "#" + fragment
    rel = posixpath.relpath("/" + path, "/" + base)
    if rel == ".":
        rel = "./"
    elif path.endswith("/") or not path:
        rel += "/"
    return rel + (hash_ + fragment if hash_ else "")


PATHS = st.lists(st.sampled_from(["a", "b", "styrelsen", "2021", "index.html", "", ".", ".."]),
                 max_size=4).map("/".join)


@given(PATHS, st.sampled_from(["", "#x", "#paragraf-3"]), PATHS)
def test_relative_links_are_the_ones_relpath_gives(target, fragment, page_path):
    assert urls.relative(target + fragment, page_path) == _reference_relative(target + fragment, page_path)


DIGITS_AND_TEXT = st.text(alphabet=st.sampled_from(list("0123456789-+ §åäöab\n") + ["８", "١"]), max_size=80)


@given(DIGITS_AND_TEXT)
def test_personnummer_search_finds_what_the_full_pattern_finds(text):
    full = [(m.start(), m.group()) for m in domain.PERSONNUMMER.finditer(text)
            if domain.luhn_ok(m.group("date") + m.group("serial"))]
    assert domain.find_personnummer(text) == full


MARKED_DIGITS = st.text(alphabet=st.sampled_from(list("0123456789-+ §åab\n*_`~\\<>&#;") + ["８"]), max_size=80)


@settings(max_examples=500)
@given(MARKED_DIGITS)
@example("**19121212**-1212")
@example("121212\\-1212")
@example("1212`_`12-1212~")
def test_the_quick_look_for_personnummer_misses_none_the_page_would_show(text):
    if domain.find_personnummer(domain.as_read(text)):
        assert domain.may_hold_personnummer(text)


def test_personnummer_in_ordinary_text_is_found():
    assert domain.find_personnummer("Sökande 19811218-9876 ansökte.") == [(8, "19811218-9876")]


HEADING_TEXT = st.text(alphabet=st.sampled_from(list("ab åÄ§1:.-–,;()\"'>/%#+=~{}\t") + ["*", "_", "&", "<", "[", "]",
                                                                                       "`", "\\", "!", "\n", "\r", "\0"]),
                       max_size=40)


@settings(max_examples=500)
@given(HEADING_TEXT)
def test_plain_headings_render_as_markdown_it_renders_them(text):
    tokens = markdown.parser().parseInline(text)
    assert markdown.inline(text) == (markdown.render_tokens(tokens), markdown.plain_text(tokens))


def test_a_heading_with_markup_takes_the_full_way():
    assert markdown.inline("Budget *2024* & <b>plan</b>") == (
        "Budget <em>2024</em> &amp; <b>plan</b>", "Budget 2024 & plan")


@given(st.text(alphabet=st.sampled_from(list("a \t\n§")), max_size=30))
def test_spaces_are_collapsed_as_the_pattern_collapses_them(text):
    assert markdown._single_spaced(text) == re.sub(r"[ \t]+", " ", text)
