"""The tillgänglighetsredogörelse: filled from site.yml, with defaults, linked from every page."""

from __future__ import annotations

import re

from helpers import visible_text

from site_gen.build import build, check_site

FIXTURE_STATEMENT = "tillganglighet:\n  kontakt: kansliet@testforbundet.example\n  datum: 2024-02-15\n"


def without_statement(site) -> str:
    """The fixture's site.yml without its 'tillganglighet' block, to be given another."""
    text = (site / "site.yml").read_text()
    assert text.endswith(FIXTURE_STATEMENT)
    return text[:-len(FIXTURE_STATEMENT)]


def statement(site) -> str:
    build(site)
    html = (site / "output" / "tillganglighet" / "index.html").read_text()
    return visible_text(html[html.index("<main"): html.index("</main>")])


def test_defaults_come_from_the_organisation(minisite):
    (minisite / "site.yml").write_text(without_statement(minisite))
    # The law asks for a way to contact the body (the organisation's name is none), and
    # the day the statement was made or last reviewed.
    assert [(p.path, p.line, p.message) for p in check_site(minisite).items] == [
        ("site.yml", 1, "the accessibility statement (tillganglighet/) gives no way to contact you"),
        ("site.yml", 1, "the accessibility statement (tillganglighet/) does not say when it was made or last "
                        "reviewed")]
    text = statement(minisite)
    assert "Testförbundet står bakom webbplatsen Protokoll – Testförbundet." in text
    assert "Webbplatsen är delvis förenlig med lagen om tillgänglighet till digital offentlig service" in text
    assert "kontakta Testförbundet." in text
    assert "Bilagor som publiceras som filer (till exempel PDF) har inte granskats" in text
    assert "WCAG" in text and "Digg" in text
    assert "Redogörelsen upprättades" not in text  # no date unless the site gives one


def test_statement_keys_fill_the_page(minisite):
    config = minisite / "site.yml"
    config.write_text(without_statement(minisite) + (
        "tillganglighet:\n"
        "  kontakt: kansliet@testforbundet.example eller 012-345 67\n"
        "  bedomning: helt förenlig\n"
        "  granskning: Granskad av Tillgänglighetsbyrån i maj 2024.\n"
        "  datum: 2024-05-20\n"))
    text = statement(minisite)
    assert "Webbplatsen är helt förenlig med lagen" in text
    assert "kontakta kansliet@testforbundet.example eller 012-345 67." in text
    assert "Granskad av Tillgänglighetsbyrån i maj 2024." in text
    assert "den måndag 20 maj 2024" in text
    assert "Kända brister" not in text


def test_own_shortcomings_replace_the_default(minisite):
    config = minisite / "site.yml"
    config.write_text(without_statement(minisite) + "tillganglighet:\n  kontakt: k@example.se\n  brister:\n    - Tabeller i äldre protokoll saknar rubriker.\n")
    text = statement(minisite)
    assert "Kända brister Tabeller i äldre protokoll saknar rubriker." in text
    assert "PDF" not in text


def test_statement_keys_are_validated(minisite):
    config = minisite / "site.yml"
    original = without_statement(minisite)
    config.write_text(original + "tillganglighet:\n  kontakt: k@example.se\n  bedömning: ganska bra\n"
                      "  datum: maj 2024\n")
    found = [p.format() for p in check_site(minisite).items]
    line = len(original.splitlines())
    assert f"site.yml:{line + 3}: error: unknown key 'bedömning' in tillganglighet (did you mean 'bedomning'?)" in found
    assert any(p.startswith(f"site.yml:{line + 4}: error: 'tillganglighet → datum' should be a date") for p in found)
    config.write_text(original + "tillganglighet:\n  kontakt: k@example.se\n  bedomning: ganska bra\n"
                      "  datum: 2024-05-20\n")
    [problem] = [p.format() for p in check_site(minisite).items]
    assert "'tillganglighet → bedomning' is 'ganska bra', which is not one of 'helt förenlig' or " \
           "'delvis förenlig' or 'inte förenlig'" in problem


def test_every_page_links_the_statement_in_its_footer(minisite):
    build(minisite)
    for page in (minisite / "output").rglob("*.html"):
        html = page.read_text()
        footer = html[html.index('<footer class="site-footer">'):]
        assert re.search(r'<a href="[^"]*">Tillgänglighetsredogörelse</a>', footer), page
        assert 'kalender.ics" type="text/calendar">' in footer
        assert 'data/site.json" type="application/json">' in footer


def test_the_statement_does_not_claim_the_search_works_without_javascript(minisite):
    # The search page runs Pagefind in the browser; its page says so to a reader without
    # JavaScript, and the statement must not say every page works without it.
    build(minisite)
    search = visible_text((minisite / "output" / "sok" / "index.html").read_text())
    assert "Sökningen behöver JavaScript" in search
    text = statement(minisite)
    assert "Sidorna fungerar utan JavaScript, utom sökningen, som behöver det" in text
