"""Publishing, changing and cancelling sessions, locations and rooms,
attendance, staff, posters and API tokens through the portal."""
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from booking.extensions import db
from booking.models import ApiToken, Booking, Location, OutboxMessage, Room, Session
from booking.services import booking as bookings

BRUSSELS = ZoneInfo("Europe/Brussels")


def next_monday():
    today = datetime.now(BRUSSELS).date()
    return today + timedelta(days=7 - today.weekday() + 7)


def session_data(world, **changes):
    data = {"theme": world.theme.id, "room": world.own_room.id,
            "day": next_monday().isoformat(), "starts": "10:00", "ends": "12:00",
            "capacity": 5, "walk_in_seats": 2, "languages": ["nl", "ar"], "status": "published"}
    return data | changes


@pytest.fixture
def partner(client, world, login_as):
    return login_as(world.users.partner)


def test_publish_a_session(partner, world):
    response = partner.post("/partner/sessions/new", data=session_data(world))
    assert response.status_code == 302
    session = db.session.scalars(select(Session).order_by(Session.id.desc())).first()
    assert session.room_id == world.own_room.id and session.languages == ["nl", "ar"]
    assert session.starts_at.astimezone(BRUSSELS).hour == 10
    assert session.status == "published" and session.capacity == 5
    page = partner.get(response.headers["Location"]).get_data(as_text=True)
    assert "Attendance list" in page


def field_error(page, field):
    match = re.search(rf'id="{field}-error">([^<]+)<', page)
    return match.group(1) if match else None


def test_room_conflict_has_a_clear_message(partner, world):
    assert partner.post("/partner/sessions/new", data=session_data(world)).status_code == 302
    response = partner.post("/partner/sessions/new",
                            data=session_data(world, starts="11:00", ends="13:00"))
    assert response.status_code == 422
    assert "overlaps session" in field_error(response.get_data(as_text=True), "room")


def test_opening_hours_and_fields_are_checked(partner, world):
    response = partner.post("/partner/sessions/new",
                            data=session_data(world, starts="06:00", ends="07:00"))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "starts") == "outside the opening hours"
    response = partner.post("/partner/sessions/new", data=session_data(world, capacity=20))
    assert "only 8 places" in field_error(response.get_data(as_text=True), "capacity")
    response = partner.post("/partner/sessions/new",
                            data=session_data(world, walk_in_seats=4, capacity=3))
    assert "exceed" in field_error(response.get_data(as_text=True), "walk_in_seats")
    response = partner.post("/partner/sessions/new",
                            data=session_data(world, starts="12:00", ends="10:00"))
    assert "after" in field_error(response.get_data(as_text=True), "ends")
    response = partner.post("/partner/sessions/new", data=session_data(world, day=""))
    assert field_error(response.get_data(as_text=True), "day")


def test_edit_moves_the_session_and_tells_people(partner, world):
    session = world.own_session
    bookings.book(session.id, kind="pre_registered", name="Ayşe", phone="0470123456",
                  language="tr")
    bookings.book(session.id, kind="pre_registered", name="No phone")
    before = session.sequence
    response = partner.post(f"/partner/sessions/{session.id}/edit",
                            data=session_data(world, starts="14:00", ends="16:00"))
    assert response.status_code == 302
    db.session.expire_all()
    session = db.session.get(Session, session.id)
    assert session.starts_at.astimezone(BRUSSELS).hour == 14
    assert session.sequence == before + 1
    messages = db.session.scalars(select(OutboxMessage)).all()
    assert [(m.event, m.channel, m.recipient, m.status) for m in messages] == [
        ("session_moved", "sms", "0470123456", "pending")]  # no SMS gateway here
    assert "14:00" in messages[0].body


def test_edit_below_taken_seats_is_refused(partner, world):
    session = world.own_session
    for name in ("A", "B", "C"):
        bookings.book(session.id, kind="pre_registered", name=name)
    response = partner.post(f"/partner/sessions/{session.id}/edit",
                            data=session_data(world, capacity=2, walk_in_seats=0,
                                              day=session.starts_at.astimezone(BRUSSELS)
                                              .date().isoformat(), starts="09:00", ends="11:00"))
    assert response.status_code == 422
    assert "at least 3" in field_error(response.get_data(as_text=True), "capacity")


def test_cancel_session_cancels_bookings_and_tells_them(partner, world):
    session = world.own_session
    bookings.book(session.id, kind="pre_registered", name="Ayşe", phone="0470123456")
    response = partner.post(f"/partner/sessions/{session.id}/cancel")
    assert response.status_code == 302
    db.session.expire_all()
    session = db.session.get(Session, session.id)
    assert session.status == "cancelled" and session.sequence == 1
    assert all(b.status == "cancelled" for b in session.bookings)
    assert [m.event for m in db.session.scalars(select(OutboxMessage))] == ["session_cancelled"]
    page = partner.get(f"/partner/sessions/{session.id}").get_data(as_text=True)
    assert "cancelled" in page and "Cancel the session" not in page


