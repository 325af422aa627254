from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from booking.models.base import Base, utcnow


class AuditEntry(Base):
    """Who changed which session, booking or staff assignment, and how.
    Written by booking/audit.py for every change made by staff (portal,
    planner, API token, command line), never by participants."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(20))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    changes: Mapped[dict] = mapped_column(default=dict)
