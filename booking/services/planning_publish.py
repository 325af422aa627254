"""Reviewing a plan against what is published, and publishing it (all or
part). Nothing of a plan reaches the kiosk before this runs. What a run has
published is recorded on the run, so the review shows it as published and
publishing again changes nothing."""
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from booking.extensions import db
from booking.models import Person, Room, Session, StaffAssignment, Theme, User, utcnow
from booking.services import notify
from booking.services import sessions as session_service
from booking.services.errors import Conflict, InvalidInput
from booking.services.planning import WALK_IN_ONLY_KINDS, key, row_id
from booking.services.planning_runs import get_run
from booking.services.transaction import write_transaction
from booking.times import local


@dataclass
class Change:
    """One line of the review: what publishing this plan entry would do."""

    id: str
    action: str  # new, moved, restaffed, kept, cancelled, dropped, published
    entry: dict  # the plan session, or {"id", "reason"} for a cancellation
    session: Session | None = None
    touched: bool = False  # a session the absence touched (the plan's `changes`)
    why: str = ""          # the plan's reason for changing a published session
    theme: str = ""        # names and local times a coordinator reads
    when: str = ""
    where: str = ""
    staff: list = field(default_factory=list)  # [(role, [names])]


@dataclass
class PublishResult:
    done: dict = field(default_factory=lambda: {
        "new": [], "moved": [], "restaffed": [], "kept": [], "cancelled": [], "dropped": []})
    problems: list = field(default_factory=list)

    def count(self, action):
        return len(self.done[action])


def review(run, language: str = "en") -> list[Change]:
    """Every change the plan makes to what is published, in time order, with
    names and local times; what this run already published is marked so."""
    if not run.plan:
        return []
    changes = []
    planned_ids = set()
    made = (run.published or {}).get("sessions", {})
    reasons = {c["id"]: c for c in run.plan.get("changes", [])}
    for entry in run.plan["sessions"]:
        planned_ids.add(entry["id"])
        if not entry["pinned"]:
            session = db.session.get(Session, made[entry["id"]]) if entry["id"] in made else None
            changes.append(Change(entry["id"], "published" if session else "new", entry, session))
            continue
        session = db.session.get(Session, row_id(entry["id"]))
        if session is not None:
            changes.append(Change(entry["id"], _pinned_action(entry, session, entry["id"] in reasons),
                                  entry, session))
    cancelled = {c["id"] for c in run.plan["cancelled"]}
    for entry in run.plan["cancelled"]:
        session = db.session.get(Session, row_id(entry["id"]))
        if session is not None:
            action = "published" if session.status == "cancelled" else "cancelled"
            changes.append(Change(entry["id"], action, entry, session))
    for pinned in run.problem.get("pinned", []):
        if pinned["id"] in planned_ids or pinned["id"] in cancelled or pinned["booked"]:
            continue
        session = db.session.get(Session, row_id(pinned["id"]))
        if session is not None and session.starts_at > _problem_now(run) and _in_horizon(run, session):
            action = "published" if session.status == "cancelled" else "dropped"
            changes.append(Change(pinned["id"], action,
                                  {"id": pinned["id"], "reason": "no longer needed"}, session))
    for change in changes:
        reason = reasons.get(change.id)
        if reason:
            change.touched = reason["touched"]
            change.why = _why(reason.get("causes", []), language)
        _describe(change, language)
    return sorted(changes, key=_when)


def _why(causes: list, language: str) -> str:
    """The plan's reasons for changing a published session, in the reader's language."""
    texts = []
    with force_locale(language):
        for cause in causes:
            person = db.session.get(Person, row_id(cause["person"])) if cause.get("person") else None
            name = person.name if person else ""
            text = {
                "absent": lambda: _("%(name)s is absent then", name=name),
                "unavailable": lambda: _("%(name)s is not available then", name=name),
                "skill": lambda: _("%(name)s can no longer give this session", name=name),
                "location": lambda: _("%(name)s can no longer give this session", name=name),
                "language": lambda: _("%(name)s can no longer give this session", name=name),
                "retired": lambda: _("%(name)s can no longer give this session", name=name),
                "room_closed": lambda: _("the room is closed then"),
                "room_unsuitable": lambda: _("the room no longer suits this session"),
                "saves": lambda: _("changed so that another session need not be cancelled"),
            }.get(cause["code"], lambda: _("the published staff no longer fit this session"))()
            if text not in texts:
                texts.append(text)
    return "; ".join(texts)


def _pinned_action(entry: dict, session: Session, plan_changed_it: bool) -> str:
    """Compared with what is published now, so a change already carried out reads as such."""
    if entry["room"] != key("room", session.room_id) or datetime.fromisoformat(entry["start"]) != session.starts_at:
        return "moved"
    if _normal(entry["staff"]) != _staff_of(session):
        return "restaffed"
    return "published" if plan_changed_it else "kept"


