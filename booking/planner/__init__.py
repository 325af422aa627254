"""The coordinator's planner: demand, absences, planning runs with live
progress, review, and publishing a plan."""
from flask import Blueprint

bp = Blueprint("planner", __name__)

from booking.planner import views  # noqa: E402,F401  (routes register on bp)
