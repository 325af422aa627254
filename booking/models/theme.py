from enum import StrEnum

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from booking.models.base import Base, enum_column


class SessionKind(StrEnum):
    workshop = "workshop"
    drop_in = "drop_in"  # a help hour: people take a number, nobody books
    conversation_group = "conversation_group"
    counsellor_event = "counsellor_event"


class Audience(StrEnum):
    participants = "participants"
    counsellors = "counsellors"  # staff-only events: never shown to the public


SESSION_KINDS = tuple(SessionKind)
AUDIENCES = tuple(Audience)


def title_in(titles: dict, language: str, fallback: str = "nl", *, default: str = "") -> str:
    """A theme's title in `language`, else in `fallback`, else in any language it has."""
    return titles.get(language) or titles.get(fallback) or next(iter(titles.values()), default)


class Theme(Base):
    """What a session is about. Titles and plain-language descriptions are
    stored per language ({"nl": ..., "ar": ...}) because partners write them,
    not translators of the interface."""

    __tablename__ = "theme"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    titles: Mapped[dict] = mapped_column(default=dict)
    descriptions: Mapped[dict] = mapped_column(default=dict)
    pictogram: Mapped[str] = mapped_column(String(60), default="workshop")
    kind: Mapped[str] = mapped_column(
        enum_column(SessionKind, "theme_kind"), default=SessionKind.workshop
    )
    audience: Mapped[str] = mapped_column(
        enum_column(Audience, "theme_audience"), default=Audience.participants
    )
    duration_minutes: Mapped[int] = mapped_column(default=120)
    needs: Mapped[list] = mapped_column(default=list)
    seats: Mapped[int] = mapped_column(default=5)
    staff: Mapped[dict] = mapped_column(default=dict)

    def title(self, language: str, fallback: str = "nl") -> str:
        return title_in(self.titles, language, fallback, default=self.id)

    def description(self, language: str, fallback: str = "nl") -> str:
        return self.descriptions.get(language) or self.descriptions.get(fallback) or ""
