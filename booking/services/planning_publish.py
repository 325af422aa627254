"""Reviewing a plan against what is published, and publishing it (all or
part). Nothing of a plan reaches the kiosk before this runs."""
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from booking.extensions import db
from booking.models import Session, StaffAssignment, Theme, utcnow
from booking.services import notify
from booking.services import sessions as session_service
from booking.services.errors import Conflict, InvalidInput
from booking.services.planning import WALK_IN_ONLY_KINDS, key, row_id
from booking.services.planning_runs import get_run


@dataclass
class Change:
    """One line of the review: what publishing this plan entry would do."""

    id: str
    action: str  # new, moved, restaffed, kept, cancelled, dropped
    entry: dict  # the plan session, or {"id", "reason"} for a cancellation
    session: Session | None = None


@dataclass
class PublishResult:
    done: dict = field(default_factory=lambda: {
        "new": [], "moved": [], "restaffed": [], "kept": [], "cancelled": [], "dropped": []})
    problems: list = field(default_factory=list)

    def count(self, action):
        return len(self.done[action])


def review(run) -> list[Change]:
    """Every change the plan makes to what is published, in time order."""
    if not run.plan:
        return []
    changes = []
    planned_ids = set()
    for entry in run.plan["sessions"]:
        planned_ids.add(entry["id"])
        if not entry["pinned"]:
            changes.append(Change(entry["id"], "new", entry))
            continue
        session = db.session.get(Session, row_id(entry["id"]))
        if session is None:
            continue
        staff_now = _staff_of(session)
        action = ("moved" if entry["moved"] or entry["room"] != key("room", session.room_id)
                  else "restaffed" if _normal(entry["staff"]) != staff_now else "kept")
        changes.append(Change(entry["id"], action, entry, session))
    cancelled = {c["id"] for c in run.plan["cancelled"]}
    for entry in run.plan["cancelled"]:
        session = db.session.get(Session, row_id(entry["id"]))
        if session is not None:
            changes.append(Change(entry["id"], "cancelled", entry, session))
    for pinned in run.problem.get("pinned", []):
        if pinned["id"] in planned_ids or pinned["id"] in cancelled or pinned["booked"]:
            continue
        session = db.session.get(Session, row_id(pinned["id"]))
        if session is not None and session.starts_at > _problem_now(run) and _in_horizon(run, session):
            changes.append(Change(pinned["id"], "dropped",
                                  {"id": pinned["id"], "reason": "no longer needed"}, session))
    return sorted(changes, key=_when)


def _when(change: Change) -> datetime:
    if change.entry.get("start"):
        return datetime.fromisoformat(change.entry["start"])
    return change.session.starts_at


def publish(run_id: int, selected: set[str] | None = None) -> PublishResult:
    """Carry out the plan's changes (only those in `selected`, when given):
    cancellations and drops first, so their rooms are free for the moves,
    then moves and new staff, then new sessions. Each change commits on its
    own; one that meets a conflict (a partner took the room meanwhile) is
    reported and the rest go on."""
    run = get_run(run_id)
    if run.status != "done" or not run.plan:
        raise Conflict("Only a finished run with a plan can be published.")
    if run.imported:
        raise Conflict("A plan of an imported problem can be downloaded, not published.")
    result = PublishResult()
    changes = [c for c in review(run) if selected is None or c.id in selected]
    order = {"cancelled": 0, "dropped": 0, "moved": 1, "restaffed": 1, "kept": 1, "new": 2}
    for change in sorted(changes, key=lambda c: order[c.action]):
        try:
            made = _apply(change)
        except (Conflict, InvalidInput) as error:
            result.problems.append(f"{change.id}: {error.message} {' '.join(error.fields.values())}".strip())
            continue
        result.done[change.action].append(made)
    run.published_at = utcnow()
    run.published = {action: len(ids) for action, ids in result.done.items()} | {
        "problems": result.problems}
    db.session.commit()
    return result


def _apply(change: Change) -> int:
    entry = change.entry
    if change.action in ("cancelled", "dropped"):
        session, affected = session_service.cancel(change.session.id)
        notify.session_cancelled(session, affected)
        return session.id
    if change.action == "new":
        theme = db.session.get(Theme, entry["theme"])
        walk_in = theme.seats if theme.kind in WALK_IN_ONLY_KINDS else min(2, theme.seats)
        session = session_service.publish(
            theme_id=theme.id, room_id=row_id(entry["room"]),
            starts_at=datetime.fromisoformat(entry["start"]),
            ends_at=datetime.fromisoformat(entry["end"]), capacity=theme.seats,
            walk_in_seats=walk_in, languages=[entry["language"] or "nl"],
        )
        _set_staff(session, entry["staff"])
        return session.id
    session = change.session
    if change.action == "moved":
        outcome = session_service.update(session.id, {
            "room_id": row_id(entry["room"]),
            "starts_at": datetime.fromisoformat(entry["start"]),
            "ends_at": datetime.fromisoformat(entry["end"]),
        })
        notify.session_changed(outcome)
    _set_staff(session, entry["staff"])
    return session.id


def _set_staff(session: Session, staff: dict):
    wanted = _normal(staff)
    if _staff_of(session) == wanted:
        return
    for assignment in list(session.assignments):
        session.assignments.remove(assignment)
    db.session.flush()
    for role, people in wanted.items():
        for person in people:
            session.assignments.append(StaffAssignment(person_id=row_id(person), role=role))
    session.sequence += 1  # staff calendars must notice
    db.session.commit()


def _staff_of(session: Session) -> dict:
    staff: dict[str, list[str]] = {}
    for assignment in session.assignments:
        staff.setdefault(assignment.role, []).append(key("person", assignment.person_id))
    return _normal(staff)


def _normal(staff: dict) -> dict:
    return {role: sorted(people) for role, people in staff.items() if people}


def _problem_now(run) -> datetime:
    return datetime.fromisoformat(run.problem["now"]).replace(tzinfo=ZoneInfo(run.problem["timezone"]))


def _in_horizon(run, session) -> bool:
    local = session.starts_at.astimezone(_problem_now(run).tzinfo).date()
    return run.horizon_start <= local <= run.horizon_end
