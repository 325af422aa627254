"""Staff log-in: Flask-Login set-up, the log-in and log-out pages, and the
access checks every staff page uses."""
from flask import Blueprint

bp = Blueprint("auth", __name__)


def init_login(app):
    from booking.extensions import db, login_manager
    from booking.models import User

    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    if app.config.get("SESSION_COOKIE_SAMESITE") is None:
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"

    @login_manager.user_loader
    def load_user(user_id):
        if not (str(user_id).isascii() and str(user_id).isdigit()):
            return None
        user = db.session.get(User, int(user_id))
        return user if user is not None and user.active else None


from booking.auth import passwords, views  # noqa: E402,F401  (routes register on bp)
