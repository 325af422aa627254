"""Calendar feeds parse in two independent parsers (icalendar, ical.js),
carry TZID and VTIMEZONE, show the right local time on both sides of a
daylight-saving change, and keep cancelled sessions with a higher SEQUENCE."""
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from booking.extensions import db
from booking.models import StaffAssignment
from booking.services import booking as bookings
from booking.services import sessions as session_service

BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture
def dst(make):
    """Sessions at 10:00 Brussels on 30 October 2027 (summer time, UTC+2)
    and 1 November 2027 (winter time, UTC+1)."""
    location = make.location(name="Bib Zuid", address="Woodrow Wilsonplein 1", city="Gent")
    room = make.room(location=location, name="PC-lokaal")
    theme = make.theme(id="cv", titles={"nl": "Digitaal cv", "en": "Electronic CV"})
    before = make.session(room=room, theme=theme,
                          starts_at=datetime(2027, 10, 30, 10, 0, tzinfo=BRUSSELS))
    after = make.session(room=room, theme=theme,
                         starts_at=datetime(2027, 11, 1, 10, 0, tzinfo=BRUSSELS))
    draft = make.session(room=room, theme=theme, status="draft",
                         starts_at=datetime(2027, 11, 2, 10, 0, tzinfo=BRUSSELS))
    return location, before, after, draft


def events_of(body: bytes):
    calendar = Calendar.from_ical(body)
    return calendar, [c for c in calendar.walk("VEVENT")]


