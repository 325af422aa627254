"""Publishing, changing and cancelling sessions.

Room time is checked under a lock on the room, on every create, change and
move, so two partners (or a partner and the planner) cannot take the same
room at the same time."""
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from booking.extensions import db
from booking.models import SESSION_KINDS, Booking, Person, Room, Session, Theme, utcnow
from booking.services import notify
from booking.services.booking import availability, promote_waiting_list
from booking.services.errors import Conflict, InvalidInput, NotFound
from booking.services.staff import staff_clash
from booking.services.transaction import write_transaction

# Fields a change to which a subscribed calendar must notice.
CALENDAR_FIELDS = ("starts_at", "ends_at", "room_id", "status", "theme_id")


@dataclass
class SessionChange:
    session: Session
    moved: bool
    promoted: list[Booking]


def room_conflicts(room_id: int, starts_at: datetime, ends_at: datetime, exclude_id=None):
    statement = select(Session).where(
        Session.room_id == room_id,
        Session.status != "cancelled",
        Session.starts_at < ends_at,
        Session.ends_at > starts_at,
    )
    if exclude_id is not None:
        statement = statement.where(Session.id != exclude_id)
    return db.session.scalars(statement).all()


def outside_opening_hours(room: Room, starts_at: datetime, ends_at: datetime, tz: str) -> bool:
    """True when the location has opening hours and the session does not lie
    within one of that weekday's windows."""
    windows = room.location.opening_hours
    if not windows:
        return False
    zone = ZoneInfo(tz)
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    if start.date() != end.date():
        return True
    begin, finish = start.strftime("%H:%M"), end.strftime("%H:%M")
    return not any(
        start.isoweekday() in w["weekdays"] and w["start"] <= begin and finish <= w["end"]
        for w in windows
    )


def validate_session_fields(room: Room, theme: Theme, starts_at, ends_at, capacity, walk_in_seats):
    errors = {}
    if ends_at <= starts_at:
        errors["ends_at"] = "must be after starts_at"
    if capacity < 1:
        errors["capacity"] = "must be at least 1"
    elif capacity > room.capacity:
        errors["capacity"] = f"room '{room.name}' has only {room.capacity} places"
    if walk_in_seats < 0:
        errors["walk_in_seats"] = "must not be negative"
    elif walk_in_seats > capacity:
        errors["walk_in_seats"] = "must not exceed capacity"
    missing = sorted(set(theme.needs) - set(room.features))
    if missing:
        errors["room"] = f"room '{room.name}' lacks {', '.join(missing)} needed by this theme"
    if errors:
        raise InvalidInput("The session is not valid.", errors)


def publish(
    *,
    theme_id: str,
    room_id: int,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    walk_in_seats: int = 0,
    languages: list[str] | None = None,
    status: str = "published",
    kind: str | None = None,
    check_opening_hours_in: str | None = None,
    actor: str | None = None,
) -> Session:
    """Create a session, holding its room's lock while the room's time is
    checked. `check_opening_hours_in` names the time zone in which to hold
    the session to the location's opening hours (the portal does; a
    partner's own system through the API knows its rooms better)."""
    theme = db.session.get(Theme, theme_id)
    if theme is None:
        raise InvalidInput("Unknown theme.", {"theme": f"no theme '{theme_id}'"})
    with write_transaction(actor=actor) as tx:
        room = tx.lock(Room, room_id)
        if room is None:
            raise InvalidInput("Unknown room.", {"room": f"no room '{room_id}'"})
        validate_session_fields(room, theme, starts_at, ends_at, capacity, walk_in_seats)
        if kind is not None and kind not in SESSION_KINDS:
            raise InvalidInput("Unknown kind.", {"kind": f"one of {', '.join(SESSION_KINDS)}"})
        if check_opening_hours_in and outside_opening_hours(
            room, starts_at, ends_at, check_opening_hours_in
        ):
            raise InvalidInput(
                "The location is closed then.", {"starts_at": "outside the opening hours"}
            )
        _refuse_room_conflict(room, starts_at, ends_at)
        session = Session(
            theme=theme,
            room=room,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            walk_in_seats=walk_in_seats,
            languages=list(languages or []),
            status=status,
            kind=kind or theme.kind,
        )
        db.session.add(session)
        db.session.flush()
        return session


