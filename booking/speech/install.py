"""`flask --app booking make-speech`: every kiosk text made into audio at
install, so the first visitor does not wait for espeak-ng.

The texts are exactly what the screens read aloud: the command opens every
kiosk screen of every location in every language (the sessions list and
each session's page too) through the application itself, which registers
each speaker button's text; then it makes every registered text that has
no audio yet, the display's numbers and its chime."""
from flask import current_app, url_for
from sqlalchemy import select

from booking.extensions import db
from booking.models import Location
from booking.services import agenda, speech

KIOSK_SCREENS = ("kiosk.home", "kiosk.sessions", "kiosk.check_in", "kiosk.help_desk",
                 "kiosk.feedback_sessions")


def kiosk_addresses() -> list[str]:
    app = current_app._get_current_object()
    addresses = []
    with app.test_request_context():
        for location in db.session.scalars(select(Location).order_by(Location.id)):
            addresses.append(url_for("kiosk.start", location_id=location.id))
            sessions = agenda.kiosk_sessions(location.id)
            for lang in app.config["LANGUAGES"]:
                addresses += [url_for(endpoint, location_id=location.id, lang=lang)
                              for endpoint in KIOSK_SCREENS]
                addresses += [url_for("kiosk.join", location_id=location.id, lang=lang,
                                      session_id=session.id) for session in sessions]
    return addresses


def make_all(numbers: int = 99):
    """Yields a line of progress per step (for the command's output)."""
    client = current_app.test_client()
    addresses = kiosk_addresses()
    for address in addresses:
        response = client.get(address)
        if response.status_code >= 400:
            raise RuntimeError(f"{address} answered {response.status_code}")
    yield f"Read the speaker buttons of {len(addresses)} kiosk screens."
    for lang in current_app.config["LANGUAGES"]:
        for number in range(1, numbers + 1):
            speech.register(lang, speech.number_text(lang, number))
    speech.chime()
    made = known = 0
    for lang in current_app.config["LANGUAGES"]:
        for text_file in sorted((speech.folder() / lang).glob("*.txt")):
            if text_file.with_suffix(".mp3").exists():
                known += 1
                continue
            speech.audio_for(lang, text_file.stem)
            made += 1
    yield f"Made {made} audio files ({known} were made before) in {speech.folder()}."
