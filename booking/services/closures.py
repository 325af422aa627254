"""Days a location is closed (works, its own holidays). The planner turns
them into room closures (services/planning.py), beside public holidays."""
from datetime import date

from sqlalchemy import select

from booking.extensions import db
from booking.models import LocationClosure
from booking.services.errors import InvalidInput


def add_closure(location_id: int, first_day: date, last_day: date | None,
                reason: str = "") -> LocationClosure:
    """Close a location from `first_day` to `last_day` (both included; one
    day when `last_day` is None)."""
    last_day = last_day or first_day
    if last_day < first_day:
        raise InvalidInput("The last day comes before the first day.")
    closure = LocationClosure(location_id=location_id, first_day=first_day, last_day=last_day,
                              reason=reason.strip()[:200])
    db.session.add(closure)
    db.session.commit()
    return closure


def remove_closure(closure: LocationClosure) -> None:
    db.session.delete(closure)
    db.session.commit()


def closures_between(start: date, end: date) -> dict[int, list[tuple[date, date]]]:
    """location id -> its closed (first, last) day ranges that meet [start, end],
    cut to that window."""
    found: dict[int, list[tuple[date, date]]] = {}
    for closure in db.session.scalars(
        select(LocationClosure)
        .where(LocationClosure.first_day <= end, LocationClosure.last_day >= start)
        .order_by(LocationClosure.location_id, LocationClosure.first_day)
    ):
        found.setdefault(closure.location_id, []).append(
            (max(closure.first_day, start), min(closure.last_day, end)))
    return found
