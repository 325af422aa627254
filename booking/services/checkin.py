"""Check-in at a kiosk: a typed code or a scanned QR code, at one location."""
from datetime import datetime
from urllib.parse import urlsplit

from booking.models import Booking
from booking.services import booking as bookings
from booking.services.errors import Conflict


class WrongPlace(Conflict):
    """The ticket is for a session at another location."""

    def __init__(self, place: str):
        super().__init__("This ticket is for another place.", {"place": place})
        self.place = place


def ticket_from_scan(text: str) -> str:
    """A code typed on the keypad, or what a QR scanner types: the URL of the
    booking page, whose last path segment is the ticket."""
    text = (text or "").strip()
    if "/" in text:
        text = urlsplit(text).path.rstrip("/").rsplit("/", 1)[-1]
    return text


def check_in_at(location_id: int, code: str, *, now: datetime | None = None) -> Booking:
    """Mark attended; raises NotFound, WrongPlace or the engine's Conflict."""
    ticket = ticket_from_scan(code)
    booking = bookings.find_booking(ticket)
    if booking.session.location.id != location_id:
        raise WrongPlace(booking.session.location.name)
    return bookings.check_in(ticket, now=now)
