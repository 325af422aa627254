from datetime import timedelta


def test_published_session_is_listed_and_bookable(client, make, clock):
    session = make.session(starts_at=clock.now + timedelta(hours=1))
    listed = client.get("/api/v1/sessions").get_json()
    assert [s["id"] for s in listed] == [str(session.id)]
    answer = client.post(f"/api/v1/sessions/{session.id}/bookings", json={"kind": "walk_in"})
    assert answer.status_code == 201
    assert answer.get_json()["status"] == "confirmed"
    assert answer.get_json()["session"]["seats_left"] == 4
