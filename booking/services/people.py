"""The coordinator's pool of trainers, stewards and volunteers: what each
can do, in which languages, where, when and at what cost. These are the
planning format's `people` fields, kept here so the planner reads them."""
import re

from booking.extensions import db
from booking.models import STAFF_ROLES, Person
from booking.services.errors import InvalidInput

LANGUAGE = re.compile(r"^[a-z]{2,3}$")


def save_person(person: Person | None, *, name: str, roles: list[str], themes: list[str] | None,
                languages: list[str], cost_per_session: int, max_sessions: int | None,
                location_ids: list[int] | None, availability: list[dict] | None) -> Person:
    """Create (person None) or update a person; every problem is named."""
    errors = {}
    if not name.strip():
        errors["name"] = "is required"
    if not roles or set(roles) - set(STAFF_ROLES):
        errors["roles"] = f"choose from {', '.join(STAFF_ROLES)}"
    if not languages or not all(LANGUAGE.match(code) for code in languages):
        errors["languages"] = "language codes such as nl, ar, tr"
    if cost_per_session < 0:
        errors["cost_per_session"] = "must not be negative"
    if max_sessions is not None and max_sessions < 0:
        errors["max_sessions"] = "must not be negative"
    if errors:
        raise InvalidInput("The person is not valid.", errors)
    if person is None:
        person = Person(name=name.strip())
        db.session.add(person)
    person.name = name.strip()
    person.roles = list(roles)
    person.themes = list(themes) if themes else None  # none ticked: every theme
    person.languages = list(dict.fromkeys(languages))
    person.cost_per_session = cost_per_session
    person.max_sessions = max_sessions
    person.location_ids = list(location_ids) if location_ids else None
    person.availability = availability or None  # nothing given: always available
    db.session.commit()
    return person
