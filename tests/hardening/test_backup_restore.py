"""flask backup and flask restore, end to end: what comes back is what went out."""
import json

from sqlalchemy import func, select

from booking import create_app
from booking.extensions import db
from booking.models import Base, Booking
from booking.services.demo import seed


def snapshot(client):
    return {
        "sessions": client.get("/api/v1/sessions?from=2000-01-01").get_json(),
        "locations": client.get("/api/v1/locations").get_json(),
    }


def counts():
    return {t.name: db.session.scalar(select(func.count()).select_from(t))
            for t in Base.metadata.sorted_tables}


def test_backup_then_restore_into_a_new_database_gives_everything_back(
        app, client, runner, tmp_path, second_database_uri):
    db.drop_all()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    seed()
    before, rows_before = snapshot(client), counts()
    ticket = db.session.scalars(select(Booking.ticket)).first()
    path = tmp_path / "instap-backup.json"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    assert json.loads(path.read_text())["format"] == "instap-backup"

    other = create_app({"TESTING": True, "SECRET_KEY": "x", "RATELIMIT_ENABLED": False,
                        "SQLALCHEMY_DATABASE_URI": second_database_uri})
    with other.app_context():
        restored = other.test_cli_runner().invoke(args=["restore", str(path)])
        assert restored.exit_code == 0, restored.output
        assert counts() == rows_before
        other_client = other.test_client()
        assert snapshot(other_client) == before
        assert other_client.get(f"/api/v1/bookings/{ticket}").status_code == 200
        # New rows get new ids after a restore (sequences moved past the old ones).
        session_id = before["sessions"][-1]["id"]
        booked = other_client.post(f"/api/v1/sessions/{session_id}/bookings",
                                  json={"kind": "pre_registered"})
        assert booked.status_code == 201
        again = other.test_cli_runner().invoke(args=["restore", str(path)])
        assert again.exit_code != 0 and "not empty" in again.output
        db.session.remove()
        db.engine.dispose()


def test_restore_refuses_a_file_that_is_not_a_backup(runner, tmp_path):
    db.drop_all()
    path = tmp_path / "not-a-backup.json"
    path.write_text('{"hello": "world"}')
    result = runner.invoke(args=["restore", str(path)])
    assert result.exit_code != 0 and "not an Instap backup" in result.output
