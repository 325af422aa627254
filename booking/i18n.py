"""Languages of the interface. Translations live as .po files in git and
are compiled here at start-up when the .mo is missing or older, so a
running site never silently falls back to the source language."""
import os
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, g, has_request_context, request, session
from flask_babel import gettext

TRANSLATIONS = Path(__file__).parent / "translations"


def compile_translations() -> list[str]:
    compiled = []
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        tmp_path = mo_path.with_suffix(f".mo.{os.getpid()}")
        with tmp_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        os.replace(tmp_path, mo_path)  # atomic: workers starting together never read half a file
        compiled.append(str(mo_path))
    return compiled


def select_locale() -> str:
    """The page's language: an explicit choice (?lang=, or one stored for this
    browser) wins over the browser's preference; Dutch is the default."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # a command or the worker: no reader to ask
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    for candidate in (g.get("lang"), request.args.get("lang"), session.get("lang")):
        if candidate in languages:
            return candidate
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]


def page_language() -> dict:
    """Template globals for <html lang dir> and the language switcher."""
    from flask_babel import get_locale

    code = str(get_locale())
    languages = current_app.config["LANGUAGES"]
    name, direction = languages.get(code, ("Nederlands", "ltr"))
    return {"lang": code, "dir": direction, "languages": languages}


class Phrase(str):
    """English text that a service builds without knowing who will read it
    (a report's titles, labels and notes): it equals its English text, so
    data, tests and the API read it as before, and it keeps its msgid and
    parameters so a page or a CSV file can tell it in the reader's language
    with `translated`."""

    msgid: str
    params: dict

    def __new__(cls, msgid: str, **params):
        text = super().__new__(cls, msgid % params if params else msgid)
        text.msgid = msgid
        text.params = params
        return text

    def __reduce__(self):
        return (_phrase, (self.msgid, self.params))


def _phrase(msgid, params):
    return Phrase(msgid, **params)


def N_(msgid: str, **params) -> Phrase:
    """Mark a text for translation where it is shown, not where it is made
    (Babel extracts N_ by default)."""
    return Phrase(msgid, **params)


def translated(value):
    """A Phrase in the page's language (its Phrase parameters too); any other
    value (a theme title, a place's name, a number) as it is."""
    if not isinstance(value, Phrase):
        return value
    if not value.params:
        return gettext(value.msgid)
    return gettext(value.msgid, **{k: translated(v) for k, v in value.params.items()})
