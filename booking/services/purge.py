"""Privacy: personal data is removed when no longer needed, statistics stay.

`purge()` runs daily (`flask --app booking purge`). For every session that
ended more than RETENTION_DAYS ago it removes
- the name and phone number of its bookings,
- the client's name, phone, need and the helper's free-text feedback of its
  referrals (whether the client came, the language and the dates stay),
- the messages the outbox holds about it, sent, failed or still pending
  (they hold a phone number or e-mail address and often a name); outbox
  messages about no session (account e-mails) go once they are that old
  themselves;
- what the audit log noted about its bookings (ticket codes, statuses): who
  did what and when stays, the changed values go;
and, whatever the session,
- failed log-ins (an e-mail address and a client address) once they are
  older than the lock-out window, which is all they are kept for;
- backup files in BACKUP_DIR older than RETENTION_DAYS: they hold the very
  data this removes.
Queue tickets and feedback hold no personal data (a number, a topic, a
language, a score), so nothing is removed there.

Reports never read the removed fields, so every figure stays exact. Running
it twice removes nothing more the second time; it is one transaction, so an
interrupted run removes nothing. Daily from cron, for example:

    15 3 * * *  cd /srv/instap && .venv/bin/flask --app booking purge"""
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import Text, cast, delete, or_, select, update

from booking.extensions import db
from booking.models import (
    AuditEntry, Booking, LoginFailure, OutboxMessage, Referral, Session, utcnow,
)
from booking.services.backup import BACKUP_PATTERN


@dataclass
class PurgeResult:
    cutoff: datetime
    bookings: int = 0
    referrals: int = 0
    outbox_messages: int = 0
    login_failures: int = 0
    audit_entries: int = 0
    backups: int = 0

    def __str__(self) -> str:
        return (
            f"Removed personal data of sessions that ended before "
            f"{self.cutoff.isoformat(timespec='minutes')}: names and phone numbers of "
            f"{self.bookings} booking(s); names, phone numbers, needs and feedback texts of "
            f"{self.referrals} referral(s); {self.outbox_messages} message(s); the details of "
            f"{self.audit_entries} audit entries; {self.login_failures} failed log-in(s); "
            f"{self.backups} old backup file(s)."
        )


def purge(*, now: datetime | None = None, retention_days: int | None = None) -> PurgeResult:
    now = now or utcnow()
    if retention_days is None:
        retention_days = int(current_app.config["RETENTION_DAYS"])
    if retention_days < 0:
        raise ValueError("RETENTION_DAYS must not be negative")
    cutoff = now - timedelta(days=retention_days)
    old_sessions = select(Session.id).where(Session.ends_at < cutoff)
    result = PurgeResult(cutoff)

    result.bookings = db.session.execute(
        update(Booking)
        .where(Booking.session_id.in_(old_sessions),
               or_(Booking.name.is_not(None), Booking.phone.is_not(None)))
        .values(name=None, phone=None)
        .execution_options(synchronize_session=False)
    ).rowcount

    # client_name and need are required columns: emptied, not nulled.
    result.referrals = db.session.execute(
        update(Referral)
        .where(Referral.session_id.in_(old_sessions),
               or_(Referral.client_name != "", Referral.phone.is_not(None),
                   Referral.need != "", Referral.learned.is_not(None),
                   Referral.next_step.is_not(None)))
        .values(client_name="", phone=None, need="", learned=None, next_step=None)
        .execution_options(synchronize_session=False)
    ).rowcount

    result.outbox_messages = db.session.execute(
        delete(OutboxMessage)
        .where(OutboxMessage.created_at < cutoff,
               or_(OutboxMessage.session_id.is_(None),
                   OutboxMessage.session_id.in_(old_sessions)))
        .execution_options(synchronize_session=False)
    ).rowcount
    old_bookings = select(Booking.id).where(Booking.session_id.in_(old_sessions))
    result.audit_entries = db.session.execute(
        update(AuditEntry)
        .where(AuditEntry.object_type == "booking", AuditEntry.object_id.in_(old_bookings),
               cast(AuditEntry.changes, Text) != "{}")  # json has no = on PostgreSQL
        .values(changes={})
        .execution_options(synchronize_session=False)
    ).rowcount

    lockout = timedelta(minutes=int(current_app.config.get("LOGIN_LOCKOUT_MINUTES", 15)))
    result.login_failures = db.session.execute(
        delete(LoginFailure).where(LoginFailure.failed_at < now - lockout)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    db.session.expire_all()
    # Files last: a database purge that failed leaves the backups alone.
    result.backups = _remove_old_backups(cutoff)
    return result


def _remove_old_backups(cutoff: datetime) -> int:
    folder = current_app.config.get("BACKUP_DIR")
    if not folder:
        return 0
    removed = 0
    for path in Path(folder).glob(BACKUP_PATTERN):
        if datetime.fromtimestamp(path.stat().st_mtime, UTC) < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed

