"""Every text a participant sees (kiosk, public site, base page) is
translated in every language, with the same placeholders; adding a language
is adding a .po file and a LANGUAGES entry."""
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from booking import LANGUAGES, create_app

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "booking" / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
PARTICIPANT_SOURCES = [
    ("booking/kiosk", "python"), ("booking/site", "python"),
    ("templates/kiosk", "jinja2"), ("templates/site", "jinja2"),
]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def participant_texts() -> set[str]:
    texts = set()
    for folder, method in PARTICIPANT_SOURCES:
        mapping = [("**.py", "python")] if method == "python" else [("**.html", "jinja2")]
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, mapping, keywords=KEYWORDS
        ):
            texts.add(message[0] if isinstance(message, tuple) else message)
    texts.add("Skip to content")  # templates/base.html
    return texts


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_every_participant_text_is_translated(code):
    path = TRANSLATIONS / code / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po_file:
        catalog = read_po(po_file, locale=code)
    wanted = participant_texts()
    assert len(wanted) > 100
    present = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog if m.id}
    assert sorted(wanted - present) == []
    problems = []
    for message in catalog:
        if not message.id or (message.id[0] if isinstance(message.id, tuple) else message.id) not in wanted:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(("untranslated", ids[0]))
            continue
        names = set(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            used = set(PLACEHOLDER.findall(text))
            # Plural forms may leave the number out ("one person"), never add a name.
            if not used <= names or (names - {"num"}) - used:
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