def _describe(change: Change, language: str):
    """Theme, local time, place and staff by name (no ids, no UTC)."""
    entry, session = change.entry, change.session
    theme = db.session.get(Theme, entry["theme"]) if entry.get("theme") else (session.theme if session else None)
    change.theme = theme.title(language) if theme else ""
    if entry.get("start"):
        start, end = datetime.fromisoformat(entry["start"]), datetime.fromisoformat(entry["end"])
    else:
        start, end = local(session.starts_at), local(session.ends_at)
    change.when = f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
    room = db.session.get(Room, row_id(entry["room"])) if entry.get("room") else (session.room if session else None)
    change.where = f"{room.location.name} · {room.name}" if room else ""
    staff = entry.get("staff")
    if staff is None and session is not None:
        staff = _staff_of(session)
    names = {}
    for people in (staff or {}).values():
        for pid in people:
            person = db.session.get(Person, row_id(pid))
            names[pid] = person.name if person else pid
    change.staff = [(role, [names[p] for p in people]) for role, people in (staff or {}).items()]


def _when(change: Change) -> datetime:
    if change.entry.get("start"):
        return datetime.fromisoformat(change.entry["start"])
    return change.session.starts_at


def publish(run_id: int, selected: set[str] | None = None, *, actor: str | None = None) -> PublishResult:
    """Carry out the plan's changes (only those in `selected`, when given) in one
    transaction that first locks every session, room and person they touch:
    cancellations and drops first, so their rooms are free for the moves,
    then moves and new staff, then new sessions. A change that meets a
    conflict (a partner took the room meanwhile) is refused before it writes
    anything, reported, and the rest go on. Messages go out once it commits."""
    run = get_run(run_id)
    if run.status != "done" or not run.plan:
        raise Conflict("Only a finished run with a plan can be published.")
    if run.imported:
        raise Conflict("A plan of an imported problem can be downloaded, not published.")
    result = PublishResult()
    changes = [c for c in review(run) if c.action not in ("published", "kept")
               and (selected is None or c.id in selected)]
    made = dict((run.published or {}).get("sessions", {}))
    order = {"cancelled": 0, "dropped": 0, "moved": 1, "restaffed": 1, "kept": 1, "new": 2}
    with write_transaction(actor=actor) as tx:
        tx.lock_all(_rows_touched(changes))
        for change in sorted(changes, key=lambda c: order[c.action]):
            try:
                session_id = _apply(change, tx)
            except (Conflict, InvalidInput) as error:
                result.problems.append(f"{change.id}: {error.message} {' '.join(error.fields.values())}".strip())
                continue
            result.done[change.action].append(session_id)
            if change.action == "new":
                made[change.id] = session_id
        before = run.published or {}
        run.published_at = utcnow()
        run.published = {action: len(ids) + before.get(action, 0) for action, ids in result.done.items()} | {
            "problems": result.problems, "sessions": made}
    return result


def _rows_touched(changes: list[Change]) -> list[tuple]:
    """Every session, room and person a publish may write or check, to lock up front."""
    rows = []
    for change in changes:
        entry, session = change.entry, change.session
        if session is not None:
            rows.append((Session, session.id))
            rows.append((Room, session.room_id))
            rows += [(Person, a.person_id) for a in session.assignments]
        if entry.get("room"):
            rows.append((Room, row_id(entry["room"])))
        rows += [(Person, row_id(p)) for people in (entry.get("staff") or {}).values() for p in people]
    return rows


def _apply(change: Change, tx) -> int:
    """One change, inside the publish transaction; the session services tell
    participants and staff about cancellations and moves themselves."""
    entry = change.entry
    if change.action in ("cancelled", "dropped"):
        session, _affected = session_service.cancel(change.session.id)
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
        _set_staff(session, entry["staff"], tx)
        return session.id
    session = change.session
    if change.action == "moved":
        session_service.update(session.id, {
            "room_id": row_id(entry["room"]),
            "starts_at": datetime.fromisoformat(entry["start"]),
            "ends_at": datetime.fromisoformat(entry["end"]),
        })
    _set_staff(session, entry["staff"], tx)
    return session.id


def _set_staff(session: Session, staff: dict, tx):
    wanted = _normal(staff)
    before = _staff_of(session)
    if before == wanted:
        return
    staying = {person for people in wanted.values() for person in people}
    removed = [row_id(person) for people in before.values() for person in people if person not in staying]
    for assignment in list(session.assignments):
        session.assignments.remove(assignment)
    db.session.flush()
    for role, people in wanted.items():
        for person in people:
            session.assignments.append(StaffAssignment(person_id=row_id(person), role=role))
    session.sequence += 1  # staff calendars must notice
    _tell_taken_off(session, removed, tx)
    db.session.flush()


def _tell_taken_off(session: Session, person_ids: list[int], tx):
    """People taken off a published session hear it from us, in the staff
    language; the message is queued with the change, and sent once the
    publish transaction has committed."""
    if not person_ids:
        return
    users = db.session.scalars(select(User).where(User.person_id.in_(person_ids),
                                                  User.active.is_(True))).all()
    language = current_app.config.get("BABEL_DEFAULT_LOCALE", "nl")
    start, end = local(session.starts_at), local(session.ends_at)
    when = f"{start:%d/%m/%Y %H:%M}–{end:%H:%M}"
    with force_locale(language):
        title = session.theme.title(language)
        subject = _("No longer on: %(title)s", title=title)
        body = _("Instap: you are no longer on %(title)s on %(when)s at %(place)s. "
                 "Someone else takes it over. Thank you!",
                 title=title, when=when, place=session.room.location.name)
    # Queued in this transaction; the outbox sends them once it commits.
    for user in users:
        notify.queue("staff_taken_off", "email", user.email, subject, body, session_id=session.id)


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
