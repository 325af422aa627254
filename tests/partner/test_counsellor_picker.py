"""Counsellors: the picker by city, day, language and seats left; a clear
word when the session is full; the status of each referral; a message when
feedback arrives."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from booking.extensions import db
from booking.models import OutboxMessage, Referral
from booking.services import booking as bookings
from booking.services import referrals, staff
from tests.conftest import in_days
from tests.partner.test_referrals import refer_data


def test_picker_by_city_day_and_seats(client, world, login_as, make):
    antwerp = make.location(organisation=world.other_org, name="Antwerp library", city="Antwerpen")
    room = make.room(location=antwerp, capacity=8)
    far = make.session(room=room, theme=world.theme, starts_at=in_days(10, 9))
    full = make.session(room=world.own_room, theme=world.theme, starts_at=in_days(5, 9),
                        capacity=1, walk_in_seats=0)
    bookings.book(full.id, kind="pre_registered", name="Someone")
    login_as(world.users.counsellor)
    page = client.get("/counsellor/referrals/new?city=Antwerpen").get_data(as_text=True)
    assert f'value="{far.id}"' in page and f'value="{full.id}"' not in page
    assert "Antwerp library (Antwerpen)" in page and "seats left: 3" in page
    page = client.get(f"/counsellor/referrals/new?day={in_days(7).date().isoformat()}")
    text = page.get_data(as_text=True)
    assert f'value="{far.id}"' in text and f'value="{world.own_session.id}"' not in text
    page = client.get("/counsellor/referrals/new").get_data(as_text=True)
    assert "full: waiting list" in page
    page = client.get("/counsellor/referrals/new?seats=yes").get_data(as_text=True)
    assert f'value="{full.id}"' not in page and f'value="{world.own_session.id}"' in page


def test_a_full_session_says_so_and_suggests_the_next_with_seats(client, world, login_as, make):
    full = make.session(room=world.own_room, theme=world.theme, starts_at=in_days(2, 9),
                        capacity=1, walk_in_seats=0)
    bookings.book(full.id, kind="pre_registered", name="Someone")
    login_as(world.users.counsellor)
    response = client.post("/counsellor/referrals/new", data=refer_data(full),
                           follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "The session is full: Fatima is number 1 on the waiting list" in text
    assert "The next" in text and "with seats" in text
    assert "waiting list (number 1)" in client.get("/counsellor/").get_data(as_text=True)


def test_statuses_and_feedback_message(app, client, world, login_as, make):
    started = make.session(room=world.own_room, theme=world.theme,
                           starts_at=datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30))
    staff.assign(started.id, world.trainer_person.id, "trainer")
    referrals.refer(world.users.counsellor, started.id, client_name="Fatima", need="CV",
                    language="ar", consent=True, now=started.starts_at - timedelta(days=1))
    login_as(world.users.counsellor)
    assert "<td class=\"referral-status status-booked\">booked" in client.get(
        "/counsellor/").get_data(as_text=True)
    referral = db.session.scalars(select(Referral)).one()
    login_as(world.users.trainer)
    client.post(f"/counsellor/referrals/{referral.id}",
                data={"came": "yes", "learned": "E-mail", "next_step": "CV"})
    message = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.event == "referral_feedback")).one()
    assert message.recipient == world.users.counsellor.email
    assert f"/counsellor/referrals/{referral.id}" in message.body
    login_as(world.users.counsellor)
    assert "status-came\">came" in client.get("/counsellor/").get_data(as_text=True)