def update(session_id: int, changes: dict, *, now: datetime | None = None,
           actor: str | None = None) -> SessionChange:
    """Change a session's room, times, seats, languages or status. Capacity
    never drops below the seats already taken; more room promotes the
    waiting list. The session's room (and the new room) are locked on every
    change, and so are its staff when its time changes, so neither a room
    nor a person is ever in two sessions at once. Everyone concerned is told."""
    with write_transaction(actor=actor) as tx:
        session = tx.lock(Session, session_id)
        if session is None:
            raise NotFound("No session has this id.")
        new_room_id = changes.get("room_id", session.room_id)
        rooms = tx.lock_all([(Room, session.room_id), (Room, new_room_id)])
        room = rooms[(Room, int(new_room_id))]
        if room is None:
            raise InvalidInput("Unknown room.", {"room": f"no room '{new_room_id}'"})
        if session.status == "cancelled":
            raise Conflict("This session is cancelled; publish a new one instead.",
                           code="session_cancelled")
        before = {field: getattr(session, field) for field in CALENDAR_FIELDS}
        merged = {
            "starts_at": changes.get("starts_at", session.starts_at),
            "ends_at": changes.get("ends_at", session.ends_at),
            "capacity": changes.get("capacity", session.capacity),
            "walk_in_seats": changes.get("walk_in_seats", session.walk_in_seats),
        }
        validate_session_fields(room, session.theme, **merged)
        _refuse_fewer_seats_than_taken(session, merged)
        time_changed = (merged["starts_at"], merged["ends_at"]) != (session.starts_at,
                                                                     session.ends_at)
        if room.id != session.room_id or time_changed:
            _refuse_room_conflict(room, merged["starts_at"], merged["ends_at"], session.id)
        if time_changed:
            _refuse_staff_clash(tx, session, merged["starts_at"], merged["ends_at"])
        if "status" in changes and changes["status"] not in ("draft", "published"):
            raise InvalidInput("Unknown status.", {"status": "draft or published"})
        session.room = room
        for field in ("starts_at", "ends_at", "capacity", "walk_in_seats", "languages", "status"):
            if field in changes:
                setattr(session, field, changes[field])
        db.session.flush()
        changed = {field for field in CALENDAR_FIELDS if getattr(session, field) != before[field]}
        if changed:
            session.sequence += 1
        promoted = promote_waiting_list(session, now=now)
        change = SessionChange(
            session=session,
            moved=bool(changed & {"starts_at", "ends_at", "room_id"}),
            promoted=promoted,
        )
        notify.session_changed(change)
        return change


def cancel(session_id: int, *, now: datetime | None = None,
           actor: str | None = None) -> tuple[Session, list[Booking]]:
    """Cancel a session; its bookings are cancelled too and kept for the
    record, and everyone booked, referring or working is told. Returns the
    session and the bookings that were affected."""
    now = now or utcnow()
    with write_transaction(actor=actor) as tx:
        session = tx.lock(Session, session_id)
        if session is None:
            raise NotFound("No session has this id.")
        if session.status == "cancelled":
            return session, []
        session.status = "cancelled"
        session.sequence += 1
        affected = [b for b in session.bookings if b.status in ("confirmed", "waitlisted")]
        for booking in affected:
            booking.status = "cancelled"
            booking.cancelled_at = now
        db.session.flush()
        notify.session_cancelled(session, affected)
        return session, affected


def _refuse_fewer_seats_than_taken(session: Session, merged: dict) -> None:
    seats = availability(session)
    if merged["capacity"] < seats.held:
        raise Conflict(
            f"{seats.held} seats are already taken; capacity cannot go below that.",
            {"capacity": f"at least {seats.held}"},
        )
    reserved = merged["capacity"] - merged["walk_in_seats"]
    if reserved < seats.held_by_pre_registration:
        raise Conflict(
            f"{seats.held_by_pre_registration} pre-registered seats are taken; "
            "fewer walk-in seats are needed.",
            {"walk_in_seats": f"at most {merged['capacity'] - seats.held_by_pre_registration}"},
        )


def _refuse_staff_clash(tx, session: Session, starts_at: datetime, ends_at: datetime) -> None:
    people = tx.lock_all([(Person, a.person_id) for a in session.assignments])
    for (_model, person_id), person in people.items():
        clash = staff_clash(person_id, starts_at, ends_at, exclude_session_id=session.id)
        if clash is not None:
            raise Conflict(
                f"{person.name} works elsewhere at that time.",
                {"starts_at": f"{person.name} is busy in session {clash.id}"},
                code="staff_busy",
            )


def _refuse_room_conflict(room, starts_at, ends_at, exclude_id=None):
    clashes = room_conflicts(room.id, starts_at, ends_at, exclude_id)
    if clashes:
        raise Conflict(
            f"Room '{room.name}' is taken at that time.",
            {"room": f"overlaps session {clashes[0].id}"},
        )
