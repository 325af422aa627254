"""Pooled PostgreSQL connections: each waits at most LOCK_TIMEOUT_SECONDS for
a lock (set once, when it connects), and one that sat idle is checked before
use, so a database restarted while the site was quiet costs no one an error."""
import os

import pytest
from sqlalchemy import create_engine, text

from booking import extensions
from booking.extensions import db

POSTGRES = os.environ.get("INSTAP_TEST_POSTGRES_URI")
pytestmark = pytest.mark.skipif(not POSTGRES, reason="runs in the PostgreSQL pass of the suite")


def _backend_pid() -> int:
    pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
    db.session.commit()
    return pid


def _connection_dies_in_the_pool() -> int:
    """The app's pooled connection is ended by the server (as by a restart)."""
    pid = _backend_pid()
    db.session.remove()  # back into the pool
    engine = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    engine.dispose()
    return pid


def test_every_connection_waits_at_most_the_lock_timeout(app):
    assert db.session.execute(text("SHOW lock_timeout")).scalar() == "5s"
    db.session.rollback()  # a rollback does not undo it: it was committed on connect
    assert db.session.execute(text("SHOW lock_timeout")).scalar() == "5s"


def test_a_connection_that_died_while_idle_is_replaced_before_use(app, client, monkeypatch):
    monkeypatch.setattr(extensions, "PING_AFTER_IDLE_SECONDS", 0.0)
    dead = _connection_dies_in_the_pool()
    assert client.get("/api/v1/sessions").status_code == 200
    assert _backend_pid() != dead


def test_a_busy_connection_is_not_checked_and_a_dead_one_costs_one_503(app, client, monkeypatch):
    monkeypatch.setattr(extensions, "PING_AFTER_IDLE_SECONDS", 3600.0)
    _connection_dies_in_the_pool()
    first = client.get("/api/v1/sessions")
    assert first.status_code == 503 and first.headers["Retry-After"]
    assert first.get_json()["error"]["code"] == "unavailable"
    assert client.get("/api/v1/sessions").status_code == 200
