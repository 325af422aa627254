"""The booking engine: book, cancel, promote from the waiting list, check
in, and the time rules that open and close each of them.

Seats: confirmed bookings never exceed capacity; pre-registrations (and
referrals) fill at most capacity - walk_in_seats; walk-ins may take any free
seat; whoever finds no seat they may take is waitlisted in arrival order;
the same idempotency key for one session gives the same booking, and only
for the same request.

Time rules, in the city's local time (each figure a setting):
- a walk-in is taken on the session's own day only, until
  WALK_IN_CLOSES_MINUTES after the start (`not_today`, `booking_closed`);
- a pre-registration or referral closes at the start (`booking_closed`);
- check-in is open from CHECK_IN_OPENS_MINUTES before the start until the
  end (`check_in_closed`);
- NO_SHOW_AFTER_MINUTES after the start, a confirmed booking not checked in
  becomes `no_show` and frees its seat: first for the waiting list, then
  for walk-ins. This is settled once per session, by whichever rule or
  read touches the session first after that moment.

Every rule runs in one write transaction holding the session's lock
(services/transaction.py), and queues its own messages there."""
import hashlib
import json
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from flask import current_app
from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.orm import make_transient_to_detached

from booking import audit
from booking.extensions import db
from booking.models import SEAT_HOLDING_STATUSES, Booking, Location, Room, Session, Theme, utcnow
from booking.models.theme import title_in
from booking.services import notify
from booking.services.errors import Conflict, NotFound
from booking.services.transaction import write_transaction
from booking.times import local

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
class SessionFacts:
    """What the booking rules read of a session and what an answer about a
    booking shows of it, as plain values: read by the statement that locks
    the session, where loading the session, its theme, room and location as
    ORM objects cost more than all the rest of a booking."""

    id: int
    status: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    walk_in_seats: int
    languages: list
    no_shows_settled_at: datetime | None
    theme_id: str
    theme_titles: dict
    audience: str
    room_id: int
    room_name: str
    location_id: int
    location_name: str

    @classmethod
    def of(cls, session: Session) -> "SessionFacts":
        theme, room = session.theme, session.room
        return cls(
            id=session.id, status=session.status, kind=session.kind,
            starts_at=session.starts_at, ends_at=session.ends_at, capacity=session.capacity,
            walk_in_seats=session.walk_in_seats, languages=session.languages,
            no_shows_settled_at=session.no_shows_settled_at, theme_id=theme.id,
            theme_titles=theme.titles, audience=theme.audience, room_id=room.id,
            room_name=room.name, location_id=room.location.id, location_name=room.location.name,
        )

    def theme_title(self, language: str) -> str:
        return title_in(self.theme_titles, language, default=self.theme_id)


# The columns of SessionFacts, read with the session's lock: one statement.
_FACTS = (
    select(
        *(column.label(name) for name, column in {
            "id": Session.id, "status": Session.status, "kind": Session.kind,
            "starts_at": Session.starts_at, "ends_at": Session.ends_at,
            "capacity": Session.capacity, "walk_in_seats": Session.walk_in_seats,
            "languages": Session.languages, "no_shows_settled_at": Session.no_shows_settled_at,
            "theme_id": Theme.id, "theme_titles": Theme.titles, "audience": Theme.audience,
            "room_id": Room.id, "room_name": Room.name,
            "location_id": Location.id, "location_name": Location.name,
        }.items())
    )
    .join_from(Session, Theme, Session.theme_id == Theme.id)
    .join(Room, Session.room_id == Room.id)
    .join(Location, Room.location_id == Location.id)
    .where(Session.id == bindparam("row_id"))
)

# What the rules below read of a session: either form has it.
SessionLike = Session | SessionFacts


@dataclass(frozen=True)
class BookingOutcome:
    booking: Booking
    created: bool
    waitlist_position: int | None
    seats: Availability    # the session's seats right after this booking
    session: SessionFacts  # as it was when booked, with what an answer shows


# Time rules -----------------------------------------------------------------

