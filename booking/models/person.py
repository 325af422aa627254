import base64
import hashlib
import hmac
import secrets

from flask import current_app
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.models.base import Base

STAFF_ROLES = ("trainer", "steward", "volunteer")


def new_feed_key() -> str:
    return secrets.token_urlsafe(24)


class Person(Base):
    """A trainer, ICT steward or volunteer who staffs sessions. The fields
    mirror the planning format's `people` so the planner can be fed from here."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    name: Mapped[str] = mapped_column(String(200))
    roles: Mapped[list] = mapped_column(default=list)
    themes: Mapped[list | None] = mapped_column(default=None)
    languages: Mapped[list] = mapped_column(default=list)
    cost_per_session: Mapped[int] = mapped_column(default=0)
    max_sessions: Mapped[int | None] = mapped_column(default=None)
    location_ids: Mapped[list | None] = mapped_column(default=None)
    availability: Mapped[list | None] = mapped_column(default=None)
    unavailable: Mapped[list] = mapped_column(default=list)
    # Not the calendar address itself: the address is derived from this key
    # and SECRET_KEY (feed_token), so a copy of the database opens no feed.
    feed_key: Mapped[str] = mapped_column(String(64), default=new_feed_key)

    assignments: Mapped[list["StaffAssignment"]] = relationship(back_populates="person")

    @property
    def feed_token(self) -> str:
        """The secret part of the person's calendar address."""
        secret = current_app.config["SECRET_KEY"]
        secret = secret.encode() if isinstance(secret, str) else secret
        mac = hmac.new(secret, f"person-feed:{self.id}:{self.feed_key}".encode(), hashlib.sha256)
        return f"{self.id}-{base64.urlsafe_b64encode(mac.digest()[:18]).decode()}"

    def has_feed_token(self, token: str) -> bool:
        return hmac.compare_digest(self.feed_token, token)


class StaffAssignment(Base):
    __tablename__ = "staff_assignment"
    __table_args__ = (UniqueConstraint("session_id", "person_id", name="uq_assignment_person"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("session.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    session: Mapped["Session"] = relationship(back_populates="assignments")  # noqa: F821
    person: Mapped[Person] = relationship(back_populates="assignments")
