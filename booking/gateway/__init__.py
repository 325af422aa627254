"""Where the SMS gateway (Kannel) calls Instap: delivery reports of the SMS
Instap sent, and the SMS participants send back. Kannel is not a browser:
no session, no CSRF token; each call carries a secret instead."""
from flask import Blueprint

from booking.extensions import csrf

bp = Blueprint("gateway", __name__)
csrf.exempt(bp)

from booking.gateway import views  # noqa: E402,F401  (routes)