class Phase(StrEnum):
    """Where a session stands for a participant at a given moment."""

    later_day = "later_day"      # another day: book ahead (pre-registration)
    today = "today"              # later today: walk in or book ahead
    soon = "soon"                # check-in is open, not started yet
    started = "started"          # started; walk-ins still taken
    closed = "closed"            # running, no longer taking anyone
    over = "over"                # ended
    cancelled = "cancelled"


def _minutes(setting: str) -> timedelta:
    return timedelta(minutes=int(current_app.config[setting]))


def walk_in_closes_at(session: SessionLike) -> datetime:
    return session.starts_at + _minutes("WALK_IN_CLOSES_MINUTES")


def check_in_opens_at(session: SessionLike) -> datetime:
    return session.starts_at - _minutes("CHECK_IN_OPENS_MINUTES")


def no_show_at(session: SessionLike) -> datetime:
    return session.starts_at + _minutes("NO_SHOW_AFTER_MINUTES")


def is_session_day(session: SessionLike, now: datetime) -> bool:
    return local(now).date() == local(session.starts_at).date()


def phase(session: Session, now: datetime | None = None) -> Phase:
    now = now or utcnow()
    if session.status == "cancelled":
        return Phase.cancelled
    if now >= session.ends_at:
        return Phase.over
    if now >= session.starts_at:
        return Phase.started if now < walk_in_closes_at(session) else Phase.closed
    if now >= check_in_opens_at(session):
        return Phase.soon
    return Phase.today if is_session_day(session, now) else Phase.later_day


def booking_refusal(session: SessionLike, kind: str, now: datetime) -> Conflict | None:
    """Why `kind` cannot be booked on this session now, or None when it can."""
    if session.status == "cancelled":
        return Conflict("This session is cancelled.")
    if now >= session.ends_at:
        return Conflict("This session has ended.", code="booking_closed")
    if kind == "walk_in":
        if local(now).date() < local(session.starts_at).date():
            return Conflict("Walk-ins are taken on the day of the session only; "
                            "book a place ahead instead.", code="not_today")
        if now >= walk_in_closes_at(session):
            return Conflict("This session started too long ago to join.",
                            code="booking_closed")
        return None
    if now >= session.starts_at:
        if now < walk_in_closes_at(session):
            return Conflict("This session has started: walk in at the location instead.",
                            code="booking_closed")
        return Conflict("This session started too long ago to join.", code="booking_closed")
    return None


def kind_for_kiosk(session: Session, now: datetime | None = None) -> str:
    """A kiosk books a walk-in seat on the session's own day and books ahead
    (a pre-registration) for a later day, leaving the walk-in seats for the
    people who turn up on the day."""
    return "walk_in" if is_session_day(session, now or utcnow()) else "pre_registered"


# Counting seats ---------------------------------------------------------------

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
    return {s.id: _seats(s, counts[s.id]["walk_in"], counts[s.id]["other"]) for s in sessions}


def availability(session: Session) -> Availability:
    return availabilities([session])[session.id]


def _seats(session: SessionLike, walk_ins: int, others: int) -> Availability:
    """The session's seats, given how many walk-ins and others hold one."""
    return Availability(capacity=session.capacity, walk_in_seats=session.walk_in_seats,
                        held=walk_ins + others, held_by_pre_registration=others)


# Tickets --------------------------------------------------------------------

