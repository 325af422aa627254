"""The booking rules of the contract, straight on the service, on a frozen
clock: Tuesday 9 March 2027, 09:00 in Brussels, unless a test moves it."""
from datetime import timedelta

import pytest

from booking.services import booking as engine
from booking.services.errors import Conflict, NotFound
from tests.conftest import brussels


@pytest.fixture(autouse=True)
def frozen(clock):
    return clock


def book(session, kind="walk_in", **fields):
    return engine.book(session.id, kind=kind, **fields)


def today(make, clock, hours=1, **fields):
    """A session later on the clock's day (10:00 by default)."""
    return make.session(starts_at=clock.now + timedelta(hours=hours), **fields)


def code_of(excinfo) -> str:
    return excinfo.value.code


# Seats -----------------------------------------------------------------------

def test_seats_fill_then_the_waiting_list_takes_arrivals_in_order(make):
    session = make.session(capacity=3, walk_in_seats=0)
    outcomes = [book(session, "pre_registered") for _ in range(5)]
    assert [o.booking.status for o in outcomes] == ["confirmed"] * 3 + ["waitlisted"] * 2
    assert [o.waitlist_position for o in outcomes] == [None, None, None, 1, 2]


def test_pre_registrations_leave_the_walk_in_seats_free(make, clock):
    session = today(make, clock, capacity=5, walk_in_seats=2)
    pre = [book(session, "pre_registered") for _ in range(4)]
    assert [o.booking.status for o in pre] == ["confirmed"] * 3 + ["waitlisted"]
    walk_ins = [book(session, "walk_in") for _ in range(3)]
    assert [o.booking.status for o in walk_ins] == ["confirmed", "confirmed", "waitlisted"]
    seats = engine.availability(session)
    assert (seats.held, seats.seats_left) == (5, 0)


def test_walk_ins_may_take_any_free_seat(make, clock):
    session = today(make, clock, capacity=4, walk_in_seats=1)
    statuses = [book(session, "walk_in").booking.status for _ in range(5)]
    assert statuses == ["confirmed"] * 4 + ["waitlisted"]


def test_a_referral_counts_as_a_pre_registration(make):
    session = make.session(capacity=2, walk_in_seats=1)
    assert book(session, "referred").booking.status == "confirmed"
    assert book(session, "pre_registered").booking.status == "waitlisted"


def test_cancelling_a_seat_promotes_the_first_on_the_waiting_list(make):
    session = make.session(capacity=2, walk_in_seats=0)
    first, second = book(session, "pre_registered"), book(session, "pre_registered")
    third, fourth = book(session, "pre_registered"), book(session, "pre_registered")
    cancelled, promoted = engine.cancel(first.booking.ticket)
    assert cancelled.status == "cancelled"
    assert [b.ticket for b in promoted] == [third.booking.ticket]
    assert engine.waitlist_position(fourth.booking) == 1
    assert second.booking.status == "confirmed"


def test_a_pre_registration_never_takes_a_walk_in_seat_freed_by_a_cancel(make, clock):
    session = today(make, clock, capacity=3, walk_in_seats=1)
    pre = [book(session, "pre_registered") for _ in range(3)]  # 2 seats, 1 waiting
    walk_in = book(session, "walk_in")
    waiting_walk_in = book(session, "walk_in")
    _, promoted = engine.cancel(walk_in.booking.ticket)
    # The pre-registration waits longest, but only the walk-in may take that seat.
    assert [b.ticket for b in promoted] == [waiting_walk_in.booking.ticket]
    assert pre[2].booking.status == "waitlisted"


def test_cancelling_twice_is_harmless_and_attended_cannot_be_cancelled(make, clock):
    session = make.session(starts_at=clock.now + timedelta(minutes=5))
    outcome = book(session)
    engine.cancel(outcome.booking.ticket)
    again, promoted = engine.cancel(outcome.booking.ticket)
    assert (again.status, promoted) == ("cancelled", [])
    other = book(session)
    engine.check_in(other.booking.ticket)
    with pytest.raises(Conflict):
        engine.cancel(other.booking.ticket)


# Idempotency -------------------------------------------------------------------

def test_the_same_idempotency_key_gives_the_same_booking(make):
    session = make.session(capacity=1, walk_in_seats=0)
    first = book(session, "pre_registered", idempotency_key="kiosk-7-tap-31")
    again = book(session, "pre_registered", idempotency_key="kiosk-7-tap-31")
    assert again.booking.id == first.booking.id and not again.created
    assert engine.availability(session).held == 1


def test_the_same_key_with_another_request_is_refused(make):
    session = make.session()
    book(session, "pre_registered", name="Amina", idempotency_key="k-1")
    with pytest.raises(Conflict) as refused:
        book(session, "pre_registered", name="Bram", idempotency_key="k-1")
    assert code_of(refused) == "idempotency_key_reused"
    assert engine.availability(session).held == 1


def test_the_same_key_on_another_session_is_another_booking(make, clock):
    one, two = today(make, clock), today(make, clock, hours=3)
    assert book(one, idempotency_key="k").booking.id != book(two, idempotency_key="k").booking.id


