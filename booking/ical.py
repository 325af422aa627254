"""Calendar feeds (RFC 5545) with icalendar 7: local times with TZID and a
matching VTIMEZONE (never floating), a stable UID per session, SEQUENCE from
the session, and cancelled sessions kept as STATUS:CANCELLED so subscribed
calendars remove them."""
import uuid
from datetime import date, datetime, timedelta

from flask import current_app, has_request_context, request
from flask_babel import force_locale, gettext
from icalendar import Calendar, Event
from werkzeug.routing import BuildError

from booking.models import Booking, Session, utcnow
from booking.times import local
from booking.urls import public_base, public_url

PRODID = "-//Instap//Instap workshop booking//EN"


def _domain() -> str:
    return current_app.config.get("ICAL_UID_DOMAIN") or "instap.invalid"


def session_uid(session: Session) -> str:
    return f"session-{session.id}@{_domain()}"


def public_session_url(session: Session) -> str | None:
    """The public booking page of a session (the public site's, when present)."""
    for endpoint in ("site.session_page", "site.session"):
        try:
            # PUBLIC_URL, never the Host header a client chose (posters, feeds).
            return public_url(endpoint, session_id=session.id)
        except (BuildError, RuntimeError):  # no such page, or no request and no SERVER_NAME
            continue
    else:
        path = f"/sessions/{session.id}"
        if public_base():
            return public_base() + path
        if has_request_context():
            return request.url_root.rstrip("/") + path
        return None  # no absolute address to give


def where(session: Session) -> str:
    location = session.room.location
    parts = [location.name, session.room.name, location.address, location.city]
    return ", ".join(part for part in parts if part)


def session_event(session: Session, language: str = "nl", *, uid: str | None = None,
                  cancelled: bool = False, extra_sequence: int = 0,
                  description: str | None = None) -> Event:
    cancelled = cancelled or session.status == "cancelled"
    title = session.theme.title(language)
    text = description
    if text is None:
        text = session.theme.description(language)
        if session.languages:
            with force_locale(language):  # the feed's language, like the title
                spoken = gettext("Languages: %(codes)s", codes=", ".join(session.languages))
            text = (text + "\n\n" if text else "") + spoken
    event = Event.new(
        uid=uid or session_uid(session),
        stamp=session.updated_at or utcnow(),
        start=local(session.starts_at),
        end=local(session.ends_at),
        summary=title,
        location=where(session),
        description=text or None,
        sequence=session.sequence + extra_sequence,
        status="CANCELLED" if cancelled else "CONFIRMED",
        url=public_session_url(session),
    )
    return event


def calendar_bytes(events: list[Event], name: str, feed_id: str | None = None) -> bytes:
    """The feed; `feed_id` (e.g. "location-3") keeps the calendar's UID the
    same from one download to the next, so unchanged feeds are byte-equal."""
    name = " ".join(name.split())  # a calendar's name is one line
    uid = f"feed-{feed_id or uuid.uuid5(uuid.NAMESPACE_URL, name)}@{_domain()}"
    calendar = Calendar.new(prodid=PRODID, name=name, uid=uid,
                            refresh_interval=timedelta(hours=1))
    calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"  # RFC 7986 requires it
    calendar.add("X-WR-TIMEZONE", current_app.config["TIMEZONE"])
    calendar.add("X-PUBLISHED-TTL", "PT1H")  # what most calendar apps read instead
    calendar.add("METHOD", "PUBLISH")
    for event in events:
        calendar.add_component(event)
    if events:
        years = [e.start.year for e in events] + [e.end.year for e in events]
        calendar.add_missing_timezones(first_date=date(min(years) - 1, 1, 1),
                                       last_date=date(max(years) + 2, 1, 1))
        for timezone in calendar.walk("VTIMEZONE"):
            _one_rdate_per_line(timezone)
    return calendar.to_ical()


def _one_rdate_per_line(timezone) -> None:
    """icalendar writes all transitions of a VTIMEZONE part as one RDATE
    with many values; valid RFC 5545, but ical.js (Thunderbird and many web
    calendars) reads only the first value of each RDATE and then gets
    every later daylight-saving change wrong. One value per line reads
    right everywhere."""
    for part in timezone.subcomponents:
        found = part.get("RDATE")
        if found is None:
            continue
        lists = found if isinstance(found, list) else [found]
        moments = [value.dt for dates in lists for value in dates.dts]
        del part["RDATE"]
        for moment in moments:
            part.add("RDATE", moment)


def sessions_calendar(sessions, name: str, language: str = "nl",
                      feed_id: str | None = None) -> bytes:
    return calendar_bytes([session_event(s, language) for s in sessions], name, feed_id)


def booking_calendar(booking: Booking, language: str | None = None) -> bytes:
    """A participant's own booking: cancelled when the booking or the session is."""
    session = booking.session
    language = language or booking.language or "nl"
    cancelled = booking.status == "cancelled"
    event = session_event(
        session, language, uid=f"booking-{booking.ticket}@{_domain()}",
        cancelled=cancelled,
        # A cancelled booking is a change of the event, so it must count.
        extra_sequence=1 if cancelled and session.status != "cancelled" else 0,
    )
    return calendar_bytes([event], session.theme.title(language), f"booking-{booking.ticket}")


def feed_window_start(now: datetime | None = None) -> datetime:
    """Feeds hold sessions from 90 days ago on: enough history, bounded size."""
    return (now or utcnow()) - timedelta(days=90)
