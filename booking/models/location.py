from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.models.base import Base

ROOM_FEATURES = ("pc_room", "projector", "wheelchair", "interpreter_booth", "childcare")


class Area(Base):
    """A neighbourhood of a city, from a vocabulary per city: a location lies
    in one, and a coordinator asks for sessions in some. "Centrum" of Gent
    and "Centrum" of Kortrijk are two areas."""

    __tablename__ = "area"
    __table_args__ = (UniqueConstraint("city", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    city: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(100))

    @property
    def label(self) -> str:
        """How people read it anywhere two cities may meet: "Centrum (Gent)"."""
        return f"{self.name} ({self.city})" if self.city else self.name


class Location(Base):
    """A place people already come to. `opening_hours` uses the planning
    format's weekly windows: [{"weekdays": [1..7], "start": "09:00", "end": "17:00"}]."""

    __tablename__ = "location"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    opening_hours: Mapped[list] = mapped_column(default=list)

    organisation: Mapped["Organisation"] = relationship(back_populates="locations")  # noqa: F821
    area: Mapped[Area | None] = relationship()
    rooms: Mapped[list["Room"]] = relationship(back_populates="location", order_by="Room.name")
    closures: Mapped[list["LocationClosure"]] = relationship(
        back_populates="location", order_by="LocationClosure.first_day", cascade="all, delete-orphan")


class LocationClosure(Base):
    """Days a location is closed (works, its own holidays), first to last day
    included: the planner plans nothing there on them."""

    __tablename__ = "location_closure"
    __table_args__ = (CheckConstraint("last_day >= first_day", name="ends_after_it_starts"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"), index=True)
    first_day: Mapped[date]
    last_day: Mapped[date]
    reason: Mapped[str] = mapped_column(String(200), default="")

    location: Mapped[Location] = relationship(back_populates="closures")


class Room(Base):
    __tablename__ = "room"

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int]
    features: Mapped[list] = mapped_column(default=list)

    location: Mapped[Location] = relationship(back_populates="rooms")

    @property
    def organisation_id(self) -> int:
        return self.location.organisation_id
