"""Between the database and the planner: build a planning problem from what
is published and asked for, run the planner, and publish its plan.

The planner (scheduler/) only knows the planning format
(docs/planning-format.md); ids there are prefixed strings such as
"room-4" or "sess-481" so a plan reads well and maps back to rows here."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from flask import current_app
from sqlalchemy import func, select

from booking.extensions import db
from booking.models import (
    Booking,
    Demand,
    Location,
    Person,
    Room,
    SEAT_HOLDING_STATUSES,
    Session,
    StaffAssignment,
    Theme,
    utcnow,
)
from booking.services.closures import closures_between

WEIGHTS = {"unmet": 1000, "moved_booked": 500, "cancelled_booked": 5000, "cost": 1,
           "balance": 10, "same_slot": 50, "restaffed": 300, "relocated": 2000}
WALK_IN_ONLY_KINDS = ("drop_in", "conversation_group")


def key(kind: str, row_id: int) -> str:
    return f"{kind}-{row_id}"


def row_id(planning_id: str) -> int:
    return int(planning_id.rsplit("-", 1)[1])


def _local_text(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M")


def _seats_held(session_ids) -> dict[int, int]:
    held = dict.fromkeys(session_ids, 0)
    for (session_id,) in db.session.execute(
        select(Booking.session_id).where(
            Booking.session_id.in_(held), Booking.status.in_(SEAT_HOLDING_STATUSES)
        )
    ):
        held[session_id] += 1
    return held


def build_problem(
    start: date,
    end: date,
    *,
    timezone: str,
    now: datetime | None = None,
    budget: int | None = None,
    repair: bool = False,
    name: str = "",
    budget_use: dict | None = None,
) -> dict:
    """The planning problem for [start, end] from the database.

    Season planning takes the coordinator's demand; a published session that
    a demand could count is pinned (the plan keeps it, or moves or cancels it
    at a price), and any other published session simply blocks its room and
    staff. A repair (after
    a drop-out) asks for nothing new and prices every change to what is
    published, so the plan only changes what must change.

    `budget` is what staff may cost in the period. The plan gets what is
    left of it after what is spent (sessions of the period that started
    already) and committed (published sessions the plan does not count);
    `budget_use`, when given, is filled with that account."""
    zone = ZoneInfo(timezone)
    now = now or utcnow()
    window_start = datetime.combine(start, time(0), tzinfo=zone)
    window_end = datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone)
    published = db.session.scalars(
        select(Session).where(
            Session.status == "published",
            Session.starts_at < window_end,
            Session.ends_at > window_start,
        ).order_by(Session.starts_at)
    ).all()
    demands = db.session.scalars(select(Demand).order_by(Demand.id)).all()
    pinned_sessions = [s for s in published if repair or _counts_for_demand(s, demands, zone)]
    blocking = [s for s in published if s not in pinned_sessions]
    held = _seats_held([s.id for s in pinned_sessions])

    rooms = db.session.scalars(select(Room).order_by(Room.id)).all()
    closed_days = public_holidays(start, end)
    closed_locations = closures_between(start, end)
    problem = {
        "version": 1,
        "name": name or f"Instap {start} to {end}",
        "timezone": timezone,
        "horizon": {"start": start.isoformat(), "end": end.isoformat()},
        "now": _local_text(now, zone),
        "grid_minutes": 30,
        "locations": [
            # Areas are per city ("Centrum (Gent)" is not Kortrijk's Centrum);
            # a location without one lies in its city's own area.
            {"id": key("loc", loc.id), "name": loc.name,
             "area": loc.area.label if loc.area is not None else loc.city}
            for loc in db.session.scalars(select(Location).order_by(Location.id))
        ],
        "rooms": [_room(room, blocking, zone, closed_days, closed_locations.get(room.location_id, []))
                  for room in rooms],
        "themes": [_theme(theme) for theme in db.session.scalars(select(Theme).order_by(Theme.id))],
        "people": [_person(person, blocking, zone)
                   for person in db.session.scalars(select(Person).order_by(Person.id))],
        # A repair asks for nothing new: every announced session is pinned as
        # booked, so the plan can only keep, re-staff, move or cancel it.
        "demand": [] if repair else [_demand(d) for d in demands],
        # Every announced session counts as booked (at least one): posters and
        # flyers are out, so moving or dropping it has a price even before
        # anyone booked, and a plan changes only what must change.
        "pinned": [_pinned(s, max(held[s.id], 1), zone) for s in pinned_sessions],
        "weights": dict(WEIGHTS),
    }
    if budget is not None:
        problem["budget"] = _budget_account(budget, published, blocking, now, budget_use)
    return problem


def _budget_account(budget: int, published, blocking, now: datetime,
                    account: dict | None) -> int:
    """What the plan may spend: the budget less what the period's started
    sessions cost (the plan no longer counts them) and what the published
    sessions it does not count will cost."""
    costs = _staff_costs([s.id for s in published])
    spent = sum(costs.get(s.id, 0) for s in published if s.starts_at < now)
    committed = sum(costs.get(s.id, 0) for s in blocking if s.starts_at >= now)
    available = max(0, budget - spent - committed)
    if account is not None:
        account.update(given=budget, spent=spent, committed=committed, available=available)
    return available


def _staff_costs(session_ids) -> dict[int, int]:
    if not session_ids:
        return {}
    return {session_id: int(cost or 0) for session_id, cost in db.session.execute(
        select(StaffAssignment.session_id, func.sum(Person.cost_per_session))
        .join(Person, Person.id == StaffAssignment.person_id)
        .where(StaffAssignment.session_id.in_(session_ids))
        .group_by(StaffAssignment.session_id))}


def _counts_for_demand(session: Session, demands, zone) -> bool:
    day = session.starts_at.astimezone(zone).date()
    return any(
        d.theme_id == session.theme_id
        and (d.window_start is None or d.window_start <= day)
        and (d.window_end is None or day <= d.window_end)
        for d in demands
    )


def public_holidays(start: date, end: date) -> dict[date, str]:
    """Public holidays in [start, end] (PLANNING_HOLIDAYS_COUNTRY), date -> name."""
    country = current_app.config.get("PLANNING_HOLIDAYS_COUNTRY")
    if not country:
        return {}
    calendar = holidays.country_holidays(country, years=range(start.year, end.year + 1))
    return {day: name for day, name in sorted(calendar.items()) if start <= day <= end}


def _room(room: Room, blocking, zone, closed_days=(), location_closed=()) -> dict:
    entry = {
        "id": key("room", room.id),
        "location": key("loc", room.location_id),
        "capacity": room.capacity,
        "features": list(room.features),
    }
    if room.location.opening_hours:
        entry["open"] = room.location.opening_hours
    taken = [s for s in blocking if s.room_id == room.id]
    closed = [{"start": _local_text(s.starts_at, zone), "end": _local_text(s.ends_at, zone)}
              for s in taken]
    # a public holiday or a day the location is closed closes the whole day,
    # midnight to midnight
    closed += [{"start": f"{day.isoformat()}T00:00", "end": f"{(day + timedelta(days=1)).isoformat()}T00:00"}
               for day in closed_days]
    closed += [{"start": f"{first.isoformat()}T00:00", "end": f"{(last + timedelta(days=1)).isoformat()}T00:00"}
               for first, last in location_closed]
    if closed:
        entry["closed"] = closed
    return entry


def _theme(theme: Theme) -> dict:
    return {
        "id": theme.id,
        "title": theme.title("en"),
        "duration_minutes": theme.duration_minutes,
        "needs": list(theme.needs),
        "seats": theme.seats,
        "staff": dict(theme.staff),
    }


def _person(person: Person, blocking, zone) -> dict:
    entry = {
        "id": key("person", person.id),
        "name": person.name,
        "roles": list(person.roles),
        "languages": list(person.languages),
        "cost_per_session": person.cost_per_session,
    }
    if person.themes is not None:
        entry["themes"] = list(person.themes)
    if person.max_sessions is not None:
        entry["max_sessions"] = person.max_sessions
    if person.location_ids is not None:
        entry["locations"] = [key("loc", i) for i in person.location_ids]
    if person.availability is not None:
        entry["available"] = person.availability
    busy = [{"start": _local_text(s.starts_at, zone), "end": _local_text(s.ends_at, zone)}
            for s in blocking if any(a.person_id == person.id for a in s.assignments)]
    if person.unavailable or busy:
        entry["unavailable"] = list(person.unavailable) + busy
    return entry


def _demand(demand: Demand) -> dict:
    entry = {"id": key("dem", demand.id), "theme": demand.theme_id, "sessions": demand.sessions,
             "priority": demand.priority}
    if demand.per_week:
        entry["per"] = "week"
    if demand.location_ids:
        entry["locations"] = [key("loc", i) for i in demand.location_ids]
    if demand.areas:
        from booking.models import Area

        # The same keys as the locations' areas: an area's label, unique per city.
        chosen = [db.session.get(Area, area_id) for area_id in demand.areas]
        entry["areas"] = [area.label for area in chosen if area is not None]
    if demand.language:
        entry["language"] = demand.language
    if demand.window_start and demand.window_end:
        entry["window"] = {"start": demand.window_start.isoformat(),
                           "end": demand.window_end.isoformat()}
    if demand.same_slot_each_week:
        entry["same_slot_each_week"] = True
    return entry


def _pinned(session: Session, booked: int, zone) -> dict:
    staff: dict[str, list[str]] = {}
    for assignment in session.assignments:
        staff.setdefault(assignment.role, []).append(key("person", assignment.person_id))
    return {
        "id": key("sess", session.id),
        "theme": session.theme_id,
        "room": key("room", session.room_id),
        "start": _local_text(session.starts_at, zone),
        "staff": staff,
        "language": session.languages[0] if session.languages else None,
        "booked": booked,
    }


def latest_unmet() -> list[dict]:
    """What the newest published (else newest finished) season plan could
    not place, with the planner's reason, for the coordinator's report."""
    from booking.models import PlanningRun

    runs = db.session.scalars(
        select(PlanningRun)
        .where(PlanningRun.status == "done", PlanningRun.imported.is_(False))
        .order_by(PlanningRun.published_at.is_(None), PlanningRun.id.desc())
    ).all()
    run = next((r for r in runs if r.problem.get("demand")), None)
    if run is None:
        return []
    labels = {d["id"]: _demand_label(d, run.problem) for d in run.problem["demand"]}
    return [{"demand": labels.get(u["demand"], u["demand"]), "missing": u["missing"],
             "reason": u["reason"]} for u in run.plan.get("unmet", [])]


def _demand_label(demand: dict, problem: dict) -> str:
    themes = {t["id"]: t.get("title", t["id"]) for t in problem.get("themes", [])}
    places = {loc["id"]: loc.get("name", loc["id"]) for loc in problem.get("locations", [])}
    where = [places.get(i, i) for i in demand.get("locations", [])] + demand.get("areas", [])
    label = themes.get(demand["theme"], demand["theme"])
    if where:  # areas read "Centrum (Gent)", so no brackets around them
        label += f" · {', '.join(where)}"
    if demand.get("language"):
        label += f" [{demand['language']}]"
    return label
