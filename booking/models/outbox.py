"""Every message Instap sends, recorded before it is sent, so that nothing
is lost when a mail server or gateway is down: `flask send-outbox` retries.

An e-mail goes pending -> sent (the mail server took it). An SMS goes
pending -> accepted (the Kannel gateway took it) -> delivered or failed (the
operator's delivery report). A message the transport refused stays pending
with `next_attempt_at` set (back-off) until MAX_ATTEMPTS, then it is failed."""
from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from booking.models.base import Base, utcnow

OUTBOX_STATUSES = ("pending", "sent", "accepted", "delivered", "failed")
OUTBOX_CHANNELS = ("email", "sms")


class OutboxMessage(Base):
    __tablename__ = "outbox_message"
    __table_args__ = (UniqueConstraint("once_key", name="uq_outbox_message_once_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event: Mapped[str] = mapped_column(String(40), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)
    attachment_name: Mapped[str | None] = mapped_column(String(100))
    attachment: Mapped[str | None] = mapped_column(Text)
    session_id: Mapped[int | None] = mapped_column(index=True)
    # The booking a participant's SMS is about (reminders, replies).
    booking_id: Mapped[int | None] = mapped_column(index=True)
    # Makes a message that must go once per booking (the reminder) unique,
    # however often or concurrently the command that queues it runs.
    once_key: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    # When the operator reported the SMS delivered (or failed).
    reported_at: Mapped[datetime | None]