# Time rules: booking --------------------------------------------------------------

def test_walk_ins_are_taken_on_the_day_only_and_a_later_day_is_booked_ahead(make, clock):
    tomorrow = make.session(starts_at=clock.now + timedelta(days=1))
    with pytest.raises(Conflict) as refused:
        book(tomorrow, "walk_in")
    assert code_of(refused) == "not_today"
    assert engine.kind_for_kiosk(tomorrow) == "pre_registered"
    assert book(tomorrow, engine.kind_for_kiosk(tomorrow)).booking.kind == "pre_registered"
    later_today = today(make, clock, hours=6)
    assert engine.kind_for_kiosk(later_today) == "walk_in"


def test_at_23_00_a_session_after_midnight_is_not_today(make, clock):
    clock.set("2027-03-09 23:00")
    after_midnight = make.session(starts_at=brussels("2027-03-10 00:30"))
    with pytest.raises(Conflict) as refused:
        book(after_midnight, "walk_in")
    assert code_of(refused) == "not_today"
    tonight = make.session(starts_at=brussels("2027-03-09 23:30"), ends_at=brussels(
        "2027-03-10 00:30"))
    assert book(tonight, "walk_in").booking.status == "confirmed"


def test_the_local_day_counts_not_the_utc_day(make, clock):
    # 00:30 in Brussels is still the previous day in UTC.
    clock.set("2027-03-10 00:30")
    morning = make.session(starts_at=brussels("2027-03-10 10:00"))
    assert book(morning, "walk_in").booking.status == "confirmed"


def test_pre_registration_closes_at_the_start_and_walk_ins_soon_after(make, clock):
    session = make.session(starts_at=clock.now - timedelta(minutes=10))
    with pytest.raises(Conflict) as refused:
        book(session, "pre_registered")
    assert code_of(refused) == "booking_closed"
    assert book(session, "walk_in").booking.status == "confirmed"
    clock.advance(minutes=5)  # 15 minutes after the start: closed
    with pytest.raises(Conflict) as refused:
        book(session, "walk_in")
    assert code_of(refused) == "booking_closed"
    ended = make.session(starts_at=clock.now - timedelta(hours=3))
    with pytest.raises(Conflict) as refused:
        book(ended, "walk_in")
    assert code_of(refused) == "booking_closed"


def test_the_walk_in_limit_is_a_setting(app, make, clock):
    app.config["WALK_IN_CLOSES_MINUTES"] = 30
    session = make.session(starts_at=clock.now - timedelta(minutes=20))
    assert book(session, "walk_in").booking.status == "confirmed"


def test_phases_of_a_session_through_its_day(make, clock):
    session = make.session(starts_at=brussels("2027-03-09 14:00"))
    moments = {
        "2027-03-08 14:00": "later_day", "2027-03-09 09:00": "today",
        "2027-03-09 13:10": "soon", "2027-03-09 14:05": "started",
        "2027-03-09 14:20": "closed", "2027-03-09 16:00": "over",
    }
    assert {m: engine.phase(session, brussels(m)) for m in moments} == moments


def test_drafts_and_cancelled_sessions_take_no_bookings(make):
    with pytest.raises(NotFound):
        book(make.session(status="draft"), "pre_registered")
    with pytest.raises(Conflict, match="cancelled"):
        book(make.session(status="cancelled"), "pre_registered")


# Time rules: check-in and no-shows ------------------------------------------------

def test_check_in_opens_an_hour_before_and_closes_at_the_end(make, clock):
    session = make.session(starts_at=brussels("2027-03-09 11:00"))
    ticket = book(session, "pre_registered").booking.ticket
    with pytest.raises(Conflict) as refused:  # 09:00: two hours early
        engine.check_in(ticket)
    assert code_of(refused) == "check_in_closed"
    assert engine.find_booking(ticket).status == "confirmed"  # nothing changed
    clock.set("2027-03-09 10:00")
    assert engine.check_in(ticket).status == "attended"
    late = book(make.session(starts_at=brussels("2027-03-09 07:00")), "pre_registered",
                now=brussels("2027-03-08 12:00")).booking.ticket
    with pytest.raises(Conflict) as refused:  # that session ended at 09:00
        engine.check_in(late)
    assert code_of(refused) == "check_in_closed"


def test_check_in_opens_an_hour_of_real_time_before_across_the_spring_change(make, clock):
    # 28 March 2027: Brussels jumps from 02:00 to 03:00. A session at 03:30
    # opens check-in one real hour earlier: 01:30 on the clock on the wall.
    session = make.session(starts_at=brussels("2027-03-28 03:30"))
    ticket = book(session, "pre_registered", now=brussels("2027-03-27 12:00")).booking.ticket
    clock.set("2027-03-28 01:29")
    with pytest.raises(Conflict):
        engine.check_in(ticket)
    clock.set("2027-03-28 01:31")
    assert engine.check_in(ticket).status == "attended"


