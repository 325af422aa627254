"""The public calls of ../shared/api-contract.md, as a partner's system sees them."""
from datetime import datetime, timedelta

import pytest

from tests.conftest import in_days


def error_of(response):
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


@pytest.fixture(autouse=True)
def frozen(clock):
    """Tuesday 09:00 in Brussels; in_days(0, hour=9) is 10:00 that day."""
    return clock


def test_locations_list_their_rooms_and_organisation(client, make):
    organisation = make.organisation(slug="bib-gent")
    room = make.room(location=make.location(organisation=organisation, name="De Krook"))
    [location] = client.get("/api/v1/locations").get_json()
    assert location["organisation"] == "bib-gent" and location["name"] == "De Krook"
    assert location["rooms"] == [
        {"id": str(room.id), "name": room.name, "capacity": 8, "features": ["pc_room"]}
    ]


def test_sessions_are_listed_soonest_first_with_every_contract_field(client, make):
    later = make.session(starts_at=in_days(3))
    sooner = make.session(starts_at=in_days(1), languages=["nl", "ar"])
    make.session(status="draft")
    listed = client.get("/api/v1/sessions").get_json()
    assert [s["id"] for s in listed] == [str(sooner.id), str(later.id)]
    first = listed[0]
    for field in ("id", "theme", "location", "room", "starts_at", "ends_at", "capacity",
                  "walk_in_seats", "seats_left", "languages", "status"):
        assert field in first
    assert first["theme"] == {"id": sooner.theme.id, "title": sooner.theme.titles["nl"]}
    assert first["languages"] == ["nl", "ar"] and first["status"] == "published"
    starts = datetime.fromisoformat(first["starts_at"])
    assert starts.utcoffset() is not None and starts == sooner.starts_at


def test_session_filters(client, make):
    room = make.room()
    theme = make.theme(id="cv")
    wanted = make.session(room=room, theme=theme, languages=["ar"], starts_at=in_days(2))
    make.session(room=room, languages=["ar"], starts_at=in_days(4))
    make.session(theme=theme, languages=["ar"], starts_at=in_days(2, hour=14))
    make.session(room=room, theme=theme, languages=["tr"], starts_at=in_days(2, hour=14))
    make.session(room=room, theme=theme, languages=["ar"], starts_at=in_days(9))
    query = {
        "location": str(room.location.id), "theme": "cv", "language": "ar",
        "from": in_days(1).date().isoformat(), "to": in_days(3).date().isoformat(),
    }
    listed = client.get("/api/v1/sessions", query_string=query).get_json()
    assert [s["id"] for s in listed] == [str(wanted.id)]


def test_theme_titles_follow_the_asked_language(client, make):
    session = make.session()
    body = client.get(f"/api/v1/sessions/{session.id}?lang=ar").get_json()
    assert body["theme"]["title"] == session.theme.titles["ar"]
    body = client.get(f"/api/v1/sessions/{session.id}", headers={"Accept-Language": "en"}).get_json()
    assert body["theme"]["title"] == session.theme.titles["en"]


@pytest.mark.parametrize("query", [{"from": "yesterday"}, {"to": "2027-13-01"},
                                   {"location": "abc"}, {"from": "2027-01-01T10:00"}])
def test_bad_filters_are_400_with_the_field_named(client, query):
    response = client.get("/api/v1/sessions", query_string=query)
    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == set(query)


@pytest.mark.parametrize("session_id", ["999999", "abc", "0", "-1", "1e9", "９", "¹", "1 "])
def test_unknown_session_is_404(client, session_id):
    response = client.get(f"/api/v1/sessions/{session_id}")
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"


def test_drafts_are_not_public(client, make):
    draft = make.session(status="draft")
    assert client.get(f"/api/v1/sessions/{draft.id}").status_code == 404
    response = client.post(f"/api/v1/sessions/{draft.id}/bookings", json={"kind": "walk_in"})
    assert response.status_code == 404


def test_booking_answers_with_ticket_status_position_and_session(client, make):
    session = make.session(capacity=1, walk_in_seats=0)
    body = {"kind": "pre_registered", "name": "Fatima", "phone": "+32 470 12 34 56",
            "language": "ar", "age_group": "30-39"}
    first = client.post(f"/api/v1/sessions/{session.id}/bookings", json=body)
    assert first.status_code == 201
    answer = first.get_json()
    assert answer["status"] == "confirmed" and answer["waitlist_position"] is None
    assert answer["session"]["id"] == str(session.id) and answer["session"]["seats_left"] == 0
    second = client.post(f"/api/v1/sessions/{session.id}/bookings", json={"kind": "pre_registered"})
    assert second.status_code == 201
    assert (second.get_json()["status"], second.get_json()["waitlist_position"]) == ("waitlisted", 1)


