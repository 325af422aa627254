"""The one transaction-and-lock helper: fixed lock order, a lock timeout
that answers 503 instead of hanging, all-or-nothing composite rules, and
messages sent only for what was committed."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from booking.extensions import db
from booking.models import Booking, OutboxMessage, Person, Room, Session
from booking.services import booking as engine
from booking.services.errors import Busy
from booking.services.transaction import LockOrderError, write_transaction


def test_locks_are_taken_in_one_fixed_order(make):
    session, room = make.session(), make.room()
    with pytest.raises(LockOrderError):
        with write_transaction() as tx:
            tx.lock(Room, room.id)
            tx.lock(Session, session.id)  # sessions come before rooms
    with write_transaction() as tx:
        locked = tx.lock_all([(Room, room.id), (Session, session.id)])
    assert locked[(Session, session.id)].id == session.id


def test_a_lock_that_reads_values_keeps_the_order_and_the_orm_lock_still_loads(make):
    session, room = make.session(capacity=7), make.room()
    facts = engine._FACTS
    with write_transaction() as tx:
        row = tx.lock_values(Session, session.id, facts)
        assert (row.id, row.capacity) == (session.id, 7)
        assert tx.lock(Session, session.id).capacity == 7  # held: the object, with no deadlock
        assert tx.lock_values(Session, session.id + 1000, facts) is None
    with pytest.raises(LockOrderError):
        with write_transaction() as tx:
            tx.lock(Room, room.id)
            tx.lock_values(Session, session.id, facts)


def test_a_failing_step_undoes_the_whole_rule(make):
    session = make.session()
    with pytest.raises(RuntimeError):
        with write_transaction():
            engine.book(session.id, kind="pre_registered", name="Amina")
            raise RuntimeError("the second half failed")
    assert db.session.scalars(select(Booking)).all() == []


def test_messages_are_sent_only_after_the_commit(app, make):
    sent = []

    class Recorder:
        def send(self, message):
            sent.append(message.recipient)

    app.config["NOTIFY_SENDER"] = Recorder()
    session = make.session(capacity=1, walk_in_seats=0)
    first = engine.book(session.id, kind="pre_registered", phone="0470000001")
    engine.book(session.id, kind="pre_registered", phone="0470000002")
    with pytest.raises(RuntimeError):
        with write_transaction():
            engine.cancel(first.booking.ticket)  # promotes the second...
            raise RuntimeError("...but the cancel never happens")
    assert sent == [] and db.session.scalars(select(OutboxMessage)).all() == []
    engine.cancel(first.booking.ticket)
    assert sent == ["0470000002"]


def _hold_the_session_lock(app, session_id, held, release):
    """Another worker holds the session's lock until told to let go."""
    with app.app_context():
        with write_transaction() as tx:
            tx.lock(Session, session_id)
            held.set()
            release.wait(timeout=30)


def test_a_lock_held_too_long_answers_503_with_retry_after(app, client, make, clock):
    app.config["LOCK_TIMEOUT_SECONDS"] = 0.3
    session = make.session(starts_at=clock.now + timedelta(hours=1))
    held, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_the_session_lock,
                              args=(app, session.id, held, release))
    holder.start()
    try:
        assert held.wait(timeout=10)
        with pytest.raises(Busy):
            engine.book(session.id, kind="walk_in")
        response = client.post(f"/api/v1/sessions/{session.id}/bookings",
                               json={"kind": "walk_in"})
        assert response.status_code == 503
        assert response.get_json()["error"]["code"] == "busy"
        assert response.headers["Retry-After"]
    finally:
        release.set()
        holder.join(timeout=30)
    assert engine.book(session.id, kind="walk_in").booking.status == "confirmed"


def test_people_are_locked_after_sessions(make):
    person, session = make.person(), make.session()
    with write_transaction() as tx:
        tx.lock(Session, session.id)
        assert tx.lock(Person, person.id).id == person.id
