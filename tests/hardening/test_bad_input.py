"""Bad input gets a clear 4xx where it is parsed, never a 500 (issue 12):
nested JSON, NUL and lone surrogates, ids beyond an INTEGER column (32 bits on PostgreSQL), CR/LF and tabs in
next=, bodies over MAX_CONTENT_LENGTH, the spring clock change, years 1 and
9999."""
from datetime import date, timedelta

import pytest

from tests.conftest import in_days
from tests.partner.conftest import PASSWORD


def test_deeply_nested_json_is_a_400_with_a_json_error(client, make):
    session = make.session()
    body = "[" * 100_000 + "]" * 100_000
    response = client.post(f"/api/v1/sessions/{session.id}/bookings", data=body,
                           content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid"


@pytest.mark.parametrize("text", ["\\ud800", "Ali\\u0000"])
def test_a_lone_surrogate_or_nul_in_json_books_nothing(client, make, text):
    session = make.session()
    response = client.post(f"/api/v1/sessions/{session.id}/bookings",
                           data='{"kind": "pre_registered", "name": "%s"}' % text,
                           content_type="application/json")
    assert response.status_code == 400
    assert client.get(f"/api/v1/sessions/{session.id}").get_json()["seats_left"] == 5


def test_nul_in_a_form_a_query_or_a_path_is_refused_not_stored(client, make):
    session = make.session()
    assert client.post(f"/sessions/{session.id}", data={"name": "Ali\x00"}).status_code == 400
    assert client.get("/?theme=cv%00").status_code == 400
    assert client.get("/booking/ABCD%00EFG").status_code == 404
    assert client.get("/calendar/bookings/AB%00CD.ics").status_code == 404
    assert client.get(f"/api/v1/sessions/{session.id}").get_json()["seats_left"] == 5


@pytest.mark.parametrize("number", [2**31, 76377339860, 2**63, 2**64 + 1, 10**30])
def test_ids_beyond_an_integer_column_are_unknown_not_an_overflow(client, make, number):
    location = make.location()
    assert client.get(f"/sessions/{number}").status_code == 404
    assert client.get(f"/kiosk/{number}").status_code == 404
    assert client.get(f"/kiosk/{location.id}/nl/sessions/{number}").status_code == 404
    assert client.get(f"/calendar/locations/{number}.ics").status_code == 404
    assert client.get(f"/api/v1/sessions/{number}").status_code == 404
    # ?location= beyond a row id is no location: the list shows everything.
    assert client.get(f"/?location={number}").status_code == 200
    assert client.get(f"/api/v1/sessions?location={number}").status_code == 400


@pytest.mark.parametrize("target", [
    "/%0d%0aSet-Cookie:%20x=1", "/%09/evil.com", "/\\evil.com", "//evil.com",
    "https://evil.com/", "/%0a/evil.com",
])
def test_next_never_leaves_the_site_nor_breaks_a_header(client, world, target):
    response = client.get(f"/language/en?next={target}")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    response = client.post(f"/login?next={target}",
                           data={"email": world.users.partner.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/partner/"


def test_a_local_next_is_followed(client, world):
    response = client.post("/login?next=/partner/people",
                           data={"email": world.users.partner.email, "password": PASSWORD})
    assert response.headers["Location"] == "/partner/people"


def test_a_body_over_max_content_length_is_413_and_json_on_the_api(app, client, make):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    session = make.session()
    response = client.post(f"/api/v1/sessions/{session.id}/bookings",
                           data='{"kind": "walk_in", "name": "' + "a" * 20_000 + '"}',
                           content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"
    page = client.post(f"/sessions/{session.id}", data={"name": "a" * 20_000})
    assert page.status_code == 413


def _last_sunday_of_march(year: int) -> date:
    day = date(year, 3, 31)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def test_a_session_in_the_spring_clock_change_gap_gets_a_field_error(client, world, login_as,
                                                                     make):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"  # the messages' source text
    night_room = make.room(location=make.location(organisation=world.own_org))  # no hours
    partner = login_as(world.users.partner)
    gap_day = _last_sunday_of_march(in_days(30).year + 1)
    response = partner.post("/partner/sessions/new", data={
        "theme": world.theme.id, "room": night_room.id, "day": gap_day.isoformat(),
        "starts": "02:30", "ends": "04:00", "capacity": 5, "walk_in_seats": 0,
        "languages": ["nl"], "status": "published"})
    assert response.status_code == 422
    assert "clock" in response.get_data(as_text=True)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_posters_and_planner_pages_for_years_1_and_9999(client, world, login_as, day):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    partner = login_as(world.users.partner)
    poster = partner.get(f"/partner/locations/{world.own_location.id}/poster?week={day}")
    assert poster.status_code == 200
    coordinator = login_as(world.users.coordinator)
    run = coordinator.post("/planner/runs", data={"start": day, "end": day, "time_limit": 5})
    assert run.status_code == 400 and "Choose a date between" in run.get_data(as_text=True)
    demand = coordinator.post("/planner/demand", data={
        "theme": world.theme.id, "sessions": 1, "per_week": 1, "priority": 1,
        "window_start": day, "window_end": day})
    assert demand.status_code == 400


def test_bytes_that_are_not_utf_8_are_refused_or_replaced_never_a_500(client, make):
    session = make.session()
    api = client.post(f"/api/v1/sessions/{session.id}/bookings",
                      data=b'{"kind": "walk_in", "name": "\xed\xa0\x80"}',
                      content_type="application/json")
    assert api.status_code == 400
    page = client.post(f"/sessions/{session.id}", data=b"name=%ED%A0%80&attempt=k1",
                       content_type="application/x-www-form-urlencoded")
    assert page.status_code < 500
