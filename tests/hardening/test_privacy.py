"""Privacy (issue 12): the purge reaches failed log-ins, audit entries,
pending messages and old backups; backups are 0600; the log sender writes
no phone numbers or names."""
import logging
import os
import stat
from datetime import timedelta

from sqlalchemy import func, select

from booking.extensions import db
from booking.models import AuditEntry, Booking, LoginFailure, OutboxMessage, utcnow
from booking.services import accounts, delivery
from booking.services.purge import purge
from tests.conftest import in_days


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_purge_reaches_failed_log_ins_audit_entries_pending_messages_and_old_backups(
        app, make, tmp_path):
    app.config["BACKUP_DIR"] = str(tmp_path)
    now = utcnow()
    old = make.session(starts_at=in_days(-200))
    booking = Booking(session=old, ticket="OLDTCKT2", kind="pre_registered", status="confirmed",
                      name="Samira", phone="0470 12 34 56")
    db.session.add(booking)
    db.session.commit()
    db.session.add_all([
        AuditEntry(actor="user:1 staff@x.test (partner_staff)", action="update",
                   object_type="booking", object_id=booking.id,
                   changes={"ticket": "OLDTCKT2", "status": ["confirmed", "attended"]}),
        OutboxMessage(event="reminder", channel="sms", recipient="+32470123456",
                      body="Samira, tomorrow 10:00", session_id=old.id, status="pending",
                      created_at=now - timedelta(days=200)),
        LoginFailure(email="someone@x.test", address="203.0.113.5",
                     failed_at=now - timedelta(hours=2)),
    ])
    db.session.commit()
    old_backup = tmp_path / "instap-backup-20260101-000000.json"
    new_backup = tmp_path / "instap-backup-20261201-000000.json"
    for path in (old_backup, new_backup):
        path.write_text("{}")
    aged = (now - timedelta(days=120)).timestamp()
    os.utime(old_backup, (aged, aged))

    result = purge(now=now)

    assert _count(LoginFailure) == 0 and result.login_failures == 1
    assert _count(OutboxMessage) == 0
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "booking",
                                                        AuditEntry.actor.startswith("user:1"))).one()
    assert entry.changes == {} and entry.action == "update"  # who, what and when stay
    assert not old_backup.exists() and new_backup.exists() and result.backups == 1
    again = purge(now=now)
    assert (again.login_failures, again.audit_entries, again.backups) == (0, 0, 0)


def test_a_recent_failed_log_in_stays_for_the_lock_out(app):
    db.session.add(LoginFailure(email="a@x.test", address="203.0.113.5",
                                failed_at=utcnow() - timedelta(minutes=3)))
    db.session.commit()
    purge()
    assert _count(LoginFailure) == 1


def test_backups_are_readable_by_their_owner_only(app, make, runner, tmp_path):
    make.session()
    existing = tmp_path / "given.json"
    existing.write_text("old")
    existing.chmod(0o644)
    assert runner.invoke(args=["backup", str(existing)]).exit_code == 0
    assert stat.S_IMODE(existing.stat().st_mode) == 0o600
    app.config["BACKUP_DIR"] = str(tmp_path / "backups")
    result = runner.invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    (written,) = (tmp_path / "backups").glob("instap-backup-*.json")
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "backups").stat().st_mode) == 0o700


def test_the_log_sender_writes_no_phone_number_nor_name(app, caplog):
    message = OutboxMessage(event="reminder", channel="sms", recipient="+32470123456",
                            body="Samira, your workshop is tomorrow")
    db.session.add(message)
    db.session.commit()
    with caplog.at_level(logging.INFO, logger=delivery.log.name):
        delivery.LogSender().send(message)
    assert caplog.records, "the log says a message was not delivered"
    assert "+32470123456" not in caplog.text and "Samira" not in caplog.text


def test_failed_log_ins_never_put_the_password_in_the_database(app, make):
    accounts.authenticate("someone@x.test", "my secret guess", "203.0.113.9")
    row = db.session.scalars(select(LoginFailure)).one()
    assert "my secret guess" not in repr(vars(row))
