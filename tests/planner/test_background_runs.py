"""Runs in the background: a local process without Redis, an RQ worker with it."""
import os
import time
from datetime import timedelta

import pytest

from booking.extensions import db
from booking.models import PlanningRun
from booking.services import planning_runs


def wait_for(run_id, statuses, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.expire_all()
        run = db.session.get(PlanningRun, run_id)
        if run.status in statuses:
            return run
        time.sleep(0.3)
    raise AssertionError(f"run {run_id} still {run.status}")


@pytest.mark.slow
def test_a_run_solves_in_a_local_process_and_reports_progress(app, city):
    run = planning_runs.create_run(city["monday"], city["monday"] + timedelta(days=6), time_limit=5)
    planning_runs.start_run(run.id)
    assert run.worker.startswith("local:")
    done = wait_for(run.id, {"done", "failed"})
    assert done.status == "done" and len(done.plan["sessions"]) == 2
    assert done.progress["objective"] == done.plan["objective"]


@pytest.mark.slow
def test_a_running_run_can_be_cancelled(app):
    from scheduler.generate import generate

    # A city of a hundred sessions: no proof of optimality comes in a few seconds.
    run = planning_runs.import_run(generate("M", seed=7), time_limit=120)
    planning_runs.start_run(run.id)
    wait_for(run.id, {"running"})
    pid = int(run.worker.removeprefix("local:"))
    # no signal: the flag is all the process gets, and its search stops on reading it
    planning_runs.cancel_run(run.id)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        raise AssertionError("the planning process still runs after cancel")
    time.sleep(0.5)
    db.session.expire_all()
    assert db.session.get(PlanningRun, run.id).status == "cancelled"


REDIS_URL = os.environ.get("INSTAP_TEST_REDIS_URL")


@pytest.mark.skipif(not REDIS_URL, reason="runs in the PostgreSQL + Redis pass of the suite")
def test_with_redis_a_run_goes_to_the_rq_queue_and_a_worker_solves_it(app, city, monkeypatch):
    from redis import Redis
    from rq import Queue, SimpleWorker

    connection = Redis.from_url(REDIS_URL)
    queue = Queue("planning", connection=connection)
    queue.empty()
    app.config["REDIS_URL"] = REDIS_URL
    run = planning_runs.create_run(city["monday"], city["monday"] + timedelta(days=6), time_limit=5)
    planning_runs.start_run(run.id)
    assert run.worker.startswith("rq:") and queue.count == 1
    # A worker gets its configuration from the environment, as in production.
    monkeypatch.setenv("FLASK_SQLALCHEMY_DATABASE_URI", app.config["SQLALCHEMY_DATABASE_URI"])
    db.session.remove()
    SimpleWorker([queue], connection=connection).work(burst=True)
    done = wait_for(run.id, {"done", "failed"}, seconds=10)
    assert done.status == "done" and len(done.plan["sessions"]) == 2


@pytest.mark.skipif(not REDIS_URL, reason="runs in the PostgreSQL + Redis pass of the suite")
def test_with_redis_and_no_worker_a_queued_run_says_so(app, city):
    from redis import Redis
    from rq import Queue, Worker

    connection = Redis.from_url(REDIS_URL)
    if any("planning" in w.queue_names() for w in Worker.all(connection=connection)):
        pytest.fail("an RQ worker of another test still listens on the planning queue")
    Queue("planning", connection=connection).empty()
    app.config["REDIS_URL"] = REDIS_URL
    run = planning_runs.create_run(city["monday"], city["monday"] + timedelta(days=6), time_limit=5)
    planning_runs.start_run(run.id)
    assert planning_runs.waiting_note(run) == "no-worker"
    planning_runs.cancel_run(run.id)
    assert planning_runs.waiting_note(run) is None and Queue("planning", connection=connection).count == 0
