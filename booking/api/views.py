"""Routes of the JSON API: parse, check access, call a service, answer."""
from flask import g, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from booking import LANGUAGES
from booking.api import bp
from booking.api.auth import token_required
from booking.api.openapi import openapi_document
from booking.api.schemas import (
    booking_json,
    id_number,
    json_body,
    location_json,
    read_booking_request,
    read_session_fields,
    seat_fields,
    session_fields,
    session_json,
)
from booking.audit import current_actor
from booking.extensions import csrf, db
from booking.ratelimits import anonymous_form, ticket_lookup
from booking.models import Booking, Location, Room, Session, Theme
from booking.services.agenda import PUBLIC_AUDIENCE
from booking.services import booking as bookings
from booking.services import sessions as session_service
from booking.services.errors import Forbidden, InvalidInput, NotFound
from booking.times import parse_bound

csrf.exempt(bp)


def _language():
    asked = request.args.get("lang") or request.accept_languages.best_match(LANGUAGES)
    return asked if asked in LANGUAGES else "nl"


def _session_body(session):
    return session_json(session, bookings.availability(session), _language())


def _public_session(session_id: str) -> Session:
    session = db.session.get(
        Session,
        id_number(session_id) or 0,
        options=[joinedload(Session.theme), joinedload(Session.room).joinedload(Room.location)],
    )
    if session is None or session.status == "draft" or session.theme.audience != PUBLIC_AUDIENCE:
        raise NotFound("No published session has this id.")  # staff-only ones are not public
    bookings.settle_if_due(session)
    return session


def _own_session(session_id: str) -> Session:
    session = db.session.get(Session, id_number(session_id) or 0)
    if session is None:
        raise NotFound("No session has this id.")
    if session.organisation_id != g.organisation.id:
        raise Forbidden("This session belongs to another organisation.")
    return session


def _own_room(room_id: str) -> Room:
    room = db.session.get(Room, id_number(room_id) or 0)
    if room is None:
        raise InvalidInput("Unknown room.", {"room": f"no room '{room_id}'"})
    if room.organisation_id != g.organisation.id:
        raise Forbidden("This room belongs to another organisation.")
    return room


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


@bp.get("/locations")
def list_locations():
    locations = db.session.scalars(
        select(Location)
        .options(selectinload(Location.rooms), selectinload(Location.organisation))
        .order_by(Location.city, Location.name)
    ).all()
    return jsonify([location_json(location) for location in locations])


@bp.get("/sessions")
def list_sessions():
    bookings.settle_due_no_shows()
    errors = {}
    statement = (
        select(Session)
        .join(Session.theme)
        .where(Session.status == "published", Theme.audience == PUBLIC_AUDIENCE)
        .options(
            selectinload(Session.theme),
            selectinload(Session.room).selectinload(Room.location),
        )
        .order_by(Session.starts_at, Session.id)
    )
    for name, end in (("from", False), ("to", True)):
        if request.args.get(name):
            try:
                bound = parse_bound(request.args[name], end=end)
            except ValueError as error:
                errors[name] = str(error)
                continue
            statement = statement.where(
                Session.starts_at < bound if end else Session.ends_at > bound
            )
    if "from" not in request.args:
        statement = statement.where(Session.ends_at > bookings.utcnow())
    if request.args.get("location"):
        location_id = id_number(request.args["location"])
        if location_id is None:
            errors["location"] = "must be a location id"
        statement = statement.join(Room, Room.id == Session.room_id).where(Room.location_id == (location_id or 0))
    if request.args.get("theme"):
        statement = statement.where(Session.theme_id == request.args["theme"])
    if errors:
        raise InvalidInput("Some filters are not valid.", errors)
    found = db.session.scalars(statement).all()
    language = request.args.get("language")
    if language:
        found = [s for s in found if language in s.languages]
    seats = bookings.availabilities(found)
    return jsonify([session_json(s, seats[s.id], _language()) for s in found])


@bp.get("/sessions/<session_id>")
def get_session(session_id):
    return jsonify(_session_body(_public_session(session_id)))


@bp.post("/sessions/<session_id>/bookings")
@anonymous_form
def create_booking(session_id):
    # The hot path: one transaction that locks the session and loads what the
    # answer shows; no separate look-up first.
    try:
        values = read_booking_request(json_body())
    except InvalidInput:
        _public_session(session_id)  # an unknown session is a 404 before any bad body
        raise
    outcome = bookings.book(id_number(session_id) or 0, audience=PUBLIC_AUDIENCE, **values)
    session_body = session_fields(outcome.session, _language()) | seat_fields(outcome.seats)
    response = jsonify(booking_json(outcome.booking, outcome.waitlist_position, session_body))
    if outcome.created:
        response.status_code = 201
        response.headers["Location"] = f"/api/v1/bookings/{outcome.booking.ticket}"
    else:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@bp.get("/bookings/<ticket>")
@ticket_lookup
def get_booking(ticket):
    booking = bookings.find_booking(ticket)
    return jsonify(
        booking_json(booking, bookings.waitlist_position(booking), _session_body(booking.session))
    )


@bp.delete("/bookings/<ticket>")
@ticket_lookup
def cancel_booking(ticket):
    booking, _promoted = bookings.cancel(ticket)
    return jsonify(booking_json(booking, None, _session_body(booking.session)))


@bp.post("/sessions")
@token_required
def publish_session():
    values = read_session_fields(json_body(), partial=False)
    room = _own_room(values.pop("room"))
    session = session_service.publish(room_id=room.id, actor=current_actor(), **values)
    response = jsonify(_session_body(session))
    response.status_code = 201
    response.headers["Location"] = f"/api/v1/sessions/{session.id}"
    return response


@bp.patch("/sessions/<session_id>")
@token_required
def change_session(session_id):
    session = _own_session(session_id)
    changes = read_session_fields(json_body(), partial=True)
    changes.pop("kind", None)
    if "room" in changes:
        changes["room_id"] = _own_room(changes.pop("room")).id
    change = session_service.update(session.id, changes, actor=current_actor())
    return jsonify(_session_body(change.session))


@bp.delete("/sessions/<session_id>")
@token_required
def cancel_session(session_id):
    session, _affected = session_service.cancel(_own_session(session_id).id,
                                                actor=current_actor())
    return jsonify(_session_body(session))


@bp.get("/sessions/<session_id>/bookings")
@token_required
def attendance_list(session_id):
    session = _own_session(session_id)
    rows = db.session.scalars(
        select(Booking).where(Booking.session_id == session.id).order_by(Booking.id)
    ).all()
    waiting = [b.id for b in rows if b.status == "waitlisted"]
    return jsonify(
        [
            booking_json(
                b,
                waiting.index(b.id) + 1 if b.id in waiting else None,
                None,
                with_person=True,
            )
            for b in rows
        ]
    )


@bp.post("/bookings/<ticket>/check-in")
@token_required
def check_in(ticket):
    booking = bookings.find_booking(ticket)
    if booking.session.organisation_id != g.organisation.id:
        raise Forbidden("This booking is for another organisation's session.")
    booking = bookings.check_in(booking.ticket, actor=current_actor())
    return jsonify(booking_json(booking, None, _session_body(booking.session)))
