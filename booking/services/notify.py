"""Notifications: the hooks only QUEUE messages in the outbox, inside the
caller's transaction; they never commit and never send. Once that
transaction commits, booking.services.delivery sends them, outside the
request (an RQ job, a worker thread, or `send-outbox`).

Hooks (the services call them inside their write transaction):
    session_cancelled(session, affected)   after sessions.cancel
    session_changed(change)                after sessions.update
    seats_given(promoted)                  after booking.cancel (or any promotion)
    booking_confirmed(booking, email)      when a participant gives an e-mail
    ticket_texted(booking)                 when a participant gives a phone
    reminder(booking)                      send-reminders, once per booking
    cancelled_by_reply(booking)            the participant replied the cancel word

Every participant SMS is in the booking's language, with the day and time
formatted by Babel in the city's zone, and fits in two SMS."""
import unicodedata

from babel.dates import format_skeleton, format_time
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select

from booking.extensions import db
from booking.models import Booking, OutboxMessage, Referral, Session, User
from booking.services import delivery  # noqa: F401  (sends what the hooks queue, after the commit)
from booking.services.sms import fits
from booking.times import local, zone

# The word a participant replies to cancel, per language; shown in the SMS.
CANCEL_WORDS = {"nl": "ANNULEER", "fr": "ANNULER", "en": "CANCEL", "ar": "إلغاء", "tr": "İPTAL"}


def plain_word(text: str) -> str:
    """A reply word without case or accents: İptal, iptal, IPTAL are one."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


CANCEL_REPLIES = {plain_word(word) for word in CANCEL_WORDS.values()}


# Outbox -------------------------------------------------------------------

def queue(event: str, channel: str, recipient: str, subject: str, body: str, *,
          session_id: int | None = None, booking_id: int | None = None,
          once_key: str | None = None, attachment: str | None = None,
          attachment_name: str | None = None) -> OutboxMessage:
    """Add a message to the caller's transaction; it is sent after the commit."""
    message = OutboxMessage(
        event=event, channel=channel, recipient=recipient, subject=subject[:200], body=body,
        session_id=session_id, booking_id=booking_id, once_key=once_key,
        attachment=attachment, attachment_name=attachment_name,
    )
    db.session.add(message)
    return message


# Texts --------------------------------------------------------------------

def _known(language) -> str:
    return language if language in current_app.config["LANGUAGES"] else "nl"


def when_text(session: Session, language: str) -> str:
    """wo 2 december 14:00-16:00, in the language and the city's zone."""
    start, end = local(session.starts_at), local(session.ends_at)
    day = format_skeleton("MMMMEd", start, tzinfo=zone(), locale=language)
    text = (f"{day} {format_time(start, 'short', tzinfo=zone(), locale=language)}"
            f"-{format_time(end, 'short', tzinfo=zone(), locale=language)}")
    # CLDR's (narrow) no-break spaces are not in the GSM alphabet: one would
    # turn a whole Dutch or English SMS into UCS-2, half as long.
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def _places(session: Session) -> list[str]:
    """The place, from the fullest to the shortest, to fit two SMS."""
    location, room = session.room.location, session.room.name
    full = ", ".join(p for p in (location.name, room, location.address) if p)
    return list(dict.fromkeys([full, f"{location.name}, {room}", location.name]))


def _fitted(build, session: Session, language: str) -> str:
    """The text with the fullest place and title that fit in two SMS."""
    title = session.theme.title(language)
    when = when_text(session, language)
    for place in _places(session):
        candidate = build(title=title, when=when, place=place)
        if fits(candidate):
            return candidate
    # Still too long (UCS-2 has 134 characters for two SMS): shorten the
    # longer of title and place, a few letters at a time.
    place, shortened = _places(session)[-1], {"title": False, "place": False}

    def text():
        return build(title=title + ("..." if shortened["title"] else ""), when=when,
                     place=place + ("..." if shortened["place"] else ""))

    while not fits(text()) and max(len(title), len(place)) > 8:
        if len(title) >= len(place):
            title, shortened["title"] = title[:-4].rstrip(), True
        else:
            place, shortened["place"] = place[:-4].rstrip(), True
    return text()


def _participant_sms(event, booking: Booking, build, *, once_key=None) -> OutboxMessage | None:
    """`build(title=, when=, place=)` gives the text, in the booking's language."""
    if not booking.phone:
        return None
    language = _known(booking.language)
    session = booking.session
    with force_locale(language):
        body = _fitted(build, session, language)
        subject = session.theme.title(language)
    return queue(event, "sms", booking.phone, subject, body, session_id=session.id,
                 booking_id=booking.id, once_key=once_key)


def _word(booking: Booking) -> str:
    return CANCEL_WORDS[_known(booking.language)]


# Staff and counsellors ----------------------------------------------------

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


def _staff_and_counsellors(event, session, text_for, booking_ids=None):
    """E-mails to referring counsellors (and assigned staff), in the staff language."""
    language = current_app.config.get("BABEL_DEFAULT_LOCALE", "nl")
    with force_locale(language):
        subject, body = text_for(session, language)
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


