"""The coordinator's planner pages."""
import io
import json
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from booking.extensions import db
from booking.models import Demand, PlanningRun, Session
from booking.services import accounts, planning_runs
from tests.partner.conftest import PASSWORD, login

EXAMPLES = Path(__file__).resolve().parents[1] / "scheduler" / "data"  # the worked example


@pytest.fixture
def coordinator(app, client, city):
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    user = accounts.create_user("coordinator@city.test", role="coordinator", password=PASSWORD)
    login(client, user)
    return user


def period(city):
    return {"start": city["monday"].isoformat(),
            "end": (city["monday"] + timedelta(days=6)).isoformat()}


def test_only_coordinators_and_admins_reach_the_planner(app, client, city):
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    assert client.get("/planner/").status_code in (302, 401)
    partner = accounts.create_user("p@city.test", role="partner_staff", password=PASSWORD,
                                   organisation=city["organisation"])
    login(client, partner)
    for url in ("/planner/", "/planner/demand", "/planner/people"):
        assert client.get(url).status_code == 403
    assert client.post("/planner/runs", data=period(city)).status_code == 403


def test_plan_review_and_publish_through_the_pages(client, coordinator, city):
    created = client.post("/planner/runs", data=period(city) | {"time_limit": 5})
    assert created.status_code == 302
    run_id = int(created.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    page = client.get(f"/planner/runs/{run_id}").get_data(as_text=True)
    assert 'id="progress"' in page or "Summary" in page
    deadline = time.monotonic() + 60
    while client.get(f"/planner/runs/{run_id}/progress").get_json()["status"] in ("queued", "running"):
        assert time.monotonic() < deadline
        time.sleep(0.3)
    progress = client.get(f"/planner/runs/{run_id}/progress").get_json()
    assert progress["status"] == "done" and progress["objective"] is not None
    review = client.get(f"/planner/runs/{run_id}").get_data(as_text=True)
    assert review.count('name="change"') == 2 and "Amina" in review
    run = db.session.get(PlanningRun, run_id)
    first = run.plan["sessions"][0]["id"]
    published = client.post(f"/planner/runs/{run_id}/publish", data={"change": [first]})
    assert published.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Session)) == 1
    assert client.get("/api/v1/sessions").get_json()[0]["theme"]["id"] == "cv"


def test_add_and_remove_demand(client, coordinator, city):
    response = client.post("/planner/demand", data={
        "theme": "cv", "sessions": 3, "priority": 4, "language": "ar",
        "locations": [str(city["location"].id)], "window_start": city["monday"].isoformat(),
        "window_end": (city["monday"] + timedelta(days=13)).isoformat()})
    assert response.status_code == 302
    added = db.session.scalars(select(Demand).order_by(Demand.id.desc())).first()
    assert (added.sessions, added.language, added.location_ids) == (3, "ar", [city["location"].id])
    bad = client.post("/planner/demand", data={"theme": "cv", "sessions": 0, "priority": 9})
    assert bad.status_code == 400 and "Number of sessions" in bad.get_data(as_text=True)
    client.post(f"/planner/demand/{added.id}/delete")
    assert db.session.get(Demand, added.id) is None


