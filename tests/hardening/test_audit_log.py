"""Staff changes to sessions and bookings leave a trace; participants' own bookings do not."""
from datetime import timedelta

from sqlalchemy import select

from booking.extensions import db
from booking.models import AuditEntry
from tests.conftest import in_days


def entries():
    return db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()


def test_api_changes_are_logged_with_the_organisation_and_what_changed(client, make, clock):
    organisation = make.organisation(slug="bib-gent")
    room = make.room(location=make.location(organisation=organisation))
    session = make.session(room=room, capacity=5, starts_at=in_days(0, hour=9))
    token = make.api_token(organisation)
    db.session.execute(db.delete(AuditEntry))
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}

    ticket = client.post(f"/api/v1/sessions/{session.id}/bookings",
                         json={"kind": "walk_in", "name": "Samir"}).get_json()["ticket"]
    assert entries() == []  # a participant's own booking is not a staff change

    client.patch(f"/api/v1/sessions/{session.id}", json={"capacity": 4}, headers=headers)
    client.post(f"/api/v1/bookings/{ticket}/check-in", headers=headers)
    logged = [(e.actor, e.action, e.object_type, e.changes) for e in entries()]
    assert ("api:bib-gent", "updated", "session", {"capacity": [5, 4]}) in logged
    check_in = next(e for e in entries() if e.object_type == "booking")
    assert check_in.changes["status"] == ["confirmed", "attended"]
    assert "Samir" not in str(logged)  # personal data stays out of the log


def test_portal_changes_are_logged_with_the_user(app, client, make):
    from booking.services import accounts
    from tests.partner.conftest import PASSWORD, login

    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    organisation = make.organisation(slug="wijk")
    room = make.room(location=make.location(organisation=organisation))
    session = make.session(room=room, starts_at=in_days(3))
    user = accounts.create_user("staff@wijk.test", role="partner_staff", password=PASSWORD,
                                organisation=organisation)
    login(client, user)
    db.session.execute(db.delete(AuditEntry))
    db.session.commit()
    response = client.post(f"/partner/sessions/{session.id}/cancel")
    assert response.status_code in (302, 303)
    [entry] = [e for e in entries() if e.object_type == "session"]
    assert entry.actor.startswith(f"user:{user.id} staff@wijk.test")
    assert entry.changes["status"] == ["published", "cancelled"]


def test_a_booking_staff_make_is_logged_as_created_with_its_id(make, clock):
    from booking.services import booking as bookings

    session = make.session(capacity=5, starts_at=clock.now + timedelta(minutes=5))
    db.session.execute(db.delete(AuditEntry))
    db.session.commit()
    booking = bookings.walk_in_and_check_in(session.id, name="Samir", phone="0470 12 34 56",
                                            actor="user:7 staff@wijk.test (partner_staff)")
    logged = [(e.action, e.object_type, e.object_id) for e in entries()]
    assert logged[0] == ("created", "booking", booking.id)
    created = entries()[0]
    assert created.actor == "user:7 staff@wijk.test (partner_staff)"
    assert created.changes["status"] == "confirmed" and created.changes["kind"] == "walk_in"
    assert ("updated", "booking", booking.id) in logged  # then checked in
    assert "Samir" not in str(created.changes) and "0470" not in str(created.changes)
