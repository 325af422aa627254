"""Staff of sessions: assignments and the secret calendar addresses."""
from sqlalchemy import select

from booking.extensions import db
from booking.models import STAFF_ROLES, Person, Session, StaffAssignment
from booking.models.person import new_feed_token
from booking.services.errors import Conflict, InvalidInput


def regenerate_feed_token(person: Person) -> str:
    """Revoke the person's calendar address by giving it a new secret; the
    caller commits."""
    person.feed_token = new_feed_token()
    return person.feed_token


def assign(session: Session, person: Person, role: str) -> StaffAssignment:
    if role not in STAFF_ROLES:
        raise InvalidInput("Unknown role.", {"role": f"one of {', '.join(STAFF_ROLES)}"})
    if session.status == "cancelled":
        raise Conflict("This session is cancelled.")
    taken = db.session.scalars(
        select(StaffAssignment).where(
            StaffAssignment.session_id == session.id, StaffAssignment.person_id == person.id
        )
    ).one_or_none()
    if taken is not None:
        raise Conflict(f"{person.name} is already assigned.", {"person": "already assigned"})
    clash = db.session.scalars(
        select(Session)
        .join(StaffAssignment, StaffAssignment.session_id == Session.id)
        .where(
            StaffAssignment.person_id == person.id,
            Session.status != "cancelled",
            Session.starts_at < session.ends_at,
            Session.ends_at > session.starts_at,
        )
    ).first()
    if clash is not None:
        raise Conflict(
            f"{person.name} already works at that time.",
            {"person": f"busy in session {clash.id}"},
        )
    assignment = StaffAssignment(session=session, person=person, role=role)
    db.session.add(assignment)
    db.session.commit()
    return assignment


def unassign(assignment: StaffAssignment) -> None:
    db.session.delete(assignment)
    db.session.commit()
