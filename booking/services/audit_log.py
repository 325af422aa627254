"""The audit log read back for people: what happened to a session (and its
bookings and staff), and what one staff member changed, in plain lines."""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from booking.extensions import db
from booking.models import AuditEntry, Booking, Session, User

LIMIT = 300


@dataclass(frozen=True)
class Line:
    at: datetime
    who: str
    what: str
    details: list[str]


def _who(actor: str) -> str:
    """'user:3 ann@x (admin)' reads as 'ann@x (admin)'; 'api:slug' as the organisation."""
    if actor.startswith("user:"):
        return actor.split(" ", 1)[1] if " " in actor else actor
    if actor.startswith("api:"):
        return _("API of %(organisation)s", organisation=actor[4:])
    if actor == "system":
        return _("the system")
    return actor


def _field_name(name: str) -> str:
    return {
        "status": _("status"), "starts_at": _("start"), "ends_at": _("end"),
        "room_id": _("room"), "capacity": _("seats"), "walk_in_seats": _("walk-in seats"),
        "languages": _("languages"), "role": _("role"), "person_id": _("person"),
        "checked_in_at": _("checked in at"), "cancelled_at": _("cancelled at"),
        "organisation_id": _("organisation"), "sequence": _("calendar version"),
    }.get(name, name.replace("_", " "))


def _what(entry: AuditEntry) -> str:
    kind = {"session": _("session"), "booking": _("booking"),
            "staff_assignment": _("staff assignment"), "user": _("account")}.get(
        entry.object_type, entry.object_type)
    action = {
        "created": _("%(kind)s created"), "updated": _("%(kind)s changed"),
        "deleted": _("%(kind)s removed"), "password": _("%(kind)s: password set"),
        "invited": _("%(kind)s invited"), "role": _("%(kind)s: role changed"),
        "deactivated": _("%(kind)s deactivated"), "activated": _("%(kind)s activated again"),
    }.get(entry.action, "%(kind)s " + entry.action)
    return action % {"kind": kind} + f" #{entry.object_id}"


def _details(entry: AuditEntry) -> list[str]:
    lines = []
    if entry.action != "updated":
        return lines
    for name, change in sorted((entry.changes or {}).items()):
        if name in ("sequence", "status_before_cancel"):
            continue
        old, new = change if isinstance(change, list) and len(change) == 2 else (None, change)
        lines.append(f"{_field_name(name)}: {old if old not in (None, '') else '–'} → "
                     f"{new if new not in (None, '') else '–'}")
    return lines


def _lines(entries) -> list[Line]:
    return [Line(entry.at, _who(entry.actor), _what(entry), _details(entry))
            for entry in entries]


def for_session(session: Session) -> list[Line]:
    booking_ids = db.session.scalars(
        select(Booking.id).where(Booking.session_id == session.id)).all()
    assignment_ids = [a.id for a in session.assignments]
    conditions = [and_(AuditEntry.object_type == "session", AuditEntry.object_id == session.id)]
    if booking_ids:
        conditions.append(and_(AuditEntry.object_type == "booking",
                               AuditEntry.object_id.in_(booking_ids)))
    if assignment_ids:
        conditions.append(and_(AuditEntry.object_type == "staff_assignment",
                               AuditEntry.object_id.in_(assignment_ids)))
    entries = db.session.scalars(
        select(AuditEntry).where(or_(*conditions))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(LIMIT)
    ).all()
    return _lines(entries)


def by_user(user: User) -> list[Line]:
    """What this account changed, and what was done to the account."""
    entries = db.session.scalars(
        select(AuditEntry).where(or_(
            AuditEntry.actor.like(f"user:{user.id} %"),
            and_(AuditEntry.object_type == "user", AuditEntry.object_id == user.id),
        )).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(LIMIT)
    ).all()
    return _lines(entries)
