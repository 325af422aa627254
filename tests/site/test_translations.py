"""Every interface text is translated in every language, with the same
placeholders; adding a language is adding a .po file and a LANGUAGES entry."""
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from booking import LANGUAGES, create_app

TRANSLATIONS = Path(__file__).resolve().parents[2] / "booking" / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_every_language_has_a_complete_catalog(code):
    path = TRANSLATIONS / code / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po_file:
        catalog = read_po(po_file, locale=code)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(("untranslated", ids[0]))
            continue
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            used = set(PLACEHOLDER.findall(text))
            # Plural forms may leave the number out ("one person"), never add a name.
            if not used <= wanted or (wanted - {"num"}) - used:
                problems.append(("placeholders", ids[0], text))
    assert problems == []


def test_a_new_language_is_a_po_file_and_a_languages_entry(database_uri_for, tmp_path):
    languages = dict(LANGUAGES) | {"de": ("Deutsch", "ltr")}
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "LANGUAGES": languages,
                      "SQLALCHEMY_DATABASE_URI": database_uri_for("new-language")})
    from booking.extensions import db
    from booking.models import Location, Organisation

    with app.app_context():
        db.create_all()
        organisation = Organisation(slug="o", name="O")
        db.session.add(Location(organisation=organisation, name="Place"))
        db.session.commit()
        client = app.test_client()
        start = client.get("/kiosk/1").get_data(as_text=True)
        assert 'lang="de"' in start and "Deutsch" in start
        page = client.get("/kiosk/1/de").get_data(as_text=True)
        assert '<html lang="de" dir="ltr">' in page
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
