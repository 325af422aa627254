"""Who may see what. Partner staff see their own organisation only; an
object of another organisation answers 404, exactly like one that does not
exist, so nothing about it leaks."""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

PORTAL_ROLES = ("partner_staff", "admin")


def role_required(*roles):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def organisation_scope():
    """The organisation id the current user is limited to, or None for an admin."""
    if current_user.role == "admin":
        return None
    if current_user.role == "partner_staff" and current_user.organisation_id:
        return current_user.organisation_id
    abort(403)


def owned(obj, organisation_id_of=lambda o: o.organisation_id):
    """The object when the current user may manage it, else 404."""
    if obj is None:
        abort(404)
    scope = organisation_scope()
    if scope is not None and organisation_id_of(obj) != scope:
        abort(404)
    return obj


def home_endpoint(user) -> str:
    return {
        "partner_staff": "partner.dashboard",
        "admin": "partner.dashboard",
        "counsellor": "counsellor.index",
        "trainer": "counsellor.my_sessions",
        "coordinator": "planner.index",
    }.get(user.role, "auth.account")
