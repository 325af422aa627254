"""The public site for phones: sessions by location, theme and language;
book with a first name; "my booking" by ticket."""
from flask import Blueprint

bp = Blueprint("site", __name__)

from booking.site import present, views  # noqa: E402,F401  (routes and template helpers)
