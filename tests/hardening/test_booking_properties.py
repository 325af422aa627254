"""Any sequence of book, cancel, check in, session change and the clock
moving on keeps the booking rules: confirmed never above capacity, walk-in
seats respected, the waiting list keeps its order, no booking is ever lost,
and the time rules (booking closes, check-in window, no-shows) hold at
every moment."""
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import select

from booking.extensions import db
from booking.models import Booking, Session
from booking.models.base import CLOCK
from booking.services import booking as engine
from booking.services import sessions as session_service
from booking.services.errors import Conflict
from tests.conftest import Factory, brussels

KINDS = st.sampled_from(["walk_in", "pre_registered", "referred"])


class BookingMachine(RuleBasedStateMachine):
    app = None  # set by the test

    def __init__(self):
        super().__init__()
        self.context = self.app.app_context()
        self.context.push()
        db.create_all()
        make = Factory()
        # The clock starts the day before; rules move it through check-in,
        # the start, the no-show moment, closing and the end.
        CLOCK.set(brussels("2027-03-08 18:00"))
        self.session_id = make.session(capacity=4, walk_in_seats=2,
                                       starts_at=brussels("2027-03-09 10:00")).id
        self.tickets: list[str] = []
        self.waiting_order: list[str] = []  # tickets in the order they joined the waiting list

    def teardown(self):
        CLOCK.set(None)
        db.session.remove()
        db.drop_all()
        self.context.pop()

    def _bookings(self):
        return db.session.scalars(select(Booking).where(
            Booking.session_id == self.session_id).order_by(Booking.id)).all()

    def _session(self):
        session = db.session.get(Session, self.session_id)
        db.session.refresh(session)
        return session

    @rule(minutes=st.sampled_from([5, 15, 30, 60, 240, 900]))
    def time_passes(self, minutes):
        CLOCK.set(CLOCK.now() + timedelta(minutes=minutes))

    @rule(kind=KINDS, key=st.one_of(st.none(), st.sampled_from(["a", "b", "c"])))
    def book(self, kind, key):
        try:
            outcome = engine.book(self.session_id, kind=kind, idempotency_key=key)
        except Conflict as refused:
            assert refused.code in ("not_today", "booking_closed", "idempotency_key_reused")
            if refused.code != "idempotency_key_reused":
                assert engine.booking_refusal(self._session(), kind, CLOCK.now()) is not None
            return
        if outcome.created:
            self.tickets.append(outcome.booking.ticket)
            if outcome.booking.status == "waitlisted":
                self.waiting_order.append(outcome.booking.ticket)
        else:
            assert outcome.booking.ticket in self.tickets

    @precondition(lambda self: self.tickets)
    @rule(index=st.integers(min_value=0, max_value=50))
    def cancel(self, index):
        ticket = self.tickets[index % len(self.tickets)]
        try:
            engine.cancel(ticket)
        except Conflict:
            assert engine.find_booking(ticket).status in ("attended", "no_show")

    @precondition(lambda self: self.tickets)
    @rule(index=st.integers(min_value=0, max_value=50))
    def check_in(self, index):
        ticket = self.tickets[index % len(self.tickets)]
        already_in = engine.find_booking(ticket).status == "attended"
        try:
            engine.check_in(ticket)
        except Conflict as refused:
            session, now = self._session(), CLOCK.now()
            in_window = engine.check_in_opens_at(session) <= now < session.ends_at
            assert (not in_window and refused.code == "check_in_closed") or (
                engine.find_booking(ticket).status in ("cancelled", "waitlisted", "no_show"))
        else:  # checking in twice is harmless at any time; the first needs the window
            session, now = self._session(), CLOCK.now()
            assert already_in or engine.check_in_opens_at(session) <= now < session.ends_at

    @rule(capacity=st.integers(min_value=1, max_value=7), walk_in=st.integers(min_value=0, max_value=7))
    def change_session(self, capacity, walk_in):
        try:
            session_service.update(self.session_id, {"capacity": capacity,
                                                     "walk_in_seats": min(walk_in, capacity)})
        except Conflict:
            seats = engine.availability(db.session.get(Session, self.session_id))
            assert capacity < seats.held or capacity - min(walk_in, capacity) < seats.held_by_pre_registration

    @invariant()
    def seats_never_overbooked(self):
        session = db.session.get(Session, self.session_id)
        db.session.refresh(session)
        bookings = self._bookings()
        holding = [b for b in bookings if b.status in ("confirmed", "attended")]
        assert len(holding) <= session.capacity
        # Seats taken by booking stay within the pre-registration share; only
        # someone who turns up from the waiting list may take a free walk-in
        # seat at the door (check-in), as any walk-in could.
        booked_ahead = [b for b in holding if b.kind != "walk_in" and b.status == "confirmed"]
        assert len(booked_ahead) <= max(session.capacity - session.walk_in_seats, 0)

    @invariant()
    def no_booking_lost(self):
        assert [b.ticket for b in self._bookings()] == self.tickets

    @invariant()
    def waiting_list_keeps_its_order(self):
        waiting = [b.ticket for b in self._bookings() if b.status == "waitlisted"]
        assert waiting == [t for t in self.waiting_order if t in waiting]
        positions = [engine.waitlist_position(engine.find_booking(t)) for t in waiting]
        assert positions == list(range(1, len(waiting) + 1))

    @invariant()
    def no_show_only_from_its_moment_and_never_someone_who_came(self):
        session = self._session()
        for booking in self._bookings():
            if booking.status == "no_show":
                assert CLOCK.now() >= engine.no_show_at(session)
                assert booking.checked_in_at is None
            if booking.status == "attended":
                assert engine.check_in_opens_at(session) <= booking.checked_in_at < session.ends_at

    @invariant()
    def nobody_waits_while_a_seat_they_may_take_is_free(self):
        session = self._session()
        if CLOCK.now() >= session.ends_at:
            return  # nothing moves once the session ended
        engine.settle_no_shows(self.session_id)
        seats = engine.availability(session)
        for booking in self._bookings():
            if booking.status == "waitlisted":
                assert not seats.can_take(booking.kind)


@pytest.mark.slow
def test_booking_rules_hold_for_any_sequence(app):
    db.session.remove()
    db.drop_all()
    BookingMachine.app = app
    BookingMachine.TestCase.settings = settings(
        max_examples=25, stateful_step_count=20, deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    BookingMachine.TestCase().runTest()
    db.create_all()
