"""The `make` factory of tests/conftest.py covers every model, and what it
makes is what the site shows and the log-in accepts."""
from booking.models import Base
from tests.conftest import log_in, post_login

# The factory method for each table; a new model needs one here and in conftest.
FACTORY_FOR_TABLE = {
    "organisation": "organisation", "area": "area", "location": "location",
    "location_closure": "location_closure", "room": "room", "theme": "theme",
    "session": "session", "person": "person", "staff_assignment": "staff_assignment",
    "booking": "booking", "referral": "referral", "feedback": "feedback",
    "outbox_message": "outbox_message", "queue_ticket": "queue_ticket",
    "staff_call": "staff_call", "demand": "demand", "planning_run": "planning_run",
    "audit_entry": "audit_entry", "api_token": "api_token", "user_account": "user",
    # Written only by the log-in service on a failed attempt.
    "login_failure": None,
}


def test_every_table_has_a_factory(make):
    assert set(Base.metadata.tables) == set(FACTORY_FOR_TABLE)
    for method in filter(None, FACTORY_FOR_TABLE.values()):
        assert callable(getattr(make, method))


def test_factories_build_rows_the_site_shows(client, make):
    session = make.session()
    booking = make.booking(session, name="Amal")
    make.staff_assignment(session)
    make.referral(session)
    make.feedback(session)
    make.demand(session.theme)
    make.queue_ticket(session.room.location)
    make.staff_call(session.room.location)
    make.outbox_message(session_id=session.id)
    make.planning_run()
    make.location_closure(session.room.location)
    assert make.area("Kortrijk", "Centrum").label == "Centrum (Kortrijk)"
    make.audit_entry(object_id=session.id)
    answer = client.get(f"/api/v1/bookings/{booking.ticket}").get_json()
    assert answer["status"] == "confirmed"
    assert answer["session"]["seats_left"] == session.capacity - 2  # Amal and the referral


def test_log_in_helper_lets_each_role_in_and_refuses_a_wrong_password(client, make):
    for role in ("partner_staff", "counsellor", "trainer", "coordinator", "admin"):
        user = make.user(role)
        log_in(client, user)
    client.post("/logout")
    assert post_login(client, make.user("admin"), "wrong password").status_code == 401
