from datetime import timedelta

import pytest

from tests.kiosk.conftest import add_help_hour

LANGUAGES = ["nl", "fr", "en", "ar", "tr"]


@pytest.fixture
def place(make, clock):
    """A location with a session in an hour, its title in every language, and
    a help hour running (the clock stands on Tuesday 9 March 2027, 09:00)."""
    location = make.location(name="Bibliotheek Ledeberg")
    room = make.room(location=location, name="Computerhoek", capacity=8)
    theme = make.theme(pictogram="cv", titles={
        "nl": "Maak je cv", "fr": "Faites votre CV", "en": "Make your CV",
        "ar": "اكتب سيرتك الذاتية", "tr": "Özgeçmişini hazırla"})
    session = make.session(room=room, theme=theme, starts_at=clock.now + timedelta(hours=1),
                           capacity=3, walk_in_seats=2, languages=["nl", "ar"])
    help_hour = add_help_hour(make, location, "2027-03-09 08:30")
    return {"location": location, "room": room, "session": session, "theme": theme,
            "help_hour": help_hour}
