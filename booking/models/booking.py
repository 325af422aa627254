from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.models.base import Base, enum_column, utcnow


class BookingKind(StrEnum):
    walk_in = "walk_in"
    pre_registered = "pre_registered"
    referred = "referred"


class BookingStatus(StrEnum):
    confirmed = "confirmed"
    waitlisted = "waitlisted"
    cancelled = "cancelled"
    attended = "attended"
    no_show = "no_show"  # did not come in time: the seat went to someone else


BOOKING_KINDS = tuple(BookingKind)
BOOKING_STATUSES = tuple(BookingStatus)
# Statuses that hold one of the session's seats. A no-show gave theirs up.
SEAT_HOLDING_STATUSES = (BookingStatus.confirmed, BookingStatus.attended)
# The age groups of the seeds; reports group by them.
AGE_GROUPS = ("00-24", "25-29", "30-39", "40-49", "50-54", "55-59", "60-64", "65+")


class Booking(Base):
    """A seat, or a place on the waiting list, for one person. The waiting
    list is ordered by id: ids are handed out while the session is locked."""

    __tablename__ = "booking"
    __table_args__ = (
        UniqueConstraint("session_id", "idempotency_key", name="uq_booking_idempotency"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("session.id"), index=True)
    ticket: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[str] = mapped_column(enum_column(BookingKind, "booking_kind", 20))
    status: Mapped[str] = mapped_column(enum_column(BookingStatus, "booking_status", 20), index=True)
    name: Mapped[str | None] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(30))
    language: Mapped[str | None] = mapped_column(String(10))
    age_group: Mapped[str | None] = mapped_column(String(10))
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    # A digest of the request that used the key: the same key with another
    # request is refused, so a key never hands out someone else's ticket.
    idempotency_fingerprint: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[datetime | None]
    # The status a booking had when its session was cancelled, so undoing
    # the cancellation gives each person back what they had.
    status_before_cancel: Mapped[str | None] = mapped_column(String(20))
    checked_in_at: Mapped[datetime | None]

    session: Mapped["Session"] = relationship(back_populates="bookings")  # noqa: F821

    @property
    def holds_seat(self) -> bool:
        return self.status in SEAT_HOLDING_STATUSES
