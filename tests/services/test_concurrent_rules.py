"""Many workers at once never put a room or a person in two places: time
changes race new sessions for the same room, assignments race for the same
person. Threads, each with its own app context and database connection, as
gunicorn's threads would; on SQLite here and on PostgreSQL in its pass."""
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select

from booking.extensions import db
from booking.models import Session, StaffAssignment
from booking.services import sessions as session_service
from booking.services import staff
from booking.services.errors import ServiceError
from tests.conftest import brussels

RACERS = 10


def race(app, jobs):
    """Run every job at the same moment, each in its own app context."""
    start = threading.Barrier(len(jobs))

    def run(job):
        with app.app_context():
            start.wait(timeout=30)
            try:
                job()
                return "ok"
            except ServiceError as refused:
                return refused.code
            finally:
                db.session.remove()

    db.session.remove()
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def overlaps(room_id):
    live = db.session.scalars(select(Session).where(
        Session.room_id == room_id, Session.status != "cancelled")).all()
    return [(a.id, b.id) for a in live for b in live
            if a.id < b.id and a.starts_at < b.ends_at and b.starts_at < a.ends_at]


def test_time_changes_and_new_sessions_never_double_book_a_room(app, make):
    room = make.room(capacity=10)
    theme = make.theme(duration_minutes=60, needs=[])
    morning = [make.session(room=room, theme=theme,
                            starts_at=brussels("2027-05-03 08:00") + timedelta(days=i),
                            ends_at=brussels("2027-05-03 09:00") + timedelta(days=i))
               for i in range(RACERS)]
    room_id, theme_id = room.id, theme.id
    slots = [(brussels("2027-05-03 14:00") + timedelta(days=i),
              brussels("2027-05-03 15:00") + timedelta(days=i)) for i in range(RACERS)]
    moves = [lambda s=s.id, slot=slot: session_service.update(
        s, {"starts_at": slot[0], "ends_at": slot[1]}) for s, slot in zip(morning, slots)]
    news = [lambda slot=slot: session_service.publish(
        theme_id=theme_id, room_id=room_id, starts_at=slot[0], ends_at=slot[1], capacity=5)
        for slot in slots]
    outcomes = race(app, [job for pair in zip(moves, news) for job in pair])
    assert set(outcomes) <= {"ok", "conflict"}
    assert overlaps(room_id) == []
    # Each afternoon slot went to exactly one of its two claimants.
    assert outcomes.count("ok") == RACERS


def test_parallel_assignments_never_put_a_person_in_two_places(app, make):
    person = make.person(roles=["trainer"])
    start = brussels("2027-05-04 10:00")
    sessions = [make.session(starts_at=start) for _ in range(RACERS)]
    person_id = person.id
    outcomes = race(app, [lambda s=s.id: staff.assign(s, person_id, "trainer")
                          for s in sessions])
    assert sorted(outcomes) == ["ok"] + ["staff_busy"] * (RACERS - 1)
    assignments = db.session.scalars(select(StaffAssignment).where(
        StaffAssignment.person_id == person_id)).all()
    assert len(assignments) == 1


def test_moving_a_session_onto_its_trainers_other_session_is_refused(make):
    person = make.person(roles=["trainer"])
    first = make.session(starts_at=brussels("2027-05-05 10:00"))
    second = make.session(starts_at=brussels("2027-05-05 14:00"))
    staff.assign(first.id, person.id, "trainer")
    staff.assign(second.id, person.id, "trainer")
    with pytest.raises(ServiceError) as refused:
        session_service.update(second.id, {"starts_at": brussels("2027-05-05 11:00"),
                                           "ends_at": brussels("2027-05-05 13:00")})
    assert refused.value.code == "staff_busy"
