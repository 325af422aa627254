"""The partner portal in real Chromium: publish a session through the
portal, book it at the kiosk, check the participant in, refer a client and
record the referral's feedback; axe-core finds no WCAG 2.x A/AA violation
on any portal page."""
import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from booking.extensions import db
from booking.models import Referral, Session
from booking.services import accounts
from tests.browser.conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser

PASSWORD = "browser test password"
BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture
def portal_world(live_make, live_server):
    make = live_make
    n = make._next()
    organisation = make.organisation(slug=f"portal-org-{n}", name=f"Bibliotheek Portaal {n}")
    location = make.location(organisation=organisation, name=f"Bib Portaal {n}", city="Gent",
                             address="Kouter 1")
    room = make.room(location=location, name=f"PC-zaal {n}", capacity=8, features=["pc_room"])
    person = make.person(name=f"Tina Trainer {n}", organisation_id=organisation.id,
                         roles=["trainer"])
    partner = accounts.create_user(f"partner{n}@portal.test", role="partner_staff",
                                   password=PASSWORD, organisation=organisation)
    counsellor = accounts.create_user(f"counsellor{n}@portal.test", role="counsellor",
                                      password=PASSWORD)
    trainer = accounts.create_user(f"trainer{n}@portal.test", role="trainer", password=PASSWORD,
                                   person=person)
    admin = accounts.create_user(f"admin{n}@portal.test", role="admin", password=PASSWORD)
    return {"location_id": location.id, "room_id": room.id, "room": room.name,
            "partner": partner.email, "counsellor": counsellor.email, "trainer": trainer.email, "admin": admin.email,
            "person": person.name, "n": n}


def assert_accessible(page, lang="en"):
    assert page.get_attribute("html", "lang") == lang, page.url
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {json.dumps(violations, indent=1, ensure_ascii=False)}"


def log_in(page, live_server, email):
    # Staff read English here: the assertions below quote the source texts.
    page.goto(live_server("/login?lang=en"))
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()[:500]


def log_out(page):
    page.click("nav.portal-nav form button[type=submit]")
    page.wait_for_url(re.compile(r"/login$"))


