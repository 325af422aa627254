"""Staff of sessions: assignments and the secret calendar addresses."""
from datetime import datetime

from sqlalchemy import select

from booking.extensions import db
from booking.models import STAFF_ROLES, Person, Session, StaffAssignment
from booking.models.base import LARGEST_ID
from booking.models.person import new_feed_key
from booking.services.errors import Conflict, InvalidInput, NotFound
from booking.services.transaction import write_transaction


def regenerate_feed_token(person: Person) -> str:
    """Revoke the person's calendar address by giving it a new secret; the
    caller commits."""
    person.feed_key = new_feed_key()
    return person.feed_token


def person_for_feed_token(token: str) -> Person | None:
    """Whose calendar address this is, or None (compared in constant time)."""
    person_id, _dash, _mac = token.partition("-")
    if not (person_id.isascii() and person_id.isdigit()) or len(person_id) > 12:
        return None
    if int(person_id) > LARGEST_ID:
        return None
    person = db.session.get(Person, int(person_id))
    return person if person is not None and person.has_feed_token(token) else None


def staff_clash(person_id: int, starts_at: datetime, ends_at: datetime, *,
                exclude_session_id: int | None = None) -> Session | None:
    """A live session in which the person already works at that time."""
    statement = (
        select(Session)
        .join(StaffAssignment, StaffAssignment.session_id == Session.id)
        .where(
            StaffAssignment.person_id == person_id,
            Session.status != "cancelled",
            Session.starts_at < ends_at,
            Session.ends_at > starts_at,
        )
    )
    if exclude_session_id is not None:
        statement = statement.where(Session.id != exclude_session_id)
    return db.session.scalars(statement).first()


def assign(session_id: int, person_id: int, role: str, *,
           actor: str | None = None) -> StaffAssignment:
    """Put a person on a session, holding the session's and the person's
    locks, so two assignments at once never put anyone in two places."""
    if role not in STAFF_ROLES:
        raise InvalidInput("Unknown role.", {"role": f"one of {', '.join(STAFF_ROLES)}"})
    with write_transaction(actor=actor) as tx:
        session = tx.lock(Session, session_id)
        person = tx.lock(Person, person_id)
        if session is None or person is None:
            raise NotFound("No such session or person.")
        if session.status == "cancelled":
            raise Conflict("This session is cancelled.", code="session_cancelled")
        taken = db.session.scalars(
            select(StaffAssignment).where(
                StaffAssignment.session_id == session.id, StaffAssignment.person_id == person.id
            )
        ).one_or_none()
        if taken is not None:
            raise Conflict(f"{person.name} is already assigned.", {"person": "already assigned"},
                           code="already_assigned")
        clash = staff_clash(person.id, session.starts_at, session.ends_at)
        if clash is not None:
            raise Conflict(
                f"{person.name} already works at that time.",
                {"person": f"busy in session {clash.id}"},
                code="staff_busy",
            )
        assignment = StaffAssignment(session=session, person=person, role=role)
        db.session.add(assignment)
        db.session.flush()
        return assignment


def unassign(assignment_id: int, *, actor: str | None = None) -> None:
    with write_transaction(actor=actor):
        assignment = db.session.get(StaffAssignment, assignment_id)
        if assignment is not None:
            db.session.delete(assignment)
