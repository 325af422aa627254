"""Load test: kiosk pages and bookings against gunicorn on PostgreSQL, on
loopback only, bounded in count and time.

    python benchmarks/load_test.py [--attempts 10000] [--clients 32] [--workers 4]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test]

Prints bookings per second, p50/p95/p99 latencies of bookings and of kiosk
pages, and checks that no session has more confirmed bookings than seats."""
import argparse
import http.client
import json
import random
import statistics
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from booking import create_app  # noqa: E402
from booking.extensions import db  # noqa: E402
from booking.models import Booking, Location, Organisation, Room, Session, Theme  # noqa: E402
from tests.hardening.live_gunicorn import Gunicorn  # noqa: E402

SESSIONS = 200
LOCATIONS = 20
SEATS = 5
TIME_BUDGET_SECONDS = 600


def prepare(uri):
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "load", "TESTING": False})
    with app.app_context():
        db.create_all()
        # A city as the kiosks see it: 20 locations with a room each and ten
        # sessions over the next days, so a kiosk page lists a real day's worth.
        organisation = Organisation(slug="load", name="Load")
        locations = [Location(organisation=organisation, name=f"Library {i}", city="Gent")
                     for i in range(LOCATIONS)]
        rooms = [Room(location=location, name="PC room", capacity=SEATS) for location in locations]
        theme = Theme(id="load", titles={"nl": "Belasting"}, seats=SEATS)
        start = datetime.now(UTC) + timedelta(hours=2)
        per_room = SESSIONS // LOCATIONS
        sessions = [Session(theme=theme, room=rooms[i // per_room], capacity=SEATS, walk_in_seats=2,
                            starts_at=start + timedelta(hours=6 * (i % per_room)),
                            ends_at=start + timedelta(hours=6 * (i % per_room) + 2))
                    for i in range(SESSIONS)]
        db.session.add_all(sessions)
        db.session.commit()
        return app, [loc.id for loc in locations], [s.id for s in sessions]


class Client:
    """One kiosk: a keep-alive HTTP connection of its own."""

    def __init__(self, port):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method, path, body=None):
        for _ in range(2):
            try:
                self.connection.request(method, path, body=json.dumps(body) if body else None,
                                        headers={"Content-Type": "application/json"})
                response = self.connection.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        raise RuntimeError(f"{method} {path} failed twice")


def run(args):
    server_url = make_url(args.postgres)
    name = f"instap_load_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    uri = server_url.set(database=name).render_as_string(hide_password=False)
    try:
        app, location_ids, session_ids = prepare(uri)
        server = Gunicorn(uri, workers=args.workers)
        try:
            report(app, server, location_ids, session_ids, args)
        finally:
            server.stop()
            with app.app_context():
                db.engine.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def report(app, server, location_ids, session_ids, args):
    local = threading.local()
    booking_times, page_times, outcomes = [], [], []
    deadline = time.monotonic() + TIME_BUDGET_SECONDS
    rng = random.Random(7)
    plan = [("book", rng.choice(session_ids), rng.choice(["walk_in", "pre_registered"]))
            if i % 5 else ("page", rng.choice(location_ids), None)
            for i in range(args.attempts * 5 // 4)]

    def one(step):
        if time.monotonic() > deadline:
            return
        if not hasattr(local, "client"):
            local.client = Client(server.port)
        kind, target, booking_kind = step
        started = time.perf_counter()
        if kind == "page":
            status, _ = local.client.request("GET", f"/kiosk/{target}/nl/sessions")
            page_times.append(time.perf_counter() - started)
            outcomes.append(("page", status))
        else:
            status, body = local.client.request("POST", f"/api/v1/sessions/{target}/bookings",
                                                {"kind": booking_kind})
            booking_times.append(time.perf_counter() - started)
            outcomes.append((json.loads(body).get("status", status) if status == 201 else status, status))

    started = time.perf_counter()
    with ThreadPoolExecutor(args.clients) as pool:
        list(pool.map(one, plan))
    elapsed = time.perf_counter() - started

    with app.app_context():
        over = db.session.execute(
            select(Booking.session_id, func.count()).where(Booking.status == "confirmed")
            .group_by(Booking.session_id).having(func.count() > SEATS)).all()
        stored = db.session.scalar(select(func.count()).select_from(Booking))
    attempts = len(booking_times)
    counted = {key: sum(1 for o in outcomes if o[0] == key) for key in ("confirmed", "waitlisted")}
    errors = sum(1 for o in outcomes if o[1] >= 500)

    def pct(values, p):
        return statistics.quantiles(values, n=100)[p - 1] * 1000 if len(values) > 1 else float("nan")

    print(f"gunicorn {args.workers} workers on PostgreSQL, {args.clients} concurrent clients, "
          f"{SESSIONS} sessions of {SEATS} seats at {LOCATIONS} locations")
    print(f"booking attempts   {attempts}  ({counted['confirmed']} confirmed, "
          f"{counted['waitlisted']} waitlisted, {errors} server errors)")
    print(f"bookings/s         {attempts / elapsed:.0f}   (plus {len(page_times)} kiosk pages, "
          f"{(attempts + len(page_times)) / elapsed:.0f} requests/s)")
    print(f"booking latency    p50 {pct(booking_times, 50):.1f} ms  p95 {pct(booking_times, 95):.1f} ms"
          f"  p99 {pct(booking_times, 99):.1f} ms")
    print(f"kiosk page latency p50 {pct(page_times, 50):.1f} ms  p95 {pct(page_times, 95):.1f} ms"
          f"  p99 {pct(page_times, 99):.1f} ms")
    print(f"stored bookings    {stored} (of {attempts} attempts)")
    print(f"overbooked sessions {len(over)}")
    if over or stored != attempts or errors:
        sys.exit("FAILED: overbooking, a lost booking or a server error")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
