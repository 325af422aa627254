"""Bookings per second through the JSON API, beside the bare
lock-check-insert transaction on the same database (the limit).

    python benchmarks/booking_throughput.py [--bookings 2000] [--threads 4]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test]

Each database gets a fresh schema; rate limits are off, as for a trusted
kiosk network. The ratio says how much of the database's own speed the
whole request path (routing, JSON, validation, service, serialisation) keeps."""
import argparse
import secrets
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from booking import create_app  # noqa: E402
from booking.extensions import db  # noqa: E402
from booking.models import Location, Organisation, Room, Session, Theme  # noqa: E402
from booking.services.booking import TICKET_ALPHABET  # noqa: E402

SESSIONS = 20


def prepare(uri):
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "RATELIMIT_ENABLED": False,
                      "TESTING": False, "SECRET_KEY": "bench"})
    with app.app_context():
        db.create_all()
        organisation = Organisation(slug="bench", name="Bench")
        room = Room(location=Location(organisation=organisation, name="L"), name="R", capacity=10_000)
        theme = Theme(id="bench", titles={"nl": "Bench"})
        start = datetime.now(UTC) + timedelta(days=1)
        sessions = [Session(theme=theme, room=room, starts_at=start + timedelta(hours=3 * i),
                            ends_at=start + timedelta(hours=3 * i + 2), capacity=10_000,
                            walk_in_seats=0) for i in range(SESSIONS)]
        db.session.add_all(sessions)
        db.session.commit()
        ids = [s.id for s in sessions]
    return app, ids


def run_threads(count, threads, work):
    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(work, range(count)))
    return results, time.perf_counter() - started


def api_rate(app, ids, count, threads):
    def book(i):
        with app.test_client() as client:
            response = client.post(f"/api/v1/sessions/{ids[i % len(ids)]}/bookings",
                                   json={"kind": "pre_registered", "name": "Bench"})
            return response.status_code

    codes, seconds = run_threads(count, threads, book)
    assert set(codes) == {201}, set(codes)
    return count / seconds


def bare_rate(uri, ids, count, threads):
    """The least a correct booking costs: lock, count the seats, insert, commit."""
    engine = create_engine(uri, pool_size=threads, connect_args={"timeout": 30} if uri.startswith("sqlite") else {})
    postgres = engine.dialect.name == "postgresql"

    def book(i):
        session_id = ids[i % len(ids)]
        ticket = "".join(secrets.choice(TICKET_ALPHABET) for _ in range(8))
        with engine.connect() as connection:
            if postgres:
                transaction = connection.begin()
                connection.execute(text("SELECT id FROM session WHERE id = :id FOR UPDATE"), {"id": session_id})
            else:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            taken = connection.execute(text(
                "SELECT count(*) FROM booking WHERE session_id = :id AND status IN ('confirmed','attended','no_show')"
            ), {"id": session_id}).scalar()
            connection.execute(text(
                "INSERT INTO booking (session_id, ticket, kind, status, created_at, updated_at) "
                "VALUES (:id, :ticket, 'pre_registered', :status, :now, :now)"
            ), {"id": session_id, "ticket": ticket, "status": "confirmed" if taken < 10_000 else "waitlisted",
                "now": datetime.now(UTC) if postgres else datetime.now(UTC).replace(tzinfo=None)})
            if postgres:
                transaction.commit()
            else:
                connection.exec_driver_sql("COMMIT")

    if not postgres:
        engine.pool._creator_arg = None  # noqa: SLF001 (no-op; pysqlite legacy mode handles our BEGIN)
    _, seconds = run_threads(count, threads, book)
    engine.dispose()
    return count / seconds


def measure(label, uri, count, threads):
    app, ids = prepare(uri)
    api = api_rate(app, ids, count, threads)
    bare = bare_rate(uri, ids, count, threads)
    print(f"{label:<11} {api:>12.0f} {bare:>12.0f} {api / bare:>8.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test",
                        help="server URL; a fresh database is created there and dropped after")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    print(f"{args.bookings} bookings over {SESSIONS} sessions, {args.threads} threads")
    print(f"{'database':<11} {'API book/s':>12} {'bare txn/s':>12} {'ratio':>8}")
    with tempfile.TemporaryDirectory() as folder:
        measure("SQLite", f"sqlite:///{folder}/bench.sqlite", args.bookings, args.threads)
    if not args.no_postgres:
        server = make_url(args.postgres)
        name = f"instap_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            measure("PostgreSQL", server.set(database=name).render_as_string(hide_password=False),
                    args.bookings, args.threads)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
