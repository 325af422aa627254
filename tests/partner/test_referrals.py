"""Referrals: only the people involved read them; feedback reaches the counsellor."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from booking.extensions import db
from booking.models import Booking, Referral, StaffAssignment
from booking.services import referrals
from booking.services.errors import InvalidInput
from tests.conftest import in_days


def refer_data(session, **changes):
    return {"session": session.id, "client_name": "Fatima", "phone": "0470111222",
            "need": "Make an e-mail address", "language": "ar", "consent": "y"} | changes


@pytest.fixture
def referral(world):
    return referrals.refer(world.users.counsellor, world.own_session.id, client_name="Fatima",
                           need="Make an e-mail address", language="ar", consent=True)


def test_counsellor_refers_to_a_workshop(client, world, login_as):
    login_as(world.users.counsellor)
    page = client.get("/counsellor/referrals/new").get_data(as_text=True)
    assert "Secret centre" in page  # any partner's session may be chosen
    response = client.post("/counsellor/referrals/new", data=refer_data(world.own_session))
    assert response.status_code == 302
    found = db.session.scalars(select(Referral)).one()
    assert found.booking.kind == "referred" and found.booking.status == "confirmed"
    assert found.booking.name == "Fatima" and found.consent_recorded_at is not None
    text = client.get("/counsellor/").get_data(as_text=True)
    assert "Fatima" in text and "not yet" in text


def test_consent_and_minimal_name_are_required(client, world, login_as):
    login_as(world.users.counsellor)
    data = refer_data(world.own_session)
    del data["consent"]
    response = client.post("/counsellor/referrals/new", data=data)
    assert response.status_code == 422 and "consent" in response.get_data(as_text=True)
    response = client.post("/counsellor/referrals/new",
                           data=refer_data(world.own_session, client_name="Fatima El Amrani Idrissi"))
    assert response.status_code == 422 and "not a full name" in response.get_data(as_text=True)
    assert db.session.scalars(select(Referral)).all() == []
    assert db.session.scalars(select(Booking)).all() == []


def test_drop_in_referral_holds_no_seat(world, make):
    theme = make.theme(id="dropin", kind="drop_in")
    session = make.session(room=world.own_room, theme=theme, kind="drop_in",
                           starts_at=in_days(5, 9), capacity=8, walk_in_seats=8)
    found = referrals.refer(world.users.counsellor, session.id, client_name="K.D.",
                            need="Forgotten password", consent=True)
    assert found.booking_id is None and found.session_id == session.id


def test_refer_refuses_past_cancelled_or_unknown_sessions(world, make):
    past = make.session(room=world.own_room, theme=world.theme, starts_at=in_days(-2))
    for session_id in (past.id, 99999):
        with pytest.raises(InvalidInput):
            referrals.refer(world.users.counsellor, session_id, client_name="A", need="x",
                            consent=True)


def test_only_the_involved_read_a_referral(client, world, login_as, referral):
    path = f"/counsellor/referrals/{referral.id}"
    for user in (world.users.counsellor, world.users.partner, world.users.admin):
        login_as(user)
        response = client.get(path)
        assert response.status_code == 200 and "Make an e-mail address" in response.get_data(
            as_text=True)
    for user in (world.users.other_counsellor, world.users.other_partner,
                 world.users.coordinator, world.users.trainer):
        login_as(user)
        response = client.get(path)
        assert response.status_code == 404
        assert "Fatima" not in response.get_data(as_text=True)
    # The other organisation's attendance list has no trace of it either.
    login_as(world.users.other_partner)
    assert "Fatima" not in client.get(f"/partner/sessions/{world.other_session.id}").get_data(
        as_text=True)


def test_feedback_waits_for_the_start_of_the_session(clock, client, world, login_as, referral):
    login_as(world.users.partner)
    response = client.post(f"/counsellor/referrals/{referral.id}", data={
        "came": "yes", "learned": "", "next_step": ""}, follow_redirects=True)
    assert "once the session has started" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Referral, referral.id).came is None


def test_partner_records_feedback_and_counsellor_reads_it(clock, client, world, login_as,
                                                         referral):
    clock.set(world.own_session.starts_at + timedelta(minutes=30))
    login_as(world.users.partner)
    page = client.get(f"/partner/sessions/{world.own_session.id}").get_data(as_text=True)
    assert f"/counsellor/referrals/{referral.id}" in page
    response = client.post(f"/counsellor/referrals/{referral.id}", data={"came": "maybe"})
    assert response.status_code == 422
    response = client.post(f"/counsellor/referrals/{referral.id}", data={
        "came": "yes", "learned": "Made a Gmail address", "next_step": "CV workshop"})
    assert response.status_code == 302
    login_as(world.users.counsellor)
    text = client.get(f"/counsellor/referrals/{referral.id}").get_data(as_text=True)
    assert "Made a Gmail address" in text and "CV workshop" in text
    assert "Give feedback" not in text and "Change the feedback" not in text
    assert "came" in client.get("/counsellor/").get_data(as_text=True)
    # A counsellor cannot write feedback.
    response = client.post(f"/counsellor/referrals/{referral.id}", data={"came": "no"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Referral, referral.id).came is True


def test_assigned_trainer_sees_and_gives_feedback(clock, client, world, login_as, referral):
    clock.set(world.own_session.starts_at + timedelta(minutes=30))
    db.session.add(StaffAssignment(session=world.own_session, person=world.trainer_person,
                                   role="trainer"))
    db.session.commit()
    login_as(world.users.trainer)
    page = client.get("/counsellor/my-sessions").get_data(as_text=True)
    assert "Fatima" in page
    response = client.post(f"/counsellor/referrals/{referral.id}",
                           data={"came": "no", "learned": "", "next_step": "Call her"})
    assert response.status_code == 302
    db.session.expire_all()
    found = db.session.get(Referral, referral.id)
    assert found.came is False and found.next_step == "Call her"
    assert found.feedback_by_id == world.users.trainer.id


def test_counsellor_withdraws_and_the_seat_moves_on(client, world, login_as, make):
    from booking.models import OutboxMessage
    from booking.services import booking as bookings

    session = make.session(room=world.own_room, theme=world.theme, starts_at=in_days(4, 14),
                           capacity=1, walk_in_seats=0)
    found = referrals.refer(world.users.counsellor, session.id, client_name="Ali", need="cv",
                            consent=True)
    waiting = bookings.book(session.id, kind="pre_registered", phone="0470999888").booking
    assert waiting.status == "waitlisted"
    login_as(world.users.other_counsellor)
    assert client.post(f"/counsellor/referrals/{found.id}/withdraw").status_code == 404
    login_as(world.users.counsellor)
    assert "Withdraw" in client.get(f"/counsellor/referrals/{found.id}").get_data(as_text=True)
    assert client.post(f"/counsellor/referrals/{found.id}/withdraw").status_code == 302
    db.session.expire_all()
    assert db.session.get(Referral, found.id).booking.status == "cancelled"
    assert db.session.get(Booking, waiting.id).status == "confirmed"
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert message.recipient == "0470999888" and message.event == "seat_given"
    assert "Withdraw" not in client.get(f"/counsellor/referrals/{found.id}").get_data(as_text=True)


def test_partner_lists_referrals_to_own_sessions_only(client, world, login_as, referral):
    other = referrals.refer(world.users.counsellor, world.other_session.id, client_name="Zeynep",
                            need="apps", consent=True)
    login_as(world.users.partner)
    text = client.get("/partner/referrals").get_data(as_text=True)
    assert "Fatima" in text and "Zeynep" not in text and "still to give" in text
    login_as(world.users.other_partner)
    text = client.get("/partner/referrals").get_data(as_text=True)
    assert "Zeynep" in text and "Fatima" not in text
    assert other.id


def test_referral_with_email_sends_the_booking_with_ics_once(client, world, login_as):
    from booking.models import OutboxMessage

    login_as(world.users.counsellor)
    response = client.post("/counsellor/referrals/new",
                           data=refer_data(world.own_session, email="not-an-address"))
    assert response.status_code == 422 and "not an e-mail" in response.get_data(as_text=True)
    response = client.post("/counsellor/referrals/new",
                           data=refer_data(world.own_session, email="fatima@example.test"))
    assert response.status_code == 302
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert (message.event, message.recipient) == ("booking_confirmed", "fatima@example.test")
    assert message.attachment.startswith("BEGIN:VCALENDAR") and "DTSTART;TZID=" in message.attachment
    found = db.session.scalars(select(Referral)).one()
    assert found.booking.ticket in message.body
    assert "fatima@example.test" not in str(vars(found))  # the address is not kept


def test_session_picker_filters_by_theme_and_language(client, world, login_as, make):
    other_theme = make.theme(id="apps", titles={"nl": "Apps"})
    arabic = make.session(room=world.own_room, theme=other_theme, starts_at=in_days(6, 9),
                          languages=["nl", "ar"])
    login_as(world.users.counsellor)
    page = client.get("/counsellor/referrals/new?theme=apps").get_data(as_text=True)
    assert f'value="{arabic.id}"' in page and f'value="{world.own_session.id}"' not in page
    page = client.get("/counsellor/referrals/new?language=ar").get_data(as_text=True)
    assert f'value="{arabic.id}"' in page and f'value="{world.own_session.id}"' not in page
    # A session chosen elsewhere (e.g. from a link) stays selectable.
    page = client.get(f"/counsellor/referrals/new?language=ar&session={world.own_session.id}")
    assert f'value="{world.own_session.id}" selected' in page.get_data(as_text=True) or (
        f'selected value="{world.own_session.id}"' in page.get_data(as_text=True))
