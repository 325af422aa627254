from datetime import UTC, datetime, timedelta

import pytest

LANGUAGES = ["nl", "fr", "en", "ar", "tr"]


@pytest.fixture
def place(make):
    """A location with a session in an hour, its title in every language."""
    location = make.location(name="Bibliotheek Ledeberg")
    room = make.room(location=location, name="Computerhoek", capacity=8)
    starts = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(hours=1)
    theme = make.theme(pictogram="cv", titles={
        "nl": "Maak je cv", "fr": "Faites votre CV", "en": "Make your CV",
        "ar": "اكتب سيرتك الذاتية", "tr": "Özgeçmişini hazırla"})
    session = make.session(room=room, theme=theme, starts_at=starts, capacity=3,
                           walk_in_seats=2, languages=["nl", "ar"])
    return {"location": location, "room": room, "session": session, "theme": theme}
