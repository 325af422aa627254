"""Audio of what the kiosk and the site read aloud: /speech/...

Kiosks open their screens in Chromium started with
`--autoplay-policy=no-user-gesture-required`, so the display screen's
chime and the inactivity warning play without a touch first; a speaker
button works in any browser, since touching it is the gesture."""
from flask import Blueprint

bp = Blueprint("speech", __name__)

from booking.speech import views  # noqa: E402,F401  (routes and template helpers)
