from datetime import UTC, datetime, timedelta

import pytest

from booking.services import dropin, feedback
from booking.services.errors import Conflict, InvalidInput, NotFound


def test_numbers_count_per_location_and_restart_each_day(make):
    here, there = make.location(), make.location()
    monday = datetime(2027, 3, 1, 9, tzinfo=UTC)
    assert dropin.take_number(here.id, "email", now=monday).number == 1
    assert dropin.take_number(here.id, "cv", now=monday).number == 2
    assert dropin.take_number(there.id, "cv", now=monday).number == 1
    assert dropin.take_number(here.id, "cv", now=monday + timedelta(days=1)).number == 1


def test_place_in_queue_and_call_next_in_order(make):
    location = make.location()
    now = datetime.now(UTC)
    a, b, c = (dropin.take_number(location.id, "apps", now=now) for _ in range(3))
    assert [dropin.place_in_queue(t) for t in (a, b, c)] == [1, 2, 3]
    assert dropin.call_next(location.id, now=now) == a
    assert dropin.place_in_queue(b) == 1
    assert dropin.call_next(location.id, now=now) == b
    assert a.status == "done" and b.status == "called"
    assert dropin.called(location.id, now=now) == [b, a]
    dropin.call_next(location.id, now=now)
    assert dropin.call_next(location.id, now=now) is None


def test_topic_and_location_must_exist(make):
    with pytest.raises(InvalidInput):
        dropin.take_number(make.location().id, "unknown")
    with pytest.raises(NotFound):
        dropin.take_number(9999, "cv")


def test_feedback_scores_are_counted_per_session(make):
    session = make.session(starts_at=datetime.now(UTC) - timedelta(hours=3))
    for score in (3, 3, 1):
        feedback.record(session.id, score)
    assert feedback.summary([session.id])[session.id] == {3: 2, 1: 1}
    with pytest.raises(InvalidInput):
        feedback.record(session.id, 4)


def test_feedback_only_after_the_start_and_only_recent_sessions_listed(make):
    room = make.room()
    future = make.session(room=room, starts_at=datetime.now(UTC) + timedelta(hours=3))
    old = make.session(room=room, starts_at=datetime.now(UTC) - timedelta(days=2))
    recent = make.session(room=room, starts_at=datetime.now(UTC) - timedelta(hours=1))
    assert feedback.sessions_to_rate(room.location_id) == [recent]
    with pytest.raises(Conflict):
        feedback.record(future.id, 2)
    assert old.id  # an old session may still be rated, it is just not offered


def test_check_in_reads_a_typed_code_or_a_scanned_booking_url(make):
    from booking.services import booking as bookings
    from booking.services import checkin

    session = make.session(starts_at=datetime.now(UTC) + timedelta(hours=1))
    here = session.room.location_id
    first = bookings.book(session.id, kind="pre_registered", name="A").booking.ticket
    second = bookings.book(session.id, kind="pre_registered", name="B").booking.ticket
    assert checkin.check_in_at(here, bookings.format_ticket(first).lower()).status == "attended"
    assert checkin.check_in_at(here, f"https://x.test/booking/{second}/").status == "attended"
    with pytest.raises(checkin.WrongPlace) as error:
        checkin.check_in_at(make.location().id, first)
    assert error.value.place == session.room.location.name
    with pytest.raises(NotFound):
        checkin.check_in_at(here, "ZZZZ-ZZZZ")
