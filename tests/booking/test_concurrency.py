"""Many kiosks at once: no session ever gets more confirmed bookings than
seats, whatever the number of processes and threads. Runs on SQLite and,
in the PostgreSQL pass of the suite, on PostgreSQL."""
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest

from booking.extensions import db
from booking.models import Session
from booking.models.base import utcnow
from tests.booking.concurrent_client import fire_bookings
from tests.conftest import in_days

PROCESSES = 5
PER_PROCESS = 10


def fire(app, session_id, kinds_per_process):
    context = multiprocessing.get_context("spawn")
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    db.session.remove()
    with context.Manager() as manager:
        start = manager.Event()
        with ProcessPoolExecutor(max_workers=len(kinds_per_process), mp_context=context) as pool:
            futures = [pool.submit(fire_bookings, uri, session_id, kinds, start,
                                   utcnow().isoformat())
                       for kinds in kinds_per_process]
            start.set()
            return [result for future in futures for result in future.result(timeout=120)]


@pytest.mark.slow
def test_fifty_simultaneous_walk_ins_get_exactly_five_seats(app, client, make, clock):
    session = make.session(capacity=5, walk_in_seats=5, starts_at=in_days(0, hour=9))
    results = fire(app, session.id, [["walk_in"] * PER_PROCESS] * PROCESSES)
    assert len(results) == PROCESSES * PER_PROCESS
    assert {code for code, *_ in results} == {201}
    confirmed = [r for r in results if r[1] == "confirmed"]
    waiting = sorted(r[2] for r in results if r[1] == "waitlisted")
    assert len(confirmed) == 5
    assert waiting == list(range(1, 46))  # distinct positions, none skipped

    first_waiting = next(r[3] for r in results if r[2] == 1)
    client.delete(f"/api/v1/bookings/{confirmed[0][3]}")
    assert client.get(f"/api/v1/bookings/{first_waiting}").get_json()["status"] == "confirmed"
    assert client.get(f"/api/v1/sessions/{session.id}").get_json()["seats_left"] == 0


@pytest.mark.slow
def test_simultaneous_pre_registrations_leave_the_walk_in_seats(app, client, make, clock):
    session_id = make.session(capacity=5, walk_in_seats=2, starts_at=in_days(0, hour=9)).id
    kinds = ["pre_registered", "walk_in"] * (PER_PROCESS // 2)
    results = fire(app, session_id, [kinds] * 4)
    confirmed = [r for r in results if r[1] == "confirmed"]
    bookings = db.session.get(Session, session_id).bookings
    held_by_pre = sum(b.kind == "pre_registered" and b.status == "confirmed" for b in bookings)
    assert len(confirmed) == 5 and held_by_pre <= 3
    assert len(bookings) == len(results) == 40
