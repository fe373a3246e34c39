"""On a phone (375 px wide): no page scrolls sideways, and every column of a wide
table can be reached by touch and by keyboard."""

from __future__ import annotations

import re

import pytest

from .test_accessibility import axe_violations

PHONE = {"width": 375, "height": 667}


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def test_no_page_is_wider_than_the_phone(phone, site_url, example_output):
    pages = sorted(p.parent.relative_to(example_output).as_posix() + "/"
                   for p in example_output.rglob("index.html") if "pagefind" not in p.parts)
    assert "tillganglighet/" in pages  # its heading is one long word
    wider = {}
    for path in pages:
        phone.goto(site_url + path.removeprefix("./"))
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wider[path] = width
    assert wider == {}


# A page with wide tables of each kind, the name of the first one's frame, and the
# header of that table's last column.
WIDE_TABLES = [
    ("styrelsen/2021-06-01/", "Beslutande", "Företräder / funktion"),  # attendance
    ("personer/peter-vigren/", "Sammanträden där Peter Vigren deltog, nyaste först", "Paragrafer"),
    ("anslagstavla/arkiv/", re.compile(r"^Tidigare anslag \d{4}$"), "Sista dag att överklaga"),
    ("styrelsen/2019-09-20/kallelse/bilaga-2/", "Tabell: Resultatrapport, Budget 2019, Utfall t.o.m. T2, Prognos 2019", "Prognos 2019"),  # Markdown in an attachment
]


@pytest.mark.parametrize("path, name, last_column", WIDE_TABLES)
def test_a_wide_table_scrolls_in_a_named_frame_the_keyboard_reaches(phone, site_url, path, name,
                                                                     last_column):
    phone.goto(site_url + path)
    frame = phone.get_by_role("region", name=name, exact=True).first
    header = frame.get_by_role("columnheader", name=last_column)
    assert frame.evaluate("f => f.scrollWidth > f.clientWidth")  # the table is wider than the phone
    assert not header.evaluate("(h, f) => h.getBoundingClientRect().right <= f.getBoundingClientRect().right",
                               frame.element_handle())
    for _ in range(80):  # Tab through the page until the frame has the focus
        phone.keyboard.press("Tab")
        if frame.evaluate("f => f === document.activeElement"):
            break
    else:
        pytest.fail(f"Tab never reaches the frame of '{name}'")
    for _ in range(20):
        phone.keyboard.press("ArrowRight")
    # The browser scrolls smoothly: the last column comes into the frame a moment later.
    phone.wait_for_function("([h, f]) => h.getBoundingClientRect().right <= f.getBoundingClientRect().right + 1",
                            arg=[header.element_handle(), frame.element_handle()], timeout=5000)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_who_was_present_for_which_paragraph_shows_without_scrolling(phone, site_url):
    # Anders Hahlin was away for § 48: the column that says so stands next to the names.
    phone.goto(site_url + "styrelsen/2021-06-01/")
    frame = phone.get_by_role("region", name="Beslutande", exact=True)
    cell = frame.get_by_role("row", name=re.compile("Anders Hahlin")).get_by_role("cell").first
    assert cell.inner_text() == "§ 42–47, 49–56"
    assert cell.evaluate("(c, f) => c.getBoundingClientRect().right <= f.getBoundingClientRect().right",
                         frame.element_handle())


def test_every_table_is_in_a_frame_of_its_own(phone, site_url, example_output):
    for path in ("styrelsen/2021-06-01/", "personer/peter-vigren/", "anslagstavla/arkiv/",
                 "styrelsen/2019-09-20/kallelse/bilaga-2/", "styrelsen/2019-09-20/kallelse/"):
        phone.goto(site_url + path)
        unframed = phone.locator("table").evaluate_all(
            "tables => tables.filter(t => !t.parentElement.matches('.table-scroll[role=region][tabindex=\"0\"]')).length")
        assert unframed == 0, path


@pytest.mark.parametrize("path", [path for path, _, _ in WIDE_TABLES])
def test_no_wcag_violations_on_a_phone(phone, site_url, path):
    # axe checks, among others, that a region scrolling sideways can be reached by keyboard.
    phone.goto(site_url + path)
    assert axe_violations(phone) == []


@pytest.mark.parametrize("font_size", ["150%", "200%"])
def test_enlarged_text_makes_no_page_wider_than_the_phone(browser, site_url, font_size):
    # A reader who enlarges the text (WCAG 1.4.4, 1.4.10): the search fields and the
    # header's search box shrink with the screen.
    page = browser.new_page(viewport={"width": 360, "height": 740})
    wider = {}
    for path in ("sok/", "", "styrelsen/2021-06-01/", "styrelsen/2021-06-01/utdrag/", "anslagstavla/", "amnen/"):
        page.goto(site_url + path)
        page.add_style_tag(content=f"html {{ font-size: {font_size}; }}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            wider[path] = width
    page.close()
    assert wider == {}


@pytest.mark.parametrize("links", [".breadcrumbs a", ".permalink a"])
def test_every_breadcrumb_and_permalink_is_a_target_a_finger_can_hit(phone, site_url, links):
    # WCAG 2.5.8: 24 px at least, also where the trail wraps on a phone.
    heights = {}
    for path in ("styrelsen/2021-06-01/", "styrelsen/2021-06-01/utdrag/", "styrelsen/2019-09-20/kallelse/bilaga-2/"):
        phone.goto(site_url + path)
        for height in phone.locator(links).evaluate_all("links => links.map(a => a.getBoundingClientRect().height)"):
            heights[path] = min(height, heights.get(path, height))
    assert heights and min(heights.values()) >= 24, heights


def test_a_date_in_a_heading_is_not_broken_at_its_hyphens(browser, site_url):
    page = browser.new_page(viewport={"width": 320, "height": 640})
    for path in ("styrelsen/2021-06-01/", "styrelsen/2019-09-20/kallelse/"):
        page.goto(site_url + path)
        assert page.locator("h1 time").evaluate("t => t.getClientRects().length") == 1, path
    page.close()


@pytest.mark.parametrize("font_size", ["100%", "200%"])
def test_the_skip_link_is_out_of_sight_until_it_has_the_focus(browser, site_url, font_size):
    # Enlarged text wraps it to two lines: a fixed offset above the page left its second
    # line showing over the header.
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(site_url)
    page.add_style_tag(content=f"html {{ font-size: {font_size}; }}")
    link = page.locator(".skip-link")
    assert link.evaluate("a => a.getBoundingClientRect().bottom") <= 0
    page.keyboard.press("Tab")
    assert link.evaluate("a => a === document.activeElement")
    assert link.evaluate("a => a.getBoundingClientRect().top") >= 0
    page.close()
