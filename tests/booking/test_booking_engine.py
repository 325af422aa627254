"""The booking rules of the contract, straight on the service."""
from datetime import timedelta

import pytest

from booking.services import booking as engine
from booking.services.errors import Conflict, NotFound


def book(session, kind="walk_in", **fields):
    return engine.book(session.id, kind=kind, **fields)


def test_seats_fill_then_the_waiting_list_takes_arrivals_in_order(make):
    session = make.session(capacity=3, walk_in_seats=0)
    outcomes = [book(session, "pre_registered") for _ in range(5)]
    assert [o.booking.status for o in outcomes] == ["confirmed"] * 3 + ["waitlisted"] * 2
    assert [o.waitlist_position for o in outcomes] == [None, None, None, 1, 2]


def test_pre_registrations_leave_the_walk_in_seats_free(make):
    session = make.session(capacity=5, walk_in_seats=2)
    pre = [book(session, "pre_registered") for _ in range(4)]
    assert [o.booking.status for o in pre] == ["confirmed"] * 3 + ["waitlisted"]
    walk_ins = [book(session, "walk_in") for _ in range(3)]
    assert [o.booking.status for o in walk_ins] == ["confirmed", "confirmed", "waitlisted"]
    seats = engine.availability(session)
    assert (seats.held, seats.seats_left) == (5, 0)


def test_walk_ins_may_take_any_free_seat(make):
    session = make.session(capacity=4, walk_in_seats=1)
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


def test_a_pre_registration_never_takes_a_walk_in_seat_freed_by_a_cancel(make):
    session = make.session(capacity=3, walk_in_seats=1)
    pre = [book(session, "pre_registered") for _ in range(3)]  # 2 seats, 1 waiting
    walk_in = book(session, "walk_in")
    waiting_walk_in = book(session, "walk_in")
    _, promoted = engine.cancel(walk_in.booking.ticket)
    # The pre-registration waits longest, but only the walk-in may take that seat.
    assert [b.ticket for b in promoted] == [waiting_walk_in.booking.ticket]
    assert pre[2].booking.status == "waitlisted"


def test_cancelling_twice_is_harmless_and_attended_cannot_be_cancelled(make):
    session = make.session(starts_at=engine.utcnow() + timedelta(minutes=5))
    outcome = book(session)
    engine.cancel(outcome.booking.ticket)
    again, promoted = engine.cancel(outcome.booking.ticket)
    assert (again.status, promoted) == ("cancelled", [])
    other = book(session)
    engine.check_in(other.booking.ticket)
    with pytest.raises(Conflict):
        engine.cancel(other.booking.ticket)


def test_the_same_idempotency_key_gives_the_same_booking(make):
    session = make.session(capacity=1, walk_in_seats=0)
    first = book(session, "pre_registered", idempotency_key="kiosk-7-tap-31")
    again = book(session, "pre_registered", idempotency_key="kiosk-7-tap-31")
    assert again.booking.id == first.booking.id and not again.created
    assert engine.availability(session).held == 1


def test_the_same_key_on_another_session_is_another_booking(make):
    one, two = make.session(), make.session()
    assert book(one, idempotency_key="k").booking.id != book(two, idempotency_key="k").booking.id


def test_pre_registration_closes_at_the_start_but_walk_ins_come_until_the_end(make):
    now = engine.utcnow()
    session = make.session(starts_at=now - timedelta(minutes=10))
    with pytest.raises(Conflict, match="started"):
        book(session, "pre_registered")
    assert book(session, "walk_in").booking.status == "confirmed"
    ended = make.session(starts_at=now - timedelta(hours=3))
    with pytest.raises(Conflict, match="ended"):
        book(ended, "walk_in")


def test_unclaimed_walk_in_seats_are_not_given_to_the_waiting_list_after_the_start(make):
    now = engine.utcnow()
    session = make.session(capacity=3, walk_in_seats=2, starts_at=now + timedelta(minutes=30))
    book(session, "pre_registered")
    waiting = book(session, "pre_registered")
    assert waiting.booking.status == "waitlisted"
    later = now + timedelta(minutes=40)
    engine.promote_waiting_list(session, now=later)
    assert waiting.booking.status == "waitlisted"


def test_drafts_and_cancelled_sessions_take_no_bookings(make):
    with pytest.raises(NotFound):
        book(make.session(status="draft"))
    with pytest.raises(Conflict, match="cancelled"):
        book(make.session(status="cancelled"))


def test_tickets_are_short_readable_and_unrelated(make):
    session = make.session(capacity=40, walk_in_seats=40)
    tickets = [book(session).booking.ticket for _ in range(40)]
    assert len(set(tickets)) == 40
    for ticket in tickets:
        assert len(ticket) == 8 and set(ticket) <= set(engine.TICKET_ALPHABET)
        assert not set(ticket) & set("01OI")
    # Consecutive tickets share no more characters in place than chance would give.
    same_place = sum(a == b for t, u in zip(tickets, tickets[1:]) for a, b in zip(t, u))
    assert same_place < 39 * 8 / 4


def test_tickets_are_found_however_they_are_typed(make):
    ticket = book(make.session()).booking.ticket
    typed = f" {ticket[:4].lower()}-{ticket[4:]} "
    assert engine.find_booking(typed).ticket == ticket
    with pytest.raises(NotFound):
        engine.find_booking("ZZZZ-ZZZZ")


def test_check_in_gives_a_waiting_person_a_free_seat_when_they_turn_up(make):
    session = make.session(capacity=2, walk_in_seats=1)
    first = book(session, "pre_registered")
    waiting = book(session, "pre_registered")
    assert waiting.booking.status == "waitlisted"
    assert engine.check_in(waiting.booking.ticket).status == "attended"
    assert engine.check_in(first.booking.ticket).status == "attended"
    late = book(session, "walk_in")
    assert late.booking.status == "waitlisted"
    with pytest.raises(Conflict, match="full"):
        engine.check_in(late.booking.ticket)


def test_no_show_keeps_its_seat_for_the_statistics(make):
    session = make.session(capacity=2)
    outcome = book(session)
    assert engine.mark_no_show(outcome.booking.ticket).status == "no_show"
    assert engine.availability(session).held == 1
