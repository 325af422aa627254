"""A person drops out: their absence is recorded in the planning format's
own terms (local start and end, end exclusive), so the next plan avoids it."""
from datetime import date, timedelta

from booking.extensions import db
from booking.models import Person
from booking.services.errors import InvalidInput, NotFound


def mark_absent(person_id: int, first_day: date, last_day: date) -> Person:
    person = db.session.get(Person, person_id)
    if person is None:
        raise NotFound("No person has this id.")
    if last_day < first_day:
        raise InvalidInput("The absence ends before it starts.", {"last_day": "not before first day"})
    absence = {"start": f"{first_day.isoformat()}T00:00",
               "end": f"{(last_day + timedelta(days=1)).isoformat()}T00:00"}
    if absence not in person.unavailable:
        person.unavailable = [*person.unavailable, absence]  # a new list: JSON columns track assignment
    db.session.commit()
    return person


def clear_absence(person_id: int, absence: dict) -> Person:
    person = db.session.get(Person, person_id)
    if person is None:
        raise NotFound("No person has this id.")
    person.unavailable = [a for a in person.unavailable if a != absence]
    db.session.commit()
    return person
