"""Headers, health, and clean answers while the database is away."""
from booking import create_app


def test_every_answer_carries_the_security_headers(client, make):
    for url in ("/", "/api/v1/sessions", "/login"):
        headers = client.get(url).headers
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
        assert "frame-ancestors 'none'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"


def test_health_says_ok_when_the_database_answers(client):
    response = client.get("/health")
    assert response.status_code == 200 and response.get_json() == {"status": "ok", "database": "ok", "redis": "not used"}


def test_without_a_database_every_page_is_a_clean_503(tmp_path):
    # Nothing listens on port 9: the connection is refused, as during a restart.
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "RATELIMIT_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1:9/none",
                      "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 2}}})
    client = app.test_client()
    health = client.get("/health")
    assert health.status_code == 503 and health.get_json()["status"] == "unavailable"
    api = client.post("/api/v1/sessions/1/bookings", json={"kind": "walk_in"})
    assert api.status_code == 503 and api.get_json()["error"]["code"] == "unavailable"
    assert api.headers["Retry-After"] == "5"
    page = client.get("/api/v1/sessions")
    assert page.status_code == 503
    site = client.get("/", headers={"Accept-Language": "en"})
    assert site.status_code == 503 and "try again" in site.get_data(as_text=True).lower()
