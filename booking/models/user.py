"""Staff accounts: partner staff (scoped to one organisation), counsellors,
trainers/stewards (linked to their Person), coordinators and admins.
Participants never have an account."""
from datetime import datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from booking.models.base import Base, utcnow

USER_ROLES = ("partner_staff", "counsellor", "trainer", "coordinator", "admin")


class User(UserMixin, Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    # A trainer, steward or volunteer account sees that person's schedule.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Raised by log-out and a password change: a session cookie carrying an
    # older version is no longer logged in (booking/auth).
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")

    organisation: Mapped["Organisation | None"] = relationship()  # noqa: F821
    person: Mapped["Person | None"] = relationship()  # noqa: F821

    def set_password(self, password: str) -> None:
        # PASSWORD_HASH_METHOD lets tests use a cheap hash; production keeps
        # werkzeug's default (scrypt).
        method = current_app.config.get("PASSWORD_HASH_METHOD") if has_app_context() else None
        if method:
            self.password_hash = generate_password_hash(password, method=method)
        else:
            self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def display_name(self) -> str:
        return self.name or self.email


class LoginFailure(Base):
    """One failed log-in, kept a short while to lock out password guessing
    per account and client address."""

    __tablename__ = "login_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
