"""Headers every answer carries, clean answers when the database is away,
and the deployment's edges: the proxy in front, the hosts we answer for,
cookies, and request input that must never reach a view as a 500.

The kiosk stands in a public place and the data is about vulnerable
people: no inline script or style runs (CSP), no page can be framed, no
ticket in a URL leaks to another site through the Referer, and no page is
kept in a shared browser's or proxy's cache."""
import json
from urllib.parse import urlsplit

from flask import Request, jsonify, make_response as app_response, render_template, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import lazy_gettext as _l
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.datastructures import ImmutableMultiDict
from wtforms import DateField
from wtforms.validators import StopValidation
from werkzeug.exceptions import BadRequest, NotFound
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from booking.extensions import db
from booking.models.base import LARGEST_ID
from booking.services.errors import Busy
from booking.times import MAX_YEAR, MIN_YEAR

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

# Deeper JSON than this is no request of ours; Python's parser would
# otherwise hit its recursion limit (a 500) on a few kilobytes of "[[[[".
MAX_JSON_DEPTH = 32


class DatabaseInteger(IntegerConverter):
    """`<int:...>` in every route: digits that fit a row id, else 404."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)


def database_int(value: str) -> int:
    """For `request.args.get(name, type=int)`: a number a row id can hold."""
    number = int(value)
    if not 0 <= number <= LARGEST_ID:
        raise ValueError("out of range")
    return number


class BoundedArgs(ImmutableMultiDict):
    """Query and form values: `type=int` means an integer a database column
    holds, so `?location=99999999999999999999` is "not a location" (the
    value is ignored like any other non-number) instead of an overflow."""

    def get(self, key, default=None, type=None):  # noqa: A002  (werkzeug's name)
        return super().get(key, default, database_int if type is int else type)


class BoundedRequest(Request):
    parameter_storage_class = BoundedArgs


class _CheckedJSONProvider(DefaultJSONProvider):
    """Parses request JSON, refusing what no view could store: nesting
    deeper than MAX_JSON_DEPTH and text with NUL or lone surrogates
    (PostgreSQL refuses both). A refusal is a ValueError, which Flask turns
    into 400 (or None with silent=True), never a 500."""

    def loads(self, s, **kwargs):
        try:
            value = json.loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None
        _check_json(value, 0)
        return value


def _check_json(value, depth):
    if depth > MAX_JSON_DEPTH:
        raise ValueError("JSON nested too deeply")
    if isinstance(value, str):
        if not clean_text(value):
            raise ValueError("text with a NUL or a lone surrogate")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_json(key, depth + 1)
            _check_json(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check_json(item, depth + 1)


def clean_text(value: str) -> bool:
    """False for text a database cannot store: NUL, or half a surrogate pair."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def safe_next(target: str | None) -> str | None:
    """A local path to go on to after a form, or None. Browsers drop tabs and
    line breaks from addresses and read a backslash as a slash, so
    "/\t/evil.com" would become "//evil.com", another site; and a CR/LF
    can never go into a Location header."""
    if not target or any(ord(c) < 0x20 or c in "\\\x7f" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def init_app(app):
    app.request_class = BoundedRequest
    app.url_map.converters["int"] = DatabaseInteger
    app.json_provider_class = _CheckedJSONProvider
    app.json = _CheckedJSONProvider(app)
    _configure_deployment(app)
    app.before_request(_refuse_unstorable_input)
    app.after_request(_security_headers)
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(Busy, _database_unavailable)
    app.add_url_rule("/health", "health", health)


def _configure_deployment(app):
    config = app.config
    hops = int(config.get("PROXY_HOPS") or 0)
    if hops > 0:
        # Only then do X-Forwarded-For/-Proto say who the client is and
        # whether it came over HTTPS; without a proxy anyone could send them.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    public = urlsplit((config.get("PUBLIC_URL") or "").strip())
    if config.get("TRUSTED_HOSTS") is None and public.hostname:
        # Behind a proxy with PUBLIC_URL, a request naming another Host is
        # not for us (400), so no page is ever built on a forged host.
        config["TRUSTED_HOSTS"] = [public.hostname, "localhost", "127.0.0.1"]
    if config.get("SESSION_COOKIE_SECURE") is None:
        config["SESSION_COOKIE_SECURE"] = public.scheme == "https"
    if config.get("REMEMBER_COOKIE_SECURE") is None:
        config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]


def _refuse_unstorable_input():
    """NUL and lone surrogates in a path, query or form never reach a view:
    PostgreSQL refuses them and the view would answer 500. In a path they
    name nothing (404); in a query or form they are bad input (400)."""
    if not all(clean_text(v) for v in (request.view_args or {}).values() if isinstance(v, str)):
        raise NotFound()
    values = [*request.args.keys(), *request.args.values()]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        values += [*request.form.keys(), *request.form.values()]
    if not all(clean_text(v) for v in values):
        raise BadRequest("The request holds characters that are not text.")


_EVERY_ANSWER = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(self), microphone=(), geolocation=()"),
)
# Pages and API answers name people (bookings, attendance, referrals,
# exports): no browser or proxy cache keeps them. Static files alone may be
# cached.
_NOT_STATIC = (("Cache-Control", "no-store"),)
_OVER_HTTPS = (("Strict-Transport-Security", "max-age=31536000"),)


def _security_headers(response):
    """Each header unless the view set its own (one pass over the headers:
    a setdefault each was a fiftieth of a booking's time)."""
    wanted = _EVERY_ANSWER
    if request.endpoint != "static":
        wanted += _NOT_STATIC
    if request.is_secure:
        wanted += _OVER_HTTPS
    headers = response.headers
    present = {name.lower() for name in headers.keys()}
    headers.extend([(name, value) for name, value in wanted if name.lower() not in present])
    return response


def health():
    """For the load balancer: 200 when the database answers, else 503; the
    body says "degraded" while Redis (shared rate limits) is away and the
    site runs on per-worker limits."""
    try:
        db.session.execute(text("SELECT 1"))
    except DBAPIError:
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    from booking.ratelimits import redis_state

    redis = redis_state()
    status = "degraded" if redis == "unreachable" else "ok"
    return jsonify(status=status, database="ok", redis=redis)


def _database_unavailable(error):
    """The database went away (restart, failover) or is locked: say so with a
    503, keep nothing half-done, and let the pool reconnect next time."""
    db.session.rollback()
    if request.path.startswith("/api/"):
        response = jsonify(error={"code": "unavailable", "fields": {},
                                  "message": "The service is briefly unavailable; try again."})
    else:
        response = app_response(render_template("unavailable.html"))
    response.status_code = 503
    response.headers["Retry-After"] = "5"
    return response


# Dates a person of ours can mean (booking/times.py's range). Year 1 or
# 9999 is a typo or a probe, and arithmetic on it (the Monday of that week,
# a week later, a time zone) overflows Python's date range.
FIRST_YEAR, LAST_YEAR = MIN_YEAR + 1, MAX_YEAR - 1


def plausible_date(day) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


class PlausibleDateField(DateField):
    """A DateField that refuses dates outside FIRST_YEAR..LAST_YEAR with a
    field error, where they are parsed, so no view computes with them."""

    def pre_validate(self, form):
        super().pre_validate(form)
        if self.data is not None and not plausible_date(self.data):
            self.data = None
            raise StopValidation(_l("Choose a date between %(first)d and %(last)d.",
                                    first=FIRST_YEAR, last=LAST_YEAR))
