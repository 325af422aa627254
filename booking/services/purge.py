"""Privacy: personal data is removed when no longer needed, statistics stay.

`purge()` runs daily (`flask --app booking purge`). For every session that
ended more than RETENTION_DAYS ago it removes
- the name and phone number of its bookings,
- the client's name, phone, need and the helper's free-text feedback of its
  referrals (whether the client came, the language and the dates stay),
- the messages the outbox sent or gave up on about it (they hold a phone
  number or e-mail address and often a name); outbox messages about no
  session (account e-mails) go once they are that old themselves.
Queue tickets and feedback hold no personal data (a number, a topic, a
language, a score), so nothing is removed there.

Reports never read the removed fields, so every figure stays exact. Running
it twice removes nothing more the second time; it is one transaction, so an
interrupted run removes nothing. Daily from cron, for example:

    15 3 * * *  cd /srv/instap && .venv/bin/flask --app booking purge"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_, select, update

from booking.extensions import db
from booking.models import Booking, OutboxMessage, Referral, Session, utcnow


@dataclass
class PurgeResult:
    cutoff: datetime
    bookings: int = 0
    referrals: int = 0
    outbox_messages: int = 0

    def __str__(self) -> str:
        return (
            f"Removed personal data of sessions that ended before "
            f"{self.cutoff.isoformat(timespec='minutes')}: names and phone numbers of "
            f"{self.bookings} booking(s); names, phone numbers, needs and feedback texts of "
            f"{self.referrals} referral(s); {self.outbox_messages} sent or failed message(s)."
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
        .where(OutboxMessage.status != "pending",
               OutboxMessage.created_at < cutoff,
               or_(OutboxMessage.session_id.is_(None),
                   OutboxMessage.session_id.in_(old_sessions)))
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    db.session.expire_all()
    return result

