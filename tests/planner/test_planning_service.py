"""From the database to a plan and back: what the coordinator's planning does."""
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from booking.extensions import db
from booking.models import OutboxMessage, Session, StaffAssignment, User
from booking.services import booking as bookings
from booking.services import planning_publish, planning_runs
from booking.services.planning import build_problem, key, public_holidays
from scheduler.check import check as check_plan
from scheduler.problem import load_problem
from tests.planner.conftest import at


def plan_week(city, **options):
    run = planning_runs.create_run(city["monday"], city["monday"] + timedelta(days=6),
                                   time_limit=10, **options)
    return planning_runs.execute_run(run.id, workers=1)


def test_the_problem_follows_the_planning_format(city):
    problem = build_problem(city["monday"], city["monday"] + timedelta(days=6),
                            timezone="Europe/Brussels", budget=1000)
    load_problem(problem)  # raises on anything the format forbids
    # the coming week may hold a public holiday: that day is closed (tested on fixed dates below)
    holidays_closed = problem["rooms"][0].pop("closed", [])
    assert len(holidays_closed) == len(public_holidays(city["monday"], city["monday"] + timedelta(days=6)))
    assert problem["rooms"] == [{
        "id": key("room", city["room"].id), "location": key("loc", city["location"].id),
        "capacity": 6, "features": ["pc_room"],
        "open": [{"weekdays": [1, 2, 3, 4, 5], "start": "09:00", "end": "17:00"}],
    }]
    assert problem["demand"][0]["theme"] == "cv" and problem["demand"][0]["areas"] == ["Centrum (Gent)"]
    assert problem["budget"] == 1000 and problem["pinned"] == []


def test_belgian_public_holidays_close_every_room(city, app):
    problem = build_problem(date(2027, 12, 20), date(2028, 1, 2), timezone="Europe/Brussels",
                            now=datetime(2027, 12, 1, tzinfo=timezone.utc))
    assert problem["rooms"][0]["closed"] == [
        {"start": "2027-12-25T00:00", "end": "2027-12-26T00:00"},   # Christmas
        {"start": "2028-01-01T00:00", "end": "2028-01-02T00:00"},   # New Year's Day
    ]
    app.config["PLANNING_HOLIDAYS_COUNTRY"] = None
    problem = build_problem(date(2027, 12, 20), date(2028, 1, 2), timezone="Europe/Brussels",
                            now=datetime(2027, 12, 1, tzinfo=timezone.utc))
    assert "closed" not in problem["rooms"][0]


def test_a_plan_is_a_draft_until_published(city, client):
    run = plan_week(city)
    assert run.status == "done" and run.plan["status"] in ("OPTIMAL", "FEASIBLE")
    assert check_plan(run.problem, run.plan) == []
    assert len(run.plan["sessions"]) == 2 and run.plan["unmet"] == []
    assert client.get("/api/v1/sessions").get_json() == []

    result = planning_publish.publish(run.id)
    assert result.count("new") == 2 and result.problems == []
    listed = client.get("/api/v1/sessions").get_json()
    assert len(listed) == 2 and {s["theme"]["id"] for s in listed} == {"cv"}
    for session in db.session.scalars(select(Session)):
        assert [(a.person_id, a.role) for a in session.assignments] == [
            (city["trainer"].id, "trainer")]
        assert (session.capacity, session.walk_in_seats) == (5, 2)


def test_publishing_part_of_a_plan(city):
    run = plan_week(city)
    first = run.plan["sessions"][0]["id"]
    result = planning_publish.publish(run.id, selected={first})
    assert result.count("new") == 1
    assert db.session.scalar(select(db.func.count()).select_from(Session)) == 1


def test_unmet_demand_says_why(city):
    city["demand"].language = "tr"
    db.session.commit()
    run = plan_week(city)
    [unmet] = run.plan["unmet"]
    assert unmet["missing"] == 2 and "tr" in unmet["reason"]


def test_a_partner_session_of_another_theme_blocks_its_room_but_is_never_touched(city, make):
    other = make.theme(id="talk", staff={}, needs=[], duration_minutes=480)
    busy_day = city["monday"]
    partner_session = make.session(room=city["room"], theme=other, starts_at=at(busy_day, 9),
                                   capacity=5)
    run = plan_week(city)
    assert partner_session.id not in [s["id"] for s in run.problem["pinned"]]
    for planned in run.plan["sessions"]:
        assert not planned["start"].startswith(busy_day.isoformat())
    planning_publish.publish(run.id)
    assert db.session.get(Session, partner_session.id).status == "published"


