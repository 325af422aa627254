"""The production shape (issue 12), through Debian's nginx with the sample
configuration in deploy/ and gunicorn with deploy/gunicorn.conf.py: HTTPS,
PROXY_HOPS=1, PUBLIC_URL, trusted hosts, secure cookies, the real client
address for rate limits, body limits, and slow clients that hold no worker."""
import json
import os
import time
import urllib.error
import urllib.request
import uuid

import pytest

from tests.hardening.live_stack import SERVER_NAME, ProductionStack

pytestmark = pytest.mark.slow


@pytest.fixture
def stack(app, tmp_path):
    # As in production, the workers share their counts through Redis; with
    # none (the SQLite pass), a worker counts alone, so there is one worker.
    redis = os.environ.get("INSTAP_TEST_REDIS_URL")
    counts = {"RATELIMIT_STORAGE_URI": redis} if redis else {"WORKERS": "1"}
    running = ProductionStack(tmp_path, app.config["SQLALCHEMY_DATABASE_URI"],
                              RATELIMIT_ENABLED="true", RATELIMIT_LOOKUP="3 per minute",
                              RATELIMIT_KEY_PREFIX=uuid.uuid4().hex, **counts)
    yield running
    running.stop()


def call(stack, path, *, method="GET", body=None, headers=None, timeout=10):
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    request = urllib.request.Request(stack.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with stack.opener().open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


def test_the_production_shape_https_public_url_hosts_and_cookies(stack, make):
    status, headers, body = call(stack, "/health")
    assert status == 200 and json.loads(body)["status"] == "ok"
    status, headers, _ = call(stack, "/login")
    assert status == 200
    cookie = headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert headers["Strict-Transport-Security"].startswith("max-age=")  # the app knows it is HTTPS
    assert headers["Cache-Control"] == "no-store"

    # Another Host is refused; QR codes and feeds carry PUBLIC_URL whatever Host says.
    assert call(stack, "/", headers={"Host": "evil.example"})[0] == 400
    location = make.location()
    session = make.session(room=make.room(location=location))
    status, _, feed = call(stack, f"/calendar/locations/{location.id}.ics",
                           headers={"Host": f"{SERVER_NAME}:{stack.port}"})
    assert status == 200
    assert f"https://{SERVER_NAME}/sessions/{session.id}" in feed.decode().replace("\r\n ", "")

    # Bodies over MAX_CONTENT_LENGTH: 413, JSON on the API; far larger ones
    # are stopped by nginx before gunicorn sees them.
    url = f"/api/v1/sessions/{session.id}/bookings"
    big = b'{"kind": "walk_in", "name": "' + b"a" * 1_200_000 + b'"}'
    status, headers, body = call(stack, url, method="POST", body=big)
    assert status == 413 and json.loads(body)["error"]["code"] == "too_large"
    assert call(stack, url, method="POST", body=b"a" * 5_000_000)[0] == 413
    assert call(stack, url, method="POST", body={"kind": "pre_registered"})[0] == 201


def test_abuse_forged_addresses_and_slow_clients(stack):
    # nginx replaces X-Forwarded-For: a forged one buys no fresh budget.
    statuses = [call(stack, "/api/v1/bookings/ABCDEFGH",
                     headers={"X-Forwarded-For": f"198.51.100.{n}"})[0] for n in range(5)]
    assert statuses == [404, 404, 404, 429, 429]

    # Far more half-sent requests than gunicorn has workers and threads:
    # nginx holds them, the next client is answered at once.
    idle = [stack.connect() for _ in range(30)]
    for connection in idle:
        connection.sendall(b"POST /api/v1/sessions/1/bookings HTTP/1.1\r\nHost: instap.example\r\n")
    try:
        started = time.monotonic()
        status, _, _ = call(stack, "/health", timeout=5)
        assert status == 200 and time.monotonic() - started < 2
    finally:
        for connection in idle:
            connection.close()
