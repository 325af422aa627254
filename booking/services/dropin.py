"""The drop-in help hour's queue and the kiosk's "call a staff member".

A help hour is a published session whose theme is of kind drop_in. While
one runs at a location, a walk-in takes a number there for a topic; the
number belongs to that help hour, and numbers count from 1 for each help
hour. With no help hour running the kiosk hands out no number and says when
and where the next one is. The steward's screen calls the next number (the
one called before is then done); the display shows the numbers called last.
After a help hour ends, its queue stays on the staff screen and the display
for the rest of that day, so the people still waiting are helped."""
from dataclasses import dataclass
from datetime import date, datetime, time

from flask import current_app
from sqlalchemy import func, select

from booking.extensions import db
from booking.models import DROPIN_TOPICS, Location, QueueTicket, Room, Session, StaffCall, Theme, utcnow
from booking.services.errors import Conflict, InvalidInput, NotFound
from booking.services.transaction import write_transaction
from booking.times import local, zone

HELP_HOUR_KIND = "drop_in"


class NoHelpHour(Conflict):
    """No help hour runs at this location now: no number is handed out."""

    code = "no_help_hour"


def service_day(now: datetime) -> date:
    return local(now).date()


# Help hours ---------------------------------------------------------------

def _help_hours():
    return (
        select(Session)
        .join(Theme, Session.theme_id == Theme.id)
        .join(Room, Session.room_id == Room.id)
        .where(Session.status == "published", Theme.kind == HELP_HOUR_KIND)
    )


def running_help_hour(location_id: int, *, now: datetime | None = None) -> Session | None:
    """The help hour running at this location now (the one that started
    first when two overlap), or None."""
    now = now or utcnow()
    return db.session.scalars(
        _help_hours()
        .where(Room.location_id == location_id, Session.starts_at <= now, Session.ends_at > now)
        .order_by(Session.starts_at, Session.id)
        .limit(1)
    ).one_or_none()


def serving_help_hour(location_id: int, *, now: datetime | None = None) -> Session | None:
    """The help hour whose queue the staff screen and the display show: the
    one running now, else the last one of today that has ended (its people
    may still be waiting)."""
    now = now or utcnow()
    running = running_help_hour(location_id, now=now)
    if running is not None:
        return running
    day_start = datetime.combine(service_day(now), time(0), tzinfo=zone())
    return db.session.scalars(
        _help_hours()
        .where(Room.location_id == location_id, Session.ends_at <= now,
               Session.ends_at > day_start)
        .order_by(Session.ends_at.desc(), Session.id.desc())
        .limit(1)
    ).one_or_none()


def next_help_hour(location_id: int, *, now: datetime | None = None) -> Session | None:
    """The next help hour to tell someone about when none runs here now:
    the next one at this location; else, in the same city, the next one in
    the same area, else the next one anywhere in the city."""
    now = now or utcnow()
    here = db.session.scalars(
        _help_hours()
        .where(Room.location_id == location_id, Session.starts_at > now)
        .order_by(Session.starts_at, Session.id)
        .limit(1)
    ).one_or_none()
    if here is not None:
        return here
    location = db.session.get(Location, location_id)
    if location is None:
        return None
    in_city = list(db.session.scalars(
        _help_hours()
        .join(Location, Room.location_id == Location.id)
        .where(Location.city == location.city, Location.id != location_id,
               Session.ends_at > now)
        .order_by(Session.starts_at, Session.id)
    ))
    same_area = [s for s in in_city if location.area_id and s.location.area_id == location.area_id]
    return (same_area or in_city or [None])[0]


# Numbers ------------------------------------------------------------------

def take_number(
    location_id: int, topic: str, *, language: str | None = None, now: datetime | None = None
) -> QueueTicket:
    """A number for the help hour running at this location; NoHelpHour
    (code `no_help_hour`) when none runs."""
    now = now or utcnow()
    if topic not in DROPIN_TOPICS:
        raise InvalidInput("Choose one of the topics.", {"topic": "unknown topic"})
    with write_transaction() as tx:
        if tx.lock(Location, location_id) is None:  # numbers are handed out one at a time
            raise NotFound("No location has this id.")
        help_hour = running_help_hour(location_id, now=now)
        if help_hour is None:
            raise NoHelpHour("No help hour is running here now.")
        last = db.session.scalar(
            select(func.max(QueueTicket.number)).where(QueueTicket.session_id == help_hour.id)
        )
        ticket = QueueTicket(
            location_id=location_id,
            session_id=help_hour.id,
            day=service_day(now),
            number=(last or 0) + 1,
            topic=topic,
            language=language,
            status="waiting",
            created_at=now,
        )
        db.session.add(ticket)
        return ticket


