"""The OpenAPI 3 description served at /api/v1/openapi.json. It is kept
beside the views and checked against them by the tests (and by
schemathesis), so it says what the service does."""
from booking.api.schemas import LANGUAGE_CODE, PHONE
from booking.models import AGE_GROUPS, SESSION_KINDS


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema, description="OK"):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {
    status: {"$ref": f"#/components/responses/{name}"}
    for status, name in (
        ("400", "Invalid"), ("401", "Unauthorized"), ("403", "Forbidden"),
        ("404", "NotFound"), ("409", "Conflict"), ("429", "TooMany"),
    )
}


def _errors(*statuses):
    return {status: ERRORS[status] for status in statuses}


SESSION_ID = {"name": "session_id", "in": "path", "required": True, "schema": {"type": "string"}}
TICKET = {"name": "ticket", "in": "path", "required": True, "schema": {"type": "string"}}
LANG = {
    "name": "lang", "in": "query", "required": False,
    "description": "language of theme titles (else Accept-Language, else nl)",
    "schema": {"type": "string", "pattern": "^[^\\x00]*$"},
}
BEARER = [{"bearer": []}]
# Ids are INTEGER rows (below 2**31): nine digits in the description.
ROOM_ID = {"type": "string", "pattern": "^[0-9]{1,9}$"}
LANGUAGE_LIST = {
    "type": "array", "maxItems": 20, "items": {"type": "string", "pattern": LANGUAGE_CODE.pattern},
}
DATE_OR_TIME = {
    "type": "string",
    "anyOf": [{"format": "date"}, {"format": "date-time"}],
    "description": "a local date (whole day) or a date-time with UTC offset",
}
# Text fields hold no NUL: PostgreSQL cannot store one, so the service
# refuses it with 400 (booking/security.py).
TEXT_PATTERN = "^[^\\x00]*$"

LIST_FILTERS = [
    {"name": "location", "in": "query", "required": False,
     "schema": {"type": "string", "pattern": "^[0-9]{1,9}$"}},
    {"name": "theme", "in": "query", "required": False,
     "schema": {"type": "string", "pattern": TEXT_PATTERN}},
    {"name": "language", "in": "query", "required": False,
     "schema": {"type": "string", "pattern": TEXT_PATTERN}},
    {"name": "from", "in": "query", "required": False, "schema": DATE_OR_TIME},
    {"name": "to", "in": "query", "required": False, "schema": DATE_OR_TIME},
]

SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message", "fields"],
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                },
            }
        },
    },
    "Room": {
        "type": "object",
        "required": ["id", "name", "capacity", "features"],
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "capacity": {"type": "integer"},
            "features": {"type": "array", "items": {"type": "string"}},
        },
    },
    "Location": {
        "type": "object",
        "required": ["id", "name", "organisation", "rooms"],
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "organisation": {"type": "string", "description": "the organisation's slug"},
            "address": {"type": "string"},
            "city": {"type": "string"},
            "area": {"type": "string"},
            "opening_hours": {"type": "array", "items": {"type": "object"}},
            "rooms": {"type": "array", "items": _ref("Room")},
        },
    },
    "Named": {
        "type": "object",
        "required": ["id"],
        "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
    },
    "Session": {
        "type": "object",
        "required": [
            "id", "theme", "location", "room", "starts_at", "ends_at", "capacity",
            "walk_in_seats", "seats_left", "languages", "status",
        ],
        "properties": {
            "id": {"type": "string"},
            "theme": {
                "type": "object",
                "required": ["id", "title"],
                "properties": {"id": {"type": "string"}, "title": {"type": "string"}},
            },
            "kind": {"type": "string", "enum": list(SESSION_KINDS)},
            "location": _ref("Named"),
            "room": _ref("Named"),
            "starts_at": {"type": "string", "format": "date-time"},
            "ends_at": {"type": "string", "format": "date-time"},
            "capacity": {"type": "integer", "minimum": 0},
            "walk_in_seats": {"type": "integer", "minimum": 0},
            "seats_left": {"type": "integer", "minimum": 0},
            "pre_registration_seats_left": {"type": "integer", "minimum": 0},
            "languages": {"type": "array", "items": {"type": "string"}},
            "status": {"type": "string", "enum": ["draft", "published", "cancelled"]},
        },
    },
    "NewSession": {
        "type": "object",
        "required": ["theme", "room", "starts_at", "ends_at", "capacity"],
        "properties": {
            "theme": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,59}$"},
            "room": ROOM_ID,
            "starts_at": {"type": "string", "format": "date-time"},
            "ends_at": {"type": "string", "format": "date-time"},
            "capacity": {"type": "integer", "minimum": 1, "maximum": 1000},
            "walk_in_seats": {"type": "integer", "minimum": 0, "maximum": 1000},
            "languages": LANGUAGE_LIST,
            "status": {"type": "string", "enum": ["draft", "published"]},
            "kind": {"type": "string", "enum": list(SESSION_KINDS)},
        },
    },
    "BookingRequest": {
        "type": "object",
        "required": ["kind"],
        # Nothing else belongs in a booking (text with NUL is refused anywhere).
        "additionalProperties": False,
        "properties": {
            "kind": {"type": "string", "enum": ["walk_in", "pre_registered"]},
            "name": {"type": "string", "maxLength": 80, "pattern": TEXT_PATTERN},
            "phone": {"type": "string", "pattern": PHONE.pattern},
            "language": {"type": "string", "pattern": LANGUAGE_CODE.pattern},
            "age_group": {"type": "string", "enum": list(AGE_GROUPS)},
            "idempotency_key": {"type": "string", "maxLength": 100, "pattern": TEXT_PATTERN},
        },
    },
    "Booking": {
        "type": "object",
        "required": ["ticket", "status", "waitlist_position", "session"],
        "properties": {
            "ticket": {"type": "string", "description": "8 characters, no 0/O/1/I"},
            "status": {
                "type": "string",
                "enum": ["confirmed", "waitlisted", "cancelled", "attended", "no_show"],
            },
            "kind": {"type": "string", "enum": ["walk_in", "pre_registered", "referred"]},
            "waitlist_position": {"type": ["integer", "null"], "minimum": 1},
            "created_at": {"type": "string", "format": "date-time"},
            "session": _ref("Session"),
        },
    },
    "AttendanceEntry": {
        "type": "object",
        "required": ["ticket", "status", "kind"],
        "properties": {
            "ticket": {"type": "string"},
            "status": {"type": "string"},
            "kind": {"type": "string"},
            "waitlist_position": {"type": ["integer", "null"]},
            "created_at": {"type": "string", "format": "date-time"},
            "name": {"type": ["string", "null"]},
            "phone": {"type": ["string", "null"]},
            "language": {"type": ["string", "null"]},
            "age_group": {"type": ["string", "null"]},
            "checked_in_at": {"type": ["string", "null"], "format": "date-time"},
        },
    },
}


