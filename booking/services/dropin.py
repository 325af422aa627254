"""The drop-in help hour's queue and the kiosk's "call a staff member".

A walk-in takes a number for a topic; numbers count from 1 each local day
per location. The steward's screen calls the next number (the one called
before is then done); the display shows the numbers called last."""
from datetime import date, datetime

from sqlalchemy import func, select

from booking.extensions import db
from booking.models import DROPIN_TOPICS, Location, QueueTicket, StaffCall, utcnow
from booking.services.errors import InvalidInput, NotFound
from booking.services.locking import lock_row
from booking.times import local


def service_day(now: datetime) -> date:
    return local(now).date()


def take_number(
    location_id: int, topic: str, *, language: str | None = None, now: datetime | None = None
) -> QueueTicket:
    now = now or utcnow()
    if topic not in DROPIN_TOPICS:
        raise InvalidInput("Choose one of the topics.", {"topic": "unknown topic"})
    location = lock_row(Location, location_id)  # numbers are handed out one at a time
    if location is None:
        db.session.rollback()
        raise NotFound("No location has this id.")
    day = service_day(now)
    last = db.session.scalar(
        select(func.max(QueueTicket.number)).where(
            QueueTicket.location_id == location_id, QueueTicket.day == day
        )
    )
    ticket = QueueTicket(
        location_id=location_id,
        day=day,
        number=(last or 0) + 1,
        topic=topic,
        language=language,
        status="waiting",
        created_at=now,
    )
    db.session.add(ticket)
    db.session.commit()
    return ticket


def get_ticket(location_id: int, ticket_id) -> QueueTicket:
    try:
        ticket = db.session.get(QueueTicket, int(ticket_id))
    except (TypeError, ValueError):
        ticket = None
    if ticket is None or ticket.location_id != location_id:
        raise NotFound("No queue number has this id.")
    return ticket


def place_in_queue(ticket: QueueTicket) -> int | None:
    """1 for the next one to be called; None once called or done."""
    if ticket.status != "waiting":
        return None
    ahead = db.session.scalar(
        select(func.count()).where(
            QueueTicket.location_id == ticket.location_id,
            QueueTicket.day == ticket.day,
            QueueTicket.status == "waiting",
            QueueTicket.number < ticket.number,
        )
    )
    return ahead + 1


def waiting(location_id: int, *, now: datetime | None = None) -> list[QueueTicket]:
    return _today(location_id, "waiting", now, QueueTicket.number)


def called(location_id: int, *, now: datetime | None = None, limit: int = 4) -> list[QueueTicket]:
    """The numbers called today, the latest (the one at the desk now) first."""
    day = service_day(now or utcnow())
    return list(
        db.session.scalars(
            select(QueueTicket)
            .where(
                QueueTicket.location_id == location_id,
                QueueTicket.day == day,
                QueueTicket.called_at.is_not(None),
            )
            .order_by(QueueTicket.called_at.desc(), QueueTicket.number.desc())
            .limit(limit)
        )
    )


def call_next(location_id: int, *, now: datetime | None = None) -> QueueTicket | None:
    now = now or utcnow()
    if lock_row(Location, location_id) is None:
        db.session.rollback()
        raise NotFound("No location has this id.")
    day = service_day(now)
    for earlier in db.session.scalars(
        select(QueueTicket).where(
            QueueTicket.location_id == location_id, QueueTicket.status == "called"
        )
    ):
        earlier.status = "done"
        earlier.finished_at = now
    following = db.session.scalars(
        select(QueueTicket)
        .where(
            QueueTicket.location_id == location_id,
            QueueTicket.day == day,
            QueueTicket.status == "waiting",
        )
        .order_by(QueueTicket.number)
        .limit(1)
    ).one_or_none()
    if following is not None:
        following.status = "called"
        following.called_at = now
    db.session.commit()
    return following


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


def _today(location_id, status, now, order):
    day = service_day(now or utcnow())
    return list(
        db.session.scalars(
            select(QueueTicket)
            .where(
                QueueTicket.location_id == location_id,
                QueueTicket.day == day,
                QueueTicket.status == status,
            )
            .order_by(order)
        )
    )
