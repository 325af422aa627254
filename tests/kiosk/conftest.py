from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import log_in as log_in_client


@pytest.fixture
def place(make):
    """A location with a room and a session starting in an hour."""
    location = make.location(name="Bibliotheek Ledeberg")
    room = make.room(location=location, name="Computerhoek", capacity=8)
    starts = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(hours=1)
    theme = make.theme(pictogram="cv", titles={"nl": "Maak je cv", "en": "Make your CV",
                                               "ar": "اكتب سيرتك الذاتية", "tr": "Özgeçmişini hazırla"})
    session = make.session(room=room, theme=theme, starts_at=starts, capacity=3,
                           walk_in_seats=2, languages=["nl", "ar"])
    return {"location": location, "room": room, "session": session, "theme": theme}


STAFF_PASSWORD = "kiosk staff password"


@pytest.fixture
def staff_login(app, client):
    """Log the test client in as partner staff of the location's organisation."""
    from booking.services import accounts

    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"  # fast, for tests only
    made = []

    def log_in(location, role="partner_staff", organisation=None):
        from booking.extensions import db
        from booking.models import Person

        email = f"staff{len(made)}@kiosk.test"
        organisation = organisation or (location.organisation if role == "partner_staff" else None)
        person = None
        if role == "trainer":
            person = Person(name="Steward", roles=["steward"], languages=["nl"])
            db.session.add(person)
            db.session.commit()
        made.append(accounts.create_user(email, role=role, password=STAFF_PASSWORD,
                                         organisation=organisation, person=person))
        return log_in_client(client, email, STAFF_PASSWORD)

    return log_in
