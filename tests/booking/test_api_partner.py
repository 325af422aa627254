"""The partner calls of the contract: a token per organisation, scoped."""
import pytest

from tests.conftest import in_days
from tests.booking.test_api_public import error_of


@pytest.fixture(autouse=True)
def frozen(clock):
    """Tuesday 09:00 in Brussels; in_days(0, hour=9) is 10:00 that day."""
    return clock


@pytest.fixture
def partner(make):
    organisation = make.organisation(slug="bib-gent")
    room = make.room(location=make.location(organisation=organisation), capacity=8)
    token = make.api_token(organisation)
    return {"organisation": organisation, "room": room,
            "headers": {"Authorization": f"Bearer {token}"}}


@pytest.fixture
def stranger(make):
    organisation = make.organisation(slug="wijk-kortrijk")
    room = make.room(location=make.location(organisation=organisation))
    token = make.api_token(organisation)
    return {"organisation": organisation, "room": room,
            "headers": {"Authorization": f"Bearer {token}"}}


def new_session(theme, room, **changes):
    body = {
        "theme": theme.id, "room": str(room.id),
        "starts_at": in_days(3).isoformat(), "ends_at": in_days(3, hour=12).isoformat(),
        "capacity": 5, "walk_in_seats": 2, "languages": ["nl", "tr"],
    }
    return body | changes


def test_publish_a_session_in_an_own_room(client, make, partner):
    theme = make.theme()
    response = client.post("/api/v1/sessions", json=new_session(theme, partner["room"]),
                           headers=partner["headers"])
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "published" and body["languages"] == ["nl", "tr"]
    assert body["seats_left"] == 5 and body["room"]["id"] == str(partner["room"].id)
    assert client.get(f"/api/v1/sessions/{body['id']}").status_code == 200
    assert response.headers["Location"] == f"/api/v1/sessions/{body['id']}"


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer wrong-token", "Basic abc", "token"])
def test_no_or_bad_token_is_401(client, make, partner, header):
    headers = {"Authorization": header} if header else {}
    response = client.post("/api/v1/sessions", json=new_session(make.theme(), partner["room"]),
                           headers=headers)
    assert response.status_code == 401 and error_of(response)["code"] == "unauthorized"


def test_a_revoked_token_is_refused(client, make, partner):
    from booking.extensions import db
    from booking.models import ApiToken, utcnow

    for token in db.session.scalars(db.select(ApiToken)):
        token.revoked_at = utcnow()
    db.session.commit()
    response = client.post("/api/v1/sessions", json=new_session(make.theme(), partner["room"]),
                           headers=partner["headers"])
    assert response.status_code == 401


def test_another_organisations_room_is_403(client, make, partner, stranger):
    response = client.post("/api/v1/sessions", json=new_session(make.theme(), stranger["room"]),
                           headers=partner["headers"])
    assert response.status_code == 403 and error_of(response)["code"] == "forbidden"


def test_a_taken_room_is_409(client, make, partner):
    theme = make.theme()
    make.session(room=partner["room"], theme=theme, starts_at=in_days(3, hour=11))
    response = client.post("/api/v1/sessions", json=new_session(theme, partner["room"]),
                           headers=partner["headers"])
    assert response.status_code == 409 and "room" in error_of(response)["fields"]


@pytest.mark.parametrize(
    ("changes", "fields"),
    [({"theme": "no-such-theme"}, {"theme"}), ({"room": "999999"}, {"room"}),
     ({"room": 3.5}, {"room"}), ({"capacity": "5"}, {"capacity"}), ({"capacity": True}, {"capacity"}),
     ({"capacity": 0}, {"capacity"}), ({"capacity": 9}, {"capacity"}),
     ({"walk_in_seats": 6}, {"walk_in_seats"}), ({"walk_in_seats": -1}, {"walk_in_seats"}),
     ({"starts_at": "2027-03-01T10:00"}, {"starts_at"}), ({"starts_at": "tomorrow"}, {"starts_at"}),
     ({"ends_at": 1700000000}, {"ends_at"}), ({"languages": "nl"}, {"languages"}),
     ({"languages": ["nl", 3]}, {"languages"}), ({"status": "cancelled"}, {"status"}),
     ({"theme": None, "room": None}, {"theme", "room"})],
)
def test_invalid_session_fields_are_named(client, make, partner, changes, fields):
    body = new_session(make.theme(), partner["room"]) | changes
    response = client.post("/api/v1/sessions", json=body, headers=partner["headers"])
    assert response.status_code == 400
    assert set(error_of(response)["fields"]) >= fields


