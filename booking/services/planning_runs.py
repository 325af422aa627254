"""Planning runs: queue one, run it in the background with live progress,
cancel it. A run executes in an RQ worker when REDIS_URL is set (so many
cities can plan on a pool of workers), otherwise in a local process. The
launcher (PLANNING_LAUNCHER) is named in the settings, so this module never
imports booking.worker, which imports this one.

Cancelling sets the run's status; the running search reads that flag (the
progress reporter polls it) and stops, keeping nothing of the plan."""
import importlib
import threading
import time
from datetime import date

from flask import current_app
from sqlalchemy import select, update

from booking.extensions import db
from booking.models import PlanningRun, utcnow
from booking.services.errors import Conflict, InvalidInput, NotFound
from booking.services.planning import build_problem
from scheduler.problem import ProblemError, load_problem
from scheduler.solve import solve

PROGRESS_EVERY_SECONDS = 0.5


def create_run(start: date, end: date, *, time_limit: int = 30, budget: int | None = None,
               repair: bool = False, purpose: str = "", user_id: int | None = None) -> PlanningRun:
    if end < start:
        raise InvalidInput("The period ends before it starts.", {"end": "must not be before start"})
    if (end - start).days > 190:
        raise InvalidInput("Plan at most half a year at once.", {"end": "at most 190 days after start"})
    if not 1 <= time_limit <= 600:
        raise InvalidInput("Time limit out of range.", {"time_limit": "1 to 600 seconds"})
    budget_use: dict = {}
    problem = build_problem(start, end, timezone=current_app.config["TIMEZONE"], budget=budget,
                            repair=repair, name=purpose, budget_use=budget_use)
    run = PlanningRun(horizon_start=start, horizon_end=end, time_limit=time_limit, purpose=purpose,
                      created_by_id=user_id, problem=problem, budget=budget_use or None,
                      status="queued",
                      progress={"elapsed": 0, "objective": None, "bound": None})
    db.session.add(run)
    db.session.commit()
    return run


def import_run(problem: dict, *, time_limit: int = 30, user_id: int | None = None) -> PlanningRun:
    """A run of a coordinator's own problem file: checked against the
    planning format first, so a bad file is refused with every error's path."""
    try:
        loaded = load_problem(problem)
    except ProblemError as error:
        raise InvalidInput("The file is not a valid planning problem.",
                           {path: message for path, message in error.errors}) from None
    run = PlanningRun(horizon_start=loaded.horizon[0], horizon_end=loaded.horizon[1],
                      time_limit=time_limit, purpose=f"imported: {loaded.name}"[:200],
                      imported=True, created_by_id=user_id, problem=problem, status="queued",
                      progress={"elapsed": 0, "objective": None, "bound": None})
    db.session.add(run)
    db.session.commit()
    return run


def get_run(run_id: int) -> PlanningRun:
    run = db.session.get(PlanningRun, run_id)
    if run is None:
        raise NotFound("No planning run has this id.")
    return run


def recent_runs(limit: int = 20):
    return db.session.scalars(select(PlanningRun).order_by(PlanningRun.id.desc()).limit(limit)).all()


