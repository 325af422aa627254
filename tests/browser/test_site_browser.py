"""The public site on a phone (390x844), in Dutch, Arabic and Turkish:
find a session, book it with a first name, see and cancel the booking."""
import re

import pytest

from booking.services import booking as bookings
from tests.browser.conftest import PHONE_SIZE, check_page, screenshot, soon
from tests.conftest import brussels

pytestmark = pytest.mark.browser


@pytest.fixture
def site_world(live_make):
    make = live_make
    ghent = make.location(name="De Krook", city="Gent", address="Miriam Makebaplein 1, 9000 Gent")
    kortrijk = make.location(name="Filiaal Heule", city="Kortrijk", address="Lagahestraat 25, 8501 Heule")
    pc = make.room(location=ghent, name="PC-lokaal 1", capacity=8)
    corner = make.room(location=kortrijk, name="Leestafel", capacity=6)
    return {
        "ghent": ghent,
        "kortrijk": kortrijk,
        "cv": make.session(room=pc, theme=make.theme_of("cv"), starts_at=soon(26), capacity=5,
                           walk_in_seats=2, languages=["nl", "ar", "fr"]),
        "forms": make.session(room=corner, theme=make.theme_of("online-forms"), starts_at=soon(50),
                              capacity=4, walk_in_seats=1, languages=["nl", "tr"]),
        "full": make.session(room=pc, theme=make.theme_of("privacy-passwords"),
                             starts_at=soon(75), capacity=2, walk_in_seats=1, languages=["nl"]),
    }


@pytest.mark.parametrize("lang", ["nl", "ar", "tr"])
def test_find_book_see_and_cancel_on_a_phone(phone_page, live_server, site_world, lang):
    page = phone_page
    page.goto(live_server("/"))
    with page.expect_navigation():
        page.click(f'.language-chooser a[lang="{lang}"]')
    check_page(page, lang)
    screenshot(page, f"site-{lang}-1-home")
    names = page.eval_on_selector_all(".language-chooser a", "els => els.map(e => [e.lang, e.textContent])")
    assert dict(names) == {"nl": "Nederlands", "fr": "Français", "en": "English",
                           "ar": "العربية", "tr": "Türkçe"}

    page.select_option("#f-location", str(site_world["ghent"].id))
    page.click(".filters button[type=submit]")
    page.wait_for_url(re.compile(r"location="))
    links = page.eval_on_selector_all("a.card-link", "els => els.map(e => e.getAttribute('href'))")
    assert f"/sessions/{site_world['cv'].id}" in links
    assert f"/sessions/{site_world['forms'].id}" not in links
    check_page(page, lang)

    page.click(f'a.card-link[href="/sessions/{site_world["cv"].id}"]')
    page.wait_for_url(re.compile(rf"/sessions/{site_world['cv'].id}$"))
    check_page(page, lang)
    screenshot(page, f"site-{lang}-2-session")

    page.fill("input[name=phone]", "call me")
    page.click(".book button[type=submit]")
    page.wait_for_selector("p.error")
    assert page.get_attribute("input[name=name]", "aria-invalid") == "true"
    check_page(page, lang)
    screenshot(page, f"site-{lang}-3-form-errors")

    page.fill("input[name=name]", {"nl": "Marie", "ar": "فاطمة", "tr": "Ayşe"}[lang])
    page.fill("input[name=phone]", "0470 12 34 56")
    page.click(".book button[type=submit]")
    page.wait_for_url(re.compile(r"/booking/\w+"))
    check_page(page, lang)
    screenshot(page, f"site-{lang}-4-my-booking")
    ticket = re.search(r"/booking/(\w+)", page.url).group(1)
    assert page.inner_text(".ticket-code") == bookings.format_ticket(ticket)
    calendar = page.get_attribute("a[href$='.ics']", "href")
    assert calendar == f"/calendar/bookings/{ticket}.ics"

    # Find it again by typing the code in another spelling.
    page.goto(live_server("/booking"))
    check_page(page, lang)
    page.fill("input[name=ticket]", bookings.format_ticket(ticket).lower())
    page.click("form.find button[type=submit]")
    page.wait_for_url(re.compile(rf"/booking/{ticket}$"))

    page.once("dialog", lambda dialog: dialog.accept())
    page.click(".cancel button[type=submit]")
    page.wait_for_selector(".message.warn[role=status]")
    assert page.locator(".cancel").count() == 0
    check_page(page, lang)
    with live_server.app.app_context():
        assert bookings.find_booking(ticket).status == "cancelled"


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_waiting_list_place_on_my_booking(phone_page, live_server, site_world, lang):
    page = phone_page
    with live_server.app.app_context():
        bookings.book(site_world["full"].id, kind="pre_registered", name="First")
    page.goto(live_server(f"/sessions/{site_world['full'].id}?lang={lang}"))
    check_page(page, lang)
    page.fill("input[name=name]", "Omar")
    page.click(".book button[type=submit]")
    page.wait_for_url(re.compile(r"/booking/\w+"))
    check_page(page, lang)
    assert "1" in page.inner_text(".message.warn")
    screenshot(page, f"site-{lang}-5-waiting-list")


def test_unknown_ticket_page_is_friendly(phone_page, live_server):
    page = phone_page
    response = page.goto(live_server("/booking/ZZZZZZZZ?lang=tr"))
    assert response.status == 404
    check_page(page, "tr")


# The phone site through a day, on a frozen clock: Tuesday 10 March 2026 in
# Brussels, past on the wall clock, so the other tests never list it.

@pytest.fixture
def frozen():
    from booking.models.base import CLOCK

    def set_to(text):
        CLOCK.set(brussels(text))
        return CLOCK.now()

    yield set_to
    CLOCK.set(None)


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_a_started_session_shows_no_booking_form_and_says_why(new_page, live_server, live_make,
                                                              frozen, lang):
    room = live_make.room(location=live_make.location(name="Bib Gentbrugge", city="Gent"))
    session = live_make.session(room=room, theme=live_make.theme_of("cv"),
                                starts_at=brussels("2026-03-10 10:00"), capacity=5,
                                walk_in_seats=2, languages=["nl", "ar"])
    page = new_page(PHONE_SIZE, is_mobile=True, has_touch=True)
    url = live_server(f"/sessions/{session.id}?lang={lang}")
    page.clock.install(time=frozen("2026-03-10 09:30"))
    page.goto(url)
    assert page.locator(".book form").count() == 1
    check_page(page, lang)
    frozen("2026-03-10 10:05")
    page.goto(url)
    check_page(page, lang)
    screenshot(page, f"site-{lang}-started-session")
    assert page.locator(".book form, input[name=name]").count() == 0
    closed = page.locator(".booking-closed").inner_text()
    assert {"nl": "Je kunt nog binnenlopen op de plek zelf tot 10:15.",
            "ar": "حتى الساعة 10:15"}[lang] in closed
    labels = page.eval_on_selector_all(".lang-label", "els => els.map(e => e.textContent)")
    assert labels == {"nl": ["Nederlands", "Arabisch"], "ar": ["الهولندية", "العربية"]}[lang]