def test_repeated_idempotency_key_gives_the_same_booking(client, make):
    session = make.session(capacity=5, starts_at=in_days(0, hour=9))
    body = {"kind": "walk_in", "idempotency_key": "tap-42"}
    first = client.post(f"/api/v1/sessions/{session.id}/bookings", json=body)
    again = client.post(f"/api/v1/sessions/{session.id}/bookings", json=body)
    assert first.status_code == 201 and again.status_code == 200
    assert again.get_json()["ticket"] == first.get_json()["ticket"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert client.get(f"/api/v1/sessions/{session.id}").get_json()["seats_left"] == 4
    other = client.post(f"/api/v1/sessions/{session.id}/bookings", json=body | {"name": "Bram"})
    assert other.status_code == 409 and error_of(other)["code"] == "idempotency_key_reused"


@pytest.mark.parametrize(
    ("raw", "content_type"),
    [("{not json", "application/json"), ("[1, 2]", "application/json"), ("", "application/json"),
     ("kind=walk_in", "application/x-www-form-urlencoded"), ("null", "application/json"),
     ('"walk_in"', "application/json")],
)
def test_malformed_bodies_are_400(client, make, raw, content_type):
    session = make.session()
    response = client.post(f"/api/v1/sessions/{session.id}/bookings", data=raw,
                           content_type=content_type)
    assert response.status_code == 400 and response.is_json
    assert error_of(response)["code"] == "invalid"


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "kind"), ({"kind": "referred"}, "kind"), ({"kind": 3}, "kind"),
     ({"kind": "walk_in", "name": 12}, "name"), ({"kind": "walk_in", "name": "x" * 81}, "name"),
     ({"kind": "walk_in", "phone": "call me"}, "phone"),
     ({"kind": "walk_in", "age_group": "31"}, "age_group"),
     ({"kind": "walk_in", "language": "Arabic!"}, "language"),
     ({"kind": "walk_in", "idempotency_key": ["a"]}, "idempotency_key")],
)
def test_invalid_booking_fields_are_named(client, make, body, field):
    session = make.session()
    response = client.post(f"/api/v1/sessions/{session.id}/bookings", json=body)
    assert response.status_code == 400
    assert field in error_of(response)["fields"]
    assert client.get(f"/api/v1/sessions/{session.id}").get_json()["seats_left"] == 5


def test_booking_a_cancelled_or_ended_session_is_a_conflict(client, make):
    cancelled = make.session(status="cancelled")
    response = client.post(f"/api/v1/sessions/{cancelled.id}/bookings", json={"kind": "walk_in"})
    assert response.status_code == 409 and error_of(response)["code"] == "conflict"
    ended = make.session(starts_at=in_days(-1))
    response = client.post(f"/api/v1/sessions/{ended.id}/bookings", json={"kind": "walk_in"})
    assert response.status_code == 409 and error_of(response)["code"] == "booking_closed"


def test_time_rules_answer_with_their_codes(client, make, clock):
    tomorrow = make.session(starts_at=in_days(1, hour=9))
    url = f"/api/v1/sessions/{tomorrow.id}/bookings"
    assert error_of(client.post(url, json={"kind": "walk_in"}))["code"] == "not_today"
    started = make.session(starts_at=clock.now - timedelta(minutes=5))
    url = f"/api/v1/sessions/{started.id}/bookings"
    assert error_of(client.post(url, json={"kind": "pre_registered"}))["code"] == "booking_closed"
    ticket = client.post(url, json={"kind": "walk_in"}).get_json()["ticket"]
    clock.advance(minutes=10)  # 15 minutes after the start
    assert error_of(client.post(url, json={"kind": "walk_in"}))["code"] == "booking_closed"
    assert client.get(f"/api/v1/bookings/{ticket}").get_json()["status"] == "no_show"


def test_booking_status_and_cancel_promote_the_waiting_list(client, make):
    session = make.session(capacity=1, walk_in_seats=0)
    url = f"/api/v1/sessions/{session.id}/bookings"
    seat = client.post(url, json={"kind": "pre_registered"}).get_json()["ticket"]
    waiting = client.post(url, json={"kind": "pre_registered"}).get_json()["ticket"]
    assert client.get(f"/api/v1/bookings/{waiting}").get_json()["waitlist_position"] == 1
    cancelled = client.delete(f"/api/v1/bookings/{seat}")
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    promoted = client.get(f"/api/v1/bookings/{waiting}").get_json()
    assert (promoted["status"], promoted["waitlist_position"]) == ("confirmed", None)
    assert client.delete(f"/api/v1/bookings/{seat}").get_json()["status"] == "cancelled"


