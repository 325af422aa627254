"""A process that fires booking requests through its own copy of the app,
as a kiosk or a gunicorn worker would. Used by the concurrency tests with
the multiprocessing 'spawn' method, so it shares nothing with the parent."""
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime


def fire_bookings(database_uri, session_id, kinds, start_signal, now_iso=None):
    from booking import create_app
    from booking.models.base import CLOCK

    if now_iso:  # the parent's frozen clock, so the time rules see the same moment
        CLOCK.set(datetime.fromisoformat(now_iso))

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_uri, "RATELIMIT_ENABLED": False,
                      "TESTING": True, "SECRET_KEY": "test"})

    def one(kind):
        with app.test_client() as client:
            response = client.post(f"/api/v1/sessions/{session_id}/bookings", json={"kind": kind})
            body = response.get_json()
            return response.status_code, body.get("status"), body.get("waitlist_position"), body.get("ticket")

    start_signal.wait(timeout=60)
    with ThreadPoolExecutor(max_workers=len(kinds)) as pool:
        return list(pool.map(one, kinds))
