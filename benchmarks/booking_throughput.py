"""Bookings per second and latency through the production shape (nginx with
TLS in front of gunicorn, deploy/), on PostgreSQL, beside the bare
lock-check-insert transaction on the same database (the limit).

    .venv/bin/python benchmarks/booking_throughput.py [--clients 50] [--seconds 20]
        [--target 0.3] [--rate 200 ...] [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test]

Each client is a kiosk with a keep-alive HTTPS connection of its own that
books, waits for the answer and books again (closed loop: the most the
server can do). Then the same clients book at a steady rate of --target
(0.3) x the bare transaction's limit, and at each --rate, with latency as
a kiosk feels it: the goal is a p99 under 100 ms there. The load
generator runs on the same machine. A fresh database is created and dropped
after; rate limits are off, as for a trusted kiosk network. Prints
bookings/s, p50/p95/p99 latency, the ratio to the bare transaction, and
the machine's load average (it is shared)."""
import argparse
import http.client
import json
import os
import runpy
import secrets
import socket
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from booking import create_app  # noqa: E402
from booking.extensions import db  # noqa: E402
from booking.models import Booking, Location, Organisation, Room, Session, Theme  # noqa: E402
from booking.services.booking import TICKET_ALPHABET  # noqa: E402
from tests.hardening.live_stack import SERVER_NAME, ProductionStack  # noqa: E402

SESSIONS = 200  # many sessions: kiosks mostly lock different rows
SEATS = 100_000


def prepare(uri):
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "bench", "TESTING": False})
    with app.app_context():
        db.create_all()
        organisation = Organisation(slug="bench", name="Bench")
        room = Room(location=Location(organisation=organisation, name="L"), name="R",
                    capacity=SEATS)
        theme = Theme(id="bench", titles={"nl": "Bench"})
        start = datetime.now(UTC) + timedelta(days=1)
        sessions = [Session(theme=theme, room=room, starts_at=start + timedelta(hours=3 * i),
                            ends_at=start + timedelta(hours=3 * i + 2), capacity=SEATS,
                            walk_in_seats=0) for i in range(SESSIONS)]
        db.session.add_all(sessions)
        db.session.commit()
        return app, [s.id for s in sessions]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def closed_loop(clients, seconds, one_request, rate=None):
    """`clients` threads calling one_request(client, n) until `seconds` pass;
    returns (latencies, failures, elapsed). Without `rate` each client books
    again as soon as it has its answer (the most the server can do). With
    `rate` (bookings/s for all clients together) each client keeps to a
    timetable, and a latency counts from the booking's planned moment, so a
    late answer also delays what the client had planned next (no
    coordinated omission)."""
    latencies, failures = [], []
    stop_at = time.monotonic() + seconds
    lock = threading.Lock()

    def client(number):
        state = {}
        n = 0
        interval = clients / rate if rate else 0.0
        planned = time.perf_counter() + interval * number / clients  # spread the starts
        while time.monotonic() < stop_at:
            if rate:
                time.sleep(max(0.0, planned - time.perf_counter()))
            started = planned if rate else time.perf_counter()
            ok = one_request(state, number * 1_000_000 + n)
            took = time.perf_counter() - started
            n += 1
            planned += interval
            with lock:
                (latencies if ok else failures).append(took)
        state.get("close", lambda: None)()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failures, time.perf_counter() - started


