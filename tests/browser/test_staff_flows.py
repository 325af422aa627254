"""The staff side's flows in real Chromium, in Dutch and Arabic, on a
desktop (1280 px) and a phone (390 px): attendance for a real room (cards,
everyone checked in at once, CSV, print), a cancellation that asks first and
can be undone, a weekly series, posters, accounts (users, invitations,
passwords), the counsellor's picker and the calendar feed. Every staff page
has no axe-core WCAG 2.x A/AA violation, does not scroll sideways, and the
CSP blocks nothing."""
import json
import re
from datetime import timedelta

import pytest

from booking.extensions import db
from booking.models import Session, User
from booking.services import accounts
from booking.services import booking as bookings
from tests.browser.conftest import axe_violations, screenshot, soon, too_wide

pytestmark = pytest.mark.browser

PASSWORD = "browser flows password"
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def flows_world(live_make, live_server):
    from flask import current_app

    current_app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    make = live_make
    n = make._next()
    organisation = make.organisation(slug=f"flows-org-{n}", name=f"Wijkcentrum {n}")
    location = make.location(organisation=organisation, name=f"Wijkpunt {n}", city="Gent",
                             address="Bellevuestraat 10, 9050 Gent")
    room = make.room(location=location, name=f"Zaal {n}", capacity=12, features=[])
    person = make.person(name=f"Vera Vrijwilliger {n}", organisation_id=organisation.id,
                         roles=["volunteer"])
    starts = soon(0.5)
    session = make.session(room=room, theme=make.theme_of("talk"), starts_at=starts,
                           ends_at=starts + timedelta(hours=2), capacity=2, walk_in_seats=0,
                           languages=["nl", "ar"])
    for name, language, phone in (("Mohammed Al-Abdullah", "ar", "0470000001"),
                                  ("Oksana", "nl", None), ("Zeynep", "tr", "0470000003")):
        bookings.book(session.id, kind="pre_registered", name=name, phone=phone,
                      language=language, age_group="30-39")
    emails = {}
    for role, extra in (("partner_staff", {"organisation": organisation}),
                        ("admin", {}), ("counsellor", {}), ("trainer", {"person": person})):
        email = f"{role}-{n}@flows.test"
        accounts.create_user(email, role=role, password=PASSWORD, **extra)
        emails[role] = email
    return {"n": n, "session_id": session.id, "room_id": room.id, "location_id": location.id,
            "emails": emails, "person": person.name, "feed_token": person.feed_token,
            "starts": starts}


def check(page, lang, width):
    """lang and dir, axe-core, the CSP, and no sideways scrolling at this width."""
    where = page.url
    assert page.get_attribute("html", "lang") == lang, where
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr"), where
    assert page.evaluate("() => window.__csp || []") == [], f"{where}: CSP blocked something"
    violations = axe_violations(page)
    assert violations == [], f"{where}: {json.dumps(violations, indent=1, ensure_ascii=False)}"
    overflow = page.evaluate("() => document.documentElement.scrollWidth"
                             " - document.documentElement.clientWidth")
    assert overflow <= 0, f"{where} scrolls {overflow}px sideways at {width}: {too_wide(page)}"


def log_in(page, live_server, email):
    page.goto(live_server("/login"))
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, page.inner_text("main")[:300]


def log_out(page):
    page.click("nav.portal-nav form button[type=submit]")
    page.wait_for_url(re.compile(r"/login$"))


def submit(page, action_suffix):
    page.click(f"form[action$='{action_suffix}'] button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.parametrize("lang,size", [("nl", "desktop"), ("ar", "phone"), ("ar", "desktop"),
                                       ("nl", "phone")])
