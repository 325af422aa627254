"""Notifications: every message goes into the outbox first, then a pluggable
sender delivers it (SMTP when MAIL_SERVER is configured, the log otherwise).
A message that fails stays in the outbox as `failed` and is retried by
`flask --app booking send-outbox`, so nothing is lost.

Hooks for views (call them after the service returned):
    session_cancelled(session, affected)   after sessions.cancel
    session_changed(change)                after sessions.update
    seats_given(promoted)                  after booking.cancel (or any promotion)
    booking_confirmed(booking, email)      when a participant gives an e-mail
"""
import logging
import smtplib
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select

from booking.extensions import db
from booking.models import Booking, OutboxMessage, Referral, Session, User, utcnow
from booking.services.transaction import current_transaction
from booking.times import local

log = logging.getLogger("instap.outbox")
MAX_ATTEMPTS = 5


# Senders ------------------------------------------------------------------

class LogSender:
    """Writes messages to the log: development, or no gateway configured."""

    name = "log"

    def send(self, message: OutboxMessage) -> None:
        # Which message, never to whom or what it says: logs are kept and
        # copied where the purge does not reach (issue 12). The outbox page
        # shows the message itself to staff.
        log.info("%s message %s (%s) written to the log sender, not delivered",
                 message.channel, message.id, message.event)


class SmtpSender:
    name = "smtp"

    def __init__(self, config):
        self.config = config

    def send(self, message: OutboxMessage) -> None:
        if message.channel != "email":
            # No SMS gateway here: SMS go to the log sender.
            return LogSender().send(message)
        email = EmailMessage()
        email["From"] = self.config.get("MAIL_DEFAULT_SENDER", "instap@localhost")
        email["To"] = message.recipient
        email["Subject"] = message.subject
        email.set_content(message.body)
        if message.attachment:
            email.add_attachment(
                message.attachment.encode(), maintype="text", subtype="calendar",
                filename=message.attachment_name or "invite.ics",
            )
        port = int(self.config.get("MAIL_PORT", 25))
        with smtplib.SMTP(self.config["MAIL_SERVER"], port, timeout=10) as smtp:
            if self.config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if self.config.get("MAIL_USERNAME"):
                smtp.login(self.config["MAIL_USERNAME"], self.config.get("MAIL_PASSWORD", ""))
            smtp.send_message(email)


def get_sender():
    """The configured sender: NOTIFY_SENDER (an object with .send) wins,
    then SMTP when MAIL_SERVER is set, else the log."""
    config = current_app.config
    if config.get("NOTIFY_SENDER") is not None:
        return config["NOTIFY_SENDER"]
    if config.get("MAIL_SERVER"):
        return SmtpSender(config)
    return LogSender()


# Outbox -------------------------------------------------------------------

def queue(event: str, channel: str, recipient: str, subject: str, body: str, *,
          session_id: int | None = None, attachment: str | None = None,
          attachment_name: str | None = None) -> OutboxMessage:
    message = OutboxMessage(
        event=event, channel=channel, recipient=recipient, subject=subject[:200], body=body,
        session_id=session_id, attachment=attachment, attachment_name=attachment_name,
    )
    db.session.add(message)
    return message


def deliver(messages=None, *, retry_failed: bool = False, limit: int = 200) -> dict:
    """Send the given messages (or every pending one); count the outcome.
    Each message is committed on its own, so one failure never loses another."""
    if messages is None:
        statuses = ("pending", "failed") if retry_failed else ("pending",)
        messages = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status.in_(statuses), OutboxMessage.attempts < MAX_ATTEMPTS)
            .order_by(OutboxMessage.id)
            .limit(limit)
        ).all()
    sender = get_sender()
    counts = {"sent": 0, "failed": 0}
    for message in messages:
        message.attempts += 1
        try:
            sender.send(message)
        except Exception as error:  # any transport error: keep the message for a retry
            message.status = "failed"
            message.last_error = f"{type(error).__name__}: {error}"[:500]
            counts["failed"] += 1
            log.warning("outbox message %s failed: %s", message.id, message.last_error)
        else:
            message.status = "sent"
            message.sent_at = utcnow()
            message.last_error = None
            counts["sent"] += 1
        db.session.commit()
    return counts


def _flush_and_send(messages: list[OutboxMessage]) -> list[OutboxMessage]:
    """Record the messages with the change that caused them; send them only
    once that change is committed."""
    transaction = current_transaction()
    if transaction is None:
        db.session.commit()
        _send_now(messages)
    elif messages:
        db.session.flush()
        transaction.after_commit(lambda: _send_now(messages))
    return messages


def _send_now(messages: list[OutboxMessage]) -> None:
    if messages and current_app.config.get("NOTIFY_SEND_IMMEDIATELY", True):
        deliver(messages)


# Recipients ---------------------------------------------------------------

def _when(session: Session) -> str:
    start = local(session.starts_at)
    return f"{start:%d/%m/%Y %H:%M}–{local(session.ends_at):%H:%M}"


def _place(session: Session) -> str:
    location = session.room.location
    return ", ".join(p for p in (location.name, session.room.name, location.address) if p)


