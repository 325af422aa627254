"""Publishing from the portal, one session or a weekly series in one go
(a Dutch conversation group meets every Tuesday), and changing or
cancelling the rest of a series. No session is published or moved into the
past. Every session of a series carries the same series id."""
import uuid
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from booking.extensions import db
from booking.models import Booking, Session, utcnow
from booking.services import sessions as session_service
from booking.services import undo
from booking.services.errors import Conflict, InvalidInput, NotFound
from booking.services.transaction import write_transaction
from booking.times import zone


def refuse_past(starts_at: datetime, now: datetime) -> None:
    if starts_at <= now:
        raise InvalidInput("A session cannot start in the past.",
                           {"starts_at": "this moment has passed"})


def _weekly(moment: datetime, week: int) -> datetime:
    """The same local time `week` weeks later (a series keeps 10:00 across DST)."""
    local_moment = moment.astimezone(zone())
    later = local_moment.replace(tzinfo=None) + timedelta(weeks=week)
    return later.replace(tzinfo=zone())


def publish(*, weeks: int = 1, now: datetime | None = None, actor: str | None = None,
            **fields) -> list[Session]:
    """Publish a session, or `weeks` weekly sessions as one series, in one
    transaction: a week whose room is taken refuses the whole series, naming it."""
    now = now or utcnow()
    maximum = int(current_app.config["SERIES_MAX_WEEKS"])
    if not 1 <= weeks <= maximum:
        raise InvalidInput("Too many weeks.", {"weeks": f"from 1 to {maximum}"})
    refuse_past(fields["starts_at"], now)
    series_id = str(uuid.uuid4()) if weeks > 1 else None
    published = []
    with write_transaction(actor=actor):
        for week in range(weeks):
            week_fields = dict(fields, starts_at=_weekly(fields["starts_at"], week),
                               ends_at=_weekly(fields["ends_at"], week))
            try:
                session = session_service.publish(actor=actor, **week_fields)
            except (InvalidInput, Conflict) as error:
                if week == 0:
                    raise
                day = week_fields["starts_at"].astimezone(zone()).strftime("%d/%m/%Y")
                raise Conflict(f"Week {week + 1} ({day}): {error.message}", error.fields) from None
            session.series_id = series_id
            published.append(session)
    return published


def rest_of_series(session: Session) -> list[Session]:
    """This session and the later ones of its series that are not cancelled."""
    if session.series_id is None:
        return [session]
    return db.session.scalars(
        select(Session).where(Session.series_id == session.series_id,
                              Session.starts_at >= session.starts_at,
                              Session.status != "cancelled")
        .order_by(Session.starts_at)
    ).all()


def change(session_id: int, changes: dict, *, rest_of_series_too: bool = False,
           now: datetime | None = None,
           actor: str | None = None) -> list[session_service.SessionChange]:
    """Change a session (and, when asked, the later sessions of its series:
    the same shift in time, the same room, seats and languages)."""
    now = now or utcnow()
    session = db.session.get(Session, session_id)
    if session is None:
        raise NotFound("No session has this id.")
    if session.ends_at <= now:
        raise Conflict("This session is over; it can no longer be changed.")
    if "starts_at" in changes and changes["starts_at"] != session.starts_at:
        refuse_past(changes["starts_at"], now)
    targets = rest_of_series(session) if rest_of_series_too else [session]
    shift_start = changes.get("starts_at", session.starts_at) - session.starts_at
    shift_end = changes.get("ends_at", session.ends_at) - session.ends_at
    outcomes = []
    with write_transaction(actor=actor) as tx:  # all the weeks, or none
        tx.lock_all([(Session, target.id) for target in targets])  # sessions first, in order
        for target in targets:
            own = dict(changes)
            if target.id != session.id:
                own["starts_at"] = _weekly_shift(target.starts_at, shift_start)
                own["ends_at"] = _weekly_shift(target.ends_at, shift_end)
            outcomes.append(session_service.update(target.id, own, now=now, actor=actor))
    return outcomes


def _weekly_shift(moment: datetime, shift: timedelta) -> datetime:
    """Move `moment` by `shift` in local wall-clock time."""
    local_moment = moment.astimezone(zone()).replace(tzinfo=None) + shift
    return local_moment.replace(tzinfo=zone())


def cancel_rest(session_id: int, *, now: datetime | None = None, actor: str | None = None
                ) -> list[tuple[Session, list[Booking]]]:
    """Cancel this session and the later ones of its series (each can be
    undone on its own page)."""
    now = now or utcnow()
    session = db.session.get(Session, session_id)
    if session is None:
        raise NotFound("No session has this id.")
    targets = rest_of_series(session)
    with write_transaction(actor=actor) as tx:
        tx.lock_all([(Session, target.id) for target in targets])
        return [undo.cancel(target.id, now=now, actor=actor) for target in targets]
