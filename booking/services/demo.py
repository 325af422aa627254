"""Demo data: two cities of partner locations, the themes of MISSION.md in
five languages, staff, and four weeks of sessions around today, some nearly
full, so every page of the site has something true to show."""
import random
import secrets
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select

from booking.extensions import db
from booking.models import (
    AGE_GROUPS,
    Base,
    Booking,
    Demand,
    Feedback,
    Location,
    Organisation,
    Person,
    Room,
    Session,
    StaffAssignment,
    Theme,
    utcnow,
)
from booking.services import areas
from booking.services.booking import TICKET_ALPHABET, TICKET_LENGTH
from booking.services.demo_data import ORGANISATIONS, PEOPLE, THEMES

FIRST_NAMES = ["Fatima", "Youssef", "Ayşe", "Marie", "Ahmed", "Koen", "Olga", "Samir",
               "Zeynep", "Ilse", "Omar", "Grace", None, None]
WORKSHOP_STARTS = [time(9, 30), time(13, 30)]
ZONE = "Europe/Brussels"


def seed(*, reset: bool = False, today=None, random_seed: int = 2027) -> str:
    if reset:
        _delete_everything()
    elif db.session.scalar(select(func.count()).select_from(Organisation)):
        return "Demo data is already present (use --reset to start again)."
    rng = random.Random(random_seed)
    zone = ZoneInfo(ZONE)
    today = today or utcnow().astimezone(zone).date()

    themes = {tid: _theme(tid, spec) for tid, spec in THEMES.items()}
    db.session.add_all(themes.values())
    organisations, rooms = _places()
    people = _people(organisations)
    db.session.flush()

    busy: set[tuple[int, datetime]] = set()
    sessions = []
    first_day = today - timedelta(days=7)
    for offset in range(28):
        day = first_day + timedelta(days=offset)
        if day.isoweekday() > 5:
            continue
        sessions += _workshops_on(day, rng, themes, rooms, people, busy, zone)
        sessions += _weekly_on(day, themes, rooms, people, busy, zone)
    db.session.add_all(sessions)
    db.session.flush()
    bookings = sum(_book_demo_seats(s, rng) for s in sessions)
    demands = _demands(today, rooms)
    db.session.commit()
    return (
        f"Demo data: {len(organisations)} organisations, {len(rooms)} rooms, "
        f"{len(themes)} themes, {len(people)} people, {len(sessions)} sessions, "
        f"{bookings} bookings, from {first_day} for four weeks; "
        f"{len(demands)} demands for the planner over the four weeks after."
    )


def _delete_everything():
    for table in reversed(Base.metadata.sorted_tables):
        db.session.execute(delete(table))
    db.session.commit()


def _theme(theme_id, spec):
    pictogram, kind, minutes, needs, seats, staff, titles, descriptions = spec
    return Theme(
        id=theme_id, pictogram=pictogram, kind=kind, duration_minutes=minutes, needs=needs,
        seats=seats, staff=staff, titles=titles, descriptions=descriptions,
        audience="counsellors" if kind == "counsellor_event" else "participants",
    )


def _places():
    organisations, rooms = {}, []
    for slug, name, kind, city, locations in ORGANISATIONS:
        organisation = Organisation(slug=slug, name=name, kind=kind, city=city)
        organisations[slug] = organisation
        for location_name, address, area, hours, room_specs in locations:
            location = Location(
                organisation=organisation, name=location_name, address=address, city=city,
                area=areas.area_for(city, area), opening_hours=hours,
            )
            for room_name, capacity, features in room_specs:
                rooms.append(Room(location=location, name=room_name, capacity=capacity,
                                  features=features))
        db.session.add(organisation)
    return organisations, rooms


def _people(organisations):
    db.session.flush()  # organisation ids
    people = [
        Person(
            name=name, organisation_id=organisations[slug].id if slug else None, roles=roles,
            themes=themes, languages=languages, cost_per_session=cost, max_sessions=max_sessions,
        )
        for name, slug, roles, themes, languages, cost, max_sessions in PEOPLE
    ]
    db.session.add_all(people)
    return people


def _at(day, clock, zone):
    return datetime.combine(day, clock, tzinfo=zone)


def _free(room, starts_at, ends_at, busy):
    hours = _half_hours(starts_at, ends_at)
    if any((room.id, h) in busy for h in hours):
        return False
    busy.update((room.id, h) for h in hours)
    return True


