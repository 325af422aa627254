from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.models.base import Base, enum_column, utcnow
from booking.models.theme import SessionKind


class SessionStatus(StrEnum):
    draft = "draft"
    published = "published"
    cancelled = "cancelled"


SESSION_STATUSES = tuple(SessionStatus)


class Session(Base):
    """One occurrence of a theme in a room. Times are aware and stored in UTC.
    `sequence` counts changes a calendar must notice (RFC 5545 SEQUENCE)."""

    __tablename__ = "session"
    __table_args__ = (
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        CheckConstraint(
            "walk_in_seats >= 0 AND walk_in_seats <= capacity", name="walk_in_within_capacity"
        ),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[str] = mapped_column(ForeignKey("theme.id"), index=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    capacity: Mapped[int]
    walk_in_seats: Mapped[int] = mapped_column(default=0)
    languages: Mapped[list] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(
        enum_column(SessionStatus, "session_status", 20), default=SessionStatus.published, index=True
    )
    kind: Mapped[str] = mapped_column(
        enum_column(SessionKind, "session_kind"), default=SessionKind.workshop
    )
    sequence: Mapped[int] = mapped_column(default=0)
    # Sessions published together as a weekly series share this id
    # (booking.services.series); None for a one-off session.
    series_id: Mapped[str | None] = mapped_column(String(36), index=True)
    # When it was cancelled and what it was before: a cancellation can be
    # undone for a while (booking.services.undo).
    cancelled_at: Mapped[datetime | None]
    status_before_cancel: Mapped[str | None] = mapped_column(String(20))
    # When the bookings not checked in NO_SHOW_AFTER_MINUTES after the start
    # were marked no-show and their seats given on: done once per session.
    no_shows_settled_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    theme: Mapped["Theme"] = relationship()  # noqa: F821
    room: Mapped["Room"] = relationship()  # noqa: F821
    bookings: Mapped[list["Booking"]] = relationship(  # noqa: F821
        back_populates="session", order_by="Booking.id"
    )
    assignments: Mapped[list["StaffAssignment"]] = relationship(  # noqa: F821
        back_populates="session", cascade="all, delete-orphan"
    )

    @property
    def location(self):
        return self.room.location

    @property
    def organisation_id(self) -> int:
        return self.room.location.organisation_id