def execute_run(run_id: int, *, workers: int | None = None) -> PlanningRun:
    """Solve a queued run here and now, writing progress as it goes."""
    run = get_run(run_id)
    if run.status == "cancelled":
        return run  # cancelled before a worker took it: nothing to do
    if run.status != "queued":
        raise Conflict(f"This run is {run.status}, not queued.")
    run.status, run.started_at = "running", utcnow()
    db.session.commit()
    latest = {"elapsed": 0.0, "objective": None, "bound": None}
    done = threading.Event()
    stop = threading.Event()  # set when the run is cancelled: the solver's callback reads it
    app = current_app._get_current_object()

    def on_progress(objective, bound, elapsed):
        # Early in the search CP-SAT's bound can be far below zero, which no
        # plan can score: until it is positive nothing useful is proven.
        latest.update(objective=None if objective is None else round(objective),
                      bound=None if bound is None or bound < 0 else round(bound))

    def report():
        started = time.monotonic()
        with app.app_context():
            while not done.wait(PROGRESS_EVERY_SECONDS):
                latest["elapsed"] = round(time.monotonic() - started, 1)
                if not _write_progress(run_id, dict(latest)):
                    stop.set()  # no longer running: cancelled meanwhile
            db.session.remove()

    reporter = threading.Thread(target=report, daemon=True)
    reporter.start()
    try:
        plan = solve(run.problem, time_limit=run.time_limit,
                     workers=workers or current_app.config["PLANNER_WORKERS"],
                     on_progress=on_progress, should_stop=stop.is_set).to_json()
    except Exception as error:  # the run records why; the worker lives on
        done.set()
        reporter.join()
        return _finish(run_id, "failed", error=f"{type(error).__name__}: {error}")
    done.set()
    reporter.join()
    status = "done" if plan["status"] in ("OPTIMAL", "FEASIBLE") else "failed"
    error = None if status == "done" else _why_no_plan(plan)
    return _finish(run_id, status, plan=plan, error=error, progress={
        "elapsed": plan["solve_seconds"], "objective": plan["objective"], "bound": plan["bound"]})


def _why_no_plan(plan) -> str:
    if plan["status"] == "INVALID":
        return "; ".join(f"{e['path']}: {e['message']}" for e in plan.get("errors", []))
    return "No plan was found within the time limit; allow more time."


def _write_progress(run_id, progress) -> bool:
    """Record progress; False when the run is no longer running (it was cancelled)."""
    result = db.session.execute(update(PlanningRun).where(PlanningRun.id == run_id,
                                                          PlanningRun.status == "running")
                                .values(progress=progress))
    db.session.commit()
    return result.rowcount > 0


def _finish(run_id, status, *, plan=None, error=None, progress=None) -> PlanningRun:
    run = get_run(run_id)
    db.session.refresh(run)
    if run.status == "cancelled":
        return run
    run.status, run.finished_at, run.error = status, utcnow(), error
    if plan is not None:
        run.plan = plan
    if progress is not None:
        run.progress = progress
    db.session.commit()
    return run


def start_run(run_id: int) -> PlanningRun:
    """Hand the run to the background launcher (PLANNING_LAUNCHER) and return at once."""
    run = get_run(run_id)
    module, _, name = current_app.config["PLANNING_LAUNCHER"].partition(":")
    launch = getattr(importlib.import_module(module), name)
    run.worker = launch(run_id, run.time_limit)
    db.session.commit()
    return run


def waiting_note(run) -> str | None:
    """Why a queued run has not started, when nothing will start it: no RQ worker listens."""
    if run.status != "queued" or not (run.worker or "").startswith("rq:"):
        return None
    from redis import Redis
    from redis.exceptions import RedisError
    from rq import Worker

    try:
        listening = [w for w in Worker.all(connection=Redis.from_url(current_app.config["REDIS_URL"]))
                     if "planning" in w.queue_names()]
    except RedisError:
        return "no-redis"
    return None if listening else "no-worker"


def cancel_run(run_id: int) -> PlanningRun:
    """Mark the run cancelled. A running search reads the flag within a second and stops;
    a queued RQ job is taken off the queue."""
    run = get_run(run_id)
    if run.status not in ("queued", "running"):
        raise Conflict(f"This run is {run.status}; only a queued or running run can be cancelled.")
    queued, worker = run.status == "queued", run.worker or ""
    run.status, run.finished_at = "cancelled", utcnow()
    db.session.commit()
    if queued and worker.startswith("rq:"):
        _drop_queued_job(worker[3:])
    return run


def _drop_queued_job(job_id: str):
    from redis import Redis
    from rq.exceptions import InvalidJobOperation, NoSuchJobError
    from rq.job import Job

    connection = Redis.from_url(current_app.config["REDIS_URL"])
    try:
        Job.fetch(job_id, connection=connection).cancel()
    except (NoSuchJobError, InvalidJobOperation):
        pass
