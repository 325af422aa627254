"""Every kiosk path, in Dutch, Arabic and Turkish, in real Chromium: the
visitor's flow, staff and display screens, and the page-level checks
(axe-core, touch targets, 320 px, lang/dir) on every screen."""
import json
import re
from datetime import timedelta

import pytest

from booking.services import booking as bookings
from booking.models.base import CLOCK
from booking.services.demo_data import THEMES
from tests.browser.conftest import check_page, log_in, screenshot, staff_account
from tests.conftest import brussels

pytestmark = pytest.mark.browser

# The demo's help-hour theme (kind drop_in).
HELP_THEME = next(theme_id for theme_id, spec in THEMES.items() if spec[1] == "drop_in")


# The kiosk's day: Tuesday 10 March 2026 in Brussels, a day already past on
# the wall clock, so that the other browser tests, which share the live
# database and list what is still to come, never see these sessions.
DAY = "2026-03-10"
MORNING = brussels(f"{DAY} 09:00")


@pytest.fixture
def frozen():
    """The live server's clock, frozen at 09:00 on the kiosk's day; a test
    moves it with frozen(moment). Set back to the system clock afterwards."""
    def set_to(moment):
        CLOCK.set(brussels(moment) if isinstance(moment, str) else moment)
        return CLOCK.now()

    set_to(MORNING)
    yield set_to
    CLOCK.set(None)


@pytest.fixture
def kiosk_world(live_make, frozen):
    make = live_make
    location = make.location(name="Bibliotheek Ledeberg", city="Gent",
                             address="Hundelgemsesteenweg 125")
    pc = make.room(location=location, name="Computerhoek", capacity=8)
    hall = make.room(location=location, name="Zaal", capacity=12, features=["wheelchair"])
    desk = make.room(location=location, name="Balie", capacity=4)
    cv = make.session(room=pc, theme=make.theme_of("cv"), starts_at=brussels(f"{DAY} 09:45"),
                      capacity=5, walk_in_seats=2, languages=["nl", "ar"])
    talk = make.session(room=hall, theme=make.theme_of("talk"),
                        starts_at=brussels(f"{DAY} 12:00"), capacity=2, walk_in_seats=2,
                        languages=["nl", "tr"])
    apps = make.session(room=hall, theme=make.theme_of("everyday-apps"),
                        starts_at=brussels("2026-03-11 10:00"), capacity=5, walk_in_seats=1,
                        languages=["nl", "tr", "ar"])
    running = make.session(room=pc, theme=make.theme_of("payslip"),
                           starts_at=brussels(f"{DAY} 08:00"), capacity=5, walk_in_seats=2,
                           languages=["nl"])
    help_hour = make.session(room=desk, theme=make.theme_of(HELP_THEME), kind="drop_in",
                             starts_at=brussels(f"{DAY} 08:30"),
                             ends_at=brussels(f"{DAY} 11:30"), capacity=0, walk_in_seats=0,
                             languages=["nl", "ar"])
    for n in range(2):
        bookings.book(talk.id, kind="walk_in", idempotency_key=f"full-{n}")
    typed = bookings.book(cv.id, kind="pre_registered", name="Sara").booking.ticket
    scanned = bookings.book(cv.id, kind="pre_registered", name="Omar").booking.ticket
    return {"location": location, "cv": cv, "talk": talk, "apps": apps, "running": running,
            "help_hour": help_hour, "desk": desk, "typed": typed, "scanned": scanned,
            "staff": staff_account(location)}


LANGS = ["nl", "ar", "tr"]


def start(page, live_server, world, lang):
    page.goto(live_server(f"/kiosk/{world['location'].id}"))
    page.click(f'a.language-tile[lang="{lang}"]')
    page.wait_for_url(re.compile(rf"/kiosk/\d+/{lang}$"))


def spoken(page):
    """What the last speaker button touched said, and in which language."""
    return [page.evaluate(
        "() => ({text: document.body.dataset.lastSaid, lang: document.body.dataset.lastSaidLang})")]


