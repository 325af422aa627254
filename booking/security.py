"""Headers every answer carries, and clean answers when the database is away.

The kiosk stands in a public place and the data is about vulnerable
people: no inline script or style runs (CSP), no page can be framed, no
ticket in a URL leaks to another site through the Referer."""
from flask import jsonify, make_response as app_response, render_template, request
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from booking.extensions import db
from booking.services.errors import Busy

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


def init_app(app):
    app.after_request(_security_headers)
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(Busy, _database_unavailable)
    app.add_url_rule("/health", "health", health)


def _security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def health():
    """For the load balancer: 200 when the database answers, else 503."""
    try:
        db.session.execute(text("SELECT 1"))
    except DBAPIError:
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


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