def test_mark_absent_offers_the_repair(client, coordinator, city):
    day = city["monday"].isoformat()
    response = client.post("/planner/people", data={
        "person": city["trainer"].id, "first_day": day, "last_day": day}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Plan the repair" in page
    assert city["trainer"].unavailable == [{"start": f"{day}T00:00",
                                            "end": f"{(city['monday'] + timedelta(days=1)).isoformat()}T00:00"}]


def test_export_and_import_a_problem(client, coordinator, city):
    exported = client.get("/planner/problem.json", query_string={
        "from": city["monday"].isoformat(), "to": (city["monday"] + timedelta(days=6)).isoformat()})
    problem = json.loads(exported.get_data(as_text=True))
    assert problem["version"] == 1 and problem["demand"][0]["theme"] == "cv"
    tiny = (EXAMPLES / "example-tiny.json").read_bytes()
    imported = client.post("/planner/import", data={
        "problem": (io.BytesIO(tiny), "example-tiny.json"), "time_limit": 10},
        content_type="multipart/form-data")
    assert imported.status_code == 302
    run = db.session.scalars(select(PlanningRun).where(PlanningRun.imported)).one()
    assert run.horizon_start.isoformat() == "2027-10-28"


def test_a_bad_problem_file_lists_each_error_with_its_path(client, coordinator):
    broken = json.dumps({"version": 1, "timezone": "Mars/Olympus"}).encode()
    response = client.post("/planner/import", data={"problem": (io.BytesIO(broken), "bad.json")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "$.timezone" in response.get_data(as_text=True)
    not_json = client.post("/planner/import", data={"problem": (io.BytesIO(b"\xff{"), "x.json")},
                           content_type="multipart/form-data", follow_redirects=True)
    assert "not JSON" in not_json.get_data(as_text=True)


def test_an_imported_plan_cannot_be_published(city):
    from booking.services import planning_publish
    from booking.services.errors import Conflict

    run = planning_runs.import_run(json.loads((EXAMPLES / "example-tiny.json").read_text()),
                                   time_limit=10)
    planning_runs.execute_run(run.id, workers=1)
    assert run.plan["objective"] == 3310
    with pytest.raises(Conflict):
        planning_publish.publish(run.id)


def test_coordinator_keeps_peoples_skills_languages_availability_and_costs(client, coordinator, city):
    response = client.post("/planner/people/new", data={
        "name": "Elif", "roles": ["trainer", "volunteer"], "themes": ["cv"],
        "languages": "nl, tr", "cost_per_session": 250, "max_sessions": 4,
        "locations": [str(city["location"].id)], "availability": "1-3 09:00-13:00\n5 13:00-17:00"})
    assert response.status_code == 302
    from booking.models import Person

    elif_ = db.session.scalars(select(Person).where(Person.name == "Elif")).one()
    assert (elif_.roles, elif_.themes, elif_.languages) == (["trainer", "volunteer"], ["cv"], ["nl", "tr"])
    assert (elif_.cost_per_session, elif_.max_sessions, elif_.location_ids) == (250, 4, [city["location"].id])
    assert elif_.availability == [{"weekdays": [1, 2, 3], "start": "09:00", "end": "13:00"},
                                  {"weekdays": [5], "start": "13:00", "end": "17:00"}]
    page = client.get(f"/planner/people/{elif_.id}").get_data(as_text=True)
    assert "1-3 09:00-13:00" in page
    bad = client.post(f"/planner/people/{elif_.id}", data={
        "name": "Elif", "roles": ["trainer"], "languages": "Turkish!", "cost_per_session": 0,
        "availability": "Monday mornings"})
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "is not like" in text and "language codes such as nl, ar, tr" in text
    problem = build_problem_for(city)
    [person] = [p for p in problem["people"] if p["name"] == "Elif"]
    assert person["available"][0] == {"weekdays": [1, 2, 3], "start": "09:00", "end": "13:00"}


def build_problem_for(city):
    from booking.services.planning import build_problem

    return build_problem(city["monday"], city["monday"] + timedelta(days=6), timezone="Europe/Brussels")


def test_the_review_shows_the_budget_account(client, coordinator, city):
    run = planning_runs.create_run(city["monday"], city["monday"] + timedelta(days=6),
                                   time_limit=5, budget=900)
    planning_runs.execute_run(run.id, workers=1)
    page = client.get(f"/planner/runs/{run.id}").get_data(as_text=True)
    assert ("EUR 900: EUR 0 spent, EUR 0 committed by published sessions outside this plan, "
            "EUR 900 left for this plan") in page
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ar"
    page = client.get(f"/planner/runs/{run.id}").get_data(as_text=True)
    assert "ميزانية الفترة" in page and "left for this plan" not in page