@pytest.mark.parametrize("lang", LANGS)
def test_join_a_session_with_one_tap(kiosk_page, live_server, kiosk_world, lang):
    page = kiosk_page
    page.goto(live_server(f"/kiosk/{kiosk_world['location'].id}"))
    if lang == "nl":  # the first screen is the same whatever comes next
        check_page(page, "nl")
    names = page.eval_on_selector_all(
        "a.language-tile", "els => els.map(e => [e.lang, e.querySelector('.language-name').textContent])")
    assert dict(names) == {"nl": "Nederlands", "fr": "Français", "en": "English",
                           "ar": "العربية", "tr": "Türkçe"}
    if lang == "nl":
        screenshot(page, "kiosk-1-start")
    # Each language's tile is read aloud in that language, whatever the page's.
    page.click(f'.language-tiles button.say[data-say-lang="{lang}"]')
    assert spoken(page)[-1]["lang"] == lang

    page.click(f'a.language-tile[lang="{lang}"]')
    page.wait_for_url(re.compile(rf"/kiosk/\d+/{lang}$"))
    check_page(page, lang)
    screenshot(page, f"kiosk-{lang}-2-home")
    page.click(".heading-row button.say")
    assert spoken(page)[-1]["lang"] == lang

    page.click(".tiles li:nth-child(1) a.tile")
    page.wait_for_url(re.compile(r"/sessions$"))
    check_page(page, lang)
    screenshot(page, f"kiosk-{lang}-3-sessions")
    cards = page.locator("li.card")
    assert cards.count() == 5  # four sessions and the help hour
    cv_card = page.locator("li.card", has=page.locator(f'a[href$="/sessions/{kiosk_world["cv"].id}"]'))
    assert cv_card.locator("img.picto").get_attribute("src").endswith("/cv.svg")
    assert cv_card.locator("svg.clock").count() == 1
    assert cv_card.locator(".seat-icons img").count() == 5
    assert cv_card.locator(".lang-label[data-lang=ar]").inner_text() == {
        "nl": "Arabisch", "ar": "العربية", "tr": "Arapça"}[lang]
    cv_card.locator("button.say").click()
    said = spoken(page)[-1]
    assert said["lang"] == lang and said["text"]

    cv_card.locator("a.card-link").click()
    page.wait_for_url(re.compile(rf"/sessions/{kiosk_world['cv'].id}$"))
    check_page(page, lang)
    screenshot(page, f"kiosk-{lang}-4-join")
    if lang == "nl":
        page.fill("input[name=name]", "Youssef")
    page.click("form.join-form button[type=submit]")
    page.wait_for_url(re.compile(r"/ticket/\w+$"))
    check_page(page, lang)
    screenshot(page, f"kiosk-{lang}-5-ticket")
    ticket = page.url.rsplit("/", 1)[1]
    code = page.locator(".ticket-code")
    assert code.inner_text() == bookings.format_ticket(ticket)
    assert float(code.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 60
    assert page.locator(".qr svg").bounding_box()["width"] >= 200
    assert page.locator("button[data-print]").is_visible()
    page.emulate_media(media="print")  # the printed ticket: code and QR, no buttons
    assert page.locator(".ticket-code").is_visible() and page.locator(".qr svg").is_visible()
    assert page.locator(".kiosk-bar").is_hidden() and page.locator("button[data-print]").is_hidden()
    page.emulate_media(media="screen")

    # "Start again" leaves nothing of this visitor on screen.
    page.click(".kiosk-bar .bar-start")
    page.wait_for_url(re.compile(rf"/kiosk/{kiosk_world['location'].id}$"))
    assert ticket not in page.content()
    page.go_back()
    page.wait_for_url(re.compile(rf"/kiosk/{kiosk_world['location'].id}$"))
    assert ticket not in page.content()


@pytest.mark.parametrize("lang", LANGS)
def test_full_session_puts_a_walk_in_on_the_waiting_list(kiosk_page, live_server, kiosk_world, lang):
    page = kiosk_page
    start(page, live_server, kiosk_world, lang)
    page.goto(page.url + f"/sessions/{kiosk_world['talk'].id}")
    page.click("form.join-form button[type=submit]")
    page.wait_for_url(re.compile(r"/ticket/\w+$"))
    assert re.search(r"\b1\b", page.locator("h1").inner_text())
    check_page(page, lang)
    if lang == "ar":
        screenshot(page, "kiosk-ar-5b-waiting-list")


@pytest.mark.parametrize("lang", LANGS)
def test_check_in_with_the_keypad_or_a_scanned_qr(kiosk_page, live_server, kiosk_world, lang):
    page = kiosk_page
    start(page, live_server, kiosk_world, lang)
    page.click(".tiles li:nth-child(2) a.tile")
    page.wait_for_url(re.compile(r"/check-in$"))
    check_page(page, lang)
    screenshot(page, f"kiosk-{lang}-6-keypad")
    keypad = page.locator(".keypad")
    assert keypad.locator("button.key[data-key]").count() == 33
    for sign in kiosk_world["typed"]:
        keypad.locator(f'button[data-key="{sign}"]').click()
    assert page.input_value("#code") == bookings.format_ticket(kiosk_world["typed"])
    keypad.locator('button[data-key="back"]').click()
    keypad.locator(f'button[data-key="{kiosk_world["typed"][-1]}"]').click()
    page.click("form.check-in button[type=submit]")
    page.wait_for_selector(".message-screen.ok")
    check_page(page, lang)
    screenshot(page, f"kiosk-{lang}-7-checked-in")
    assert "Computerhoek" in page.inner_text(".room")

    # A QR scanner types the booking page's URL and Enter into the field.
    page.goto(live_server(f"/kiosk/{kiosk_world['location'].id}/{lang}/check-in"))
    page.focus("#code")
    page.keyboard.type(live_server(f"/booking/{kiosk_world['scanned']}"))
    page.keyboard.press("Enter")
    page.wait_for_selector(".message-screen.ok")

    page.goto(live_server(f"/kiosk/{kiosk_world['location'].id}/{lang}/check-in"))
    for sign in "ZZZZZZZZ":
        page.click(f'.keypad button[data-key="{sign}"]')
    page.click("form.check-in button[type=submit]")
    page.wait_for_selector(".message.warn[role=alert]")
    check_page(page, lang)
    with live_server.app.app_context():
        assert bookings.find_booking(kiosk_world["typed"]).status == "attended"
        assert bookings.find_booking(kiosk_world["scanned"]).status == "attended"


@pytest.mark.parametrize("lang", LANGS)
def test_drop_in_number_staff_screen_and_display(kiosk_page, live_server, kiosk_world, lang):
    page = kiosk_page
    location_id = kiosk_world["location"].id
    start(page, live_server, kiosk_world, lang)
    page.click(".tiles li:nth-child(3) a.tile")
    page.wait_for_url(re.compile(r"/help$"))
    check_page(page, lang)
    screenshot(page, f"kiosk-{lang}-8-topics")
    pictograms = page.eval_on_selector_all(".topics .tile img", "els => els.map(e => e.src.split('/').pop())")
    assert pictograms == ["email.svg", "cv.svg", "career.svg", "eid.svg", "form.svg",
                          "lock.svg", "apps.svg", "other.svg"]
    page.click(".topics li:nth-child(1) button.tile")
    page.wait_for_url(re.compile(r"/help/\d+$"))
    check_page(page, lang)
    screenshot(page, f"kiosk-{lang}-9-number")
    assert page.inner_text(".queue-number") == "1"

    page.goto(live_server(f"/kiosk/{location_id}/staff?lang={lang}"))
    assert "/login" in page.url  # the staff screen needs a staff account
    log_in(page, live_server, kiosk_world["staff"])
    page.goto(live_server(f"/kiosk/{location_id}/staff?lang={lang}"))
    assert page.get_attribute("html", "lang") == lang
    assert page.locator(".queue-list li").count() == 1
    page.click("form.call-next button")
    page.wait_for_selector(".message.ok[role=status]")
    check_page(page, lang)
    screenshot(page, f"kiosk-{lang}-10-staff")

    page.goto(live_server(f"/kiosk/{location_id}/display?lang={lang}"))
    check_page(page, lang)
    screenshot(page, f"kiosk-{lang}-11-display")
    assert page.inner_text(".now-called .queue-number") == "1"


@pytest.mark.parametrize("lang", LANGS)
def test_call_a_staff_member_from_the_same_place_on_every_screen(kiosk_page, live_server,
                                                                 kiosk_world, lang):
    page = kiosk_page
    start(page, live_server, kiosk_world, lang)
    boxes = []
    for path in ("", "/sessions", "/check-in", "/help", f"/sessions/{kiosk_world['cv'].id}"):
        page.goto(live_server(f"/kiosk/{kiosk_world['location'].id}/{lang}{path}"))
        box = page.locator(".kiosk-bar .staff-button").bounding_box()
        boxes.append((round(box["x"]), round(box["y"])))
    assert len(set(boxes)) == 1
    page.click(".kiosk-bar .staff-button")
    page.wait_for_selector(".message-screen.ok")
    check_page(page, lang)
    screenshot(page, f"kiosk-{lang}-12-staff-called")
    log_in(page, live_server, kiosk_world["staff"])
    page.goto(live_server(f"/kiosk/{kiosk_world['location'].id}/staff?lang={lang}"))
    assert page.locator("section.message.warn").count() == 1
    check_page(page, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_how_did_it_go_three_smileys(kiosk_page, live_server, kiosk_world, frozen, lang):
    frozen(f"{DAY} 08:15")  # only the payslip session has started by now
    page = kiosk_page
    start(page, live_server, kiosk_world, lang)
    page.click(".tiles li:nth-child(4) a.tile")
    page.wait_for_url(re.compile(rf"/feedback/{kiosk_world['running'].id}$"))
    check_page(page, lang)
    screenshot(page, f"kiosk-{lang}-13-smileys")
    assert page.locator("button.smiley").count() == 3
    page.click("button.smiley-happy")
    page.wait_for_selector(".message-screen.ok")
    check_page(page, lang)
    from booking.extensions import db
    from booking.models import Feedback

    with live_server.app.app_context():
        scores = db.session.query(Feedback.score, Feedback.language).filter_by(
            session_id=kiosk_world["running"].id).all()
    assert (3, lang) in scores


@pytest.mark.parametrize("lang", LANGS)
def test_inactivity_warning_then_reset_to_the_start(new_page, live_server, kiosk_world, lang):
    page = new_page()
    page.clock.install()
    start(page, live_server, kiosk_world, lang)
    page.goto(live_server(f"/kiosk/{kiosk_world['location'].id}/{lang}/sessions/{kiosk_world['cv'].id}"))
    page.fill("input[name=name]", "Private Name")
    dialog = page.locator("#idle")
    page.clock.run_for(89_000)
    assert dialog.is_hidden()
    page.clock.run_for(2_000)
    assert dialog.is_visible()
    check_page(page, lang)
    if lang == "nl":
        screenshot(page, "kiosk-nl-14-more-time")
    box = page.locator("[data-more-time]").bounding_box()
    assert box["height"] >= 96
    page.click("[data-more-time]")
    assert dialog.is_hidden()
    page.clock.run_for(60_000)          # 60 s after "more time": no warning, still here
    assert dialog.is_hidden()
    assert page.input_value("input[name=name]") == "Private Name"
    page.clock.run_for(31_000)          # 91 s: warning again
    assert dialog.is_visible()
    page.clock.run_for(30_000)          # 121 s: back to the first screen
    page.wait_for_url(re.compile(rf"/kiosk/{kiosk_world['location'].id}$"))
    assert page.locator("a.language-tile").count() == 5
    assert "Private Name" not in page.content()
    # "Back" does not bring the previous visitor's page back either.
    page.go_back()
    page.wait_for_url(re.compile(rf"/kiosk/{kiosk_world['location'].id}$"))
    assert "Private Name" not in page.content()


def test_first_screen_never_resets_and_ticket_has_timer(new_page, live_server, kiosk_world):
    page = new_page()
    page.clock.install()
    page.goto(live_server(f"/kiosk/{kiosk_world['location'].id}"))
    page.clock.run_for(300_000)
    assert page.url.endswith(f"/kiosk/{kiosk_world['location'].id}")
    assert page.locator("#idle").count() == 1 and page.locator("#idle").is_hidden()


def test_scan_the_ticket_qr_with_the_camera(new_page, live_server, kiosk_world):
    """Where the browser has BarcodeDetector, the camera reads the QR code.
    Chromium on Linux has none, so the camera and detector are stand-ins
    here; the page's own code does the rest."""
    page = new_page()
    url = live_server(f"/booking/{kiosk_world['typed']}")
    page.add_init_script(f"""
        window.BarcodeDetector = class {{
          detect() {{ return Promise.resolve([{{rawValue: {json.dumps(url)}}}]); }}
        }};
        navigator.mediaDevices.getUserMedia = () => Promise.resolve(new MediaStream());
    """)
    page.goto(live_server(f"/kiosk/{kiosk_world['location'].id}/ar/check-in"))
    check_page(page, "ar")
    page.click("button[data-camera-scan]")
    page.wait_for_selector(".message-screen.ok")
    with live_server.app.app_context():
        assert bookings.find_booking(kiosk_world["typed"]).status == "attended"


def test_no_camera_button_without_barcode_detector(kiosk_page, live_server, kiosk_world):
    page = kiosk_page
    page.goto(live_server(f"/kiosk/{kiosk_world['location'].id}/nl/check-in"))
    assert page.locator("button[data-camera-scan]").is_hidden()


# A real day: the same session before, during and after its start ------------

def frozen_page(new_page, moment):
    """A kiosk page whose browser clock shows the same moment as the server's."""
    page = new_page()
    page.clock.install(time=moment)
    return page


@pytest.mark.parametrize("moment, phase, words, joinable", [
    ("09:00", "soon", "Starts soon, at 09:45.", True),
    ("09:50", "started", "Started. You can still join until 10:00.", True),
    ("10:05", "closed", "Started. It ends at 11:45. No more places.", False),
])
def test_a_session_before_during_and_after_its_start(new_page, live_server, kiosk_world, frozen,
                                                    moment, phase, words, joinable):
    now = frozen(f"{DAY} {moment}")
    page = frozen_page(new_page, now)
    location_id, cv = kiosk_world["location"].id, kiosk_world["cv"]
    page.goto(live_server(f"/kiosk/{location_id}/en/sessions"))
    card = page.locator("li.card", has=page.locator(f'a[href$="/sessions/{cv.id}"]'))
    assert card.locator(".state-text").inner_text() == words
    assert card.locator(".state img").get_attribute("src").endswith(
        {"soon": "state-soon.svg", "started": "state-started.svg",
         "closed": "state-closed.svg"}[phase])
    check_page(page, "en")
    card.locator("a.card-link").click()
    page.wait_for_url(re.compile(rf"/sessions/{cv.id}$"))
    check_page(page, "en")
    screenshot(page, f"kiosk-day-{phase}")
    assert page.locator("form.join-form").count() == (1 if joinable else 0)
    if not joinable:
        assert page.locator(".message.warn").inner_text().startswith(
            "This session no longer takes people.")
        return
    page.click("form.join-form button[type=submit]")
    page.wait_for_url(re.compile(r"/ticket/\w+$"))
    check_page(page, "en")
    # Check-in is open: whoever walks in at the kiosk is there, so checked in.
    assert page.locator("h1").inner_text() == "Welcome! You are checked in."
    ticket = page.url.rsplit("/", 1)[1]
    with live_server.app.app_context():
        booking = bookings.find_booking(ticket)
        assert (booking.kind, booking.status) == ("walk_in", "attended")
    # The same ticket seen again after the session ended.
    frozen(f"{DAY} 12:00")
    page.reload()
    assert page.locator("h1").inner_text() == "You were there. Thank you!"
    assert page.locator(".state-text").inner_text() == "This session is over."


def test_a_later_day_is_booked_ahead_at_the_kiosk(new_page, live_server, kiosk_world, frozen):
    page = frozen_page(new_page, frozen(f"{DAY} 09:00"))
    apps = kiosk_world["apps"]
    page.goto(live_server(f"/kiosk/{kiosk_world['location'].id}/tr/sessions/{apps.id}"))
    check_page(page, "tr")
    assert page.locator(".seat-icons img").count() == 4  # 5 seats, 1 kept for walk-ins
    page.click("form.join-form button[type=submit]")
    page.wait_for_url(re.compile(r"/ticket/\w+$"))
    check_page(page, "tr")
    with live_server.app.app_context():
        booking = bookings.find_booking(page.url.rsplit("/", 1)[1])
        assert booking.kind == "pre_registered"


def test_a_kiosk_with_no_help_hour_running_says_when_the_next_is(new_page, live_server, make_next,
                                                                kiosk_world, frozen):
    make_next(kiosk_world, "2026-03-12 13:00")
    page = frozen_page(new_page, frozen(f"{DAY} 23:00"))
    location_id = kiosk_world["location"].id
    for lang in ("nl", "ar"):
        page.goto(live_server(f"/kiosk/{location_id}/{lang}/help"))
        check_page(page, lang)
        screenshot(page, f"kiosk-{lang}-no-help-hour")
        assert page.locator(".topics").count() == 0
        assert page.locator(".next-help-hour .time").inner_text() == "13:00 – 16:00"
    assert "donderdag 12 maart" in page.goto(
        live_server(f"/kiosk/{location_id}/nl/help")).text()
    with live_server.app.app_context():
        from booking.extensions import db
        from booking.models import QueueTicket

        assert db.session.query(QueueTicket).filter_by(location_id=location_id).count() == 0


@pytest.fixture
def make_next(live_make):
    """Another help hour at the kiosk's place, from a local time."""
    def add(world, starts):
        starts_at = brussels(starts)
        return live_make.session(
            room=world["desk"], theme=live_make.theme_of(HELP_THEME), kind="drop_in",
            starts_at=starts_at, ends_at=starts_at + timedelta(hours=3), capacity=0,
            walk_in_seats=0, languages=["nl"])
    return add


def test_an_arabic_readers_list(new_page, live_server, kiosk_world, frozen):
    page = frozen_page(new_page, frozen(f"{DAY} 09:00"))
    page.goto(live_server(f"/kiosk/{kiosk_world['location'].id}/ar/sessions"))
    check_page(page, "ar")  # lang=ar, dir=rtl, axe-core: 0 violations
    screenshot(page, "kiosk-ar-list-languages")
    labels = set(page.eval_on_selector_all(".lang-label", "els => els.map(e => e.textContent)"))
    assert labels == {"الهولندية", "العربية", "التركية"}
    assert not {"Nederlands", "Türkçe"} & labels
    # Sessions given in Arabic come first.
    in_arabic = page.eval_on_selector_all(
        "li.card", "els => els.map(e => !!e.querySelector('.lang-label[data-lang=ar]'))")
    assert in_arabic == sorted(in_arabic, reverse=True) and in_arabic[0] and not in_arabic[-1]
