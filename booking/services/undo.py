"""Safe cancellation: say who will be told before a session is cancelled,
and give it back (with its bookings) for a while after.

A cancellation records the moment and every booking's status before it, so
an undo within UNDO_CANCEL_MINUTES restores each person's seat or place on
the waiting list exactly; everyone who was told of the cancellation is told
that the session is on again."""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from booking.extensions import db
from booking.models import Booking, Person, Referral, Room, Session, User, utcnow
from booking.services import notify
from booking.services import sessions as session_service
from booking.services.errors import Conflict, NotFound
from booking.services.staff import staff_clash
from booking.services.transaction import write_transaction
from booking.times import local

TOLD_STATUSES = ("confirmed", "waitlisted")


@dataclass
class Audience:
    """Who a change to a session reaches."""

    by_sms: list[Booking] = field(default_factory=list)       # participants with a phone
    not_reachable: list[Booking] = field(default_factory=list)  # no phone: tell them at the door
    counsellors: list[User] = field(default_factory=list)     # referred clients
    staff: list[User] = field(default_factory=list)           # assigned trainers and stewards

    @property
    def messages(self) -> int:
        return len(self.by_sms) + len(self.counsellors) + len(self.staff)


def audience(session: Session) -> Audience:
    """Who will be messaged when this session is cancelled (and who cannot be)."""
    found = Audience()
    for booking in session.bookings:
        if booking.status in TOLD_STATUSES:
            (found.by_sms if booking.phone else found.not_reachable).append(booking)
    seen = set()
    for referral in db.session.scalars(select(Referral).where(Referral.session_id == session.id)):
        counsellor = referral.counsellor
        if counsellor.active and counsellor.id not in seen:
            seen.add(counsellor.id)
            found.counsellors.append(counsellor)
    person_ids = [a.person_id for a in session.assignments]
    if person_ids:
        for user in db.session.scalars(
            select(User).where(User.person_id.in_(person_ids), User.active.is_(True))
        ):
            if user.id not in seen:
                seen.add(user.id)
                found.staff.append(user)
    return found


def undo_window() -> timedelta:
    return timedelta(minutes=int(current_app.config["UNDO_CANCEL_MINUTES"]))


def cancel(session_id: int, *, now: datetime | None = None,
           actor: str | None = None) -> tuple[Session, list[Booking]]:
    """Cancel like sessions.cancel (which tells everyone), in the same
    transaction remembering what undo needs."""
    now = now or utcnow()
    with write_transaction(actor=actor) as tx:
        session = tx.lock(Session, session_id)
        if session is None:
            raise NotFound("No session has this id.")
        if session.status == "cancelled":
            return session, []
        status_before = session.status
        before = {b.id: b.status for b in session.bookings}
        session, affected = session_service.cancel(session_id, now=now, actor=actor)
        session.cancelled_at = now
        session.status_before_cancel = status_before
        for booking in affected:
            booking.status_before_cancel = before.get(booking.id)
        return session, affected


def undo_deadline(session: Session) -> datetime | None:
    """Until when this cancellation can be undone, or None when it cannot."""
    if session.status != "cancelled" or session.cancelled_at is None:
        return None
    if not session.status_before_cancel:
        return None
    return session.cancelled_at + undo_window()


def can_undo(session: Session, *, now: datetime | None = None) -> bool:
    now = now or utcnow()
    deadline = undo_deadline(session)
    return deadline is not None and now < deadline and session.starts_at > now


def restore(session_id: int, *, now: datetime | None = None,
            actor: str | None = None) -> tuple[Session, list[Booking]]:
    """Undo a cancellation: the session is back as it was, every booking it
    cancelled is back with its seat or waiting-list place, and the people
    who were told of the cancellation are told it is on again (once the
    restore is committed)."""
    now = now or utcnow()
    with write_transaction(actor=actor) as tx:
        session = tx.lock(Session, session_id)
        if session is None:
            raise NotFound("No session has this id.")
        if not can_undo(session, now=now):
            raise Conflict(
                "This cancellation can no longer be undone; publish a new session instead.")
        tx.lock(Room, session.room_id)
        if session_service.room_conflicts(session.room_id, session.starts_at, session.ends_at,
                                          exclude_id=session.id):
            raise Conflict("The room is taken at that time now; the session cannot come back.")
        people = tx.lock_all([(Person, a.person_id) for a in session.assignments])
        for (_model, person_id), person in people.items():
            if staff_clash(person_id, session.starts_at, session.ends_at,
                           exclude_session_id=session.id) is not None:
                raise Conflict(f"{person.name} works elsewhere at that time now; "
                               "the session cannot come back.")
        restored = _restore_locked(session)
        _tell_restored(session, restored)  # queued here, sent once committed
    return session, restored


def _restore_locked(session: Session) -> list[Booking]:
    restored = [b for b in session.bookings
                if b.status == "cancelled" and b.status_before_cancel in TOLD_STATUSES
                and b.cancelled_at == session.cancelled_at]
    for booking in restored:
        booking.status = booking.status_before_cancel
        booking.status_before_cancel = None
        booking.cancelled_at = None
    session.status = session.status_before_cancel
    session.status_before_cancel = None
    session.cancelled_at = None
    session.sequence += 1  # subscribed calendars show it again
    return restored


def _when(session: Session) -> str:
    return f"{local(session.starts_at):%d/%m/%Y %H:%M}–{local(session.ends_at):%H:%M}"


def _texts(session: Session, language: str) -> tuple[str, str]:
    with force_locale(language):
        title = session.theme.title(language)
        return (_("On again: %(title)s", title=title),
                _("Instap: %(title)s on %(when)s is not cancelled after all. "
                  "Your place is kept.", title=title, when=_when(session)))


def _tell_restored(session: Session, restored: list[Booking]) -> list:
    messages = []
    languages = current_app.config["LANGUAGES"]
    for booking in restored:
        if booking.phone:
            language = booking.language if booking.language in languages else "nl"
            subject, body = _texts(session, language)
            messages.append(notify.queue("session_restored", "sms", booking.phone, subject,
                                         body, session_id=session.id))
    staff_language = current_app.config.get("BABEL_DEFAULT_LOCALE", "nl")
    subject, body = _texts(session, staff_language)
    told = audience(session)
    for user in told.counsellors + told.staff:
        messages.append(notify.queue("session_restored", "email", user.email, subject, body,
                                     session_id=session.id))
    return messages
