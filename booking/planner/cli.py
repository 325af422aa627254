"""flask --app booking plan: the coordinator's planning from the command line."""

import click

from booking.services import planning_publish, planning_runs
from booking.services.errors import ServiceError


def init_app(app):
    app.cli.add_command(plan)


@click.command("plan")
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="first day to plan (local date)")
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="last day to plan (local date)")
@click.option("--time-limit", default=30, show_default=True, help="seconds the solver may take")
@click.option("--budget", type=int, default=None, help="euros available for staff in this period")
@click.option("--repair", is_flag=True, help="re-plan only what is published (after a drop-out)")
@click.option("--publish", is_flag=True, help="publish the plan at once")
def plan(start, end, time_limit, budget, repair, publish):
    """Plan sessions, rooms and staff for a period, and optionally publish."""
    try:
        run = planning_runs.create_run(start.date(), end.date(), time_limit=time_limit,
                                       budget=budget, repair=repair, purpose="command line")
        run = planning_runs.execute_run(run.id)
    except ServiceError as error:
        raise click.ClickException(f"{error.message} {error.fields or ''}".strip()) from None
    click.echo(summary(run))
    if run.status != "done":
        raise click.ClickException(run.error or f"run {run.status}")
    if publish:
        result = planning_publish.publish(run.id)
        click.echo("Published: " + ", ".join(f"{n} {a}" for a, n in run.published.items()
                                              if a != "problems" and n))
        for problem in result.problems:
            click.echo(f"  not published: {problem}")


def summary(run) -> str:
    plan = run.plan or {}
    lines = [f"Run {run.id} ({run.horizon_start} to {run.horizon_end}): {run.status}, "
             f"{plan.get('status', '-')}, objective {plan.get('objective')}, bound {plan.get('bound')}, "
             f"{len(plan.get('sessions', []))} sessions, cost EUR {plan.get('cost', 0)}"]
    for unmet in plan.get("unmet", []):
        lines.append(f"  unmet {unmet['demand']} x{unmet['missing']}: {unmet['reason']}")
    for cancelled in plan.get("cancelled", []):
        lines.append(f"  cancelled {cancelled['id']}: {cancelled['reason']}")
    return "\n".join(lines)


