"""Areas (neighbourhoods) as a vocabulary per city: a location picks one of
its city's areas instead of typing it, so "Ledeburg" does not become a
second Ledeberg and "Centrum" of Gent stays apart from Kortrijk's."""
from sqlalchemy import select

from booking.extensions import db
from booking.models import Area
from booking.services.errors import InvalidInput


def tidy(text: str | None) -> str:
    """A name as typed, without the spaces around and doubled inside it."""
    return " ".join((text or "").split())


def same_name(a: str, b: str) -> bool:
    """Two spellings of one name: they differ only in case or spaces."""
    return tidy(a).casefold() == tidy(b).casefold()


def all_areas() -> list[Area]:
    return list(db.session.scalars(select(Area).order_by(Area.city, Area.name)))


def in_city(city: str) -> list[Area]:
    return [area for area in all_areas() if same_name(area.city, city)]


def find(city: str, name: str) -> Area | None:
    """The area of `city` called `name`, up to case and spaces."""
    return next((area for area in in_city(city) if same_name(area.name, name)), None)


def add_area(city: str, name: str) -> Area:
    """A new area in `city`; refused when the city has it already under a
    spelling that differs only in case or spaces. Flushed, not committed."""
    city, name = tidy(city), tidy(name)
    if not city:
        raise InvalidInput("Fill in the city first: an area lies in a city.",
                           {"city": "Fill in the city first: an area lies in a city."})
    existing = find(city, name)
    if existing is not None:
        raise InvalidInput(
            f"{existing.city} already has the area “{existing.name}”: choose it in the list.",
            {"new_area": f"{existing.city} already has the area “{existing.name}”: choose it in the list."})
    area = Area(city=city, name=name)
    db.session.add(area)
    db.session.flush()
    return area


def area_for(city: str, name: str) -> Area | None:
    """The area of `city` called `name`, made when it does not exist yet
    (demo data and imports, which name areas as text). None without a name."""
    if not tidy(name):
        return None
    return find(city, name) or add_area(city, name)


def key(area: Area | None, city: str = "") -> str:
    """The area's name in a planning problem: unique per city and readable
    in the review ("Centrum (Gent)"). A location without an area counts as
    lying in its city's own area, as before."""
    return area.label if area is not None else tidy(city)


def choose(city: str, area_id: int | None, new_name: str | None) -> Area | None:
    """The area a location form asks for: a new one of `city` when a name is
    typed, else the chosen one, which must lie in `city`."""
    if tidy(new_name):
        return add_area(city, new_name or "")
    if area_id is None:
        return None
    area = db.session.get(Area, area_id)
    if area is None:
        raise InvalidInput("Unknown area.", {"area": "Unknown area."})
    if not same_name(area.city, city):
        raise InvalidInput(
            f"{area.name} lies in {area.city}: choose an area of this location's city, or add one.",
            {"area": f"{area.name} lies in {area.city}: choose an area of this location's city, or add one."})
    return area