@pytest.mark.parametrize("ticket", ["NOPE2345", "x", "ABCD-EFGH", "%00", "a" * 300])
def test_unknown_tickets_are_404(client, ticket):
    assert client.get(f"/api/v1/bookings/{ticket}").status_code == 404
    assert client.delete(f"/api/v1/bookings/{ticket}").status_code == 404


def test_unknown_paths_and_wrong_methods_answer_json(client):
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and error_of(missing)["code"] == "not_found"
    wrong = client.put("/api/v1/sessions")
    assert wrong.status_code == 405 and error_of(wrong)["code"] == "method_not_allowed"


def test_public_booking_is_rate_limited_per_address(app, make):
    app.config.update(RATELIMIT_ENABLED=True, RATELIMIT_BOOKING="3 per minute")
    from booking.extensions import limiter

    limiter.init_app(app)  # the limiter reads RATELIMIT_ENABLED when it starts
    client = app.test_client()
    session = make.session(capacity=10, walk_in_seats=10, starts_at=in_days(0, hour=9))
    url = f"/api/v1/sessions/{session.id}/bookings"
    statuses = [client.post(url, json={"kind": "walk_in"}).status_code for _ in range(4)]
    assert statuses == [201, 201, 201, 429]
    assert error_of(client.post(url, json={"kind": "walk_in"}))["code"] == "too_many_requests"
    other = client.post(url, json={"kind": "walk_in"}, environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert other.status_code == 201


def test_a_kiosks_own_address_is_allowed_more(app, make):
    app.config.update(RATELIMIT_ENABLED=True, RATELIMIT_BOOKING="2 per minute",
                      RATELIMIT_KIOSK_BOOKING="50 per minute",
                      RATELIMIT_KIOSK_ADDRESSES=["192.168.40.0/24", "not an address"])
    from booking.extensions import limiter

    limiter.init_app(app)
    client = app.test_client()
    session = make.session(capacity=10, walk_in_seats=10, starts_at=in_days(0, hour=9))
    url = f"/api/v1/sessions/{session.id}/bookings"
    kiosk = {"REMOTE_ADDR": "192.168.40.17"}
    assert [client.post(url, json={"kind": "walk_in"}, environ_base=kiosk).status_code
            for _ in range(5)] == [201] * 5
    phone = {"REMOTE_ADDR": "10.1.1.1"}
    assert [client.post(url, json={"kind": "walk_in"}, environ_base=phone).status_code
            for _ in range(3)] == [201, 201, 429]


def test_times_are_shown_in_local_time_across_daylight_saving(client, make):
    before = make.session(starts_at=datetime.fromisoformat("2027-10-30T08:00:00+00:00"))
    after = make.session(starts_at=datetime.fromisoformat("2027-11-01T09:00:00+00:00"))
    query = {"from": "2027-10-01"}
    listed = {s["id"]: s for s in client.get("/api/v1/sessions", query_string=query).get_json()}
    assert listed[str(before.id)]["starts_at"] == "2027-10-30T10:00:00+02:00"
    assert listed[str(after.id)]["starts_at"] == "2027-11-01T10:00:00+01:00"
    assert listed[str(after.id)]["ends_at"] == (
        (after.starts_at + timedelta(hours=2)).astimezone(
            datetime.fromisoformat("2027-11-01T10:00:00+01:00").tzinfo).isoformat())


REDIS_URL = __import__("os").environ.get("INSTAP_TEST_REDIS_URL")


@pytest.mark.skipif(not REDIS_URL, reason="runs in the PostgreSQL + Redis pass of the suite")
def test_rate_limit_counts_live_in_redis_where_every_worker_sees_them(app, make):
    import redis

    from booking.extensions import limiter

    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    app.config.update(RATELIMIT_ENABLED=True, RATELIMIT_BOOKING="2 per minute",
                      RATELIMIT_STORAGE_URI=REDIS_URL)
    limiter.init_app(app)
    session = make.session(capacity=10, walk_in_seats=10, starts_at=in_days(0, hour=9))
    url = f"/api/v1/sessions/{session.id}/bookings"
    codes = [app.test_client().post(url, json={"kind": "walk_in"}).status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    assert [key for key in store.keys("LIMITS*") if b"create_booking" in key or b"bookings" in key]
    store.flushdb()
