"""Accounts (own password, reset by e-mail, invitations, roles,
deactivation, audit log), attendance for real rooms (everyone at once, CSV,
print) and calendar feed addresses (webcal) for staff and coordinators."""
import csv
import io
import re

import pytest
from sqlalchemy import select

from booking.extensions import db
from booking.models import OutboxMessage, User
from booking.services import accounts
from booking.services import booking as bookings
from tests.partner.conftest import PASSWORD, login


@pytest.fixture
def partner(client, world, login_as):
    return login_as(world.users.partner)


def _last_mail(recipient):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == recipient)
                              .order_by(OutboxMessage.id.desc())).first()


def test_change_own_password(partner, world):
    bad = partner.post("/account/password", data={
        "current_password": "wrong one", "new_password": "a new password!",
        "repeat": "a new password!"})
    assert bad.status_code == 422 and "not right" in bad.get_data(as_text=True)
    short = partner.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "short", "repeat": "short"})
    assert short.status_code == 422 and "at least 12 characters" in short.get_data(as_text=True)
    done = partner.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "a new password!",
        "repeat": "a new password!"})
    assert done.status_code == 302
    partner.post("/logout")
    assert login(partner, world.users.partner).status_code == 401
    assert login(partner, world.users.partner, "a new password!").status_code == 302


def test_reset_by_email_link_works_once(app, client, world):
    response = client.post("/password/forgot", data={"email": world.users.counsellor.email})
    assert response.status_code == 302
    unknown = client.post("/password/forgot", data={"email": "nobody@nowhere.test"})
    assert unknown.status_code == 302  # the same answer: no way to probe addresses
    mail = _last_mail(world.users.counsellor.email)
    assert mail.event == "password_reset" and mail.channel == "email"
    link = re.search(r"https?://\S+/password/reset/\S+", mail.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200
    response = client.post("/" + path, data={"new_password": "reset password 1",
                                             "repeat": "reset password 1"})
    assert response.status_code == 302
    assert client.get("/" + path).status_code == 410  # used: no longer works
    assert login(client, world.users.counsellor, "reset password 1").status_code == 302


def test_admin_invites_changes_role_and_deactivates(app, client, world, login_as):
    admin = login_as(world.users.admin)
    response = admin.post("/partner/users", data={
        "email": "New.Person@Example.test", "name": "New Person", "role": "counsellor",
        "organisation": 0, "person": 0})
    assert response.status_code == 302
    user = db.session.scalars(select(User).where(User.email == "new.person@example.test")).one()
    mail = _last_mail(user.email)
    assert mail.event == "invitation" and "/password/welcome/" in mail.body
    path = "/" + re.search(r"https?://\S+(/password/welcome/\S+)", mail.body).group(1).lstrip("/")
    response = admin.post(f"/partner/users/{user.id}", data={
        "role": "partner_staff", "organisation": world.own_org.id})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.role == "partner_staff" and user.organisation_id == world.own_org.id
    history = admin.get(f"/partner/users/{user.id}").get_data(as_text=True)
    assert "role changed" in history and "invited" in history
    admin.post(f"/partner/users/{user.id}/active", data={"active": "0"})
    db.session.refresh(user)
    assert user.active is False
    # Own account: no self-demotion or self-lock-out.
    response = admin.post(f"/partner/users/{world.users.admin.id}/active", data={"active": "0"})
    db.session.refresh(world.users.admin)
    assert world.users.admin.active is True
    # The invitation link of a deactivated account no longer works.
    client.post("/logout")
    assert client.get(path).status_code == 410


def test_users_page_is_for_admins_only(partner):
    assert partner.get("/partner/users").status_code == 403


def test_session_history_is_readable(partner, world):
    partner.post(f"/partner/sessions/{world.own_session.id}/cancel")
    text = partner.get(f"/partner/sessions/{world.own_session.id}/history").get_data(as_text=True)
    assert "partner@own.test" in text and "session changed" in text
    assert "status: published → cancelled" in text
    assert partner.get(f"/partner/sessions/{world.other_session.id}/history").status_code == 404


def test_check_everyone_in_and_export(app, partner, world):
    session = world.own_session
    app.config["CHECK_IN_OPENS_MINUTES"] = 60 * 24 * 7  # the session is in 3 days
    session.capacity, session.walk_in_seats = 2, 0
    db.session.commit()
    for name, language in (("Amina", "ar"), ("Bart", "nl"), ("Chris", "tr")):
        bookings.book(session.id, kind="pre_registered", name=name, language=language,
                      age_group="25-29")
    response = partner.post(f"/partner/sessions/{session.id}/check-in-all")
    assert response.status_code == 302
    statuses = sorted((b.name, b.status) for b in session.bookings)
    assert statuses == [("Amina", "attended"), ("Bart", "attended"), ("Chris", "waitlisted")]
    export = partner.get(f"/partner/sessions/{session.id}/attendance.csv")
    assert export.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:5] == ["Ticket", "Name", "Kind", "Status", "Waiting-list position"]
    assert [r[1] for r in rows[1:]] == ["Amina", "Bart", "Chris"]
    assert rows[3][3:6] == ["waiting list", "1", "tr"] and rows[1][6] == "25-29"
    page = partner.get(f"/partner/sessions/{session.id}").get_data(as_text=True)
    assert "number 1 on the waiting list" in page
    printed = partner.get(f"/partner/sessions/{session.id}/attendance/print")
    assert printed.status_code == 200 and "Chris" in printed.get_data(as_text=True)


def test_feed_addresses_with_webcal_for_staff_and_coordinator(app, client, world, login_as):
    app.config["PUBLIC_URL"] = "https://instap.example"
    person = world.trainer_person
    trainer = login_as(world.users.trainer)
    page = trainer.get("/account").get_data(as_text=True)
    assert f'href="webcal://instap.example/calendar/people/{person.feed_token}.ics"' in page
    assert f"https://instap.example/calendar/people/{person.feed_token}.ics" in page
    coordinator = login_as(world.users.coordinator)
    page = coordinator.get("/partner/people").get_data(as_text=True)
    assert f"webcal://instap.example/calendar/people/{person.feed_token}.ics" in page
    assert coordinator.get("/partner/").status_code == 403  # still not a partner
    counsellor = login_as(world.users.counsellor)
    assert counsellor.get("/partner/people").status_code == 403


def test_set_password_is_the_one_place(app, world):
    user = world.users.counsellor
    accounts.set_password(user, "another password", actor="system")
    assert user.check_password("another password")
    with pytest.raises(accounts.InvalidInput):
        accounts.set_password(user, "short", actor="system")