def test_no_shows_free_their_seats_for_the_waiting_list_then_walk_ins(make, clock):
    session = today(make, clock, capacity=3, walk_in_seats=0)  # 10:00
    came, absent, also_absent = (book(session, "pre_registered") for _ in range(3))
    waiting = book(session, "pre_registered")
    clock.set("2027-03-09 09:55")
    engine.check_in(came.booking.ticket)
    clock.set("2027-03-09 10:14")
    standing_in_the_room = book(session, "walk_in")
    assert standing_in_the_room.booking.status == "waitlisted"
    assert engine.find_booking(absent.booking.ticket).status == "confirmed"
    clock.set("2027-03-09 10:15")
    assert engine.find_booking(absent.booking.ticket).status == "no_show"
    assert engine.find_booking(also_absent.booking.ticket).status == "no_show"
    assert engine.find_booking(waiting.booking.ticket).status == "confirmed"
    assert engine.find_booking(standing_in_the_room.booking.ticket).status == "confirmed"
    assert engine.availability(session).seats_left == 0


def test_no_shows_are_settled_once(make, clock):
    session = today(make, clock, capacity=1, walk_in_seats=0)
    book(session, "pre_registered")
    clock.set("2027-03-09 10:10")
    walk_in = book(session, "walk_in")
    clock.set("2027-03-09 10:20")
    assert engine.settle_due_no_shows() == 1
    assert engine.find_booking(walk_in.booking.ticket).status == "confirmed"
    clock.set("2027-03-09 10:40")  # moved up late, not checked in yet: keeps the seat
    assert engine.settle_due_no_shows() == 0
    assert engine.find_booking(walk_in.booking.ticket).status == "confirmed"


def test_staff_record_absence_only_from_the_start(make, clock):
    session = today(make, clock, capacity=2, walk_in_seats=0)
    outcome = book(session, "pre_registered")
    with pytest.raises(Conflict) as refused:
        engine.mark_no_show(outcome.booking.ticket)
    assert code_of(refused) == "not_started"
    clock.set("2027-03-09 10:05")
    assert engine.mark_no_show(outcome.booking.ticket).status == "no_show"
    assert engine.availability(session).held == 0


def test_staff_walk_in_is_booked_and_checked_in_at_once(make, clock):
    session = today(make, clock, hours=0.5, capacity=1, walk_in_seats=1)
    assert engine.walk_in_and_check_in(session.id, name="Sara").status == "attended"
    assert engine.walk_in_and_check_in(session.id, name="Ali").status == "waitlisted"


# Tickets ----------------------------------------------------------------------

def test_tickets_are_short_readable_and_unrelated(make, clock):
    session = today(make, clock, capacity=40, walk_in_seats=40)
    tickets = [book(session).booking.ticket for _ in range(40)]
    assert len(set(tickets)) == 40
    for ticket in tickets:
        assert len(ticket) == 8 and set(ticket) <= set(engine.TICKET_ALPHABET)
        assert not set(ticket) & set("01OI")
    # Consecutive tickets share no more characters in place than chance would give.
    same_place = sum(a == b for t, u in zip(tickets, tickets[1:]) for a, b in zip(t, u))
    assert same_place < 39 * 8 / 4


def test_tickets_are_found_however_they_are_typed(make):
    ticket = book(make.session(), "pre_registered").booking.ticket
    typed = f" {ticket[:4].lower()}-{ticket[4:]} "
    assert engine.find_booking(typed).ticket == ticket
    with pytest.raises(NotFound):
        engine.find_booking("ZZZZ-ZZZZ")


def test_check_in_gives_a_waiting_person_a_free_seat_when_they_turn_up(make, clock):
    session = today(make, clock, capacity=2, walk_in_seats=1)
    first = book(session, "pre_registered")
    waiting = book(session, "pre_registered")
    assert waiting.booking.status == "waitlisted"
    assert engine.check_in(waiting.booking.ticket).status == "attended"
    assert engine.check_in(first.booking.ticket).status == "attended"
    late = book(session, "walk_in")
    assert late.booking.status == "waitlisted"
    with pytest.raises(Conflict) as refused:
        engine.check_in(late.booking.ticket)
    assert code_of(refused) == "session_full"


def test_at_the_place_a_walk_in_with_a_seat_is_checked_in_at_once(make, clock):
    soon = today(make, clock, hours=0.5, capacity=1, walk_in_seats=1)
    outcome = engine.join_at_the_place(soon.id, idempotency_key="tap-1")
    assert (outcome.booking.kind, outcome.booking.status) == ("walk_in", "attended")
    again = engine.join_at_the_place(soon.id, idempotency_key="tap-1")
    assert again.booking.id == outcome.booking.id and not again.created
    later_today = today(make, clock, hours=5)
    assert engine.join_at_the_place(later_today.id).booking.status == "confirmed"
    tomorrow = make.session(starts_at=clock.now + timedelta(days=1))
    assert engine.join_at_the_place(tomorrow.id).booking.kind == "pre_registered"