# A change may touch every field of a new session but its theme and kind.
SCHEMAS["SessionChange"] = {
    "type": "object",
    "properties": {name: schema for name, schema in SCHEMAS["NewSession"]["properties"].items()
                   if name not in ("theme", "kind")},
}


def openapi_document() -> dict:
    session = _json(_ref("Session"))
    booking = _json(_ref("Booking"))
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Instap API",
            "version": "1",
            "description": "Sessions and bookings of Instap's low-threshold workshops.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/locations": {
                "get": {
                    "summary": "Locations with their rooms",
                    "operationId": "listLocations",
                    "responses": {"200": _json({"type": "array", "items": _ref("Location")})},
                }
            },
            "/sessions": {
                "get": {
                    "summary": "Published sessions, soonest first",
                    "operationId": "listSessions",
                    "parameters": LIST_FILTERS + [LANG],
                    "responses": {
                        "200": _json({"type": "array", "items": _ref("Session")}),
                        **_errors("400"),
                    },
                },
                "post": {
                    "summary": "Publish a session in one of the organisation's rooms",
                    "operationId": "publishSession",
                    "security": BEARER,
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("NewSession")}},
                    },
                    "responses": {
                        "201": _json(_ref("Session"), "Published"),
                        **_errors("400", "401", "403", "409"),
                    },
                },
            },
            "/sessions/{session_id}": {
                "parameters": [SESSION_ID],
                "get": {
                    "summary": "One session",
                    "operationId": "getSession",
                    "parameters": [LANG],
                    "responses": {"200": session, **_errors("404")},
                },
                "patch": {
                    "summary": "Change a session (not below the seats already taken)",
                    "operationId": "changeSession",
                    "security": BEARER,
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("SessionChange")}},
                    },
                    "responses": {"200": session, **_errors("400", "401", "403", "404", "409")},
                },
                "delete": {
                    "summary": "Cancel a session; its bookings are cancelled and kept",
                    "operationId": "cancelSession",
                    "security": BEARER,
                    "responses": {"200": session, **_errors("401", "403", "404")},
                },
            },
            "/sessions/{session_id}/bookings": {
                "parameters": [SESSION_ID],
                "post": {
                    "summary": "Book a seat (or a place on the waiting list)",
                    "operationId": "createBooking",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("BookingRequest")}},
                    },
                    "responses": {
                        "201": _json(_ref("Booking"), "Booked or waitlisted"),
                        "200": _json(_ref("Booking"), "The same idempotency key again"),
                        **_errors("400", "404", "409", "429"),
                    },
                },
                "get": {
                    "summary": "The attendance list",
                    "operationId": "attendanceList",
                    "security": BEARER,
                    "responses": {
                        "200": _json({"type": "array", "items": _ref("AttendanceEntry")}),
                        **_errors("401", "403", "404"),
                    },
                },
            },
            "/bookings/{ticket}": {
                "parameters": [TICKET],
                "get": {
                    "summary": "A booking's status",
                    "operationId": "getBooking",
                    "responses": {"200": booking, **_errors("404", "429")},
                },
                "delete": {
                    "summary": "Cancel a booking; the first on the waiting list moves up",
                    "operationId": "cancelBooking",
                    "responses": {"200": booking, **_errors("404", "409", "429")},
                },
            },
            "/bookings/{ticket}/check-in": {
                "parameters": [TICKET],
                "post": {
                    "summary": "Mark a booking attended",
                    "operationId": "checkIn",
                    "security": BEARER,
                    "responses": {"200": booking, **_errors("401", "403", "404", "409")},
                },
            },
        },
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {
                name: _json(_ref("Error"), description)
                for name, description in (
                    ("Invalid", "Malformed body or invalid field"),
                    ("Unauthorized", "No or bad token"),
                    ("Forbidden", "Another organisation's room or session"),
                    ("NotFound", "Unknown id or ticket"),
                    ("Conflict", "Room taken, session full or closed, seats already taken"),
                    ("TooMany", "Too many requests from this address"),
                )
            },
        },
    }
