"""Evaluation reports at /reports for the coordinator (and admin): the
report page with charts, CSV export of every table and a printable report
for the policy group."""
from flask import Blueprint

bp = Blueprint("reports", __name__)

from booking.reports import views  # noqa: E402,F401  (routes register on bp)
