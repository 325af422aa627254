"""Faults under load, on gunicorn and PostgreSQL: a worker is killed and
PostgreSQL restarts while kiosks keep booking. Every booking a kiosk was
promised exists exactly once, no session is overbooked, the app answers
clean 503s while the database is away and recovers without a restart.

Kiosks retry a failed or unanswered request with the same idempotency key,
as the contract's idempotency rule lets them."""
import http.client
import json
import os
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from booking.extensions import db
from booking.models import Booking
from tests.hardening.live_gunicorn import Gunicorn
from tests.conftest import wait_until

POSTGRES = os.environ.get("INSTAP_TEST_POSTGRES_URI")
CLUSTER = next(iter(sorted(os.listdir("/etc/postgresql"))), None) if Path("/etc/postgresql").is_dir() else None
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not POSTGRES, reason="runs in the PostgreSQL pass of the suite"),
    pytest.mark.skipif(not (shutil.which("pg_ctlcluster") and CLUSTER and os.geteuid() == 0),
                       reason="needs to stop and start the local PostgreSQL cluster"),
]


def postgres(action: str):
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", CLUSTER, "main", action,
                    *(["-m", "fast"] if action == "stop" else [])], check=True, timeout=60)


def post_json(url, body, timeout=10):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        payload = error.read()
        return error.code, json.loads(payload) if payload.startswith(b"{") else payload.decode()


class Kiosk(threading.Thread):
    """Books one seat after another, each with its own idempotency key,
    retrying each until it gets an answer. What a real kiosk could not make
    sense of is kept in `unexpected`, for the test to show."""

    def __init__(self, server, session_ids, stop, statuses):
        super().__init__(daemon=True)
        self.server, self.session_ids, self.stop, self.statuses = server, session_ids, stop, statuses
        self.promised = []  # (session id, key, ticket)
        self.unexpected = []

    def run(self):
        try:
            self.book_until_stopped()
        except Exception as error:  # noqa: BLE001 - a thread's exception would only be a warning
            self.unexpected.append(repr(error))

    def book_until_stopped(self):
        attempt = 0
        while not self.stop.is_set():
            session_id = self.session_ids[attempt % len(self.session_ids)]
            key = uuid.uuid4().hex
            attempt += 1
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    status, body = post_json(
                        f"{self.server.url}/api/v1/sessions/{session_id}/bookings",
                        {"kind": "pre_registered", "idempotency_key": key})
                except (OSError, http.client.HTTPException, ValueError):
                    # Refused, reset, or cut off in the middle of the answer
                    # (a worker killed between sending the headers and the
                    # body, after the booking committed): ask again.
                    self.statuses.append("no answer")
                    time.sleep(0.1)
                    continue
                self.statuses.append(status)
                if status in (200, 201):
                    self.promised.append((session_id, key, body["ticket"]))
                    break
                assert status == 503 and body["error"]["code"] == "unavailable", (status, body)
                time.sleep(0.2)


def test_no_booking_lost_or_doubled_when_a_worker_dies_and_postgres_restarts(app, make):
    sessions = [make.session(capacity=5, walk_in_seats=0) for _ in range(4)]
    session_ids = [s.id for s in sessions]
    db.session.remove()
    server = Gunicorn(app.config["SQLALCHEMY_DATABASE_URI"], workers=2)
    stop, statuses = threading.Event(), []
    kiosks = [Kiosk(server, session_ids, stop, statuses) for _ in range(6)]
    try:
        def booked():
            return sum(len(kiosk.promised) for kiosk in kiosks)

        def more_booked(than):
            return lambda: booked() >= than + 5

        for kiosk in kiosks:
            kiosk.start()
        wait_until(more_booked(0), 60, "the kiosks' first bookings")
        os.kill(server.worker_pids()[0], 9)
        wait_until(more_booked(booked()), 60, "bookings after a worker died")
        seen = len(statuses)
        postgres("stop")
        # Kiosks meet a database that is away ...
        wait_until(lambda: 503 in statuses[seen:], 60, "a 503 from the stopped database")
        postgres("start")
        # ... and recover without restarting the app.
        wait_until(more_booked(booked()), 90, "bookings after PostgreSQL came back")
        stop.set()
        for kiosk in kiosks:
            kiosk.join(timeout=90)
        recovered = post_json(f"{server.url}/api/v1/sessions/{session_ids[0]}/bookings",
                              {"kind": "pre_registered"})
    finally:
        stop.set()
        server.stop()
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", CLUSTER, "main", "start"],
                       check=False, capture_output=True)

    assert [error for kiosk in kiosks for error in kiosk.unexpected] == []
    assert recovered[0] == 201
    assert 503 in statuses, "no request met the stopped database"
    assert 500 not in statuses
    promised = [p for kiosk in kiosks for p in kiosk.promised]
    assert len(promised) > 20
    stored = db.session.execute(select(Booking.session_id, Booking.idempotency_key, Booking.ticket)
                                .where(Booking.idempotency_key.is_not(None))).all()
    # No booking lost: every promised ticket is stored, under its key.
    assert sorted(promised) == sorted(tuple(row) for row in stored)
    # None doubled: one booking per key.
    assert len({key for _, key, _ in stored}) == len(stored)
    for session_id in session_ids:
        confirmed = db.session.scalar(select(func.count()).where(
            Booking.session_id == session_id, Booking.status == "confirmed"))
        assert confirmed == 5
