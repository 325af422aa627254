"""Staff log-in: Flask-Login set-up, the log-in and log-out pages, and the
access checks every staff page uses.

A session cookie is signed but kept by the browser, so a copy of it would
stay valid after log-out. Each request therefore checks, on the server, that
the cookie's session version is still the user's (log-out and a password
change raise it: booking/services/accounts.end_sessions) and that the
session was used within STAFF_IDLE_MINUTES."""
import time
from datetime import timedelta

from flask import Blueprint, current_app, g, session
from flask.sessions import SecureCookieSessionInterface

bp = Blueprint("auth", __name__)

SESSION_VERSION_KEY = "_user_version"
LAST_SEEN_KEY = "_seen_at"


def start_session(user) -> None:
    """After a successful log-in: bind the cookie to the user's current
    session version (call after flask_login.login_user)."""
    session[SESSION_VERSION_KEY] = user.session_version
    session[LAST_SEEN_KEY] = time.time()


def _session_is_current(user) -> bool:
    if session.get(SESSION_VERSION_KEY) != user.session_version:
        return False
    # Idleness is real time a browser lay unused, not the business clock
    # (which tests and demos move to another day).
    now = time.time()
    seen = session.get(LAST_SEEN_KEY)
    idle = timedelta(minutes=float(current_app.config["STAFF_IDLE_MINUTES"])).total_seconds()
    if not isinstance(seen, (int, float)) or now - seen > idle:
        return False
    if now - seen > 60:  # no new cookie on every request
        session[LAST_SEEN_KEY] = now
    return True


class CookieSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, whose signer is built only for a
    request that brings a cookie: kiosk and API requests bring none, and
    building it was a hundredth of a booking."""

    def open_session(self, app, request):
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


def init_login(app):
    app.session_interface = CookieSessionInterface()
    from booking.extensions import db, login_manager
    from booking.models import User

    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    if app.config.get("SESSION_COOKIE_SAMESITE") is None:
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"

    @app.before_request
    def _check_the_session_again():
        # Flask-Login keeps the user in `g`, which outlives a request when an
        # app context was pushed around it (tests, commands): every request
        # checks its own cookie.
        g.pop("_login_user", None)

    @login_manager.user_loader
    def load_user(user_id):
        if not (str(user_id).isascii() and str(user_id).isdigit()) or len(str(user_id)) > 18:
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.active or not _session_is_current(user):
            return None
        return user


from booking.auth import passwords, views  # noqa: E402,F401  (routes register on bp)
