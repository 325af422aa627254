"""The repair rule: a published plan changes only where the problem forces it.

A booked pinned session is *touched* when its published form (room, start and staff)
can no longer stand on its own: its room is closed or unsuitable at its time, or one of
its published people cannot work it (absent, not available, no longer skilled there).
Every other booked pinned session is *untouched*. A repair keeps each untouched session
exactly as published (room, start, staff) unless changing it saves a cancellation;
`changes` in the plan says, for every booked pinned session that changed, what changed
and why.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .evaluation import lost_published_staff
from .feasible import Feasibility, free_of
from .problem import Problem


@dataclass
class Touch:
    """Why a booked pinned session cannot stay as published (empty: it can)."""
    room: tuple | None = None                    # (code, text): why its room cannot hold it
    people: dict = field(default_factory=dict)   # person id -> (code, text): why they cannot work it

    def __bool__(self) -> bool:
        return self.room is not None or bool(self.people)


def _person_reason(prob: Problem, feas: Feasibility, pn, pid: str, role: str) -> tuple | None:
    """(code, English text) of why a published person cannot work the session, or None."""
    person = prob.people[pid]
    theme = prob.themes[pn.theme]
    loc = prob.rooms[pn.room].location
    if not person.can_fill(role, pn.theme):
        return "skill", f"{person.name} can no longer be {role} for '{theme.title}'"
    if person.locations is not None and loc not in person.locations:
        return "location", f"{person.name} no longer works at {prob.locations[loc].name}"
    if pn.language is not None and feas.speaks_needed(theme, role) and pn.language not in person.languages:
        return "language", f"{person.name} does not speak '{pn.language}'"
    if not free_of(person.unavailable, pn.abs_start, pn.abs_end):
        return "absent", f"{person.name} is absent at its time"
    if not feas.person_time_ok(person, pn.abs_start, pn.abs_end) or \
            not feas.person_hist_ok(pid, loc, pn.abs_start, pn.abs_end):
        return "unavailable", f"{person.name} is not available at its time"
    if person.max_sessions == 0:
        return "retired", f"{person.name} takes no sessions any more"
    return None


def touch_of(prob: Problem, feas: Feasibility, pn) -> Touch:
    """What, if anything, keeps a booked pinned session from staying exactly as published."""
    theme = prob.themes[pn.theme]
    room = prob.rooms[pn.room]
    t = Touch()
    if not feas.room_fits_theme(room, theme):
        t.room = ("room_unsuitable", f"room {room.id} no longer suits '{theme.title}'")
    elif not feas.room_time_ok(room, pn.abs_start, pn.abs_end):
        t.room = ("room_closed", f"room {room.id} is closed at its time")
    for role, need in theme.staff.items():
        ids = pn.staff.get(role, [])
        if len(ids) != need:
            t.people.setdefault("", ("staff_count", f"it was published with {len(ids)} {role}(s) for {need}"))
        for pid in ids:
            why = _person_reason(prob, feas, pn, pid, role)
            if why:
                t.people[pid] = why
    return t


def touched_sessions(prob: Problem, feas: Feasibility) -> dict:
    """pinned id -> Touch, for every booked pinned session in the plan's scope."""
    return {pn.id: touch_of(prob, feas, pn) for pn in prob.pinned if not pn.history and pn.booked > 0}


def untouched_ids(touches: dict) -> set:
    return {pid for pid, t in touches.items() if not t}


def describe_changes(prob: Problem, chosen, touches: dict, saved: set) -> list:
    """One entry per booked pinned session that changed: what changed, and why.

    `saved` holds the touched sessions kept only because untouched ones changed.
    """
    by_pinned = {s["option"].pinned.id: s for s in chosen if s["option"].kind == "booked"}
    out = []
    for pn in prob.pinned:
        if pn.id not in touches:
            continue
        touch = touches[pn.id]
        s = by_pinned.get(pn.id)
        what = _what_changed(prob, pn, s)
        if not what:
            continue
        causes = ([{"code": touch.room[0]}] if touch.room else []) + \
            [{"code": code, "person": pid or None} for pid, (code, _) in touch.people.items()]
        if touch:
            why = "; ".join(([touch.room[1]] if touch.room else []) + [t for _, t in touch.people.values()])
        elif saved:
            why = f"changed so that {', '.join(sorted(saved))} need not be cancelled"
            causes = [{"code": "saves", "sessions": sorted(saved)}]
        else:
            why = "changed although nothing forced it"
        out.append({"id": pn.id, "touched": bool(touch), "what": what, "reason": why, "causes": causes})
    return out


def _what_changed(prob: Problem, pn, s) -> list:
    if s is None:
        return ["cancelled"]
    o = s["option"]
    what = []
    if o.loc != prob.rooms[pn.room].location:
        what.append(f"moved to {prob.locations[o.loc].name}")
    elif o.room != pn.room:
        what.append(f"moved to room {o.room}")
    if o.start != pn.abs_start:
        what.append(f"moved to {prob.clock.to_local(o.start).strftime('%Y-%m-%d %H:%M')}")
    lost = lost_published_staff(pn, s["staff"])
    published = {pid for ids in pn.staff.values() for pid in ids}
    added = [pid for ids in s["staff"].values() for pid in ids if pid not in published]
    for pid in lost:
        what.append(f"without {prob.people[pid].name}")
    for pid in added:
        what.append(f"with {prob.people[pid].name}")
    return what
