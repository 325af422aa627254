"""The feeds. Location and session feeds are public (what the public site
shows); a booking's feed is reached by its unguessable ticket; a person's
schedule by a secret token that the portal can replace."""
from flask import Response, abort, current_app, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from booking import LANGUAGES
from booking.extensions import db, limiter
from booking.feeds import bp
from booking.ratelimits import ticket_lookup
from booking.ical import booking_calendar, feed_window_start, sessions_calendar
from booking.models import Booking, Location, Room, Session, StaffAssignment, Theme
from booking.models.base import LARGEST_ID
from booking.services.agenda import PUBLIC_AUDIENCE
from booking.services.booking import normalise_ticket
from booking.services.staff import person_for_feed_token

FEED_STATUSES = ("published", "cancelled")


def _language() -> str:
    asked = request.args.get("lang")
    return asked if asked in LANGUAGES else "nl"


def _ics(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, max-age=300"
    # Calendar apps poll feeds: an unchanged feed answers 304 Not Modified.
    response.add_etag()
    return response.make_conditional(request)


def _sessions_query():
    return (
        select(Session)
        .options(selectinload(Session.theme), selectinload(Session.room).selectinload(Room.location))
        .where(Session.status.in_(FEED_STATUSES), Session.ends_at >= feed_window_start())
        .order_by(Session.starts_at, Session.id)
    )


def _id(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or len(text) > 12 or int(text) > LARGEST_ID:
        abort(404)
    return int(text)


@bp.get("/calendar/locations/<location_id>.ics")
def location_feed(location_id):
    location = db.session.get(Location, _id(location_id)) or abort(404)
    sessions = db.session.scalars(
        _sessions_query().join(Room, Room.id == Session.room_id).join(Theme)
        .where(Room.location_id == location.id, Theme.audience == PUBLIC_AUDIENCE)
    ).all()
    return _ics(sessions_calendar(sessions, f"Instap – {location.name}", _language(),
                                  f"location-{location.id}"),
                f"location-{location.id}.ics")


@bp.get("/calendar/sessions/<session_id>.ics")
def session_feed(session_id):
    session = db.session.get(Session, _id(session_id))
    if (session is None or session.status not in FEED_STATUSES
            or session.theme.audience != PUBLIC_AUDIENCE):  # staff-only: not public
        abort(404)
    language = _language()
    return _ics(sessions_calendar([session], session.theme.title(language), language,
                                  f"session-{session.id}"),
                f"session-{session.id}.ics")


@bp.get("/calendar/bookings/<ticket>.ics")
@ticket_lookup
def booking_feed(ticket):
    booking = db.session.scalars(
        select(Booking).where(Booking.ticket == normalise_ticket(ticket))
    ).one_or_none()
    if booking is None:
        abort(404)
    response = _ics(booking_calendar(booking, request.args.get("lang") if request.args.get("lang")
                                     in LANGUAGES else None), f"booking-{booking.ticket}.ics")
    response.headers["Cache-Control"] = "private, no-store"  # a participant's own booking
    return response


@bp.get("/calendar/people/<feed_token>.ics")
@limiter.limit(lambda: current_app.config["RATELIMIT_LOOKUP"])
def person_feed(feed_token):
    if len(feed_token) < 16:
        abort(404)
    person = person_for_feed_token(feed_token)
    if person is None:
        abort(404)
    sessions = db.session.scalars(
        _sessions_query()
        .join(StaffAssignment, StaffAssignment.session_id == Session.id)
        .where(StaffAssignment.person_id == person.id)
    ).all()
    language = _language()
    if language == "nl" and "lang" not in request.args and person.languages:
        language = person.languages[0] if person.languages[0] in LANGUAGES else "nl"
    response = _ics(sessions_calendar(sessions, f"Instap – {person.name}", language,
                                      f"person-{person.id}"),
                    "my-sessions.ics")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