def _referrals(session_id: int, booking_ids=None):
    statement = select(Referral).where(Referral.session_id == session_id)
    if booking_ids is not None:
        statement = statement.where(Referral.booking_id.in_(booking_ids))
    return db.session.scalars(statement).all()


def _staff_accounts(session: Session):
    person_ids = [a.person_id for a in session.assignments]
    if not person_ids:
        return []
    return db.session.scalars(
        select(User).where(User.person_id.in_(person_ids), User.active.is_(True))
    ).all()


def _known(language) -> str:
    return language if language in current_app.config["LANGUAGES"] else "nl"


def _texts(text_for, session, language):
    language = _known(language)
    with force_locale(language):
        return text_for(session, language)


def _staff_language() -> str:
    return current_app.config.get("BABEL_DEFAULT_LOCALE", "nl")


def _participant_sms(event, booking: Booking, text_for) -> OutboxMessage | None:
    if not booking.phone:
        return None
    subject, body = _texts(text_for, booking.session, booking.language or "nl")
    return queue(event, "sms", booking.phone, subject, body, session_id=booking.session_id)


def _staff_and_counsellors(event, session, text_for, booking_ids=None):
    language = _staff_language()
    subject, body = _texts(text_for, session, language)
    messages, seen = [], set()
    for referral in _referrals(session.id, booking_ids):
        counsellor = referral.counsellor
        if counsellor.active and counsellor.email not in seen:
            seen.add(counsellor.email)
            with force_locale(language):
                about = _("Referral: %(name)s.", name=referral.client_name)
            messages.append(queue(event, "email", counsellor.email, subject,
                                  body + "\n\n" + about, session_id=session.id))
    if booking_ids is None:
        for user in _staff_accounts(session):
            if user.email not in seen:
                seen.add(user.email)
                messages.append(queue(event, "email", user.email, subject, body,
                                      session_id=session.id))
    return messages


# Hooks --------------------------------------------------------------------

def session_cancelled(session: Session, affected: list[Booking]) -> list[OutboxMessage]:
    """Tell participants with a phone, referring counsellors and assigned
    staff that a session is cancelled."""
    def text(s, language):
        title = s.theme.title(language)
        return (_("Cancelled: %(title)s", title=title),
                _("Instap: %(title)s on %(when)s at %(place)s is cancelled. Sorry!",
                  title=title, when=_when(s), place=_place(s)))

    messages = [m for b in affected if (m := _participant_sms("session_cancelled", b, text))]
    messages += _staff_and_counsellors("session_cancelled", session, text)
    return _flush_and_send(messages)


def session_changed(change) -> list[OutboxMessage]:
    """After sessions.update: the moved session's people are told (those
    promoted from the waiting list hear it from seats_given)."""
    messages = []
    session = change.session
    if change.moved:
        def text(s, language):
            title = s.theme.title(language)
            return (_("Changed: %(title)s", title=title),
                    _("Instap: %(title)s has moved. New time and place: %(when)s, %(place)s.",
                      title=title, when=_when(s), place=_place(s)))

        promoted_ids = {b.id for b in change.promoted}
        holders = db.session.scalars(
            select(Booking).where(
                Booking.session_id == session.id,
                or_(Booking.status == "confirmed", Booking.status == "waitlisted"),
            )
        ).all()
        messages += [m for b in holders if b.id not in promoted_ids
                     and (m := _participant_sms("session_moved", b, text))]
        messages += _staff_and_counsellors("session_moved", session, text)
    return _flush_and_send(messages)


def seats_given(promoted: list[Booking]) -> list[OutboxMessage]:
    """A place on the waiting list became a seat."""
    messages = []
    for booking in promoted:
        def text(s, language, booking=booking):
            title = s.theme.title(language)
            return (_("You have a seat: %(title)s", title=title),
                    _("Instap: good news, you have a seat for %(title)s on %(when)s at "
                      "%(place)s. Ticket %(ticket)s.", title=title, when=_when(s),
                      place=_place(s), ticket=booking.ticket))

        if (m := _participant_sms("seat_given", booking, text)):
            messages.append(m)
        messages += _staff_and_counsellors("seat_given", booking.session, text,
                                           booking_ids=[booking.id])
    return _flush_and_send(messages)


def booking_confirmed(booking: Booking, email: str) -> OutboxMessage | None:
    """A confirmation with the booking's .ics attached, for a participant who
    gave an e-mail address. The address lives only in the outbox."""
    from booking.ical import booking_calendar

    if not email or "@" not in email:
        return None
    session = booking.session
    language = _known(booking.language)
    with force_locale(language):
        title = session.theme.title(language)
        if booking.status == "waitlisted":
            subject = _("On the waiting list: %(title)s", title=title)
        else:
            subject = _("Booked: %(title)s", title=title)
        body = _("%(title)s on %(when)s at %(place)s. Your ticket: %(ticket)s.",
                 title=title, when=_when(session), place=_place(session), ticket=booking.ticket)
    message = queue("booking_confirmed", "email", email.strip(), subject, body,
                    session_id=session.id, attachment=booking_calendar(booking).decode(),
                    attachment_name=f"instap-{booking.ticket}.ics")
    _flush_and_send([message])
    return message
