from datetime import timedelta

import pytest

from tests.conftest import brussels


@pytest.fixture
def place(make, clock):
    """A location with a room and a session starting in an hour (the clock
    stands on Tuesday 9 March 2027, 09:00 in Brussels)."""
    location = make.location(name="Bibliotheek Ledeberg", area="Ledeberg",
                             address="Hundelgemsesteenweg 1")
    room = make.room(location=location, name="Computerhoek", capacity=8)
    starts = clock.now + timedelta(hours=1)
    theme = make.theme(pictogram="cv", titles={"nl": "Maak je cv", "en": "Make your CV",
                                               "ar": "اكتب سيرتك الذاتية", "tr": "Özgeçmişini hazırla"})
    session = make.session(room=room, theme=theme, starts_at=starts, capacity=3,
                           walk_in_seats=2, languages=["nl", "ar"])
    return {"location": location, "room": room, "session": session, "theme": theme}


def add_help_hour(make, location, starts: str, hours: float = 2):
    """A help hour (a drop-in session) at the location, from a local time."""
    theme = make.theme(kind="drop_in", pictogram="help", titles={
        "nl": "Digitaal hulpuur", "en": "Digital help hour", "ar": "ساعة المساعدة الرقمية"})
    starts_at = brussels(starts)
    return make.session(room=make.room(location=location, name=f"Balie {starts}"), theme=theme,
                        starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours),
                        kind="drop_in", capacity=0, walk_in_seats=0, languages=["nl", "ar"])


@pytest.fixture
def help_hour(make, place):
    """A help hour running at the place from 08:30 to 10:30."""
    return add_help_hour(make, place["location"], "2027-03-09 08:30")


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
        client.post("/logout")
        response = client.post("/login", data={"email": email, "password": STAFF_PASSWORD})
        assert response.status_code == 302
        return client

    return log_in
