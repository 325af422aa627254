"""The partner portal at /partner: locations and rooms, sessions, staff,
attendance, posters, referrals, API tokens and (for admins) the outbox and
the users. One module per area, as Indico splits its management controllers."""
from flask import Blueprint

bp = Blueprint("partner", __name__)

# The routes register on bp as each area's module is imported.
from booking.partner import (  # noqa: E402,F401
    attendance,
    common,
    locations,
    outbox,
    poster_pages,
    referrals,
    sessions,
    staff,
    tokens,
    users,
)