def get_ticket(location_id: int, ticket_id) -> QueueTicket:
    try:
        ticket = db.session.get(QueueTicket, int(ticket_id))
    except (TypeError, ValueError, OverflowError):
        ticket = None
    if ticket is None or ticket.location_id != location_id:
        raise NotFound("No queue number has this id.")
    return ticket


@dataclass(frozen=True)
class QueuePlace:
    """Where a waiting number stands: people before it and the wait that
    makes, at DROPIN_MINUTES_PER_PERSON each."""

    people_before: int
    minutes_per_person: int

    @property
    def is_next(self) -> bool:
        return self.people_before == 0

    @property
    def estimated_wait_minutes(self) -> int:
        return self.people_before * self.minutes_per_person


def place_in_queue(ticket: QueueTicket) -> QueuePlace | None:
    """None once the number has been called (or is done)."""
    if ticket.status != "waiting":
        return None
    before = db.session.scalar(
        select(func.count()).where(
            QueueTicket.session_id == ticket.session_id,
            QueueTicket.status == "waiting",
            QueueTicket.number < ticket.number,
        )
    )
    return QueuePlace(before, int(current_app.config["DROPIN_MINUTES_PER_PERSON"]))


def waiting(location_id: int, *, now: datetime | None = None) -> list[QueueTicket]:
    """The numbers still waiting in the serving help hour, in order."""
    help_hour = serving_help_hour(location_id, now=now)
    if help_hour is None:
        return []
    return list(db.session.scalars(
        select(QueueTicket)
        .where(QueueTicket.session_id == help_hour.id, QueueTicket.status == "waiting")
        .order_by(QueueTicket.number)
    ))


def called(location_id: int, *, now: datetime | None = None, limit: int = 4) -> list[QueueTicket]:
    """The numbers of the serving help hour called so far, the latest (the
    one at the desk now) first."""
    help_hour = serving_help_hour(location_id, now=now)
    if help_hour is None:
        return []
    return list(
        db.session.scalars(
            select(QueueTicket)
            .where(QueueTicket.session_id == help_hour.id, QueueTicket.called_at.is_not(None))
            .order_by(QueueTicket.called_at.desc(), QueueTicket.number.desc())
            .limit(limit)
        )
    )


def call_next(location_id: int, *, now: datetime | None = None) -> QueueTicket | None:
    now = now or utcnow()
    with write_transaction() as tx:
        if tx.lock(Location, location_id) is None:
            raise NotFound("No location has this id.")
        for earlier in db.session.scalars(
            select(QueueTicket).where(
                QueueTicket.location_id == location_id, QueueTicket.status == "called"
            )
        ):
            earlier.status = "done"
            earlier.finished_at = now
        following = None
        help_hour = serving_help_hour(location_id, now=now)
        if help_hour is not None:
            following = db.session.scalars(
                select(QueueTicket)
                .where(QueueTicket.session_id == help_hour.id, QueueTicket.status == "waiting")
                .order_by(QueueTicket.number)
                .limit(1)
            ).one_or_none()
        if following is not None:
            following.status = "called"
            following.called_at = now
        return following


# Calls for a staff member ---------------------------------------------------

def call_staff(location_id: int, *, language: str | None = None, now=None) -> StaffCall:
    if db.session.get(Location, location_id) is None:
        raise NotFound("No location has this id.")
    call = StaffCall(location_id=location_id, language=language, created_at=now or utcnow())
    db.session.add(call)
    db.session.commit()
    return call


def open_staff_calls(location_id: int) -> list[StaffCall]:
    return list(
        db.session.scalars(
            select(StaffCall)
            .where(StaffCall.location_id == location_id, StaffCall.answered_at.is_(None))
            .order_by(StaffCall.id)
        )
    )


def answer_staff_calls(location_id: int, *, now: datetime | None = None) -> int:
    calls = open_staff_calls(location_id)
    for call in calls:
        call.answered_at = now or utcnow()
    db.session.commit()
    return len(calls)

