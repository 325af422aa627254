"""What the kiosk and the public site list: published sessions for
participants, soonest first, with the filters a visitor uses."""
from datetime import datetime, time, timedelta

from sqlalchemy import select

from booking.extensions import db
from booking.models import Location, Room, Session, Theme, utcnow
from booking.models.base import LARGEST_ID
from booking.services.booking import settle_due_no_shows, settle_if_due
from booking.services.errors import NotFound
from booking.times import local, zone


def get_location(location_id) -> Location:
    location = db.session.get(Location, _as_id(location_id))
    if location is None:
        raise NotFound("No location has this id.")
    return location


# Themes for everyone; others (a counsellors' workshop) are staff-only: never
# listed, shown or booked on the kiosk, the site, the API or a public feed.
PUBLIC_AUDIENCE = "participants"


def get_public_session(session_id) -> Session:
    session = db.session.get(Session, _as_id(session_id))
    if session is None or session.status == "draft" or session.theme.audience != PUBLIC_AUDIENCE:
        raise NotFound("No published session has this id.")
    settle_if_due(session)
    return session


def locations() -> list[Location]:
    return list(db.session.scalars(select(Location).order_by(Location.city, Location.name)))


def participant_themes() -> list[Theme]:
    return list(
        db.session.scalars(select(Theme).where(Theme.audience == "participants").order_by(Theme.id))
    )


def upcoming_sessions(
    *,
    location_id=None,
    theme_id=None,
    language=None,
    until: datetime | None = None,
    now: datetime | None = None,
    limit: int | None = None,
) -> list[Session]:
    """Published sessions for participants that have not ended yet, their
    no-shows settled so that the seats shown are the seats there are."""
    now = now or utcnow()
    settle_due_no_shows(now=now)
    statement = (
        select(Session)
        .join(Theme)
        .join(Room)
        .where(
            Session.status == "published",
            Session.ends_at > now,
            Theme.audience == "participants",
        )
        .order_by(Session.starts_at, Session.id)
    )
    if location_id is not None:
        statement = statement.where(Room.location_id == location_id)
    if theme_id:
        statement = statement.where(Session.theme_id == theme_id)
    if until is not None:
        statement = statement.where(Session.starts_at < until)
    found = list(db.session.scalars(statement))
    if language:
        found = [s for s in found if language in (s.languages or [])]
    return found[:limit] if limit else found


def kiosk_sessions(location_id: int, *, days: int = 3, now: datetime | None = None) -> list[Session]:
    """Today's sessions and those of the next days at one location."""
    now = now or utcnow()
    last_day = local(now).date() + timedelta(days=days)
    until = datetime.combine(last_day, time(0), tzinfo=zone())
    return upcoming_sessions(location_id=location_id, until=until, now=now)


def books_ahead(session: Session) -> bool:
    """A drop-in help hour takes no bookings: people come by and take a
    number at the kiosk. Everything else can be booked ahead."""
    return session.kind != "drop_in"


def _as_id(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise NotFound("Unknown id.") from None
    if not 0 <= number <= LARGEST_ID:
        raise NotFound("Unknown id.")
    return number
