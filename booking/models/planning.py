from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.models.base import Base, utcnow

RUN_STATUSES = ("queued", "running", "done", "failed", "cancelled")


class Demand(Base):
    """What the coordinator asks for: `sessions` sessions of a theme in a
    window, at given locations or areas (planning format's `demand`)."""

    __tablename__ = "demand"

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[str] = mapped_column(ForeignKey("theme.id"), index=True)
    sessions: Mapped[int] = mapped_column(default=1)
    per_week: Mapped[bool] = mapped_column(default=False)
    location_ids: Mapped[list | None] = mapped_column(default=None)
    areas: Mapped[list | None] = mapped_column(default=None)
    language: Mapped[str | None] = mapped_column(String(10))
    priority: Mapped[int] = mapped_column(default=3)
    window_start: Mapped[date | None]
    window_end: Mapped[date | None]
    same_slot_each_week: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(String(300), default="")

    theme: Mapped["Theme"] = relationship()  # noqa: F821


class PlanningRun(Base):
    """One run of the planner: the problem it was given, its progress while
    it runs, the plan it found, and what of it was published."""

    __tablename__ = "planning_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    purpose: Mapped[str] = mapped_column(String(200), default="")
    # A problem imported from a file may name rooms and people that are not
    # ours: its plan can be reviewed and downloaded, never published.
    imported: Mapped[bool] = mapped_column(default=False)
    horizon_start: Mapped[date]
    horizon_end: Mapped[date]
    time_limit: Mapped[int] = mapped_column(default=30)
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    worker: Mapped[str | None] = mapped_column(String(100))
    progress: Mapped[dict] = mapped_column(default=dict)
    problem: Mapped[dict] = mapped_column(default=dict)
    plan: Mapped[dict | None] = mapped_column(default=None)
    # {"given", "spent", "committed", "available"} in euros when a budget was
    # given: services/planning.py build_problem(budget_use=...)
    budget: Mapped[dict | None] = mapped_column(default=None)
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    published: Mapped[dict | None] = mapped_column(default=None)
