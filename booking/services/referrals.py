"""Referrals: a counsellor sends a client to a workshop (a seat is booked
with kind "referred") or to a drop-in help hour (no seat: the client walks
in and the steward expects them); whoever helped records feedback, which the
counsellor reads. Only a first name or initials, an optional phone, the need
and the language are kept, and only with the client's recorded consent."""
from datetime import datetime

from sqlalchemy import select

from booking.extensions import db
from booking.models import Referral, Session, User, utcnow
from booking.services import booking as bookings
from booking.services import notify
from booking.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from booking.services.transaction import write_transaction

MAX_NAME = 40


def refer(counsellor: User, session_id: int, *, client_name: str, need: str,
          language: str = "nl", phone: str | None = None, consent: bool = False,
          email: str | None = None, now: datetime | None = None,
          actor: str | None = None) -> Referral:
    """Book the client's seat and record the referral in one transaction;
    with an e-mail address, the client gets a confirmation with the .ics."""
    now = now or utcnow()
    client_name = (client_name or "").strip()
    need = (need or "").strip()
    errors = {}
    if counsellor.role not in ("counsellor", "admin"):
        raise Forbidden("Only counsellors refer clients.")
    if not consent:
        errors["consent"] = "the client's consent is needed before anything is recorded"
    if not client_name:
        errors["client_name"] = "a first name or initials"
    elif len(client_name) > MAX_NAME or len(client_name.split()) > 2:
        errors["client_name"] = "only a first name or initials, not a full name"
    if not need:
        errors["need"] = "what the client needs help with"
    elif len(need) > 300:
        errors["need"] = "at most 300 characters"
    if phone and len(phone.strip()) > 30:
        errors["phone"] = "at most 30 characters"
    if errors:
        raise InvalidInput("The referral is not complete.", errors)
    session = db.session.get(Session, session_id)
    if session is None or session.status != "published":
        raise InvalidInput("Choose a published session.", {"session": "not open for referrals"})
    if session.ends_at <= now:
        raise InvalidInput("This session is over.", {"session": "choose a later session"})
    with write_transaction(actor=actor):
        booking = None
        if session.kind != "drop_in":
            outcome = bookings.book(
                session.id, kind="referred", name=client_name,
                phone=(phone or "").strip() or None, language=language, now=now, actor=actor,
            )
            booking = outcome.booking
        referral = Referral(
            counsellor_id=counsellor.id, session_id=session.id,
            booking_id=booking.id if booking else None, client_name=client_name,
            phone=(phone or "").strip() or None, need=need, language=language or "nl",
            consent_recorded_at=now, created_at=now,
        )
        db.session.add(referral)
        db.session.flush()
        if email and booking is not None:
            notify.booking_confirmed(booking, email)
        return referral


def withdraw(user: User, referral: Referral, *, actor: str | None = None):
    """The counsellor withdraws a referral (the client cannot come): the
    seat is given back, and whoever it goes to is told."""
    if user.role not in ("counsellor", "admin") or not is_involved(user, referral):
        raise NotFound("No referral with this id.")
    if referral.booking is None or referral.booking.status in ("cancelled",):
        return []
    _booking, promoted = bookings.cancel(referral.booking.ticket, actor=actor)
    return promoted


def is_involved(user: User, referral: Referral) -> bool:
    """Who may read a referral: its counsellor, staff of the hosting
    organisation, the trainer or steward assigned to the session, an admin."""
    if user.role == "admin":
        return True
    if user.role == "counsellor":
        return referral.counsellor_id == user.id
    if user.role == "partner_staff":
        return referral.session.organisation_id == user.organisation_id
    if user.role == "trainer":
        return user.person_id is not None and any(
            a.person_id == user.person_id for a in referral.session.assignments
        )
    return False


def may_give_feedback(user: User, referral: Referral) -> bool:
    return user.role != "counsellor" and is_involved(user, referral)


def get_for(user: User, referral_id: int) -> Referral:
    referral = db.session.get(Referral, referral_id)
    if referral is None or not is_involved(user, referral):
        raise NotFound("No referral with this id.")
    return referral


def record_feedback(user: User, referral: Referral, *, came: bool, learned: str = "",
                    next_step: str = "", now: datetime | None = None) -> Referral:
    if not may_give_feedback(user, referral):
        raise NotFound("No referral with this id.")
    errors = {}
    if came is None:
        errors["came"] = "say whether the client came"
    if len(learned or "") > 2000:
        errors["learned"] = "at most 2000 characters"
    if len(next_step or "") > 2000:
        errors["next_step"] = "at most 2000 characters"
    if errors:
        raise InvalidInput("The feedback is not complete.", errors)
    if (now or utcnow()) < referral.session.starts_at:
        raise Conflict("Feedback can be given once the session has started.",
                       code="not_started")
    referral.came = bool(came)
    referral.learned = (learned or "").strip() or None
    referral.next_step = (next_step or "").strip() or None
    referral.feedback_at = now or utcnow()
    referral.feedback_by_id = user.id
    db.session.commit()
    return referral


def for_counsellor(user: User):
    return db.session.scalars(
        select(Referral).where(Referral.counsellor_id == user.id)
        .order_by(Referral.created_at.desc())
    ).all()


def for_session(user: User, session: Session):
    rows = db.session.scalars(
        select(Referral).where(Referral.session_id == session.id).order_by(Referral.id)
    ).all()
    return [r for r in rows if is_involved(user, r)]
