"""A participant's phone: "text me my ticket", the reminders, and the
replies that come back through Kannel's sms-service."""
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import String, cast, exists, literal, select
from sqlalchemy.exc import IntegrityError

from booking.extensions import db
from booking.models import Booking, OutboxMessage, Session, utcnow
from booking.services import booking as bookings
from booking.services import notify
from booking.services.errors import InvalidInput
from booking.services.sms import same_phone

PHONE_PATTERN = re.compile(r"^\+?[0-9 ./-]{6,30}$")


def valid_phone(phone: str) -> str:
    phone = (phone or "").strip()
    if not PHONE_PATTERN.match(phone) or sum(c.isdigit() for c in phone) < 6:
        raise InvalidInput("Write only digits, for example 0470 12 34 56.",
                           {"phone": "Write only digits, for example 0470 12 34 56."})
    return phone


def text_ticket(ticket: str, phone: str) -> Booking:
    """Keep the phone on the booking (purged with the name) and text the
    ticket to it; a walk-in on the waiting list can be reached then."""
    phone = valid_phone(phone)
    booking = bookings.find_booking(ticket)
    if booking.status not in ("confirmed", "waitlisted"):
        raise InvalidInput("This booking is cancelled.")
    booking.phone = phone
    notify.ticket_texted(booking)
    db.session.commit()
    return booking


def send_reminders(*, hours: float, now: datetime | None = None) -> int:
    """Queue one reminder for every confirmed booking with a phone whose
    session starts within `hours`. The reminder's once_key makes a second
    run (or two at once) queue nothing for a booking already reminded."""
    now = now or utcnow()
    already = exists().where(
        OutboxMessage.once_key == literal("reminder:") + cast(Booking.id, String))
    due = db.session.scalars(
        select(Booking).join(Session)
        .where(Booking.status == "confirmed", Booking.phone.is_not(None), Booking.phone != "",
               Session.status == "published", Session.starts_at > now,
               Session.starts_at <= now + timedelta(hours=hours), ~already)
        .order_by(Session.starts_at, Booking.id)
    ).all()
    queued = 0
    for booking in due:
        notify.reminder(booking)
        try:
            db.session.commit()
        except IntegrityError:  # another run reminded this booking just now
            db.session.rollback()
        else:
            queued += 1
    return queued


@dataclass(frozen=True)
class ReplyOutcome:
    understood: bool
    cancelled: Booking | None = None
    promoted: tuple[Booking, ...] = ()


def handle_reply(phone: str, text: str, *, now: datetime | None = None) -> ReplyOutcome:
    """A participant's SMS. The cancel word of any of the languages (maybe
    followed by the ticket) cancels their next booking from that phone
    and gives the seat to the waiting list; anything else is ignored."""
    now = now or utcnow()
    words = (text or "").split()
    if not words or notify.plain_word(words[0]) not in notify.CANCEL_REPLIES:
        return ReplyOutcome(False)
    candidates = [
        b for b in db.session.scalars(
            select(Booking).join(Session)
            .where(Booking.status.in_(("confirmed", "waitlisted")), Booking.phone.is_not(None),
                   Session.ends_at > now)
            .order_by(Session.starts_at, Booking.id)
        ).all()
        if b.phone and same_phone(b.phone, phone)
    ]
    if len(words) > 1:
        named = bookings.normalise_ticket("".join(words[1:]))
        candidates = [b for b in candidates if b.ticket == named] or candidates
    if not candidates:
        return ReplyOutcome(True)
    booking, promoted = bookings.cancel(candidates[0].ticket, now=now,
                                        actor="SMS reply")  # tells whoever gets the seat
    notify.cancelled_by_reply(booking)
    db.session.commit()
    return ReplyOutcome(True, booking, tuple(promoted))
