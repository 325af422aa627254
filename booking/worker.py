"""Entry points of background work, outside any request.

RQ: `rq worker planning --url $FLASK_REDIS_URL` with the site's FLASK_*
environment runs `run_planning_job`. Without Redis the site starts a local
process per run (`start_local_process`)."""
import multiprocessing
import threading

from flask import current_app


def run_planning_job(run_id: int):
    _execute(create_app_for_job(), run_id)


def create_app_for_job(config: dict | None = None):
    from booking import create_app

    return create_app(config)


def _execute(app, run_id: int):
    """Run one planning job and give every database connection back: an RQ
    worker lives on, and a connection left to the garbage collector lingers."""
    from booking.extensions import db
    from booking.services.planning_runs import execute_run

    with app.app_context():
        try:
            execute_run(run_id)
        finally:
            db.session.remove()
            db.engine.dispose()


def _run_in_process(config: dict, run_id: int):
    _execute(create_app_for_job(config), run_id)


def launch(run_id: int, time_limit: int) -> str:
    """The default PLANNING_LAUNCHER: an RQ job when REDIS_URL is set, else a local process.
    Returns what the run records as its worker ("rq:JOB" or "local:PID")."""
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        from redis import Redis
        from rq import Queue

        job = Queue("planning", connection=Redis.from_url(redis_url)).enqueue(
            "booking.worker.run_planning_job", run_id, job_timeout=time_limit + 120,
        )
        return f"rq:{job.id}"
    return f"local:{start_local_process(run_id)}"


def start_local_process(run_id: int) -> int:
    keys = ("SQLALCHEMY_DATABASE_URI", "TIMEZONE", "PLANNER_WORKERS", "SECRET_KEY")
    config = {k: current_app.config[k] for k in keys if k in current_app.config}
    process = multiprocessing.get_context("spawn").Process(
        target=_run_in_process, args=(config, run_id), name=f"planning-run-{run_id}"
    )
    process.start()
    # Reap the child when it ends, so no zombie stays behind in a long-lived worker.
    threading.Thread(target=process.join, daemon=True).start()
    return process.pid
