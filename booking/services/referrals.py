"""Referrals: a counsellor sends a client to a workshop (a seat is booked
with kind "referred") or to a drop-in help hour (no seat: the client walks
in and the steward expects them); whoever helped records feedback, which the
counsellor reads. Only a first name or initials, an optional phone, the need
and the language are kept, and only with the client's recorded consent."""
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from booking.extensions import db
from booking.models import Location, Referral, Room, Session, Theme, User, utcnow
from booking.services import booking as bookings
from booking.services import notify
from booking.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from booking.services.transaction import write_transaction
from booking.times import zone

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


# The session picker and the word when a session is full ---------------------

PICKER_DAYS = 90
PICKER_LIMIT = 400


def sessions_to_refer(*, city: str | None = None, day: date | None = None,
                      language: str | None = None, theme_id: str | None = None,
                      with_seats: bool = False, now: datetime | None = None):
    """Coming published sessions for participants, narrowed by city, first
    day, language and theme; with `with_seats`, only those a referral still
    gets a seat in (drop-ins need none). Returns [(session, availability)]."""
    now = now or utcnow()
    start = now
    if day is not None:
        start = max(now, datetime.combine(day, datetime.min.time(), tzinfo=zone()))
    statement = (
        select(Session).join(Theme).join(Room).join(Location)
        .options(selectinload(Session.theme), selectinload(Session.room).selectinload(Room.location))
        .where(Session.status == "published", Session.starts_at > start,
               Session.starts_at < now + timedelta(days=PICKER_DAYS),
               Theme.audience == "participants")
        .order_by(Session.starts_at).limit(PICKER_LIMIT)
    )
    if city:
        statement = statement.where(Location.city == city)
    if theme_id:
        statement = statement.where(Session.theme_id == theme_id)
    found = db.session.scalars(statement).all()
    if language:
        found = [s for s in found if language in (s.languages or [])]
    seats = bookings.availabilities(found)
    rows = [(s, seats[s.id]) for s in found]
    if with_seats:
        rows = [(s, a) for s, a in rows if s.kind == "drop_in" or a.pre_registration_seats_left]
    return rows


def cities() -> list[str]:
    return [c for c in db.session.scalars(
        select(Location.city).distinct().order_by(Location.city)) if c]


def next_with_seats(session: Session, *, now: datetime | None = None) -> Session | None:
    """The next coming session of the same theme that a referral still gets a
    seat in, in the same city when there is one."""
    rows = sessions_to_refer(theme_id=session.theme_id, with_seats=True, now=now)
    later = [s for s, _a in rows if s.id != session.id]
    same_city = [s for s in later if s.room.location.city == session.room.location.city]
    return (same_city or later or [None])[0]


def status(referral: Referral) -> tuple[str, int | None]:
    """What the counsellor sees: (status, waiting-list position or None).
    Statuses: came, did_not_come, booked, waitlisted, cancelled, expected
    (a drop-in: no seat, the steward expects the client)."""
    if referral.has_feedback:
        return ("came" if referral.came else "did_not_come"), None
    if referral.session.status == "cancelled":
        return "cancelled", None
    booking = referral.booking
    if booking is None:
        return "expected", None
    if booking.status == "attended":
        return "came", None
    if booking.status == "waitlisted":
        return "waitlisted", bookings.waitlist_position(booking)
    if booking.status in ("cancelled", "no_show"):
        return ("cancelled" if booking.status == "cancelled" else "did_not_come"), None
    return "booked", None


def tell_counsellor_of_feedback(referral: Referral, link: str) -> None:
    """An e-mail (through the outbox) to the counsellor: feedback arrived."""
    from flask import current_app
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from booking.services import notify

    counsellor = referral.counsellor
    if not counsellor.active:
        return
    language = current_app.config.get("BABEL_DEFAULT_LOCALE", "nl")
    with force_locale(language):
        title = referral.session.theme.title(language)
        subject = _("Feedback on %(name)s", name=referral.client_name)
        body = _("There is feedback on your referral of %(name)s to %(title)s. "
                 "Read it here: %(link)s", name=referral.client_name, title=title, link=link)
    message = notify.queue("referral_feedback", "email", counsellor.email, subject, body,
                           session_id=referral.session_id)
    db.session.commit()  # the message leaves once committed (services/delivery.py)