def test_ends_before_start_and_missing_room_features_are_named(client, make, partner):
    body = new_session(make.theme(), partner["room"], ends_at=in_days(3, hour=9).isoformat())
    response = client.post("/api/v1/sessions", json=body, headers=partner["headers"])
    assert "ends_at" in error_of(response)["fields"]
    projector_theme = make.theme(needs=["projector"])
    response = client.post("/api/v1/sessions", json=new_session(projector_theme, partner["room"]),
                           headers=partner["headers"])
    assert response.status_code == 400 and "projector" in error_of(response)["fields"]["room"]


def test_change_a_session_but_not_below_the_seats_taken(client, make, partner):
    session = make.session(room=partner["room"], capacity=5, walk_in_seats=0)
    for _ in range(3):
        client.post(f"/api/v1/sessions/{session.id}/bookings", json={"kind": "pre_registered"})
    url = f"/api/v1/sessions/{session.id}"
    too_small = client.patch(url, json={"capacity": 2}, headers=partner["headers"])
    assert too_small.status_code == 409 and "capacity" in error_of(too_small)["fields"]
    changed = client.patch(url, json={"capacity": 3, "languages": ["nl", "ar"]},
                           headers=partner["headers"])
    assert changed.status_code == 200
    assert (changed.get_json()["capacity"], changed.get_json()["languages"]) == (3, ["nl", "ar"])


def test_more_capacity_promotes_the_waiting_list(client, make, partner):
    session = make.session(room=partner["room"], capacity=1, walk_in_seats=0)
    url = f"/api/v1/sessions/{session.id}/bookings"
    client.post(url, json={"kind": "pre_registered"})
    waiting = client.post(url, json={"kind": "pre_registered"}).get_json()["ticket"]
    client.patch(f"/api/v1/sessions/{session.id}", json={"capacity": 2},
                 headers=partner["headers"])
    assert client.get(f"/api/v1/bookings/{waiting}").get_json()["status"] == "confirmed"


def test_moving_a_session_checks_the_room_and_ownership(client, make, partner, stranger):
    session = make.session(room=partner["room"])
    other_room = make.room(location=partner["room"].location)
    make.session(room=other_room, starts_at=session.starts_at)
    url = f"/api/v1/sessions/{session.id}"
    assert client.patch(url, json={"room": str(other_room.id)},
                        headers=partner["headers"]).status_code == 409
    assert client.patch(url, json={"room": str(stranger["room"].id)},
                        headers=partner["headers"]).status_code == 403
    assert client.patch(url, json={"theme": "x"}, headers=partner["headers"]).status_code == 400
    moved = client.patch(url, json={"starts_at": in_days(5).isoformat(),
                                    "ends_at": in_days(5, hour=12).isoformat()},
                         headers=partner["headers"])
    assert moved.status_code == 200 and session.sequence == 1


def test_another_organisations_session_cannot_be_touched(client, make, partner, stranger):
    theirs = make.session(room=stranger["room"])
    url = f"/api/v1/sessions/{theirs.id}"
    assert client.patch(url, json={"capacity": 4}, headers=partner["headers"]).status_code == 403
    assert client.delete(url, headers=partner["headers"]).status_code == 403
    listing = client.get(f"{url}/bookings", headers=partner["headers"])
    assert listing.status_code == 403 and "name" not in listing.get_data(as_text=True)
    assert client.get(f"/api/v1/sessions/{theirs.id}").get_json()["status"] == "published"


