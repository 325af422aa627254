"""The audit log: every change staff make to sessions, bookings and staff
assignments is written beside the change itself, in the same flush, so no
view can forget it and no change escapes it. The one row a service inserts
without the ORM's flush (a booking, on the busiest path) is recorded by
that service with `record_created`, in the same transaction."""
from datetime import date, datetime

from flask import g, has_app_context, has_request_context
from flask import session as cookie_session
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session as OrmSession

from booking.models import AuditEntry, Booking, Session, StaffAssignment

AUDITED = {Session: "session", Booking: "booking", StaffAssignment: "staff_assignment"}
# Personal data stays out of the log: it must be purgeable in one place.
UNLOGGED_FIELDS = {"name", "phone", "updated_at", "created_at"}
# A service's write_transaction(actor=...) names its actor here, for the
# whole transaction; it wins over what the request says.
AUDIT_ACTOR_KEY = "instap_audit_actor"


def init_app(app):
    if not event.contains(OrmSession, "before_flush", _record_changes):
        event.listen(OrmSession, "before_flush", _record_changes)


def current_actor() -> str | None:
    """Staff behind this change, or None for a participant's own action."""
    if has_request_context():
        from flask_login import current_user

        # Staff are known by their session cookie alone (no remember-me, no
        # request loader): with no session there is no one to load, and a
        # public booking need not pay for Flask-Login's checks.
        if cookie_session and getattr(current_user, "is_authenticated", False):
            return f"user:{current_user.id} {current_user.email} ({current_user.role})"
        organisation = g.get("organisation")
        if organisation is not None:
            return f"api:{organisation.slug}"
        return None
    if has_app_context():
        return g.get("audit_actor", "system")
    return None


def record_created(session: OrmSession, obj) -> None:
    """Audit a row that a service inserted with a Core statement, which no
    flush sees (the booking engine's insert): the entry joins the same
    transaction."""
    actor = _actor(session)
    if actor is not None and type(obj) in AUDITED:
        session.add(_entry(actor, "created", obj, _all_fields(obj)))


def _actor(session: OrmSession) -> str | None:
    return session.info.get(AUDIT_ACTOR_KEY) or current_actor()


def _record_changes(session, _flush_context, _instances):
    actor = _actor(session)
    if actor is None:
        return
    for obj in list(session.new):
        if type(obj) in AUDITED:
            session.add(_entry(actor, "created", obj, _all_fields(obj)))
    for obj in list(session.dirty):
        if type(obj) in AUDITED and session.is_modified(obj, include_collections=False):
            changes = _changed_fields(obj)
            if changes:
                session.add(_entry(actor, "updated", obj, changes))
    for obj in list(session.deleted):
        if type(obj) in AUDITED:
            session.add(_entry(actor, "deleted", obj, _all_fields(obj)))


def _entry(actor, action, obj, changes):
    return AuditEntry(actor=actor[:200], action=action, object_type=AUDITED[type(obj)],
                      object_id=obj.id, changes=changes)


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _all_fields(obj) -> dict:
    state = inspect(obj)
    return {attr.key: _plain(attr.value) for attr in state.attrs
            if attr.key in state.mapper.columns and attr.key not in UNLOGGED_FIELDS}


def _changed_fields(obj) -> dict:
    state = inspect(obj)
    changes = {}
    for attr in state.attrs:
        if attr.key not in state.mapper.columns or attr.key in UNLOGGED_FIELDS:
            continue
        history = attr.history
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                changes[attr.key] = [_plain(old), _plain(new)]
    return changes
