"""Calendar feeds: GET /calendar/... .ics (docs/api.md)."""
from flask import Blueprint

bp = Blueprint("calendar", __name__)

from booking.feeds import views  # noqa: E402,F401  (routes register on bp)