def test_repair_after_a_drop_out_changes_only_what_must_change(city, make):
    planning_publish.publish(plan_week(city).id)
    db.session.add(User(email="amina@example.org", name="Amina", password_hash="-", role="trainer",
                        person_id=city["trainer"].id))
    db.session.commit()
    # Dearer than Amina, so only the session she cannot teach goes to him.
    understudy = make.person(name="Bram", roles=["trainer"], themes=["cv"], languages=["nl"],
                             cost_per_session=200)
    sessions = db.session.scalars(select(Session).order_by(Session.starts_at)).all()
    booked = sessions[0]
    outcome = bookings.book(booked.id, kind="pre_registered", name="Fatima", phone="+32470000001")
    before = {s.id: (s.room_id, s.starts_at) for s in sessions}

    # Amina falls ill on the day of the first session.
    sick_day = booked.starts_at.astimezone(at(city["monday"], 0).tzinfo).date()
    from booking.services.staff_absence import mark_absent

    mark_absent(city["trainer"].id, sick_day, sick_day)
    run = planning_runs.create_run(city["monday"], city["monday"] + timedelta(days=6),
                                   time_limit=10, repair=True)
    run = planning_runs.execute_run(run.id, workers=1)
    assert check_plan(run.problem, run.plan) == []
    review = {c.id: c for c in planning_publish.review(run)}
    assert {i: c.action for i, c in review.items()} == {
        key("sess", booked.id): "restaffed", key("sess", sessions[1].id): "kept"}
    assert run.plan["cancelled"] == [] and run.plan["penalties"]["moved_booked"] == 0
    assert run.plan["penalties"]["restaffed"] == 300
    # the review separates what the absence touched, with names and local times
    line = review[key("sess", booked.id)]
    assert (line.touched, line.why) == (True, "Amina is absent then")
    assert line.staff == [("trainer", ["Bram"])]
    start = booked.starts_at.astimezone(at(city["monday"], 0).tzinfo)
    assert line.when == f"{start:%Y-%m-%d %H:%M}–{start + timedelta(hours=2):%H:%M}"  # local, not UTC
    assert line.where == "Library · PC room"

    planning_publish.publish(run.id)
    told = db.session.scalars(select(OutboxMessage).where(OutboxMessage.event == "staff_taken_off")).all()
    assert [m.recipient for m in told] == ["amina@example.org"]
    # publishing again is harmless: everything reads as published, nothing happens
    again = planning_publish.publish(run.id)
    assert again.problems == [] and sum(len(v) for v in again.done.values()) == 0
    assert {c.action for c in planning_publish.review(run) if c.id == key("sess", booked.id)} == {"published"}
    db.session.expire_all()
    after = {s.id: (s.room_id, s.starts_at) for s in db.session.scalars(select(Session))}
    assert after == before  # nobody's booking moved
    staff = db.session.scalars(select(StaffAssignment).where(
        StaffAssignment.session_id == booked.id)).all()
    assert [a.person_id for a in staff] == [understudy.id]
    assert db.session.get(type(outcome.booking), outcome.booking.id).status == "confirmed"


def test_a_booked_session_that_cannot_be_kept_is_cancelled_and_its_people_told(city):
    planning_publish.publish(plan_week(city).id)
    session = db.session.scalars(select(Session).order_by(Session.starts_at)).first()
    bookings.book(session.id, kind="pre_registered", phone="+32470000002")
    from booking.services.staff_absence import mark_absent

    mark_absent(city["trainer"].id, city["monday"], city["monday"] + timedelta(days=6))
    run = planning_runs.execute_run(planning_runs.create_run(
        city["monday"], city["monday"] + timedelta(days=6), time_limit=10, repair=True).id, workers=1)
    cancelled = {c["id"]: c["reason"] for c in run.plan["cancelled"]}
    assert set(cancelled) == {key("sess", s.id) for s in db.session.scalars(select(Session))}
    assert "trainer" in cancelled[key("sess", session.id)]
    planning_publish.publish(run.id)
    assert db.session.get(Session, session.id).status == "cancelled"
    told = db.session.scalars(select(OutboxMessage.recipient).where(
        OutboxMessage.event == "session_cancelled")).all()
    assert "+32470000002" in told