def test_staff_flows(new_page, live_server, flows_world, lang, size):
    world = flows_world
    width = SIZES[size]["width"]
    page = new_page(SIZES[size], locale=lang, is_mobile=size == "phone", has_touch=size == "phone")
    page.set_default_timeout(15_000)
    session_id = world["session_id"]
    base = f"/partner/sessions/{session_id}"

    page.goto(live_server("/login"))
    check(page, lang, width)
    page.click("a[href$='/password/forgot']")
    check(page, lang, width)
    log_in(page, live_server, world["emails"]["partner_staff"])
    check(page, lang, width)

    # Attendance for a real room: cards with status, waiting-list place,
    # language and age group; no word broken mid-letter on a phone.
    page.goto(live_server(base))
    check(page, lang, width)
    cards = page.locator("li.attendee")
    assert cards.count() == 3
    waiting = page.locator("li.attendee.booking-waitlisted")
    assert waiting.locator(".waitlist-position").count() == 1
    assert "30-39" in cards.first.inner_text()
    breaks = page.evaluate("""() => [...document.querySelectorAll('.attendee *')]
        .map(el => getComputedStyle(el)).filter(s => s.wordBreak === 'break-all'
        || s.overflowWrap === 'anywhere').length""")
    assert breaks == 0
    name_lines = page.evaluate("""() => { const el = document.querySelector('.attendee-who strong');
        const r = document.createRange(); r.selectNodeContents(el);
        return r.getClientRects().length; }""")
    assert name_lines <= 2  # "Mohammed Al-Abdullah" wraps between words at most
    ticket_lines = page.evaluate("""() => [...document.querySelectorAll('.attendee .ticket')]
        .map(el => el.getClientRects().length)""")
    assert set(ticket_lines) == {1}
    screenshot(page, f"staff-attendance-{lang}-{size}", full_page=True)

    # Print and CSV.
    page.goto(live_server(f"{base}/attendance/print"))
    check(page, lang, width)
    page.goto(live_server(base))
    with page.expect_download() as download:
        page.click("a[href$='/attendance.csv']")
    assert download.value.suggested_filename.startswith(f"attendance-{session_id}-")

    # Everyone in the room at once.
    submit(page, "/check-in-all")
    assert page.locator("li.attendee.booking-attended").count() == 2
    check(page, lang, width)

    # A cancellation asks first, naming who will be told; then it can be undone.
    page.click(f"a[href$='{base}/cancel']")
    page.wait_for_url(re.compile(r"/cancel$"))
    assert "Zeynep" in page.inner_text(".audience")
    check(page, lang, width)
    submit(page, f"{base}/cancel")
    with live_server.app.app_context():
        assert db.session.get(Session, session_id).status == "cancelled"
        db.session.remove()
    assert page.locator(".undo").count() == 1
    check(page, lang, width)
    submit(page, f"{base}/restore")
    with live_server.app.app_context():
        restored = db.session.get(Session, session_id)
        assert restored.status == "published"
        assert sorted(b.status for b in restored.bookings) == ["attended", "attended",
                                                               "waitlisted"]
        db.session.remove()
    page.goto(live_server(f"{base}/history"))
    check(page, lang, width)

    # A weekly series of three, published in one go.
    page.goto(live_server(f"/partner/sessions/new?room={world['room_id']}"))
    check(page, lang, width)
    day = (world["starts"] + timedelta(days=2)).date()
    page.select_option("select[name=theme]", "talk")
    page.fill("input[name=day]", day.isoformat())
    page.fill("input[name=starts]", "18:00")
    page.fill("input[name=ends]", "19:30")
    page.fill("input[name=capacity]", "8")
    page.fill("input[name=walk_in_seats]", "2")
    page.fill("input[name=weeks]", "3")
    page.click("main form.stack button[type=submit]")
    page.wait_for_url(re.compile(r"/partner/sessions/\d+$"))
    first_id = int(page.url.rsplit("/", 1)[1])
    with live_server.app.app_context():
        first = db.session.get(Session, first_id)
        series = db.session.query(Session).filter(Session.series_id == first.series_id).all()
        assert first.series_id and len(series) == 3
        db.session.remove()
    check(page, lang, width)
    page.goto(live_server(f"/partner/sessions/{first_id}/edit"))
    check(page, lang, width)
    page.goto(live_server(f"/partner/sessions/{first_id}/cancel?series=1"))
    assert page.locator("section.audience").count() == 3
    check(page, lang, width)

    # Posters and the other portal pages.
    for path in [f"{base}/poster", f"/partner/locations/{world['location_id']}/poster",
                 "/partner/people", "/partner/locations", "/partner/", "/account",
                 "/account/password"]:
        page.goto(live_server(path))
        check(page, lang, width)
    log_out(page)

    # Admin: users, an invitation, one account's page.
    log_in(page, live_server, world["emails"]["admin"])
    page.goto(live_server("/partner/users"))
    check(page, lang, width)
    page.fill("input[name=email]", f"new-{world['n']}-{lang}-{size}@flows.test")
    page.select_option("select[name=role]", "counsellor")
    page.click("form[aria-labelledby=invite] button[type=submit]")
    page.wait_for_url(re.compile(r"/partner/users#user-\d+$"))
    check(page, lang, width)
    with live_server.app.app_context():
        invited = db.session.query(User).filter(
            User.email == f"new-{world['n']}-{lang}-{size}@flows.test").one()
        invited_id = invited.id
        db.session.remove()
    page.goto(live_server(f"/partner/users/{invited_id}"))
    check(page, lang, width)
    page.goto(live_server("/partner/outbox"))
    check(page, lang, width)
    log_out(page)

    # Counsellor: the picker by city, day, language and seats.
    log_in(page, live_server, world["emails"]["counsellor"])
    page.goto(live_server("/counsellor/referrals/new?city=Gent&seats=yes"))
    check(page, lang, width)
    options = page.locator("select[name=session] option").all_inner_texts()
    assert options and all("(Gent)" in text for text in options)
    page.goto(live_server("/counsellor/"))
    check(page, lang, width)
    log_out(page)

    # A volunteer finds their own calendar feed, with a webcal link.
    log_in(page, live_server, world["emails"]["trainer"])
    page.goto(live_server("/account"))
    webcal = page.get_attribute("a[href^='webcal://']", "href")
    assert webcal.endswith(f"/calendar/people/{world['feed_token']}.ics")
    check(page, lang, width)
    page.goto(live_server("/counsellor/my-sessions"))
    check(page, lang, width)
