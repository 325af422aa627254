"""Fixtures for the staff side: two organisations with a room and a session
each, one account per role, and a log-in helper."""
from types import SimpleNamespace

import pytest

from booking.services import accounts
from tests.conftest import FAST_PASSWORD_HASH, STAFF_PASSWORD, in_days, log_in
from tests.conftest import post_login as login  # noqa: F401  (the auth tests' raw POST)

PASSWORD = STAFF_PASSWORD


@pytest.fixture
def world(app, make):
    app.config["PASSWORD_HASH_METHOD"] = FAST_PASSWORD_HASH
    own_org = make.organisation(slug="bib-gent", name="Bibliotheek Gent")
    other_org = make.organisation(slug="other-org", name="Other organisation")
    own_location = make.location(organisation=own_org, name="Own library",
                                 opening_hours=[{"weekdays": [1, 2, 3, 4, 5, 6, 7],
                                                 "start": "08:00", "end": "20:00"}])
    other_location = make.location(organisation=other_org, name="Secret centre")
    own_room = make.room(location=own_location, name="Own room", capacity=8)
    other_room = make.room(location=other_location, name="Secret room", capacity=8)
    theme = make.theme(id="cv")
    own_session = make.session(room=own_room, theme=theme, starts_at=in_days(3, 9))
    other_session = make.session(room=other_room, theme=theme, starts_at=in_days(3, 9))
    trainer_person = make.person(name="Tina Trainer", organisation_id=own_org.id)
    users = SimpleNamespace(
        partner=accounts.create_user("partner@own.test", role="partner_staff",
                                     password=PASSWORD, organisation=own_org),
        other_partner=accounts.create_user("partner@other.test", role="partner_staff",
                                           password=PASSWORD, organisation=other_org),
        counsellor=accounts.create_user("counsellor@test.test", role="counsellor",
                                        password=PASSWORD),
        other_counsellor=accounts.create_user("counsellor2@test.test", role="counsellor",
                                              password=PASSWORD),
        trainer=accounts.create_user("trainer@test.test", role="trainer", password=PASSWORD,
                                     person=trainer_person),
        coordinator=accounts.create_user("coordinator@test.test", role="coordinator",
                                         password=PASSWORD),
        admin=accounts.create_user("admin@test.test", role="admin", password=PASSWORD),
    )
    return SimpleNamespace(
        own_org=own_org, other_org=other_org, own_location=own_location,
        other_location=other_location, own_room=own_room, other_room=other_room, theme=theme,
        own_session=own_session, other_session=other_session, trainer_person=trainer_person,
        users=users,
    )


@pytest.fixture
def login_as(client):
    return lambda user: log_in(client, user)


@pytest.fixture
def client(app):
    """Staff pages are translated (Dutch is the default); these tests read
    the English source texts, so the browser asks for English."""
    test_client = app.test_client()
    test_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return test_client
