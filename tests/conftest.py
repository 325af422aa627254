"""Fixtures shared by every test.

The database is SQLite in a temporary folder unless INSTAP_TEST_POSTGRES_URI
names a PostgreSQL server (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test);
then this test run creates a database of its own there and drops it at the end,
so parallel runs never meet."""
import os
import secrets
import time
import uuid
from datetime import date, datetime, timedelta
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
    AuditEntry,
    Booking,
    Demand,
    Feedback,
    Location,
    LocationClosure,
    Organisation,
    OutboxMessage,
    Person,
    PlanningRun,
    QueueTicket,
    Referral,
    Room,
    Session,
    StaffAssignment,
    StaffCall,
    Theme,
    hash_token,
)
from booking.services import accounts, areas
from booking.services.booking import TICKET_ALPHABET, TICKET_LENGTH

POSTGRES_SERVER = os.environ.get("INSTAP_TEST_POSTGRES_URI")
# The password of staff accounts made by `make.user()`; log in with `log_in()`.
STAFF_PASSWORD = "correct horse battery"
FAST_PASSWORD_HASH = "pbkdf2:sha256:1000"  # a cheap hash: tests only


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

    __test__ = False  # a helper, not a test class, wherever it is imported

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
        if isinstance(fields["area"], str):  # a name: the city's area of that name
            fields["area"] = areas.area_for(fields["city"], fields["area"])
        return self._save(Location(organisation=organisation, **fields))

    def area(self, city="Gent", name="Centrum"):
        area = areas.area_for(city, name)
        db.session.commit()
        return area

    def location_closure(self, location=None, **fields):
        location = location or self.location()
        fields = {"first_day": date(2027, 3, 1), "last_day": date(2027, 3, 1)} | fields
        return self._save(LocationClosure(location=location, **fields))

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

    def user(self, role="coordinator", *, password=STAFF_PASSWORD, **fields):
        """A staff account made as `flask create-user` makes it; log in with
        `log_in(client, user)`. Partner staff get an organisation, trainers a person."""
        from flask import current_app

        current_app.config["PASSWORD_HASH_METHOD"] = FAST_PASSWORD_HASH
        n = self._next()
        if role == "partner_staff" and fields.get("organisation") is None:
            fields["organisation"] = self.organisation()
        if role == "trainer" and fields.get("person") is None:
            fields["person"] = self.person()
        email = fields.pop("email", f"{role.replace('_', '-')}-{n}@staff.test")
        return accounts.create_user(email, role=role, password=password, **fields)

    def booking(self, session=None, **fields):
        """A booking row as the booking service leaves it (no seat counting:
        use services.booking.book() to test the rules themselves)."""
        session = session or self.session()
        ticket = "".join(secrets.choice(TICKET_ALPHABET) for _ in range(TICKET_LENGTH))
        fields = {"ticket": ticket, "kind": "pre_registered", "status": "confirmed",
                  "name": f"Participant {self._next()}", "language": "nl"} | fields
        return self._save(Booking(session=session, **fields))

    def staff_assignment(self, session=None, person=None, **fields):
        session = session or self.session()
        person = person or self.person()
        fields = {"role": person.roles[0] if person.roles else "trainer"} | fields
        return self._save(StaffAssignment(session=session, person=person, **fields))

    def demand(self, theme=None, **fields):
        theme = theme or self.theme()
        fields = {"sessions": 1, "priority": 3} | fields
        return self._save(Demand(theme=theme, **fields))

    def referral(self, session=None, counsellor=None, **fields):
        """A referral with its booking, as a counsellor's form makes one."""
        session = session or self.session()
        counsellor = counsellor or self.user("counsellor")
        if "booking" not in fields:
            fields["booking"] = self.booking(session, name=fields.get("client_name", "Client"))
        fields = {"client_name": "Client", "need": "Wants to apply online", "language": "nl",
                  "consent_recorded_at": CLOCK.now()} | fields
        return self._save(Referral(session=session, counsellor=counsellor, **fields))

    def feedback(self, session=None, **fields):
        session = session or self.session()
        fields = {"score": 3, "language": "nl"} | fields
        return self._save(Feedback(session=session, **fields))

    def outbox_message(self, **fields):
        fields = {"event": "booked", "channel": "sms", "recipient": "+32470000000",
                  "body": "See you soon"} | fields
        return self._save(OutboxMessage(**fields))

    def queue_ticket(self, location=None, **fields):
        location = location or self.location()
        fields = {"day": CLOCK.now().date(), "number": self._next(), "topic": "other"} | fields
        return self._save(QueueTicket(location_id=location.id, **fields))

    def staff_call(self, location=None, **fields):
        location = location or self.location()
        return self._save(StaffCall(location_id=location.id, **fields))

    def planning_run(self, start: date | None = None, end: date | None = None, **fields):
        start = start or CLOCK.now().date()
        fields = {"horizon_start": start, "horizon_end": end or start + timedelta(days=6)} | fields
        return self._save(PlanningRun(**fields))

    def audit_entry(self, **fields):
        fields = {"actor": "test", "action": "update", "object_type": "session"} | fields
        return self._save(AuditEntry(**fields))

    def _save(self, row):
        db.session.add(row)
        db.session.commit()
        return row


@pytest.fixture
def make(app):
    return Factory()


def wait_until(condition, seconds: float, what: str, every: float = 0.1):
    """Poll `condition` until it returns something true and return that; fail
    the test with `what` after `seconds`. For waiting on another process or
    thread: never a fixed sleep that is too short on a busy machine and too
    long on an idle one."""
    deadline = time.monotonic() + seconds
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"after {seconds} s still waiting for {what}")
        time.sleep(every)


# Staff log-in: the one helper every test uses. -----------------------------
def post_login(client, user_or_email, password=STAFF_PASSWORD):
    """POST the log-in form and return the response (for tests of log-in itself)."""
    email = getattr(user_or_email, "email", user_or_email)
    return client.post("/login", data={"email": email, "password": password})


def log_in(client, user_or_email, password=STAFF_PASSWORD):
    """Log the test client in as this staff account, after logging out whoever
    was; fails the test when the account is not let in."""
    client.post("/logout")
    response = post_login(client, user_or_email, password)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client