def _staff_place(session: Session) -> str:
    return _places(session)[0]


# Hooks --------------------------------------------------------------------

def session_cancelled(session: Session, affected: list[Booking]) -> list[OutboxMessage]:
    """Tell participants with a phone, referring counsellors and assigned
    staff that a session is cancelled."""
    def sms(**values):
        return _("Instap: %(title)s, %(when)s, %(place)s is cancelled. We are sorry.", **values)

    def staff_text(s, language):
        title = s.theme.title(language)
        return (_("Cancelled: %(title)s", title=title),
                _("Instap: %(title)s on %(when)s at %(place)s is cancelled. Sorry!", title=title,
                  when=when_text(s, language), place=_staff_place(s)))

    messages = [m for b in affected if (m := _participant_sms("session_cancelled", b, sms))]
    return messages + _staff_and_counsellors("session_cancelled", session, staff_text)


def session_changed(change) -> list[OutboxMessage]:
    """After sessions.update: the moved session's people are told (those
    promoted from the waiting list hear it from seats_given, which the
    promotion itself calls)."""
    messages = []
    session = change.session
    if change.moved:
        def sms(**values):
            return _("Instap: %(title)s has moved. New day, time and place: %(when)s, "
                     "%(place)s.", **values)

        def staff_text(s, language):
            title = s.theme.title(language)
            return (_("Changed: %(title)s", title=title),
                    _("Instap: %(title)s has moved. New time and place: %(when)s, %(place)s.",
                      title=title, when=when_text(s, language), place=_staff_place(s)))

        promoted_ids = {b.id for b in change.promoted}
        holders = db.session.scalars(
            select(Booking).where(
                Booking.session_id == session.id,
                or_(Booking.status == "confirmed", Booking.status == "waitlisted"),
            ).order_by(Booking.id)
        ).all()
        messages += [m for b in holders if b.id not in promoted_ids
                     and (m := _participant_sms("session_moved", b, sms))]
        messages += _staff_and_counsellors("session_moved", session, staff_text)
    return messages


def seats_given(promoted: list[Booking]) -> list[OutboxMessage]:
    """A place on the waiting list became a seat."""
    messages = []
    for booking in promoted:
        def sms(booking=booking, **values):
            return _("Instap: you have a seat! %(title)s, %(when)s, %(place)s. "
                     "Ticket %(ticket)s. To cancel, reply %(word)s.",
                     ticket=booking.ticket, word=_word(booking), **values)

        def staff_text(s, language, booking=booking):
            title = s.theme.title(language)
            return (_("You have a seat: %(title)s", title=title),
                    _("Instap: good news, you have a seat for %(title)s on %(when)s at "
                      "%(place)s. Ticket %(ticket)s.", title=title,
                      when=when_text(s, language), place=_staff_place(s),
                      ticket=booking.ticket))

        if (m := _participant_sms("seat_given", booking, sms)):
            messages.append(m)
        messages += _staff_and_counsellors("seat_given", booking.session, staff_text,
                                           booking_ids=[booking.id])
    return messages


def ticket_texted(booking: Booking) -> OutboxMessage | None:
    """"Text me my ticket": the ticket, or the place on the waiting list."""
    from booking.services.booking import waitlist_position

    position = waitlist_position(booking)

    def sms(**values):
        if position is not None:
            return _("Instap: you are number %(num)d on the waiting list: %(title)s, "
                     "%(when)s, %(place)s. Ticket %(ticket)s. We send an SMS if a seat "
                     "becomes free.", num=position, ticket=booking.ticket, **values)
        return _("Instap: your ticket %(ticket)s: %(title)s, %(when)s, %(place)s. "
                 "To cancel, reply %(word)s.", ticket=booking.ticket,
                 word=_word(booking), **values)

    return _participant_sms("ticket", booking, sms)


def reminder(booking: Booking) -> OutboxMessage | None:
    """The reminder before the session; its once_key makes it one per booking."""
    def sms(**values):
        return _("Instap reminder: %(title)s, %(when)s, %(place)s. Ticket %(ticket)s. "
                 "To cancel, reply %(word)s.", ticket=booking.ticket,
                 word=_word(booking), **values)

    return _participant_sms("reminder", booking, sms, once_key=f"reminder:{booking.id}")


def cancelled_by_reply(booking: Booking) -> OutboxMessage | None:
    def sms(**values):
        return _("Instap: your booking %(ticket)s is cancelled: %(title)s, %(when)s. "
                 "Thank you for telling us.", ticket=booking.ticket, **values)

    return _participant_sms("cancelled_by_reply", booking, sms)


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
                 title=title, when=when_text(session, language), place=_staff_place(session),
                 ticket=booking.ticket)
    return queue("booking_confirmed", "email", email.strip(), subject, body,
                 session_id=session.id, booking_id=booking.id,
                 attachment=booking_calendar(booking).decode(),
                 attachment_name=f"instap-{booking.ticket}.ics")

