from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.models.base import Base


class Organisation(Base):
    """A partner: library, neighbourhood centre, job shop, adult education,
    union or integration service. It owns locations, and through them rooms
    and sessions."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40), default="library")
    city: Mapped[str] = mapped_column(String(100), default="")

    locations: Mapped[list["Location"]] = relationship(  # noqa: F821
        back_populates="organisation", order_by="Location.name"
    )
