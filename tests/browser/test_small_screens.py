"""On a phone (375 px wide): no page scrolls sideways, and every column of a wide
table can be reached by touch and by keyboard."""

from __future__ import annotations

import pytest

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
