"""Staff pages in another language, in headless Chromium: the language
switch on every staff page keeps the page and changes its language; in
Arabic the pages run right to left (navigation, tables and forms mirrored),
pass axe-core and do not scroll sideways on a phone."""
import json

import pytest

from tests.browser.conftest import axe_violations, horizontal_overflow, too_wide
from tests.browser.test_reports_browser import log_in, report_world  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def switch_language(page, name):
    page.locator("nav.staff-languages").get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("size", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_staff_pages_switch_to_arabic_and_read_right_to_left(new_page, live_server,
                                                            report_world, size):  # noqa: F811
    page = new_page(size, locale="nl-BE", bypass_csp=True)
    page.set_default_timeout(20_000)
    log_in(page, live_server, report_world["email"])
    query = f"from={report_world['from']}&to={report_world['to']}"
    page.goto(live_server(f"/reports/?{query}"))
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("h1").inner_text() == "Rapporten"

    switch_language(page, "العربية")
    assert page.url.endswith(f"/reports/?{query}")  # the same page, now in Arabic
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "التقارير"
    assert page.locator("#heading-summary").inner_text() == "الملخص"
    assert page.locator("nav.staff-languages [aria-current]").inner_text() == "العربية"

    # Mirrored: a table's first column and a form's first field are on the right.
    width = page.evaluate("() => document.documentElement.clientWidth")
    header = page.locator("#section-theme thead th").first.bounding_box()
    last = page.locator("#section-theme thead th").last.bounding_box()
    if size["width"] > 1000:
        assert header["x"] > last["x"]
        field = page.locator("label[for=from]").bounding_box()
        assert field["x"] + field["width"] > width / 2
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)
    assert horizontal_overflow(page, 320) <= 0, too_wide(page)

    # The choice holds on the other staff pages, each with the switch.
    for path, heading in (("/planner/", None), ("/account", None)):
        page.goto(live_server(path))
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.locator("nav.staff-languages a").count() == 5
        violations = axe_violations(page)
        assert violations == [], (path, json.dumps(violations, indent=1, ensure_ascii=False))

    switch_language(page, "Türkçe")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("html").get_attribute("lang") == "tr"
