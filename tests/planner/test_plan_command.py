"""flask --app booking plan, on the demo data."""
from datetime import timedelta

from sqlalchemy import func, select

from booking.extensions import db
from booking.models import Demand, Session
from booking.services.demo import seed


def test_plan_and_publish_the_demo_season_from_the_command_line(app, runner):
    seed()
    demand = db.session.scalars(select(Demand)).first()
    start, end = demand.window_start, demand.window_end
    before = db.session.scalar(select(func.count()).select_from(Session))
    result = runner.invoke(args=["plan", "--from", start.isoformat(), "--to", end.isoformat(),
                                 "--time-limit", "15", "--publish"])
    assert result.exit_code == 0, result.output
    assert "done" in result.output and "Published:" in result.output
    after = db.session.scalar(select(func.count()).select_from(Session))
    assert after > before + 10


def test_plan_with_a_bad_period_says_why(app, runner):
    result = runner.invoke(args=["plan", "--from", "2027-03-10", "--to", "2027-03-01"])
    assert result.exit_code != 0 and "ends before it starts" in result.output
    result = runner.invoke(args=["plan", "--from", "tomorrow", "--to", "2027-03-01"])
    assert result.exit_code != 0


def test_a_repair_on_an_unchanged_demo_changes_nothing(app, runner):
    seed()
    start = db.session.scalars(select(Demand.window_start)).first() - timedelta(days=14)
    result = runner.invoke(args=["plan", "--repair", "--from", start.isoformat(), "--to",
                                 (start + timedelta(days=6)).isoformat(), "--time-limit", "15"])
    assert result.exit_code == 0, result.output
    assert "cancelled" not in result.output and "unmet" not in result.output