def normalise_ticket(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def format_ticket(ticket: str) -> str:
    return f"{ticket[:4]}-{ticket[4:]}"


def find_booking(ticket: str, *, now: datetime | None = None) -> Booking:
    """The booking with this ticket, its status up to date (no-shows settled)."""
    booking = _booking_by_ticket(ticket)
    if settle_if_due(booking.session, now=now):
        db.session.refresh(booking)
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


# The rules ------------------------------------------------------------------

def book(
    session_id: int,
    *,
    kind: str,
    name: str | None = None,
    phone: str | None = None,
    language: str | None = None,
    age_group: str | None = None,
    idempotency_key: str | None = None,
    audience: str | None = None,
    now: datetime | None = None,
    actor: str | None = None,
) -> BookingOutcome:
    """Book a seat, or a place on the waiting list. With `audience`, a
    session for another audience is not found (staff-only events are not
    the public's). The outcome stays loaded after the commit, for the answer."""
    now = now or utcnow()
    fields = {"kind": kind, "name": name or None, "phone": phone or None,
              "language": language or None, "age_group": age_group or None}
    fingerprint = _fingerprint(fields) if idempotency_key else None
    with write_transaction(actor=actor, keep_loaded=True) as tx:
        row = tx.lock_values(Session, session_id, _FACTS)
        session = SessionFacts(**row._mapping) if row is not None else None
        if session is None or session.status == "draft" or (
                audience is not None and session.audience != audience):
            raise NotFound("No published session has this id.")
        seats, earlier, ticket = _seats_earlier_booking_and_free_ticket(session, idempotency_key)
        if earlier is not None:
            if earlier.idempotency_fingerprint not in (None, fingerprint):
                raise Conflict("This idempotency key was used for another booking.",
                               {"idempotency_key": "already used with other details"},
                               code="idempotency_key_reused")
            return BookingOutcome(earlier, False, waitlist_position(earlier), seats, session)
        if _no_shows_due(session, now):
            locked = tx.lock(Session, session.id)
            _settle_no_shows_locked(locked, now)
            seats = availability(locked)
        refusal = booking_refusal(session, kind, now)
        if refusal is not None:
            raise refusal
        status = "confirmed" if seats.can_take(kind) else "waitlisted"
        booking = _insert_booking(
            session_id=session.id, ticket=ticket, status=status,
            idempotency_key=idempotency_key or None, idempotency_fingerprint=fingerprint,
            created_at=now, updated_at=now, **fields,
        )
        return BookingOutcome(
            booking,
            created=True,
            waitlist_position=waitlist_position(booking),
            seats=seats.with_booking(kind) if status == "confirmed" else seats,
            session=session,
        )


def _insert_booking(**values) -> Booking:
    """Insert one booking with a Core statement and return it as the ORM
    object a flush would have left: persistent, every column loaded (the
    unit of work for one new row cost a third of a booking). It is audited
    here, as no flush sees it."""
    row = db.session.connection().execute(_INSERT_BOOKING, values).one()
    booking = Booking(**{key: row[index] for index, key in enumerate(_BOOKING_KEYS)})
    make_transient_to_detached(booking)
    db.session.add(booking)
    audit.record_created(db.session(), booking)
    return booking


_BOOKING_KEYS = [attribute.key for attribute in Booking.__mapper__.column_attrs]
# Returns every column, the defaults the insert filled in included.
_INSERT_BOOKING = insert(Booking).returning(
    *(attribute.columns[0] for attribute in Booking.__mapper__.column_attrs))


def cancel(ticket: str, *, now: datetime | None = None,
           actor: str | None = None) -> tuple[Booking, list[Booking]]:
    """Cancel a booking; returns it and the bookings promoted into its seat
    (who are told). Cancelling twice is harmless; a booking already attended
    or absent cannot be undone."""
    now = now or utcnow()
    with write_transaction(actor=actor) as tx:
        booking, session = _locked_booking(tx, ticket)
        promoted = _settle_no_shows_locked(session, now)
        db.session.refresh(booking)
        if booking.status == "cancelled":
            return booking, promoted
        if booking.status in ("attended", "no_show"):
            raise Conflict("This booking has already been marked as attended or absent.",
                           code="already_recorded")
        booking.status = "cancelled"
        booking.cancelled_at = now
        db.session.flush()
        promoted += promote_waiting_list(session, now=now)
        return booking, promoted


def promote_waiting_list(session: Session, *, now: datetime | None = None) -> list[Booking]:
    """Give free seats to the waiting list in order, and tell each person
    promoted. The caller holds the session lock. Someone who may not take
    the free seat (a pre-registration when only walk-in seats are left)
    keeps their place and the next one who may is promoted. Nothing moves
    once the session ended."""
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
    if promoted:
        notify.seats_given(promoted)
    return promoted


def check_in(ticket: str, *, now: datetime | None = None, actor: str | None = None) -> Booking:
    """Mark a booking attended, while check-in is open. Someone on the
    waiting list (or marked absent) who turns up while a seat is free takes
    it, as a walk-in would."""
    now = now or utcnow()
    with write_transaction(actor=actor) as tx:
        booking, session = _locked_booking(tx, ticket)
        if booking.status == "attended":
            return booking
        if booking.status == "cancelled" or session.status == "cancelled":
            raise Conflict("This booking is cancelled.", code="cancelled")
        if not check_in_opens_at(session) <= now < session.ends_at:
            raise Conflict(_check_in_window_message(session, now), code="check_in_closed")
        _settle_no_shows_locked(session, now)
        db.session.refresh(booking)
        if booking.status != "confirmed" and availability(session).seats_left == 0:
            raise Conflict("This booking has no seat and the session is full.",
                           code="session_full")
        booking.status = "attended"
        booking.checked_in_at = now
        return booking


def walk_in_and_check_in(session_id: int, *, name: str | None = None,
                         phone: str | None = None, language: str | None = None,
                         age_group: str | None = None, now: datetime | None = None,
                         actor: str | None = None) -> Booking:
    """Staff add someone who is standing in the room: booked and checked in
    in one transaction, or on the waiting list when the session is full."""
    now = now or utcnow()
    with write_transaction(actor=actor):
        outcome = book(session_id, kind="walk_in", name=name, phone=phone, language=language,
                       age_group=age_group, now=now, actor=actor)
        if outcome.booking.status != "confirmed":
            return outcome.booking
        return check_in(outcome.booking.ticket, now=now, actor=actor)


def join_at_the_place(session_id: int, *, name: str | None = None,
                      language: str | None = None, idempotency_key: str | None = None,
                      now: datetime | None = None, actor: str | None = None) -> BookingOutcome:
    """A tap on the kiosk at the location: a walk-in seat on the session's
    own day (a pre-registration for a later day). Someone who takes a seat
    while check-in is open is standing at the place, so they are checked in
    in the same transaction: the no-show rule never gives their seat away
    while they sit in the room. A repeated tap (same key) changes nothing."""
    now = now or utcnow()
    with write_transaction(actor=actor) as tx:
        session = tx.lock(Session, session_id)
        if session is None:
            raise NotFound("No published session has this id.")
        outcome = book(session_id, kind=kind_for_kiosk(session, now), name=name,
                       language=language, idempotency_key=idempotency_key, now=now, actor=actor)
        booking = outcome.booking
        if (booking.kind == "walk_in" and booking.status == "confirmed"
                and check_in_opens_at(session) <= now < session.ends_at):
            check_in(booking.ticket, now=now, actor=actor)
        return outcome


def mark_no_show(ticket: str, *, now: datetime | None = None,
                 actor: str | None = None) -> Booking:
    """Staff mark someone absent (from the start of the session on); the
    seat goes to the waiting list."""
    now = now or utcnow()
    with write_transaction(actor=actor) as tx:
        booking, session = _locked_booking(tx, ticket)
        if now < session.starts_at:
            raise Conflict("Attendance is recorded from the start of the session.",
                           code="not_started")
        if booking.status not in ("confirmed", "attended", "no_show"):
            raise Conflict("Only a booking with a seat can be marked absent.",
                           code="no_seat")
        if booking.status != "no_show":
            booking.status = "no_show"
            booking.checked_in_at = None
            db.session.flush()
            promote_waiting_list(session, now=now)
        return booking


def settle_no_shows(session_id: int, *, now: datetime | None = None) -> list[Booking]:
    """Mark the session's no-shows, once, if it is time; returns who moved up."""
    now = now or utcnow()
    with write_transaction() as tx:
        session = tx.lock(Session, session_id)
        if session is None:
            return []
        return _settle_no_shows_locked(session, now)


def settle_if_due(session: Session, *, now: datetime | None = None) -> bool:
    """Before showing one session: settle its no-shows if their moment has
    passed. True when something may have changed (the session is reloaded)."""
    if not _no_shows_due(session, now or utcnow()):
        return False
    settle_no_shows(session.id, now=now)
    db.session.refresh(session)
    return True


def settle_due_no_shows(*, now: datetime | None = None) -> int:
    """Settle every session whose no-show moment has passed; returns how many.
    Lists call it first, so their seat counts are true."""
    now = now or utcnow()
    earliest_due = now - _minutes("NO_SHOW_AFTER_MINUTES")
    due = db.session.scalars(
        select(Session.id).where(
            Session.status == "published",
            Session.no_shows_settled_at.is_(None),
            Session.starts_at <= earliest_due,
        )
    ).all()
    for session_id in due:
        settle_no_shows(session_id, now=now)
    return len(due)


# Helpers --------------------------------------------------------------------

def _no_shows_due(session: SessionLike, now: datetime) -> bool:
    return (session.status == "published" and session.no_shows_settled_at is None
            and now >= no_show_at(session))


def _settle_no_shows_locked(session: Session, now: datetime) -> list[Booking]:
    if not _no_shows_due(session, now):
        return []
    absent = db.session.scalars(
        select(Booking).where(Booking.session_id == session.id,
                              Booking.status == "confirmed",
                              Booking.checked_in_at.is_(None))
    ).all()
    for booking in absent:
        booking.status = "no_show"
    session.no_shows_settled_at = now
    db.session.flush()
    return promote_waiting_list(session, now=now)


def _check_in_window_message(session: Session, now: datetime) -> str:
    if now >= session.ends_at:
        return "This session has ended."
    opens = local(check_in_opens_at(session))
    return f"Check-in opens at {opens:%H:%M} on {opens:%d/%m/%Y}."


def _booking_by_ticket(ticket: str) -> Booking:
    booking = db.session.scalars(
        select(Booking).where(Booking.ticket == normalise_ticket(ticket))
    ).one_or_none()
    if booking is None:
        raise NotFound("No booking has this ticket.")
    return booking


def _locked_booking(tx, ticket: str) -> tuple[Booking, Session]:
    """The booking, read again under its session's lock, and that session."""
    booking = _booking_by_ticket(ticket)
    session = tx.lock(Session, booking.session_id)
    db.session.refresh(booking)
    return booking, session


def _fingerprint(fields: dict) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


def _ledger_statement():
    held = Booking.status.in_(SEAT_HOLDING_STATUSES)
    walk_in = Booking.kind == "walk_in"
    return select(
        func.count().filter(held & walk_in),
        func.count().filter(held & ~walk_in),
        func.max(Booking.id).filter(Booking.idempotency_key == bindparam("key")),
        select(func.count()).where(Booking.ticket == bindparam("ticket")).scalar_subquery(),
    ).where(Booking.session_id == bindparam("session_id"))


# Built once: on the booking path, building a statement costs more than running it.
_LEDGER = _ledger_statement()


def _seats_earlier_booking_and_free_ticket(session: SessionFacts, idempotency_key: str | None):
    """The session's seats, the booking this idempotency key already made
    for it (or None), and a ticket that no booking has: one statement for
    all three, as round trips to the database are most of what a booking
    costs. The caller holds the session's lock. (A drawn ticket is taken
    about once in a trillion draws; then it draws again.)"""
    while True:
        ticket = "".join(secrets.choice(TICKET_ALPHABET) for _ in range(TICKET_LENGTH))
        walk_ins, others, earlier_id, taken = db.session.connection().execute(
            _LEDGER, {"session_id": session.id, "key": idempotency_key, "ticket": ticket}
        ).one()
        seats = _seats(session, walk_ins, others)
        if earlier_id is not None:
            return seats, db.session.get(Booking, earlier_id), None
        if not taken:
            return seats, None, ticket
