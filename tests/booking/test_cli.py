"""The operator's commands."""
from datetime import timedelta

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from booking.extensions import db
from booking.models import ApiToken, Base, Booking, Location, Organisation, Session, utcnow


def test_init_db_builds_the_schema_the_models_describe(app, runner):
    db.drop_all()
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_seed_demo_builds_two_cities_of_sessions_around_today(app, runner):
    db.drop_all()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    cities = set(db.session.scalars(select(Location.city)))
    assert {"Gent", "Kortrijk"} <= cities
    sessions = db.session.scalars(select(Session)).all()
    assert len(sessions) > 50
    now = utcnow()
    assert any(s.starts_at < now - timedelta(days=3) for s in sessions)
    assert any(s.starts_at > now + timedelta(days=14) for s in sessions)
    assert db.session.scalar(select(func.count()).where(Booking.status == "attended"))
    for session in sessions:
        assert set(session.theme.titles) >= {"nl", "fr", "en", "ar", "tr"}
    # Some sessions are nearly full, as the demo promises.
    from booking.services.booking import availabilities

    seats = availabilities(sessions)
    assert any(0 < s.seats_left <= 1 for s in seats.values())
    again = runner.invoke(args=["seed-demo"])
    assert "already present" in again.output
    assert db.session.scalar(select(func.count()).select_from(Session)) == len(sessions)


def test_create_api_token_prints_a_working_token(app, runner, client, make):
    make.organisation(slug="werkwinkel-gent")
    result = runner.invoke(args=["create-api-token", "werkwinkel-gent"])
    assert result.exit_code == 0
    token = result.output.strip()
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 1
    response = client.get("/api/v1/sessions/1/bookings", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404  # authenticated: the session is unknown, not the token
    by_id = runner.invoke(args=["create-api-token", str(db.session.scalars(select(Organisation.id)).one())])
    assert by_id.exit_code == 0


def test_create_api_token_for_an_unknown_organisation_fails_clearly(app, runner):
    result = runner.invoke(args=["create-api-token", "nobody"])
    assert result.exit_code != 0 and "No organisation 'nobody'" in result.output
