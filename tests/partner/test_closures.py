"""A partner enters the days a location is closed; the planner plans nothing there then."""
from datetime import date, datetime, timezone

from sqlalchemy import select

from booking.extensions import db
from booking.models import LocationClosure
from booking.services.closures import add_closure
from booking.services.planning import build_problem, key
from tests.partner.test_scoping import assert_hidden


def _closures(location):
    return db.session.scalars(select(LocationClosure).where(
        LocationClosure.location_id == location.id)).all()


def test_a_partner_adds_and_removes_closed_days(client, world, login_as):
    login_as(world.users.partner)
    path = f"/partner/locations/{world.own_location.id}/closures"
    response = client.post(path, data={"closure-first_day": "2027-07-05",
                                       "closure-last_day": "2027-07-09",
                                       "closure-reason": "Works on the roof"},
                           follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "The closed days are saved" in page and "Works on the roof" in page
    assert "Monday, July 5, 2027" in page and "Friday, July 9, 2027" in page
    [closure] = _closures(world.own_location)
    assert (closure.first_day, closure.last_day) == (date(2027, 7, 5), date(2027, 7, 9))

    # One day: the last day may stay empty.
    client.post(path, data={"closure-first_day": "2027-08-16"})
    assert [(c.first_day, c.last_day) for c in _closures(world.own_location)] == [
        (date(2027, 7, 5), date(2027, 7, 9)), (date(2027, 8, 16), date(2027, 8, 16))]

    response = client.post(f"/partner/closures/{closure.id}/remove", follow_redirects=True)
    assert "The closed days are removed." in response.get_data(as_text=True)
    assert [c.first_day for c in _closures(world.own_location)] == [date(2027, 8, 16)]


def test_a_range_that_ends_before_it_starts_is_refused_and_nothing_is_lost(client, world, login_as):
    login_as(world.users.partner)
    response = client.post(f"/partner/locations/{world.own_location.id}/closures",
                           data={"closure-first_day": "2027-07-09",
                                 "closure-last_day": "2027-07-05",
                                 "closure-reason": "Works"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The last day comes before the first day." in page
    assert 'value="Works"' in page  # what was typed is still there
    assert _closures(world.own_location) == []
    response = client.post(f"/partner/locations/{world.own_location.id}/closures",
                           data={"closure-first_day": "0001-01-01"})
    assert response.status_code == 422 and _closures(world.own_location) == []


def test_another_organisations_closures_are_out_of_reach(client, world, login_as):
    theirs = add_closure(world.other_location.id, date(2027, 7, 5), None, "Secret works")
    login_as(world.users.partner)
    assert_hidden(client.post(f"/partner/locations/{world.other_location.id}/closures",
                              data={"closure-first_day": "2027-07-05"}))
    assert_hidden(client.post(f"/partner/closures/{theirs.id}/remove"))
    assert client.post("/partner/closures/99999/remove").status_code == 404
    assert [c.reason for c in _closures(world.other_location)] == ["Secret works"]


def test_closed_days_close_every_room_of_that_location_for_the_planner(world, app):
    app.config["PLANNING_HOLIDAYS_COUNTRY"] = None  # only the location's own days here
    add_closure(world.own_location.id, date(2027, 7, 3), date(2027, 7, 6), "Works")
    problem = build_problem(date(2027, 7, 5), date(2027, 7, 11), timezone="Europe/Brussels",
                            now=datetime(2027, 6, 1, tzinfo=timezone.utc))
    rooms = {room["id"]: room for room in problem["rooms"]}
    # cut to the planning window, midnight to midnight, last day included
    assert rooms[key("room", world.own_room.id)]["closed"] == [
        {"start": "2027-07-05T00:00", "end": "2027-07-07T00:00"}]
    assert "closed" not in rooms[key("room", world.other_room.id)]