def test_attendance_check_in_no_show_walk_in_and_cancel(clock, partner, world):
    session = world.own_session
    first = bookings.book(session.id, kind="pre_registered", name="Fatima").booking
    second = bookings.book(session.id, kind="pre_registered", name="Koen").booking
    clock.set(session.starts_at + timedelta(minutes=5))  # attendance is kept from the start
    page = partner.get(f"/partner/sessions/{session.id}").get_data(as_text=True)
    assert "Fatima" in page and "Koen" in page
    base = f"/partner/sessions/{session.id}/bookings"
    assert partner.post(f"{base}/{first.ticket}/check-in").status_code == 302
    assert partner.post(f"{base}/{second.ticket}/no-show").status_code == 302
    assert partner.post(f"{base}/{first.ticket}/fly").status_code == 404
    response = partner.post(f"/partner/sessions/{session.id}/walk-in",
                            data={"name": "Omar", "phone": "", "language": "ar",
                                  "age_group": "50-54"})
    assert response.status_code == 302
    db.session.expire_all()
    statuses = {b.name: (b.kind, b.status) for b in db.session.get(Session, session.id).bookings}
    assert statuses == {"Fatima": ("pre_registered", "attended"),
                        "Koen": ("pre_registered", "no_show"),
                        "Omar": ("walk_in", "attended")}


def test_cancelling_a_booking_promotes_the_waiting_list(partner, world, make):
    room = world.own_room
    session = make.session(room=room, theme=world.theme, capacity=1, walk_in_seats=0,
                           starts_at=world.own_session.starts_at + timedelta(days=1))
    seated = bookings.book(session.id, kind="pre_registered", name="First").booking
    waiting = bookings.book(session.id, kind="pre_registered", name="Second",
                            phone="0499999999").booking
    assert waiting.status == "waitlisted"
    response = partner.post(f"/partner/sessions/{session.id}/bookings/{seated.ticket}/cancel")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Booking, waiting.id).status == "confirmed"
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert (message.event, message.recipient) == ("seat_given", "0499999999")
    assert waiting.ticket in message.body


def test_assign_and_remove_staff(partner, world, make):
    session = world.own_session
    person = world.trainer_person
    response = partner.post(f"/partner/sessions/{session.id}/staff",
                            data={"person": person.id, "role": "trainer"})
    assert response.status_code == 302
    db.session.expire_all()
    [assignment] = db.session.get(Session, session.id).assignments
    assert assignment.person_id == person.id
    # Twice is refused with a message; a person of another organisation is not offered.
    partner.post(f"/partner/sessions/{session.id}/staff",
                 data={"person": person.id, "role": "trainer"})
    page = partner.get(f"/partner/sessions/{session.id}").get_data(as_text=True)
    assert "already assigned" in page
    stranger = make.person(name="Stranger", organisation_id=world.other_org.id)
    response = partner.post(f"/partner/sessions/{session.id}/staff",
                            data={"person": stranger.id, "role": "trainer"})
    db.session.expire_all()
    assert len(db.session.get(Session, session.id).assignments) == 1
    response = partner.post(f"/partner/sessions/{session.id}/staff/{assignment.id}/remove")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Session, session.id).assignments == []


def test_locations_and_rooms(partner, world):
    response = partner.post("/partner/locations/new", data={
        "name": "Wijkcentrum Noord", "address": "Kerkstraat 1", "city": "Gent", "new_area": "Noord",
        "opening_hours": "1-5 09:00-17:00\n6 10:00-12:00"})
    assert response.status_code == 302
    location = db.session.scalars(select(Location).where(Location.name == "Wijkcentrum Noord")).one()
    assert location.organisation_id == world.own_org.id
    assert location.opening_hours == [
        {"weekdays": [1, 2, 3, 4, 5], "start": "09:00", "end": "17:00"},
        {"weekdays": [6], "start": "10:00", "end": "12:00"}]
    response = partner.post("/partner/locations/new", data={
        "name": "Bad hours", "opening_hours": "Monday all day"})
    assert response.status_code == 422
    assert "line 1" in response.get_data(as_text=True)
    response = partner.post(f"/partner/locations/{location.id}/rooms/new", data={
        "name": "PC-lokaal", "capacity": 6, "features": ["pc_room", "wheelchair"]})
    assert response.status_code == 302
    room = db.session.scalars(select(Room).where(Room.location_id == location.id)).one()
    assert room.features == ["pc_room", "wheelchair"] and room.capacity == 6
    response = partner.post(f"/partner/rooms/{room.id}/edit",
                            data={"name": "PC-lokaal 2", "capacity": 7, "features": ["projector"]})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Room, room.id).features == ["projector"]
    page = partner.get(f"/partner/locations/{location.id}/edit").get_data(as_text=True)
    assert "1-5 09:00-17:00" in page