def api_run(stack, ids, clients, seconds, rate=None):
    run = uuid.uuid4().hex[:8]  # every booking of every run is a new one

    def one(state, n):
        connection = state.get("connection")
        if connection is None:
            connection = http.client.HTTPSConnection(SERVER_NAME, stack.port, timeout=30,
                                                     context=stack.context)
            raw = stack.connect()
            # As a browser does: http.client writes a request's headers and body
            # separately, and Nagle's algorithm would hold the body until the
            # server's delayed ACK (40 ms on every booking, none of it the server's).
            raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            connection.sock = stack.context.wrap_socket(raw, server_hostname=SERVER_NAME)
            state["connection"], state["close"] = connection, connection.close
        body = json.dumps({"kind": "pre_registered", "name": "Bench",
                           "idempotency_key": f"bench-{run}-{n}"})
        try:
            connection.request("POST", f"/api/v1/sessions/{ids[n % len(ids)]}/bookings", body=body,
                               headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            return response.status == 201
        except (http.client.HTTPException, OSError):
            connection.close()
            state.pop("connection")
            return False

    return closed_loop(clients, seconds, one, rate)


def bare_run(uri, ids, clients, seconds):
    """The least a correct booking costs: lock, count the seats, insert, commit."""
    engine = create_engine(uri, pool_size=clients, max_overflow=0)

    def one(state, n):
        session_id = ids[n % len(ids)]
        ticket = "".join(secrets.choice(TICKET_ALPHABET) for _ in range(8))
        with engine.begin() as connection:
            connection.execute(text("SELECT id FROM session WHERE id = :id FOR UPDATE"),
                               {"id": session_id})
            taken = connection.execute(text(
                "SELECT count(*) FROM booking WHERE session_id = :id "
                "AND status IN ('confirmed', 'attended')"), {"id": session_id}).scalar()
            connection.execute(text(
                "INSERT INTO booking (session_id, ticket, kind, status, created_at, updated_at) "
                "VALUES (:id, :ticket, 'pre_registered', :status, now(), now())"),
                {"id": session_id, "ticket": ticket,
                 "status": "confirmed" if taken < SEATS else "waitlisted"})
        return True

    try:
        return closed_loop(clients, seconds, one)
    finally:
        engine.dispose()


def merged(parts):
    """(latencies, failures, elapsed) of several runs as one."""
    return ([value for part in parts for value in part[0]],
            [value for part in parts for value in part[1]], sum(part[2] for part in parts))


def line(label, latencies, failures, elapsed):
    rate = len(latencies) / elapsed
    ms = [value * 1000 for value in latencies] or [0]
    print(f"{label:<26} {rate:>8.0f}/s  p50 {percentile(ms, 50):6.1f} ms  "
          f"p95 {percentile(ms, 95):6.1f} ms  p99 {percentile(ms, 99):6.1f} ms  "
          f"failed {len(failures)}")
    return rate


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", help="gunicorn workers (default: deploy/gunicorn.conf.py's)")
    parser.add_argument("--threads", help="threads per gunicorn worker (default: the same)")
    parser.add_argument("--rounds", type=int, default=4,
                        help="turns the bare transaction and the API take, --seconds in all each")
    parser.add_argument("--target", type=float, default=0.3,
                        help="the API also books at this share of the bare limit, where "
                             "its p99 should stay under 100 ms")
    parser.add_argument("--rate", type=float, action="append", default=[],
                        help="also measure latency at this steady rate (bookings/s, all "
                             "clients together); may be given more than once")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    server = make_url(args.postgres)
    name = f"instap_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    uri = server.set(database=name).render_as_string(hide_password=False)
    try:
        app, ids = prepare(uri)
        for variable, value in (("INSTAP_WORKERS", args.workers), ("INSTAP_THREADS", args.threads)):
            if value:
                os.environ[variable] = value
        gunicorn = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
        print(f"{args.clients} clients, {args.seconds:.0f} s each in {args.rounds} turns, "
              f"{SESSIONS} sessions, "
              f"gunicorn {gunicorn['workers']} {gunicorn['worker_class']} workers x "
              f"{gunicorn['threads']} threads, "
              f"load average before {os.getloadavg()[0]:.1f}")
        with tempfile.TemporaryDirectory() as folder:
            stack = ProductionStack(Path(folder), uri, RATELIMIT_ENABLED="false")
            try:
                # The machine is shared and its speed drifts from minute to
                # minute: the bare transaction and the API take turns, so both
                # are measured on the same machine.
                bare_parts, api_parts = [], []
                for _ in range(args.rounds):
                    bare_parts.append(bare_run(uri, ids, args.clients, args.seconds / args.rounds))
                    api_parts.append(api_run(stack, ids, args.clients, args.seconds / args.rounds))
                bare = line("bare transaction", *merged(bare_parts))
                api = line("API through nginx + TLS", *merged(api_parts))
                # The goal: the API serves the load of `--target` x the bare
                # limit from the same clients with a p99 under 100 ms.
                target_rate = args.target * bare
                latencies, failures, elapsed = api_run(stack, ids, args.clients, args.seconds,
                                                       target_rate)
                served = line(f"  at {args.target:g} x bare = {target_rate:.0f}/s", latencies,
                              failures, elapsed)
                met = (served > 0.95 * target_rate and not failures
                       and percentile(latencies, 99) < 0.100)
                print(f"  goal (p99 < 100 ms at {args.target:g} x bare, {args.clients} clients): "
                      f"{'met' if met else 'NOT met'}")
                for rate in args.rate:
                    line(f"  at a steady {rate:.0f}/s", *api_run(stack, ids, args.clients,
                                                                  args.seconds, rate))
            finally:
                stack.stop()
        print(f"ratio API / bare: {api / bare:.2f} (goal >= {args.target:g}: "
              f"{'met' if api / bare >= args.target else 'NOT met'}); "
              f"load average after {os.getloadavg()[0]:.1f}")
        # Little's law: with every client waiting for its answer, the mean latency
        # is clients / throughput, whatever the server does per request.
        print(f"at saturation the mean latency is {args.clients} clients / {api:.0f} per s = "
              f"{1000 * args.clients / api:.0f} ms (Little's law)")
        with app.app_context():
            over = db.session.scalar(select(func.count()).select_from(Booking))
            print(f"{over} bookings written")
            db.engine.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