def test_bad_periods_are_refused_with_a_reason(city):
    import pytest

    from booking.services.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        planning_runs.create_run(city["monday"], city["monday"] - timedelta(days=1))
    assert "end" in refused.value.fields
    with pytest.raises(InvalidInput):
        planning_runs.create_run(city["monday"], city["monday"] + timedelta(days=400))


def test_the_report_shows_what_the_latest_plan_could_not_place(city):
    from booking.services.planning import latest_unmet

    assert latest_unmet() == []
    city["demand"].language = "tr"
    db.session.commit()
    plan_week(city)
    [unmet] = latest_unmet()
    assert unmet["demand"] == f"{city['theme'].title('en')} · Centrum (Gent) [tr]"
    assert unmet["missing"] == 2 and unmet["reason"]


def test_publishing_takes_its_locks_in_one_transaction_and_a_conflict_loses_nothing_else(city, make,
                                                                                         monkeypatch):
    from booking.services import transaction

    run = plan_week(city)
    first, second = run.plan["sessions"]
    # a partner takes the room of the first planned session in the meantime
    make.session(room=city["room"], theme=city["theme"],
                 starts_at=datetime.fromisoformat(first["start"]),
                 ends_at=datetime.fromisoformat(first["end"]), capacity=5)
    locked = []
    real_lock_all = transaction.WriteTransaction.lock_all

    def spy(self, rows):
        rows = list(rows)
        locked.extend(rows)
        return real_lock_all(self, rows)

    monkeypatch.setattr(transaction.WriteTransaction, "lock_all", spy)
    result = planning_publish.publish(run.id)
    assert {model.__name__ for model, _ in locked} >= {"Room", "Person"}
    assert result.count("new") == 1 and len(result.problems) == 1 and first["id"] in result.problems[0]
    assert db.session.scalar(select(db.func.count()).select_from(Session)) == 2  # the partner's and one new


def test_the_budget_left_for_a_plan_is_what_is_not_spent_or_committed(city, make):
    """A week's budget of 1000: a session already held this week cost 100
    (spent), a published session the plan does not count costs 250
    (committed): the plan may use 650, and the run keeps that account."""
    monday, trainer = city["monday"], city["trainer"]
    other_theme = make.theme(id="nl-talk", staff={"trainer": 1})
    volunteer = make.person(name="Bram", roles=["trainer"], cost_per_session=150)
    held = make.session(room=city["room"], theme=city["theme"], starts_at=at(monday, 9))
    upcoming = make.session(room=city["room"], theme=other_theme, starts_at=at(monday + timedelta(days=3), 14))
    db.session.add_all([StaffAssignment(session=held, person=trainer, role="trainer"),
                        StaffAssignment(session=upcoming, person=trainer, role="trainer"),
                        StaffAssignment(session=upcoming, person=volunteer, role="trainer")])
    db.session.commit()
    account = {}
    problem = build_problem(monday, monday + timedelta(days=6), timezone="Europe/Brussels",
                            now=at(monday + timedelta(days=1), 12), budget=1000, budget_use=account)
    assert account == {"given": 1000, "spent": 100, "committed": 250, "available": 650}
    assert problem["budget"] == 650
    # More spent and committed than given: nothing left, never a negative budget.
    problem = build_problem(monday, monday + timedelta(days=6), timezone="Europe/Brussels",
                            now=at(monday + timedelta(days=1), 12), budget=300)
    assert problem["budget"] == 0
    # Before the week starts nothing is spent; the held session is then still
    # to come, and the plan counts it (a demand for cv can use it).
    account = {}
    build_problem(monday, monday + timedelta(days=6), timezone="Europe/Brussels",
                  now=at(monday - timedelta(days=3), 12), budget=1000, budget_use=account)
    assert account == {"given": 1000, "spent": 0, "committed": 250, "available": 750}


def test_a_run_shows_its_budget_account(city, client, app):
    run = planning_runs.create_run(city["monday"], city["monday"] + timedelta(days=6),
                                   time_limit=5, budget=900)
    assert run.budget == {"given": 900, "spent": 0, "committed": 0, "available": 900}
    assert run.problem["budget"] == 900
    assert planning_runs.create_run(city["monday"], city["monday"], time_limit=5).budget is None
