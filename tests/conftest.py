"""Fixtures shared by every test.

The database is SQLite in a temporary folder unless INSTAP_TEST_POSTGRES_URI
names a PostgreSQL server (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test);
then this test run creates a database of its own there and drops it at the end,
so parallel runs never meet."""
import os
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from booking import create_app
from booking.extensions import db
from booking.models.base import CLOCK
from booking.models import (
    ApiToken,
    Location,
    Organisation,
    Person,
    Room,
    Session,
    Theme,
    hash_token,
)

POSTGRES_SERVER = os.environ.get("INSTAP_TEST_POSTGRES_URI")


@pytest.fixture(scope="session")
def database_uri_for(tmp_path_factory):
    """A function giving each test a database URI of its own kind."""
    if not POSTGRES_SERVER:
        folder = tmp_path_factory.mktemp("db")
        yield lambda name: f"sqlite:///{folder / name}.sqlite"
        return
    server = make_url(POSTGRES_SERVER)
    name = f"instap_test_{uuid.uuid4().hex[:10]}"
    # No pool: a fault test restarts PostgreSQL, which would kill a pooled connection.
    admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield lambda _name: server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def second_database_uri(database_uri_for, tmp_path):
    """Another empty database of the same kind, for a restore or a move."""
    if not POSTGRES_SERVER:
        yield f"sqlite:///{tmp_path / 'second.sqlite'}"
        return
    server = make_url(POSTGRES_SERVER)
    name = f"instap_test_second_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def app(database_uri_for, request, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_uri_for(uuid.uuid4().hex[:12]),
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
            "SERVER_NAME": "instap.test",
            # Messages leave in the committing thread: tests assert right after.
            "NOTIFY_DELIVERY": "inline",
            "SPEECH_FOLDER": str(tmp_path / "speech"),
        }
    )
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        with db.engine.begin() as connection:  # left by tests that run migrations
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def in_days(days: float, hour: int = 10) -> datetime:
    """A whole hour `days` from now (the service's clock), in UTC."""
    base = CLOCK.now().replace(minute=0, second=0, microsecond=0, hour=hour)
    return base + timedelta(days=days)


BRUSSELS = ZoneInfo("Europe/Brussels")


def brussels(text: str) -> datetime:
    """A local wall-clock time in the city, e.g. brussels("2027-03-09 09:00")."""
    return datetime.fromisoformat(text).replace(tzinfo=BRUSSELS)


class TestClock:
    """The service's clock, frozen at a moment the test chooses and moved by it."""

    # An ordinary Tuesday morning in the city.
    START = "2027-03-09 09:00"

    def __init__(self):
        self.set(brussels(self.START))

    @property
    def now(self) -> datetime:
        return CLOCK.now()

    def set(self, moment: datetime | str) -> datetime:
        CLOCK.set(brussels(moment) if isinstance(moment, str) else moment)
        return self.now

    def advance(self, **delta) -> datetime:
        return self.set(self.now + timedelta(**delta))


@pytest.fixture
def clock():
    """Freeze the service's clock (Tuesday 9 March 2027, 09:00 in Brussels)."""
    frozen = TestClock()
    yield frozen
    CLOCK.set(None)


class Factory:
    """Builds consistent rows with sensible defaults; every argument can be overridden."""

    def __init__(self):
        self.count = 0

    def _next(self):
        self.count += 1
        return self.count

    def organisation(self, **fields):
        n = self._next()
        fields = {"slug": f"org-{n}", "name": f"Organisation {n}", "city": "Gent"} | fields
        return self._save(Organisation(**fields))

    def location(self, organisation=None, **fields):
        organisation = organisation or self.organisation()
        fields = {"name": f"Location {self._next()}", "area": "Centrum", "city": "Gent"} | fields
        return self._save(Location(organisation=organisation, **fields))

    def room(self, location=None, **fields):
        location = location or self.location()
        fields = {"name": f"Room {self._next()}", "capacity": 8, "features": ["pc_room"]} | fields
        return self._save(Room(location=location, **fields))

    def theme(self, **fields):
        n = self._next()
        fields = {
            "id": f"theme-{n}",
            "titles": {"nl": f"Thema {n}", "en": f"Theme {n}", "ar": f"موضوع {n}"},
            "duration_minutes": 120,
            "seats": 5,
            "staff": {"trainer": 1},
        } | fields
        return self._save(Theme(**fields))

    def session(self, room=None, theme=None, **fields):
        room = room or self.room()
        theme = theme or self.theme()
        starts_at = fields.pop("starts_at", in_days(2))
        fields = {
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(minutes=theme.duration_minutes),
            "capacity": 5,
            "walk_in_seats": 2,
            "languages": ["nl"],
            "status": "published",
        } | fields
        return self._save(Session(room=room, theme=theme, **fields))

    def person(self, **fields):
        fields = {"name": f"Person {self._next()}", "roles": ["trainer"], "languages": ["nl"]} | fields
        return self._save(Person(**fields))

    def api_token(self, organisation) -> str:
        token = secrets.token_urlsafe(32)
        self._save(ApiToken(organisation=organisation, token_hash=hash_token(token)))
        return token

    def _save(self, row):
        db.session.add(row)
        db.session.commit()
        return row


@pytest.fixture
def make(app):
    return Factory()
