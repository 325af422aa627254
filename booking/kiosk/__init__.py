"""The touch kiosk at a location: /kiosk/<location id>.

The language is part of every kiosk URL after the first screen, and nothing
about a visitor is kept in the browser, so going back to the first screen
(by hand or after inactivity) leaves nothing of the previous person."""
from flask import Blueprint

bp = Blueprint("kiosk", __name__)

from booking.kiosk import views  # noqa: E402,F401  (routes register on bp)
