"""The audio files behind every speaker button, and the helpers templates
use to point a button at them.

A button's address names a text the site composed and registered while
rendering the page (`speech_url`), a number the display calls, or a ticket
whose text is composed here from the booking: never a text from the URL."""
import tempfile
from pathlib import Path

from flask import abort, current_app, g, get_template_attribute, send_file, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from booking.extensions import limiter
from booking.services import booking as bookings
from booking.services import speech
from booking.services.errors import InvalidInput, NotFound
from booking.site.present import day_label, time_of, title_of
from booking.speech import bp

# A file's name is the hash of its text: it never changes, caches keep it.
FOREVER = 365 * 24 * 3600
# The address of a called number stays the same if its wording is changed.
A_DAY = 24 * 3600
# Numbers a help desk hands out in a day; with the rate limit, a stranger
# cannot keep espeak-ng busy making numbers nobody calls.
HIGHEST_NUMBER = 999


@bp.url_value_preprocessor
def _check_language(endpoint, values):
    if values and "lang" in values and values["lang"] not in current_app.config["LANGUAGES"]:
        abort(404)


@bp.errorhandler(speech.SpeechUnavailable)
def _unavailable(error):
    current_app.logger.error("speech: %s", error)
    return "Speech is not available on this server.", 503, {"Retry-After": "60"}


@bp.get("/<lang>/<key>.mp3")
def audio(lang, key):
    try:
        path = speech.audio_for(lang, key)
    except NotFound:
        abort(404)
    return _send(path, FOREVER)


def _lookup_limit():
    return current_app.config["RATELIMIT_LOOKUP"]


@bp.get("/<lang>/number/<int:number>.mp3")
@limiter.limit(_lookup_limit)
def number(lang, number):
    if not 0 < number <= HIGHEST_NUMBER:
        abort(404)
    return _send(speech.audio_of_text(lang, speech.number_text(lang, number)), A_DAY)


@bp.get("/<lang>/ticket/<ticket>.mp3")
@limiter.limit(_lookup_limit)
def ticket(lang, ticket):
    """A ticket's code is the key to its booking: its audio is made for the
    request and kept nowhere (not on disk, not in the browser's cache)."""
    try:
        booking = bookings.find_booking(ticket)
    except NotFound:
        abort(404)
    with force_locale(lang):
        text = ticket_speech_text(booking)
    with tempfile.TemporaryDirectory(dir=speech.folder()) as work:
        data = speech.synthesize(lang, text, Path(work)).read_bytes()
    response = current_app.response_class(data, mimetype="audio/mpeg")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/chime.mp3")
def chime():
    return _send(speech.chime(), A_DAY)


def _send(path, max_age):
    response = send_file(path, mimetype="audio/mpeg", max_age=max_age, conditional=True)
    if max_age == FOREVER:
        response.headers["Cache-Control"] = f"public, max-age={FOREVER}, immutable"
    return response


# Template helpers ------------------------------------------------------------

@bp.app_template_global()
def speech_url(text, lang=None):
    """The audio of `text` as the page's language speaks it, or None when
    there is nothing to say."""
    lang = lang or g.get("lang") or str(get_locale())
    try:
        key = speech.register(lang, _plain(text))
    except (InvalidInput, NotFound):
        return None
    return url_for("speech.audio", lang=lang, key=key)


@bp.app_template_global()
def number_text(lang, number) -> str:
    return speech.number_text(lang, number)


@bp.app_template_global()
def ticket_speech_text(booking) -> str:
    """The ticket read aloud: where the person stands (the sentence the
    screen shows), the session's title, day, time and place, and the code
    letter by letter."""
    session = booking.session
    ticket_status = get_template_attribute("site/_macros.html", "ticket_status")
    status = _plain(ticket_status(booking, bookings.waitlist_position(booking))).strip()
    place = ", ".join(part for part in (session.room.name, session.location.name) if part)
    return (f"{status} {title_of(session.theme)}. {day_label(session.starts_at)}, "
            f"{time_of(session.starts_at)}. {place}. {_('Your ticket code')}: "
            + ", ".join(booking.ticket) + ".")


def _plain(text) -> str:
    """The words, not HTML: a template joins texts as escaped markup
    ("l&#39;atelier"), and espeak-ng must hear "l'atelier"."""
    return text.unescape() if isinstance(text, Markup) else str(text)


@bp.app_template_global()
def ticket_speech_url(booking, lang=None):
    return url_for("speech.ticket", lang=lang or g.get("lang") or str(get_locale()),
                   ticket=booking.ticket)


@bp.app_template_global()
def announcement_urls(number) -> list[str]:
    """The chime, then the number in each of the kiosk's languages."""
    return [url_for("speech.chime")] + [
        url_for("speech.number", lang=lang, number=number) for lang in speech.display_languages()
    ]