def test_cancel_a_session_keeps_its_bookings_for_the_record(client, make, partner):
    session = make.session(room=partner["room"], starts_at=in_days(0, hour=9))
    ticket = client.post(f"/api/v1/sessions/{session.id}/bookings",
                         json={"kind": "walk_in"}).get_json()["ticket"]
    response = client.delete(f"/api/v1/sessions/{session.id}", headers=partner["headers"])
    assert response.status_code == 200 and response.get_json()["status"] == "cancelled"
    assert client.get(f"/api/v1/bookings/{ticket}").get_json()["status"] == "cancelled"
    attendance = client.get(f"/api/v1/sessions/{session.id}/bookings", headers=partner["headers"])
    assert [b["ticket"] for b in attendance.get_json()] == [ticket]
    assert str(session.id) not in [s["id"] for s in client.get("/api/v1/sessions").get_json()]


def test_unknown_sessions_for_partners_are_404(client, partner):
    for method in (client.patch, client.delete):
        assert method("/api/v1/sessions/424242", json={}, headers=partner["headers"]).status_code == 404
    assert client.get("/api/v1/sessions/424242/bookings", headers=partner["headers"]).status_code == 404


def test_attendance_list_and_check_in(client, make, partner, stranger):
    session = make.session(room=partner["room"], starts_at=in_days(0, hour=9))
    url = f"/api/v1/sessions/{session.id}/bookings"
    ticket = client.post(url, json={"kind": "pre_registered", "name": "Youssef",
                                    "age_group": "25-29"}).get_json()["ticket"]
    [entry] = client.get(url, headers=partner["headers"]).get_json()
    assert (entry["ticket"], entry["name"], entry["status"]) == (ticket, "Youssef", "confirmed")
    assert client.post(f"/api/v1/bookings/{ticket}/check-in").status_code == 401
    assert client.post(f"/api/v1/bookings/{ticket}/check-in",
                       headers=stranger["headers"]).status_code == 403
    checked = client.post(f"/api/v1/bookings/{ticket}/check-in", headers=partner["headers"])
    assert checked.status_code == 200 and checked.get_json()["status"] == "attended"
    assert client.get(url, headers=partner["headers"]).get_json()[0]["checked_in_at"]
    assert client.post("/api/v1/bookings/ZZZZZZZZ/check-in",
                       headers=partner["headers"]).status_code == 404


def test_checking_in_a_cancelled_booking_is_a_conflict(client, make, partner):
    session = make.session(room=partner["room"], starts_at=in_days(0, hour=9))
    ticket = client.post(f"/api/v1/sessions/{session.id}/bookings",
                         json={"kind": "walk_in"}).get_json()["ticket"]
    client.delete(f"/api/v1/bookings/{ticket}")
    response = client.post(f"/api/v1/bookings/{ticket}/check-in", headers=partner["headers"])
    assert response.status_code == 409


def test_people_are_told_when_a_session_moves_or_is_cancelled_and_when_they_get_a_seat(
    client, make, partner
):
    from booking.extensions import db
    from booking.models import OutboxMessage

    session = make.session(room=partner["room"], capacity=1, walk_in_seats=0)
    url = f"/api/v1/sessions/{session.id}/bookings"
    seat = client.post(url, json={"kind": "pre_registered", "phone": "+32 470 11 22 33"})
    client.post(url, json={"kind": "pre_registered", "phone": "+32 470 44 55 66"})
    client.delete(f"/api/v1/bookings/{seat.get_json()['ticket']}")
    client.patch(f"/api/v1/sessions/{session.id}", headers=partner["headers"],
                 json={"starts_at": in_days(6).isoformat(), "ends_at": in_days(6, hour=12).isoformat()})
    client.delete(f"/api/v1/sessions/{session.id}", headers=partner["headers"])
    sent = [(m.event, m.recipient) for m in db.session.scalars(
        db.select(OutboxMessage).order_by(OutboxMessage.id))]
    assert sent == [("seat_given", "+32 470 44 55 66"), ("session_moved", "+32 470 44 55 66"),
                    ("session_cancelled", "+32 470 44 55 66")]
