"""The coordinator in real Chromium: plan on the demo data, watch the
progress bar finish, publish, find the new session on the kiosk; then mark
its trainer absent and publish the repair."""
import logging
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from booking import create_app
from booking.extensions import db
from booking.models import Demand, Location, Session, StaffAssignment
from booking.services import accounts
from booking.services.demo import seed
from booking.times import local
from booking.models import utcnow
from booking.models.base import CLOCK
from tests.browser.conftest import axe_violations, screenshot
from tests.conftest import TestClock, brussels

pytestmark = pytest.mark.browser
PASSWORD = "coordinator browser password"


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """A server of its own with the demo data, and a demand for the next
    two days at Kortrijk's main library, where the kiosk can show it. The
    server's clock is frozen on an ordinary Tuesday morning: run on the
    Saturday before Easter Monday, "the next two days" were a Sunday (the
    library is closed) and a public holiday, with nowhere to plan."""
    CLOCK.set(brussels(TestClock.START))
    folder = tmp_path_factory.mktemp("planner-live")
    app = create_app({"TESTING": True, "SECRET_KEY": "planner-browser", "RATELIMIT_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'demo.sqlite'}",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "PLANNER_WORKERS": 1})
    with app.app_context():
        db.create_all()
        seed()
        library = db.session.scalars(select(Location).where(
            Location.name == "Hoofdbibliotheek Kortrijk")).one()
        today = local(utcnow()).date()
        db.session.add(Demand(theme_id="everyday-apps", sessions=1, priority=5,
                              location_ids=[library.id], window_start=today + timedelta(days=1),
                              window_end=today + timedelta(days=2)))
        db.session.commit()
        accounts.create_user("coordinator@demo.test", role="coordinator", password=PASSWORD)
        details = {"location_id": library.id, "from": today + timedelta(days=1),
                   "to": today + timedelta(days=2)}
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield app, f"http://127.0.0.1:{server.server_port}", details
    server.shutdown()
    CLOCK.set(None)


def wait_for_plan(page):
    page.wait_for_selector("#progress-bar", timeout=15_000)
    page.wait_for_selector("#summary", timeout=90_000)  # the page reloads when the run ends


def test_plan_publish_and_repair_a_drop_out(new_page, demo_server):
    app, url, details = demo_server
    page = new_page({"width": 1280, "height": 1000})
    page.set_default_timeout(30_000)  # a loaded machine is slow to answer
    page.goto(f"{url}/login?lang=en")
    page.fill("input[name=email]", "coordinator@demo.test")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.goto(f"{url}/planner/?lang=en")
    assert axe_violations(page) == []
    page.fill("input[name=start]", details["from"].isoformat())
    page.fill("input[name=end]", details["to"].isoformat())
    page.fill("input[name=time_limit]", "10")
    page.click("text=Start planning")
    wait_for_plan(page)
    screenshot(page, "planner-review", full_page=True)
    assert axe_violations(page) == []
    assert page.locator("input[name=change]").count() >= 1
    page.click("text=Publish the ticked changes")
    assert "Published: 1 new" in page.inner_text(".messages")

    with app.app_context():
        session = db.session.scalars(select(Session).where(
            Session.theme_id == "everyday-apps", Session.room.has(location_id=details["location_id"]),
            Session.starts_at > utcnow())).one()
        [trainer] = [(a.person_id, a.person.name) for a in session.assignments]
        sick_day = local(session.starts_at).date()
    kiosk = new_page()
    kiosk.goto(f"{url}/kiosk/{details['location_id']}/en/sessions")
    assert "Useful apps" in kiosk.inner_text("main")

    # The trainer falls ill: mark absent, plan the repair, publish it.
    page.goto(f"{url}/planner/people?lang=en")
    page.select_option("select[name=person]", str(trainer[0]))
    page.fill("input[name=first_day]", sick_day.isoformat())
    page.fill("input[name=last_day]", sick_day.isoformat())
    page.click("text=Mark absent")
    assert axe_violations(page) == []
    page.click("#repair ~ form button[type=submit], section.callout button[type=submit]")
    wait_for_plan(page)
    changes = page.inner_text("section[aria-labelledby=changes]")
    # Another trainer takes over, here or (the session has no bookings yet)
    # at another time or room where one is free; nothing is cancelled.
    assert f"{trainer[1]} is absent then" in changes and "cancelled" not in changes
    page.click("text=Publish the ticked changes")
    assert "0 cancelled." in page.inner_text(".messages")
    with app.app_context():
        people = db.session.scalars(select(StaffAssignment.person_id).where(
            StaffAssignment.session_id == session.id)).all()
        still = db.session.get(Session, session.id)
        assert people and trainer[0] not in people
        assert still.status == "published"
