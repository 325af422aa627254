"""The touch kiosk at a location: /kiosk/<location id>.

The language is part of every kiosk URL after the first screen, and nothing
about a visitor is kept in the browser, so going back to the first screen
(by hand or after inactivity) leaves nothing of the previous person.

Setting up a location:
- the touch screen opens /kiosk/<id> in the browser's kiosk mode (portrait,
  1080x1920 is the design size; it works down to 320 px wide);
- a USB or built-in QR scanner that types like a keyboard works on the
  check-in screen as it is (the QR holds the booking page's URL); where the
  browser has BarcodeDetector, the screen's camera can read the QR too;
- the ICT steward's screen is /kiosk/<id>/staff (log in as partner staff of
  the location's organisation, an admin or a trainer): call the next number,
  see who pressed "call a staff member";
- a screen in the waiting room shows /kiosk/<id>/display (numbers only, no
  log-in); it refreshes itself every few seconds.

A day at the kiosk follows the time rules (services/booking.py): a session
of a later day is booked ahead (a pre-registration, leaving the walk-in
seats for that day), a session of today as a walk-in, and someone who walks
in while check-in is open is checked in at once. Each session shows its
state (starts soon, started, ends at, over). Drop-in numbers are handed out
only while a help hour (a published drop_in session) runs at the location,
numbered per help hour, with an estimated wait of DROPIN_MINUTES_PER_PERSON
per person before you; otherwise the kiosk names the next help hour, here
first, else in the same area, else in the city.
Language for the staff and display screens: ?lang=ar etc., or the browser's."""
from flask import Blueprint

bp = Blueprint("kiosk", __name__)

from booking.kiosk import views  # noqa: E402,F401  (routes register on bp)
