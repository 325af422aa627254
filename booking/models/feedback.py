"""After a session: "How did it go?" with three smileys. Anonymous: no
booking, no name; reports count the scores per session."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.models.base import Base, utcnow

# score: 1 = not good, 2 = so-so, 3 = good
FEEDBACK_SCORES = {1: "sad", 2: "neutral", 3: "happy"}


class Feedback(Base):
    __tablename__ = "feedback"
    __table_args__ = (CheckConstraint("score BETWEEN 1 AND 3", name="score_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("session.id"), index=True)
    score: Mapped[int]
    language: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped["Session"] = relationship()  # noqa: F821
