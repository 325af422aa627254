"""The booking engine: book, cancel, promote from the waiting list, check in.

Rules (../shared/api-contract.md): confirmed bookings never exceed capacity;
pre-registrations (and referrals) fill at most capacity - walk_in_seats;
walk-ins may take any free seat; whoever finds no seat they may take is
waitlisted in arrival order; the same idempotency key for one session gives
the same booking. Walk-in seats are never handed to pre-registrations, not
even after the start: that is what keeps them free for people who walk in."""
import secrets
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select

from booking.extensions import db
from booking.models import SEAT_HOLDING_STATUSES, Booking, Session, utcnow
from booking.services.errors import Conflict, NotFound
from booking.services.locking import lock_row

# No 0/O and no 1/I: a ticket is read out loud and typed on a keypad.
TICKET_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
TICKET_LENGTH = 8  # 40 random bits: unguessable at any rate the limiter allows


@dataclass(frozen=True)
class Availability:
    capacity: int
    walk_in_seats: int
    held: int
    held_by_pre_registration: int

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.held)

    @property
    def pre_registration_seats_left(self) -> int:
        reserved_left = self.capacity - self.walk_in_seats - self.held_by_pre_registration
        return max(0, min(self.seats_left, reserved_left))

    def with_booking(self, kind: str) -> "Availability":
        return replace(
            self,
            held=self.held + 1,
            held_by_pre_registration=self.held_by_pre_registration + (kind != "walk_in"),
        )

    def can_take(self, kind: str) -> bool:
        if kind == "walk_in":
            return self.seats_left > 0
        return self.pre_registration_seats_left > 0


@dataclass(frozen=True)
class BookingOutcome:
    booking: Booking
    created: bool
    waitlist_position: int | None
    seats: Availability  # the session's seats right after this booking


def availabilities(sessions) -> dict[int, Availability]:
    """The one place that counts what holds a seat, for many sessions at once."""
    sessions = list(sessions)
    counts = {s.id: {"walk_in": 0, "other": 0} for s in sessions}
    if sessions:
        rows = db.session.execute(
            select(Booking.session_id, Booking.kind, func.count())
            .where(
                Booking.session_id.in_(counts),
                Booking.status.in_(SEAT_HOLDING_STATUSES),
            )
            .group_by(Booking.session_id, Booking.kind)
        )
        for session_id, kind, count in rows:
            counts[session_id]["walk_in" if kind == "walk_in" else "other"] += count
    return {
        s.id: Availability(
            capacity=s.capacity,
            walk_in_seats=s.walk_in_seats,
            held=counts[s.id]["walk_in"] + counts[s.id]["other"],
            held_by_pre_registration=counts[s.id]["other"],
        )
        for s in sessions
    }


def availability(session: Session) -> Availability:
    return availabilities([session])[session.id]


