"""The partner portal at /partner: locations and rooms, sessions, staff,
attendance, posters and API tokens of the user's own organisation."""
from flask import Blueprint

bp = Blueprint("partner", __name__)

from booking.partner import views  # noqa: E402,F401  (routes register on bp)
