"""Reading request bodies into checked values, and writing models as JSON.
Every problem with a field is collected, so a partner sees them all at once."""
import re

from flask import request

from booking.models import AGE_GROUPS, SESSION_KINDS, Session
from booking.models.base import LARGEST_ID
from booking.services.booking import SessionFacts
from booking.services.errors import InvalidInput
from booking.times import iso, parse_aware

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
PHONE = re.compile(r"^\+?[0-9 ./()-]{6,25}$")


def json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput("The body must be a JSON object.")
    return body


class FieldReader:
    """Reads typed fields from a JSON object, noting every error by name."""

    def __init__(self, body: dict):
        self.body = body
        self.errors: dict[str, str] = {}

    def has(self, name):
        return name in self.body

    def text(self, name, *, required=False, max_length=200, pattern=None, choices=None):
        value = self.body.get(name)
        if value is None:
            if required:
                self.errors[name] = "is required"
            return None
        if not isinstance(value, str):
            self.errors[name] = "must be a string"
            return None
        value = value.strip()
        if required and not value:
            self.errors[name] = "is required"
        elif len(value) > max_length:
            self.errors[name] = f"must be at most {max_length} characters"
        elif value and pattern is not None and not pattern.match(value):
            self.errors[name] = "has an unexpected format"
        elif value and choices is not None and value not in choices:
            self.errors[name] = f"must be one of: {', '.join(choices)}"
        else:
            return value or None
        return None

    def integer(self, name, *, required=False, minimum=None, maximum=None):
        value = self.body.get(name)
        if value is None:
            if required:
                self.errors[name] = "is required"
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.errors[name] = "must be a whole number"
            return None
        if minimum is not None and value < minimum:
            self.errors[name] = f"must be at least {minimum}"
        elif maximum is not None and value > maximum:
            self.errors[name] = f"must be at most {maximum}"
        else:
            return value
        return None

    def moment(self, name, *, required=False):
        value = self.body.get(name)
        if value is None:
            if required:
                self.errors[name] = "is required"
            return None
        try:
            return parse_aware(value)
        except ValueError as error:
            self.errors[name] = str(error)
            return None

    def languages(self, name):
        value = self.body.get(name)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.errors[name] = "must be a list of language codes"
            return None
        if not all(LANGUAGE_CODE.match(v) for v in value) or len(value) > 20:
            self.errors[name] = "must hold language codes such as 'nl' or 'ar'"
            return None
        return list(dict.fromkeys(value))

    def identifier(self, name, *, required=False):
        """An id: a string as the contract says, though a bare number is understood."""
        value = self.body.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if value is None:
            if required:
                self.errors[name] = "is required"
            return None
        if not isinstance(value, str) or not value.strip() or len(value) > 100:
            self.errors[name] = "must be an id (a string)"
            return None
        return value.strip()

    def finish(self):
        if self.errors:
            raise InvalidInput("Some fields are not valid.", self.errors)


def read_booking_request(body: dict) -> dict:
    fields = FieldReader(body)
    values = {
        "kind": fields.text("kind", required=True, choices=("walk_in", "pre_registered")),
        "name": fields.text("name", max_length=80),
        "phone": fields.text("phone", max_length=30, pattern=PHONE),
        "language": fields.text("language", max_length=10, pattern=LANGUAGE_CODE),
        "age_group": fields.text("age_group", choices=AGE_GROUPS),
        "idempotency_key": fields.text("idempotency_key", max_length=100),
    }
    fields.finish()
    return values


def read_session_fields(body: dict, *, partial: bool) -> dict:
    fields = FieldReader(body)
    values = {
        "theme_id": fields.identifier("theme", required=not partial),
        "room": fields.identifier("room", required=not partial),
        "starts_at": fields.moment("starts_at", required=not partial),
        "ends_at": fields.moment("ends_at", required=not partial),
        "capacity": fields.integer("capacity", required=not partial, minimum=1, maximum=1000),
        "walk_in_seats": fields.integer("walk_in_seats", minimum=0, maximum=1000),
        "languages": fields.languages("languages"),
        "status": fields.text("status", choices=("draft", "published")),
        "kind": fields.text("kind", choices=SESSION_KINDS),
    }
    if partial and "theme" in body:
        fields.errors["theme"] = "cannot be changed; cancel and publish a new session"
    fields.finish()
    return {k: v for k, v in values.items() if v is not None}


NUMERIC_ID = re.compile(r"[0-9]{1,11}")


def id_number(text: str) -> int | None:
    """Our numeric ids, read from a path or body; None for anything else
    (str.isdigit would let '¹' and '９' through)."""
    if not (isinstance(text, str) and NUMERIC_ID.fullmatch(text)):
        return None
    number = int(text)
    return number if number <= LARGEST_ID else None


def location_json(location) -> dict:
    return {
        "id": str(location.id),
        "name": location.name,
        "organisation": location.organisation.slug,
        "address": location.address,
        "city": location.city,
        "area": location.area.name if location.area else "",
        "opening_hours": location.opening_hours,
        "rooms": [room_json(room) for room in location.rooms],
    }


def room_json(room) -> dict:
    return {
        "id": str(room.id),
        "name": room.name,
        "capacity": room.capacity,
        "features": room.features,
    }


def session_json(session, seats, language="nl") -> dict:
    return session_fields(session, language) | seat_fields(seats)


def seat_fields(seats) -> dict:
    return {
        "seats_left": seats.seats_left,
        "pre_registration_seats_left": seats.pre_registration_seats_left,
    }


def session_fields(session: Session | SessionFacts, language="nl") -> dict:
    """Everything about a session but its free seats, which change with every booking."""
    facts = session if isinstance(session, SessionFacts) else SessionFacts.of(session)
    return {
        "id": str(facts.id),
        "theme": {"id": facts.theme_id, "title": facts.theme_title(language)},
        "kind": facts.kind,
        "location": {"id": str(facts.location_id), "name": facts.location_name},
        "room": {"id": str(facts.room_id), "name": facts.room_name},
        "starts_at": iso(facts.starts_at),
        "ends_at": iso(facts.ends_at),
        "capacity": facts.capacity,
        "walk_in_seats": facts.walk_in_seats,
        "languages": facts.languages,
        "status": facts.status,
    }


def booking_json(booking, position, session_body, *, with_person=False) -> dict:
    body = {
        "ticket": booking.ticket,
        "status": booking.status,
        "kind": booking.kind,
        "waitlist_position": position,
        "created_at": iso(booking.created_at),
    }
    if session_body is not None:
        body["session"] = session_body
    if with_person:
        body.update(
            name=booking.name,
            phone=booking.phone,
            language=booking.language,
            age_group=booking.age_group,
            checked_in_at=iso(booking.checked_in_at) if booking.checked_in_at else None,
        )
    return body
