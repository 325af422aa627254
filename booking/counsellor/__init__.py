"""Referrals at /counsellor: counsellors refer clients and read the
feedback; trainers and stewards see their sessions and give feedback."""
from flask import Blueprint

bp = Blueprint("counsellor", __name__)

from booking.counsellor import views  # noqa: E402,F401  (routes register on bp)
