"""The drop-in help hour's queue: a walk-in takes a number for a topic at a
location's kiosk while a help hour (a published drop-in session) runs there;
a staff screen calls the next number, a display screen shows who is called.
Every number belongs to one help hour, and numbers start again at 1 for
each help hour. No name is kept: the number is all a person needs."""
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.models.base import Base, utcnow

# The questions the ICT steward hears most (MISSION.md, drop-in help hour).
DROPIN_TOPICS = ("email", "cv", "career", "eid", "forms", "passwords", "apps", "other")
QUEUE_STATUSES = ("waiting", "called", "done", "gone")


class QueueTicket(Base):
    __tablename__ = "queue_ticket"
    __table_args__ = (
        UniqueConstraint("session_id", "number", name="uq_queue_ticket_number"),
        CheckConstraint("number > 0", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"), index=True)
    # The help hour this number was taken for. Numbers handed out before
    # help hours were tracked have none; they are kept for the reports.
    session_id: Mapped[int | None] = mapped_column(ForeignKey("session.id"), index=True)
    day: Mapped[date] = mapped_column(index=True)  # local day, for reports
    number: Mapped[int]
    topic: Mapped[str] = mapped_column(String(20))
    language: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="waiting", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    called_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    location: Mapped["Location"] = relationship()  # noqa: F821
    session: Mapped["Session"] = relationship()  # noqa: F821


class StaffCall(Base):
    """Someone at a kiosk pressed "call a staff member"."""

    __tablename__ = "staff_call"

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"), index=True)
    language: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]