def normalise_ticket(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def format_ticket(ticket: str) -> str:
    return f"{ticket[:4]}-{ticket[4:]}"


def find_booking(ticket: str) -> Booking:
    booking = db.session.scalars(
        select(Booking).where(Booking.ticket == normalise_ticket(ticket))
    ).one_or_none()
    if booking is None:
        raise NotFound("No booking has this ticket.")
    return booking


def waitlist_position(booking: Booking) -> int | None:
    if booking.status != "waitlisted":
        return None
    ahead = db.session.scalar(
        select(func.count()).where(
            Booking.session_id == booking.session_id,
            Booking.status == "waitlisted",
            Booking.id < booking.id,
        )
    )
    return ahead + 1


def book(
    session_id: int,
    *,
    kind: str,
    name: str | None = None,
    phone: str | None = None,
    language: str | None = None,
    age_group: str | None = None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> BookingOutcome:
    now = now or utcnow()
    session = lock_row(Session, session_id)
    if session is None or session.status == "draft":
        db.session.rollback()
        raise NotFound("No published session has this id.")
    if idempotency_key:
        earlier = db.session.scalars(
            select(Booking).where(
                Booking.session_id == session_id, Booking.idempotency_key == idempotency_key
            )
        ).one_or_none()
        if earlier is not None:
            outcome = BookingOutcome(earlier, False, waitlist_position(earlier), availability(session))
            db.session.commit()
            return outcome
    try:
        _check_open_for(session, kind, now)
    except Conflict:
        db.session.rollback()
        raise
    seats = availability(session)
    status = "confirmed" if seats.can_take(kind) else "waitlisted"
    booking = Booking(
        session_id=session.id,
        ticket=_new_ticket(),
        kind=kind,
        status=status,
        name=name or None,
        phone=phone or None,
        language=language or None,
        age_group=age_group or None,
        idempotency_key=idempotency_key or None,
        created_at=now,
    )
    db.session.add(booking)
    db.session.flush()
    outcome = BookingOutcome(
        booking,
        created=True,
        waitlist_position=waitlist_position(booking),
        seats=seats.with_booking(kind) if status == "confirmed" else seats,
    )
    db.session.commit()
    return outcome


def cancel(ticket: str, *, now: datetime | None = None) -> tuple[Booking, list[Booking]]:
    """Cancel a booking; returns it and the bookings promoted into its seat.
    Cancelling twice is harmless; a booking already attended cannot be undone."""
    now = now or utcnow()
    booking, _session = _locked_booking(ticket)
    if booking.status == "cancelled":
        db.session.commit()
        return booking, []
    if booking.status in ("attended", "no_show"):
        raise _refuse("This booking has already been marked as attended or absent.")
    booking.status = "cancelled"
    booking.cancelled_at = now
    db.session.flush()
    promoted = promote_waiting_list(booking.session, now=now)
    db.session.commit()
    return booking, promoted


def promote_waiting_list(session: Session, *, now: datetime | None = None) -> list[Booking]:
    """Give free seats to the waiting list in order; the caller holds the
    session lock and commits. Someone who may not take the free seat (a
    pre-registration when only walk-in seats are left) keeps their place and
    the next one who may is promoted. Nothing moves once the session ended."""
    now = now or utcnow()
    if session.status != "published" or now >= session.ends_at:
        return []
    waiting = db.session.scalars(
        select(Booking)
        .where(Booking.session_id == session.id, Booking.status == "waitlisted")
        .order_by(Booking.id)
    ).all()
    promoted = []
    for candidate in waiting:
        if availability(session).can_take(candidate.kind):
            candidate.status = "confirmed"
            db.session.flush()
            promoted.append(candidate)
    return promoted


def check_in(ticket: str, *, now: datetime | None = None) -> Booking:
    """Mark a booking attended. Someone on the waiting list who turns up
    while a seat is free takes it, as a walk-in would."""
    now = now or utcnow()
    booking, session = _locked_booking(ticket)
    if booking.status == "attended":
        db.session.commit()
        return booking
    if booking.status == "cancelled" or session.status == "cancelled":
        raise _refuse("This booking is cancelled.")
    if booking.status == "waitlisted" and availability(session).seats_left == 0:
        raise _refuse("This booking is on the waiting list and the session is full.")
    booking.status = "attended"
    booking.checked_in_at = now
    db.session.commit()
    return booking


def mark_no_show(ticket: str) -> Booking:
    booking, _session = _locked_booking(ticket)
    if booking.status not in ("confirmed", "attended", "no_show"):
        raise _refuse("Only a booking with a seat can be marked absent.")
    booking.status = "no_show"
    booking.checked_in_at = None
    db.session.commit()
    return booking


def _locked_booking(ticket: str) -> tuple[Booking, Session]:
    """The booking, read again under its session's lock, and that session."""
    booking = find_booking(ticket)
    session = lock_row(Session, booking.session_id)
    db.session.refresh(booking)
    return booking, session


def _refuse(message: str) -> Conflict:
    db.session.rollback()  # ends the transaction, and with it the lock
    return Conflict(message)


def _check_open_for(session: Session, kind: str, now: datetime) -> None:
    if session.status == "cancelled":
        raise Conflict("This session is cancelled.")
    if now >= session.ends_at:
        raise Conflict("This session has ended.")
    if kind != "walk_in" and now >= session.starts_at:
        raise Conflict("This session has started: walk in at the location instead.")


def _new_ticket() -> str:
    while True:
        ticket = "".join(secrets.choice(TICKET_ALPHABET) for _ in range(TICKET_LENGTH))
        taken = db.session.scalar(select(func.count()).where(Booking.ticket == ticket))
        if not taken:
            return ticket
