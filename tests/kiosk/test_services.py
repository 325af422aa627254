from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from booking.extensions import db
from booking.models import QueueTicket
from booking.services import dropin, feedback
from booking.services.errors import Conflict, InvalidInput, NotFound


BRUSSELS = ZoneInfo("Europe/Brussels")


def at(text: str) -> datetime:
    """A wall-clock time in the city."""
    return datetime.fromisoformat(text).replace(tzinfo=BRUSSELS)


def help_hour(make, location, starts: str, hours: float = 2, **fields):
    theme = make.theme(kind="drop_in", pictogram="help")
    starts_at = at(starts)
    return make.session(room=make.room(location=location), theme=theme, starts_at=starts_at,
                        ends_at=starts_at + timedelta(hours=hours), kind="drop_in", **fields)


def test_numbers_belong_to_one_help_hour_and_restart_for_the_next(make):
    here, there = make.location(), make.location()
    morning = help_hour(make, here, "2027-03-01 09:00")
    afternoon = help_hour(make, here, "2027-03-01 14:00")
    help_hour(make, there, "2027-03-01 09:00")
    first = dropin.take_number(here.id, "email", now=at("2027-03-01 09:05"))
    assert (first.number, first.session_id) == (1, morning.id)
    assert dropin.take_number(here.id, "cv", now=at("2027-03-01 10:30")).number == 2
    assert dropin.take_number(there.id, "cv", now=at("2027-03-01 09:10")).number == 1
    later = dropin.take_number(here.id, "cv", now=at("2027-03-01 14:00"))
    assert (later.number, later.session_id) == (1, afternoon.id)


@pytest.mark.parametrize("moment", [
    "2027-03-01 08:59",  # before the help hour
    "2027-03-01 11:00",  # the moment it ends
    "2027-03-01 23:00",  # at night
])
def test_no_number_without_a_help_hour_running(make, moment):
    location = make.location()
    help_hour(make, location, "2027-03-01 09:00")
    with pytest.raises(dropin.NoHelpHour) as refused:
        dropin.take_number(location.id, "email", now=at(moment))
    assert refused.value.code == "no_help_hour"
    assert db.session.scalar(select(func.count()).select_from(QueueTicket)) == 0


def test_a_cancelled_or_draft_help_hour_or_a_workshop_hands_out_no_number(make):
    location = make.location()
    help_hour(make, location, "2027-03-01 09:00", status="cancelled")
    help_hour(make, location, "2027-03-01 09:00", status="draft")
    make.session(room=make.room(location=location), starts_at=at("2027-03-01 09:00"))
    with pytest.raises(dropin.NoHelpHour):
        dropin.take_number(location.id, "email", now=at("2027-03-01 09:30"))


def test_place_in_queue_estimated_wait_and_call_next_in_order(app, make):
    app.config["DROPIN_MINUTES_PER_PERSON"] = 12
    location = make.location()
    help_hour(make, location, "2027-03-01 09:00")
    now = at("2027-03-01 09:30")
    a, b, c = (dropin.take_number(location.id, "apps", now=now) for _ in range(3))
    places = [dropin.place_in_queue(t) for t in (a, b, c)]
    assert [p.people_before for p in places] == [0, 1, 2]
    assert [p.estimated_wait_minutes for p in places] == [0, 12, 24]
    assert places[0].is_next and not places[1].is_next
    assert dropin.call_next(location.id, now=now) == a
    assert dropin.place_in_queue(a) is None
    assert dropin.place_in_queue(b).people_before == 0
    assert dropin.call_next(location.id, now=now) == b
    assert a.status == "done" and b.status == "called"
    assert dropin.called(location.id, now=now) == [b, a]
    assert dropin.waiting(location.id, now=now) == [c]
    dropin.call_next(location.id, now=now)
    assert dropin.call_next(location.id, now=now) is None


def test_the_queue_of_a_help_hour_that_just_ended_can_still_be_called(make):
    location = make.location()
    help_hour(make, location, "2027-03-01 09:00")
    last = dropin.take_number(location.id, "eid", now=at("2027-03-01 10:55"))
    after = at("2027-03-01 11:20")
    assert dropin.waiting(location.id, now=after) == [last]
    assert dropin.call_next(location.id, now=after) == last
    # The next day that queue is gone from the screens.
    assert dropin.called(location.id, now=at("2027-03-02 09:00")) == []


def test_next_help_hour_here_first_then_the_same_area_then_the_city(make):
    organisation = make.organisation()
    here = make.location(organisation=organisation, city="Gent", area="Ledeberg")
    same_area = make.location(city="Gent", area="Ledeberg")
    elsewhere = make.location(city="Gent", area="Centrum")
    other_city = make.location(city="Kortrijk", area="Ledeberg")
    now = at("2027-03-01 12:00")
    assert dropin.next_help_hour(here.id, now=now) is None
    soonest = help_hour(make, elsewhere, "2027-03-01 13:00")
    help_hour(make, other_city, "2027-03-01 12:30")
    assert dropin.next_help_hour(here.id, now=now) == soonest
    area = help_hour(make, same_area, "2027-03-03 09:00")
    assert dropin.next_help_hour(here.id, now=now) == area
    own = help_hour(make, here, "2027-03-08 09:00")
    help_hour(make, here, "2027-03-01 09:00")  # over already
    assert dropin.next_help_hour(here.id, now=now) == own


def test_help_hours_across_the_spring_daylight_saving_change(make):
    """Sunday 28 March 2027 the clocks go from 02:00 to 03:00 in Brussels:
    a help hour at 09:00 local is 07:00 UTC that day (08:00 UTC the day before)."""
    location = make.location()
    saturday = help_hour(make, location, "2027-03-27 09:00")
    sunday = help_hour(make, location, "2027-03-28 09:00")
    assert saturday.starts_at.astimezone(UTC).hour == 8
    assert sunday.starts_at.astimezone(UTC).hour == 7
    taken = dropin.take_number(location.id, "cv", now=datetime(2027, 3, 28, 7, 5, tzinfo=UTC))
    assert (taken.session_id, taken.number, taken.day) == (sunday.id, 1, date(2027, 3, 28))
    with pytest.raises(dropin.NoHelpHour):  # 08:30 local: not yet on the summer clock's 09:00
        dropin.take_number(location.id, "cv", now=datetime(2027, 3, 28, 6, 30, tzinfo=UTC))


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