def test_posters_have_qr_and_public_link(partner, world):
    session = world.own_session
    session.languages = ["nl", "ar"]
    db.session.commit()
    page = partner.get(f"/partner/sessions/{session.id}/poster").get_data(as_text=True)
    assert "<svg" in page and f"/sessions/{session.id}" in page
    assert "@page" not in page  # print CSS lives in portal.css
    assert "Gratis. Kom gewoon binnen" in page and "مجاني" in page  # nl and ar
    day = session.starts_at.astimezone(BRUSSELS).date().isoformat()
    page = partner.get(f"/partner/locations/{world.own_location.id}/poster?week={day}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "<svg" in text and "Thema" in text
    assert "scan de code" in text and "امسح الرمز" in text


def test_api_tokens_shown_once_and_revocable(partner, client, world):
    response = partner.post("/partner/tokens", data={"label": "Our booking system"})
    text = response.get_data(as_text=True)
    token = re.search(r'<code class="token" id="new-token">([^<]+)</code>', text).group(1)
    assert response.headers["Cache-Control"] == "no-store"
    assert token not in partner.get("/partner/tokens").get_data(as_text=True)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/api/v1/sessions/{world.own_session.id}/bookings",
                      headers=headers).status_code == 200
    row = db.session.scalars(select(ApiToken).where(ApiToken.label == "Our booking system")).one()
    assert partner.post(f"/partner/tokens/{row.id}/revoke").status_code == 302
    assert client.get(f"/api/v1/sessions/{world.own_session.id}/bookings",
                      headers=headers).status_code == 401


def test_regenerate_a_person_feed(partner, world, client):
    person = world.trainer_person
    old = person.feed_token
    assert client.get(f"/calendar/people/{old}.ics").status_code == 200
    assert partner.post(f"/partner/people/{person.id}/feed-token").status_code == 302
    db.session.expire_all()
    assert client.get(f"/calendar/people/{old}.ics").status_code == 404


def test_portal_times_are_brussels_time_across_dst(partner, world, client):
    world.own_location.opening_hours = []
    db.session.commit()
    ids = []
    for day in ("2027-10-30", "2027-11-01"):
        response = partner.post("/partner/sessions/new",
                                data=session_data(world, day=day, starts="10:00", ends="12:00"))
        assert response.status_code == 302
        ids.append(int(response.headers["Location"].rsplit("/", 1)[1]))
    summer, winter = (db.session.get(Session, i) for i in ids)
    assert summer.starts_at.hour == 8 and winter.starts_at.hour == 9  # UTC
    for session in (summer, winter):
        page = partner.get(f"/partner/sessions/{session.id}").get_data(as_text=True)
        assert "10:00–12:00" in page
        body = client.get(f"/calendar/sessions/{session.id}.ics").data
        assert b"DTSTART;TZID=Europe/Brussels:2027" in body and b"T100000" in body
    # Cancelling in the portal leaves the session in the location feed as CANCELLED.
    partner.post(f"/partner/sessions/{summer.id}/cancel")
    from icalendar import Calendar

    body = client.get(f"/calendar/locations/{world.own_location.id}.ics").data
    events = {str(e["UID"]): e for e in Calendar.from_ical(body).walk("VEVENT")}
    event = events[f"session-{summer.id}@instap.invalid"]
    assert str(event["STATUS"]) == "CANCELLED" and event["SEQUENCE"] == 1


def test_moving_a_session_tells_the_referring_counsellor(partner, world):
    from booking.services import referrals

    referrals.refer(world.users.counsellor, world.own_session.id, client_name="F.K.",
                    need="cv", consent=True)
    response = partner.post(f"/partner/sessions/{world.own_session.id}/edit",
                            data=session_data(world, starts="15:00", ends="17:00"))
    assert response.status_code == 302
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert (message.channel, message.recipient) == ("email", "counsellor@test.test")
    assert "F.K." in message.body and "15:00" in message.body


def test_admin_adds_a_location_for_an_organisation(client, world, login_as):
    login_as(world.users.admin)
    page = client.get("/partner/locations/new").get_data(as_text=True)
    assert "Other organisation" in page and "Bibliotheek Gent" in page
    response = client.post("/partner/locations/new", data={
        "organisation": world.other_org.id, "name": "Admin made", "opening_hours": ""})
    assert response.status_code == 302
    location = db.session.scalars(select(Location).where(Location.name == "Admin made")).one()
    assert location.organisation_id == world.other_org.id and location.opening_hours == []
    # A partner's form has no organisation field: the location is always their own.
    login_as(world.users.partner)
    assert 'name="organisation"' not in client.get("/partner/locations/new").get_data(as_text=True)
    client.post("/partner/locations/new", data={"organisation": world.other_org.id,
                                                "name": "Partner made"})
    location = db.session.scalars(select(Location).where(Location.name == "Partner made")).one()
    assert location.organisation_id == world.own_org.id
