"""A partner never sees or changes another organisation's rooms, sessions,
bookings, staff or tokens: every attempt answers 404 and leaks nothing."""
import pytest

from booking.extensions import db
from booking.models import ApiToken, Location, Room, Session, StaffAssignment
from booking.services import booking as bookings

SECRETS = ("Secret centre", "Secret room", "Other organisation", "Hidden Person", "OTHERTKN")


@pytest.fixture
def other_things(world, make):
    other = world.other_session
    booking = bookings.book(other.id, kind="pre_registered", name="Hidden Participant",
                            phone="0470000000").booking
    person = make.person(name="Hidden Person", organisation_id=world.other_org.id)
    assignment = StaffAssignment(session=other, person=person, role="trainer")
    db.session.add(assignment)
    db.session.commit()
    make.api_token(world.other_org)
    token = db.session.query(ApiToken).filter_by(organisation_id=world.other_org.id).one()
    token.label = "OTHERTKN"
    db.session.commit()
    return booking, person, assignment, token


def assert_hidden(response):
    assert response.status_code == 404, response.status_code
    text = response.get_data(as_text=True)
    for secret in SECRETS + ("Hidden Participant",):
        assert secret not in text


def test_partner_cannot_read_another_organisations_pages(client, world, login_as, other_things):
    booking, person, assignment, token = other_things
    login_as(world.users.partner)
    s, loc, room = world.other_session.id, world.other_location.id, world.other_room.id
    for path in [f"/partner/sessions/{s}", f"/partner/sessions/{s}/edit",
                 f"/partner/sessions/{s}/poster", f"/partner/locations/{loc}/edit",
                 f"/partner/locations/{loc}/poster", f"/partner/locations/{loc}/rooms/new",
                 f"/partner/rooms/{room}/edit"]:
        assert_hidden(client.get(path))
    # Lists show only their own things.
    for path in ["/partner/", "/partner/?past=1", "/partner/locations", "/partner/people",
                 "/partner/tokens", "/partner/sessions/new"]:
        response = client.get(path)
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        for secret in SECRETS:
            assert secret not in text, (path, secret)
    assert "Own library" in client.get("/partner/locations").get_data(as_text=True)


def test_partner_cannot_change_another_organisations_data(client, world, login_as, other_things):
    booking, person, assignment, token = other_things
    login_as(world.users.partner)
    s, loc, room = world.other_session.id, world.other_location.id, world.other_room.id
    posts = [
        (f"/partner/sessions/{s}/cancel", {}),
        (f"/partner/sessions/{s}/edit", {"room": room, "day": "2030-01-07", "starts": "10:00",
                                         "ends": "12:00", "capacity": 3, "walk_in_seats": 0,
                                         "languages": ["nl"], "status": "published"}),
        (f"/partner/sessions/{s}/bookings/{booking.ticket}/check-in", {}),
        (f"/partner/sessions/{s}/bookings/{booking.ticket}/no-show", {}),
        (f"/partner/sessions/{s}/bookings/{booking.ticket}/cancel", {}),
        (f"/partner/sessions/{s}/walk-in", {"language": "nl", "age_group": ""}),
        (f"/partner/sessions/{s}/staff", {"person": person.id, "role": "trainer"}),
        (f"/partner/sessions/{s}/staff/{assignment.id}/remove", {}),
        (f"/partner/locations/{loc}/edit", {"name": "Taken over"}),
        (f"/partner/locations/{loc}/rooms/new", {"name": "Intruder room", "capacity": 4}),
        (f"/partner/rooms/{room}/edit", {"name": "Taken over", "capacity": 4}),
        (f"/partner/people/{person.id}/feed-token", {}),
        (f"/partner/tokens/{token.id}/revoke", {}),
    ]
    feed_token = person.feed_token
    for path, data in posts:
        assert_hidden(client.post(path, data=data))
    # Own session and own booking under another session's URL: also 404.
    assert_hidden(client.post(f"/partner/sessions/{world.own_session.id}/bookings/"
                              f"{booking.ticket}/check-in"))
    db.session.expire_all()
    other = db.session.get(Session, s)
    assert other.status == "published" and other.capacity == 5 and len(other.bookings) == 1
    assert other.bookings[0].status == "confirmed"
    assert db.session.get(Location, loc).name == "Secret centre"
    assert db.session.get(Room, room).name == "Secret room"
    assert len(db.session.get(Location, loc).rooms) == 1
    assert db.session.get(StaffAssignment, assignment.id) is not None
    assert person.feed_token == feed_token
    assert db.session.get(ApiToken, token.id).revoked_at is None


def test_partner_cannot_publish_in_another_organisations_room(client, world, login_as):
    login_as(world.users.partner)
    before = db.session.query(Session).count()
    response = client.post("/partner/sessions/new", data={
        "theme": world.theme.id, "room": world.other_room.id, "day": "2030-01-07",
        "starts": "10:00", "ends": "12:00", "capacity": 3, "walk_in_seats": 0,
        "languages": ["nl"], "status": "published"})
    assert response.status_code == 422
    assert "Secret room" not in response.get_data(as_text=True)
    assert db.session.query(Session).count() == before
    # Moving an own session into another organisation's room is refused as well.
    response = client.post(f"/partner/sessions/{world.own_session.id}/edit", data={
        "room": world.other_room.id, "day": "2030-01-07", "starts": "10:00", "ends": "12:00",
        "capacity": 3, "walk_in_seats": 0, "languages": ["nl"], "status": "published"})
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Session, world.own_session.id).room_id == world.own_room.id


def test_unknown_ids_answer_the_same(client, world, login_as):
    login_as(world.users.partner)
    for path in ["/partner/sessions/99999", "/partner/locations/99999/edit",
                 "/partner/rooms/99999/edit", "/partner/sessions/99999/poster"]:
        assert client.get(path).status_code == 404


def test_admin_sees_every_organisation(client, world, login_as):
    login_as(world.users.admin)
    assert client.get(f"/partner/sessions/{world.other_session.id}").status_code == 200
    text = client.get("/partner/locations").get_data(as_text=True)
    assert "Secret centre" in text and "Own library" in text
    assert client.get("/partner/tokens").status_code == 403  # tokens belong to an organisation


def test_other_partner_sees_only_theirs(client, world, login_as):
    login_as(world.users.other_partner)
    assert client.get(f"/partner/sessions/{world.other_session.id}").status_code == 200
    assert client.get(f"/partner/sessions/{world.own_session.id}").status_code == 404


def test_freelancers_feed_is_not_shown_to_partners(client, world, login_as, make):
    freelancer = make.person(name="Free Lancer", organisation_id=None)
    login_as(world.users.partner)
    page = client.get("/partner/people").get_data(as_text=True)
    assert freelancer.feed_token not in page
    assert world.trainer_person.feed_token in page
    assert client.post(f"/partner/people/{freelancer.id}/feed-token").status_code == 404
    # ... but a freelancer can still be assigned to an own session.
    page = client.get(f"/partner/sessions/{world.own_session.id}").get_data(as_text=True)
    assert "Free Lancer" in page