def _half_hours(starts_at, ends_at):
    return {starts_at + timedelta(minutes=30 * i)
            for i in range(int((ends_at - starts_at).total_seconds() // 1800))}


def _staff_for(theme, people, language, starts_at, ends_at, busy):
    """Staff who can do it and are not already working then: the demo must
    be a schedule a repair would leave alone."""
    hours = _half_hours(starts_at - timedelta(hours=1), ends_at + timedelta(hours=1))
    chosen = []
    for role, count in theme.staff.items():
        able = [p for p in people if role in p.roles and (p.themes is None or theme.id in p.themes)
                and language in p.languages and p not in [c for c, _ in chosen]
                and not any(("person", p.id, h) in busy for h in hours)]
        chosen += [(p, role) for p in able[:count]]
    for person, _role in chosen:
        busy.update(("person", person.id, h) for h in hours)
    return chosen


def _session(theme, room, starts_at, languages, people, walk_in, busy):
    session = Session(
        theme=theme, room=room, starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=theme.duration_minutes),
        capacity=min(theme.seats, room.capacity), walk_in_seats=walk_in,
        languages=languages, status="published", kind=theme.kind,
    )
    for person, role in _staff_for(theme, people, languages[0], session.starts_at,
                                   session.ends_at, busy):
        session.assignments.append(StaffAssignment(person=person, role=role))
    return session


def _workshops_on(day, rng, themes, rooms, people, busy, zone):
    workshop_themes = [t for t in themes.values() if t.kind == "workshop"]
    made = []
    for clock in WORKSHOP_STARTS:
        for _ in range(2):
            theme = rng.choice(workshop_themes)
            fitting = [r for r in rooms if set(theme.needs) <= set(r.features)
                       and r.capacity >= theme.seats]
            room = rng.choice(fitting)
            starts_at = _at(day, clock, zone)
            ends_at = starts_at + timedelta(minutes=theme.duration_minutes)
            if not _free(room, starts_at, ends_at, busy):
                continue
            languages = rng.choice([["nl"], ["nl"], ["nl", "ar"], ["nl", "tr"], ["nl", "fr"]])
            made.append(_session(theme, room, starts_at, languages, people, walk_in=2, busy=busy))
    return made


def _weekly_on(day, themes, rooms, people, busy, zone):
    """Drop-in help hours at fixed places and times each week, and the
    weekly conversation groups, as the seeds describe them."""
    weekly = {
        1: [("dropin", "Computerhoek", time(9, 0), ["nl", "ar"])],
        3: [("dropin", "Laptoplokaal", time(13, 0), ["nl"]),
            ("talk", "Praatcafé", time(14, 0), ["nl"])],
        4: [("dropin", "Digidak", time(9, 0), ["nl", "fr"]),
            ("talk", "Vertelzaal", time(18, 0), ["nl"])],
    }
    made = []
    for theme_id, room_name, clock, languages in weekly.get(day.isoweekday(), []):
        theme = themes[theme_id]
        room = next(r for r in rooms if r.name == room_name)
        starts_at = _at(day, clock, zone)
        if _free(room, starts_at, starts_at + timedelta(minutes=theme.duration_minutes), busy):
            made.append(_session(theme, room, starts_at, languages, people,
                                 walk_in=min(theme.seats, room.capacity), busy=busy))
    return made


def _demands(today, rooms):
    """What a coordinator asks of the next planning period: themes per area,
    weekly drop-in hours at fixed places, a conversation group, some in a
    language of their own, after the four weeks already published."""
    start = today + timedelta(days=21)
    start += timedelta(days=(7 - start.weekday()) % 7)  # whole ISO weeks, Monday to Sunday
    end = start + timedelta(days=27)
    location = {r.location.name: r.location.id for r in rooms}
    specs = [
        ("cv", 3, {"areas": [("Gent", "Centrum")]}, 4),
        ("apply-online", 2, {"locations": [location["Hoofdbibliotheek Kortrijk"]]}, 3),
        ("mijn-loopbaan", 2, {"areas": [("Gent", "Ledeberg"), ("Gent", "Brugse Poort")],
                              "language": "ar"}, 5),
        ("everyday-apps", 2, {"language": "tr"}, 3),
        ("privacy-passwords", 1, {"areas": [("Kortrijk", "Heule"), ("Kortrijk", "Bissegem"),
                                            ("Kortrijk", "Marke")]}, 2),
        ("dropin", 1, {"per_week": True, "same_slot_each_week": True,
                       "locations": [location["Wijkpunt Ledeberg"]]}, 5),
        ("talk", 1, {"per_week": True, "locations": [location["Huis van het Nederlands"]]}, 4),
    ]
    demands = []
    for theme_id, count, where, priority in specs:
        where = dict(where)
        demand = Demand(
            theme_id=theme_id, sessions=count, priority=priority, window_start=start,
            window_end=end, location_ids=where.pop("locations", None),
            areas=[_area_id(city, name) for city, name in where.pop("areas", [])] or None,
            **where,
        )
        demands.append(demand)
    db.session.add_all(demands)
    return demands


def _area_id(city: str, name: str) -> int:
    area = areas.find(city, name)
    assert area is not None, f"no area {name} in {city} in the demo data"
    return area.id


def _book_demo_seats(session, rng):
    """Fill seats the way a week of real use would: past sessions with
    attendance and no-shows, future ones partly booked, some nearly full."""
    now = utcnow()
    past = session.ends_at < now
    reserved = session.capacity - session.walk_in_seats
    fill = rng.choice([0, 1, 2, reserved, reserved, session.capacity - 1])
    made = 0
    if past and fill and session.theme.kind != "drop_in":
        # Smileys from the kiosk after the session: mostly happy, as in real life.
        for _ in range(rng.randint(0, fill)):
            db.session.add(Feedback(session=session, score=rng.choice([3, 3, 3, 2, 2, 1]),
                                    language=rng.choice(session.languages),
                                    created_at=session.ends_at + timedelta(minutes=5)))
    for index in range(max(0, min(fill, session.capacity))):
        kind = "pre_registered" if index < reserved else "walk_in"
        status = "confirmed"
        if past:
            status = "attended" if rng.random() < 0.8 else "no_show"
        db.session.add(Booking(
            session=session, ticket=_new_ticket_unchecked(), kind=kind, status=status,
            name=rng.choice(FIRST_NAMES), language=rng.choice(session.languages),
            age_group=rng.choice(AGE_GROUPS), created_at=session.starts_at - timedelta(days=2),
        ))
        made += 1
    return made


def _new_ticket_unchecked():
    # Random even in the demo: a seeded ticket could be guessed from the seed.
    return "".join(secrets.choice(TICKET_ALPHABET) for _ in range(TICKET_LENGTH))