def test_publish_book_check_in_and_refer(new_page, live_server, portal_world, server_clock):
    # Early afternoon in the city today, whatever the hour the test runs.
    afternoon = datetime.now(BRUSSELS).replace(hour=13, minute=0, second=0, microsecond=0)
    server_clock.set(afternoon)
    page = new_page({"width": 1280, "height": 900}, locale="en-GB")
    page.set_default_timeout(10_000)
    world = portal_world

    page.goto(live_server("/login"))
    assert_accessible(page)
    # A wrong password gets a message, not a way in.
    page.fill("input[name=email]", world["partner"])
    page.fill("input[name=password]", "not the password")
    page.click("form button[type=submit]")
    assert "not right" in page.inner_text("main")
    assert_accessible(page)

    log_in(page, live_server, world["partner"])
    assert page.url.endswith("/partner/")
    assert_accessible(page)

    # Publish a session, first with a mistake so the field messages show.
    starts = afternoon + timedelta(hours=1)
    ends = starts + timedelta(hours=1)
    page.goto(live_server(f"/partner/sessions/new?room={world['room_id']}"))
    assert_accessible(page)
    page.select_option("select[name=theme]", "cv")
    page.fill("input[name=day]", starts.date().isoformat())
    page.fill("input[name=starts]", starts.strftime("%H:%M"))
    page.fill("input[name=ends]", ends.strftime("%H:%M"))
    page.fill("input[name=capacity]", "50")
    page.fill("input[name=walk_in_seats]", "2")
    page.check("input[name=languages][value=ar]")
    page.click("main form button[type=submit]")
    assert "8 places" in page.inner_text("#capacity-error")
    assert page.get_attribute("#capacity", "aria-invalid") == "true"
    assert_accessible(page)
    screenshot(page, "portal-1-session-form-errors", full_page=True)
    page.fill("input[name=capacity]", "5")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/partner/sessions/\d+$"))
    session_id = int(page.url.rsplit("/", 1)[1])
    assert "Nobody has booked yet" in page.inner_text("main")
    assert_accessible(page)

    # Assign the trainer.
    page.select_option("select[name=person]", label=world["person"])
    page.click("#staff ~ form button[type=submit]")
    page.wait_for_url(re.compile(rf"/partner/sessions/{session_id}#staff$"))
    assert world["person"] in page.inner_text("main")

    # Book it at the kiosk of the location.
    kiosk = new_page({"width": 1080, "height": 1920}, locale="nl-BE")
    kiosk.set_default_timeout(10_000)
    kiosk.goto(live_server(f"/kiosk/{world['location_id']}/nl/sessions/{session_id}"))
    kiosk.fill("input[name=name]", "Youssef")
    kiosk.click("form.join-form button[type=submit]")
    kiosk.wait_for_url(re.compile(r"/ticket/\w+$"))
    ticket = kiosk.url.rsplit("/", 1)[1]

    # The participant appears on the attendance list, already checked in by
    # the kiosk (check-in is open), with a ticket the staff can read out.
    page.reload()
    row = page.locator("li.attendee", has_text="Youssef")
    assert row.locator(".booking-status").inner_text() == "present"
    assert ticket[:4] in row.inner_text()
    assert row.get_by_role("button", name=re.compile(r"^Check in Youssef")).count() == 0
    assert_accessible(page)
    screenshot(page, "portal-2-attendance", full_page=True)

    # The other portal pages pass axe as well.
    for path in ["/partner/locations", "/partner/people", "/partner/tokens", "/partner/referrals",
                 f"/partner/sessions/{session_id}/edit", f"/partner/sessions/{session_id}/poster",
                 f"/partner/locations/{world['location_id']}/poster",
                 f"/partner/locations/{world['location_id']}/edit",
                 f"/partner/locations/{world['location_id']}/rooms/new", "/partner/?past=1",
                 "/account"]:
        page.goto(live_server(path))
        assert_accessible(page)
    page.goto(live_server(f"/partner/sessions/{session_id}/poster"))
    assert page.locator(".poster-qr svg").count() == 1
    screenshot(page, "portal-3-poster")
    page.goto(live_server("/partner/tokens"))
    page.fill("input[name=label]", "Our system")
    page.click("main form button[type=submit]")
    assert len(page.inner_text("#new-token")) > 30
    assert_accessible(page)
    log_out(page)

    # A counsellor refers a client to the session.
    log_in(page, live_server, world["counsellor"])
    assert page.url.endswith("/counsellor/")
    assert_accessible(page)
    page.goto(live_server(f"/counsellor/referrals/new?session={session_id}"))
    assert_accessible(page)
    page.fill("input[name=client_name]", "Fatima")
    page.fill("textarea[name=need]", "Make an e-mail address")
    page.select_option("select[name=language]", "ar")
    page.click("form.referral-form button[type=submit]")
    assert "consent" in page.inner_text("#consent-error")  # not recorded without consent
    assert_accessible(page)
    page.check("input[name=consent]")
    page.click("form.referral-form button[type=submit]")
    page.wait_for_url(re.compile(r"/counsellor/referrals/\d+$"))
    referral_url = page.url
    assert "No feedback yet" in page.inner_text("main")
    assert_accessible(page)
    log_out(page)

    # The trainer records feedback once the session has started.
    server_clock.set(starts + timedelta(minutes=10))
    log_in(page, live_server, world["trainer"])
    page.goto(live_server("/counsellor/my-sessions"))
    assert_accessible(page)
    page.click("text=Referral: Fatima")
    page.wait_for_url(referral_url)
    assert_accessible(page)
    page.check("input[name=came][value=yes]")
    page.fill("textarea[name=learned]", "Made a Gmail address and sent a first mail")
    page.fill("textarea[name=next_step]", "CV workshop next month")
    page.click("main form button[type=submit]")
    page.wait_for_url(referral_url)
    assert "Made a Gmail address" in page.inner_text(".feedback")
    log_out(page)

    # The counsellor reads it.
    log_in(page, live_server, world["counsellor"])
    page.goto(referral_url)
    assert page.inner_text(".feedback .came") == "yes"
    assert "CV workshop next month" in page.inner_text(".feedback .next-step")
    assert_accessible(page)
    screenshot(page, "portal-4-referral-feedback", full_page=True)
    log_out(page)

    # An admin's pages: every organisation, and the outbox.
    log_in(page, live_server, world["admin"])
    for path in ["/partner/outbox", "/partner/referrals", "/partner/locations/new"]:
        page.goto(live_server(path))
        assert_accessible(page)

    with live_server.app.app_context():
        session = db.session.get(Session, session_id)
        statuses = sorted((b.kind, b.status) for b in session.bookings)
        assert statuses == [("referred", "confirmed"), ("walk_in", "attended")]
        referral = db.session.scalars(select(Referral).where(Referral.session_id == session_id)).one()
        assert referral.came is True
        db.session.remove()