def test_location_feed_has_local_times_across_the_dst_change(client, dst, ical_js):
    location, before, after, draft = dst
    response = client.get(f"/calendar/locations/{location.id}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    body = response.data
    calendar, events = events_of(body)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Brussels"]
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in body and b"X-PUBLISHED-TTL:PT1H" in body
    assert len(events) == 2  # the draft is not in the feed
    by_uid = {str(e["UID"]): e for e in events}
    first = by_uid[f"session-{before.id}@instap.invalid"]
    second = by_uid[f"session-{after.id}@instap.invalid"]
    for event in (first, second):
        assert event["DTSTART"].params["TZID"] == "Europe/Brussels"
        assert event["DTEND"].params["TZID"] == "Europe/Brussels"
        assert event["DTSTART"].dt.tzinfo is not None  # never floating
        assert event["DTSTART"].dt.hour == 10
        assert "DTSTAMP" in event and str(event["SUMMARY"]) == "Digitaal cv"
        assert "Bib Zuid" in str(event["LOCATION"])
        assert event["SEQUENCE"] == 0
    assert first["DTSTART"].dt.astimezone(UTC) == datetime(2027, 10, 30, 8, 0, tzinfo=UTC)
    assert second["DTSTART"].dt.astimezone(UTC) == datetime(2027, 11, 1, 9, 0, tzinfo=UTC)
    assert b"DTSTART;TZID=Europe/Brussels:20271030T100000" in body
    assert b"DTSTART;TZID=Europe/Brussels:20271101T100000" in body

    parsed = ical_js(body)
    assert parsed["timezones"] == ["Europe/Brussels"]
    js = {e["uid"]: e for e in parsed["events"]}
    js_first = js[f"session-{before.id}@instap.invalid"]
    js_second = js[f"session-{after.id}@instap.invalid"]
    assert js_first["tzid"] == js_second["tzid"] == "Europe/Brussels"
    assert js_first["start_local"] == "2027-10-30T10:00:00"
    assert js_second["start_local"] == "2027-11-01T10:00:00"
    assert js_first["start_utc"] == "2027-10-30T08:00:00.000Z"
    assert js_second["start_utc"] == "2027-11-01T09:00:00.000Z"
    assert js_first["end_utc"] == "2027-10-30T10:00:00.000Z"
    assert js_first["summary"] == "Digitaal cv" and "Bib Zuid" in js_first["location"]


def test_cancelled_session_stays_with_higher_sequence(client, dst, ical_js):
    location, before, after, _draft = dst
    session_service.cancel(before.id)
    body = client.get(f"/calendar/locations/{location.id}.ics").data
    _calendar, events = events_of(body)
    by_uid = {str(e["UID"]): e for e in events}
    cancelled = by_uid[f"session-{before.id}@instap.invalid"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert cancelled["SEQUENCE"] == 1
    assert str(by_uid[f"session-{after.id}@instap.invalid"]["STATUS"]) == "CONFIRMED"
    js = {e["uid"]: e for e in ical_js(body)["events"]}
    assert js[f"session-{before.id}@instap.invalid"]["status"] == "CANCELLED"
    assert js[f"session-{before.id}@instap.invalid"]["sequence"] == 1
    # The session's own feed says the same.
    single = client.get(f"/calendar/sessions/{before.id}.ics").data
    _c, [event] = events_of(single)
    assert str(event["STATUS"]) == "CANCELLED" and event["SEQUENCE"] == 1


def test_moved_session_keeps_uid_and_raises_sequence(client, dst, ical_js):
    _location, before, _after, _draft = dst
    uid_before = str(events_of(client.get(f"/calendar/sessions/{before.id}.ics").data)[1][0]["UID"])
    session_service.update(before.id, {"starts_at": before.starts_at + timedelta(hours=3),
                                       "ends_at": before.ends_at + timedelta(hours=3)})
    body = client.get(f"/calendar/sessions/{before.id}.ics").data
    _c, [event] = events_of(body)
    assert str(event["UID"]) == uid_before
    assert event["SEQUENCE"] == 1
    assert event["DTSTART"].dt.hour == 13
    assert ical_js(body)["events"][0]["start_local"] == "2027-10-30T13:00:00"


def test_session_feed_hides_drafts_and_unknown(client, dst):
    _location, _before, _after, draft = dst
    assert client.get(f"/calendar/sessions/{draft.id}.ics").status_code == 404
    assert client.get("/calendar/sessions/99999.ics").status_code == 404
    assert client.get("/calendar/sessions/abc.ics").status_code == 404
    assert client.get("/calendar/sessions/%C2%B9.ics").status_code == 404  # superscript one
    assert client.get("/calendar/locations/99999.ics").status_code == 404


def test_booking_feed(client, dst, ical_js):
    _location, before, _after, _draft = dst
    outcome = bookings.book(before.id, kind="pre_registered", name="Ayşe", language="en",
                            now=datetime(2027, 10, 1, tzinfo=UTC))
    ticket = outcome.booking.ticket
    response = client.get(f"/calendar/bookings/{ticket.lower()}.ics")
    assert response.status_code == 200
    _c, [event] = events_of(response.data)
    assert str(event["UID"]) == f"booking-{ticket}@instap.invalid"
    assert str(event["SUMMARY"]) == "Electronic CV"  # the participant's language
    assert str(event["STATUS"]) == "CONFIRMED"
    js = ical_js(response.data)["events"][0]
    assert js["start_local"] == "2027-10-30T10:00:00" and js["tzid"] == "Europe/Brussels"
    bookings.cancel(ticket, now=datetime(2027, 10, 2, tzinfo=UTC))
    _c, [event] = events_of(client.get(f"/calendar/bookings/{ticket}.ics").data)
    assert str(event["STATUS"]) == "CANCELLED" and event["SEQUENCE"] == 1
    assert client.get("/calendar/bookings/ZZZZZZZZ.ics").status_code == 404


def test_person_feed_is_secret_and_revocable(client, dst, make, ical_js):
    _location, before, after, draft = dst
    person = make.person(name="Tina Trainer")
    other = make.person(name="Someone Else")
    for session in (before, after, draft):
        db.session.add(StaffAssignment(session=session, person=person, role="trainer"))
    db.session.commit()
    token = person.feed_token
    response = client.get(f"/calendar/people/{token}.ics")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    _c, events = events_of(response.data)
    assert {str(e["UID"]) for e in events} == {
        f"session-{before.id}@instap.invalid", f"session-{after.id}@instap.invalid"}
    assert len(ical_js(response.data)["events"]) == 2
    # Cancelled sessions stay in the person's feed.
    session_service.cancel(after.id)
    _c, events = events_of(client.get(f"/calendar/people/{token}.ics").data)
    statuses = {str(e["UID"]): str(e["STATUS"]) for e in events}
    assert statuses[f"session-{after.id}@instap.invalid"] == "CANCELLED"
    # Someone else's feed is empty; a wrong token is unknown.
    _c, events = events_of(client.get(f"/calendar/people/{other.feed_token}.ics").data)
    assert events == []
    assert client.get("/calendar/people/not-a-real-token-at-all.ics").status_code == 404
    assert client.get("/calendar/people/short.ics").status_code == 404
    # Regenerating the token revokes the old address.
    from booking.services.staff import regenerate_feed_token

    new = regenerate_feed_token(person)
    db.session.commit()
    assert client.get(f"/calendar/people/{token}.ics").status_code == 404
    assert client.get(f"/calendar/people/{new}.ics").status_code == 200


def test_the_database_holds_no_usable_feed_address(app, client, make):
    person = make.person(name="Tina Trainer")
    token = person.feed_token
    stored = db.session.execute(db.text("SELECT * FROM person")).mappings().one()
    assert token not in " ".join(str(value) for value in stored.values())
    # Another id with the same secret part, or a changed letter, opens nothing.
    person_id, _dash, mac = token.partition("-")
    other = make.person(name="Someone Else")
    for forged in (f"{other.id}-{mac}", f"{person_id}-{mac[:-1]}{'A' if mac[-1] != 'A' else 'B'}"):
        assert client.get(f"/calendar/people/{forged}.ics").status_code == 404
    # A copy of the database on a site with another SECRET_KEY gives other addresses.
    app.config["SECRET_KEY"] = "another-installation"
    assert person.feed_token != token
    assert client.get(f"/calendar/people/{token}.ics").status_code == 404


def test_feed_escapes_text_and_parses(client, make, ical_js):
    location = make.location(name="Centre; with, commas\nand a line")
    room = make.room(location=location)
    theme = make.theme(titles={"nl": "Formulieren, invullen; online"})
    session = make.session(room=room, theme=theme)
    body = client.get(f"/calendar/locations/{location.id}.ics").data
    _c, [event] = events_of(body)
    assert str(event["SUMMARY"]) == "Formulieren, invullen; online"
    js = ical_js(body)["events"][0]
    assert js["summary"] == "Formulieren, invullen; online"
    assert js["uid"] == f"session-{session.id}@instap.invalid"


def test_unchanged_feed_answers_not_modified(client, dst):
    location = dst[0]
    first = client.get(f"/calendar/locations/{location.id}.ics")
    etag = first.headers["ETag"]
    again = client.get(f"/calendar/locations/{location.id}.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304
    session_service.cancel(dst[1].id)
    changed = client.get(f"/calendar/locations/{location.id}.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and b"STATUS:CANCELLED" in changed.data
