"""A counsellor's referral of a client to a session or a drop-in help hour,
and the trainer's or steward's feedback afterwards. Personal data is
minimal: a first name or initials, an optional phone, the need."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.models.base import Base, utcnow


class Referral(Base):
    __tablename__ = "referral"

    id: Mapped[int] = mapped_column(primary_key=True)
    counsellor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("session.id"), index=True)
    # None for a drop-in help hour: the client walks in, no seat is held.
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("booking.id"), index=True)
    client_name: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str | None] = mapped_column(String(30))
    need: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(10), default="nl")
    consent_recorded_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Feedback from whoever helped the client.
    came: Mapped[bool | None]
    learned: Mapped[str | None] = mapped_column(Text)
    next_step: Mapped[str | None] = mapped_column(Text)
    feedback_at: Mapped[datetime | None]
    feedback_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    counsellor: Mapped["User"] = relationship(foreign_keys=[counsellor_id])  # noqa: F821
    feedback_by: Mapped["User | None"] = relationship(foreign_keys=[feedback_by_id])  # noqa: F821
    session: Mapped["Session"] = relationship()  # noqa: F821
    booking: Mapped["Booking | None"] = relationship()  # noqa: F821

    @property
    def has_feedback(self) -> bool:
        return self.feedback_at is not None
