"""The exact objective of a set of chosen sessions, term by term (docs/planning-format.md)."""
from __future__ import annotations

from .problem import PENALTY_KEYS, Problem


def evaluate(prob: Problem, units, chosen) -> dict:
    """Exact integer penalties of a set of chosen sessions (internal form)."""
    w = prob.weights
    pen = {k: 0 for k in PENALTY_KEYS}
    served = {}
    for s in chosen:
        if s["option"].unit is not None:
            served[s["option"].unit.idx] = served.get(s["option"].unit.idx, 0) + 1
    pen["unmet"] = w["unmet"] * sum(u.demand.priority * max(0, u.asked - served.get(u.idx, 0)) for u in units)
    kept = {s["option"].pinned.id for s in chosen if s["option"].pinned is not None}
    pen["moved_booked"] = w["moved_booked"] * sum(1 for s in chosen if s["option"].kind == "booked" and s["option"].moved)
    pen["cancelled_booked"] = w["cancelled_booked"] * sum(
        1 for pn in prob.pinned if not pn.history and pn.booked > 0 and pn.id not in kept)
    cost = sum(prob.people[pid].cost for s in chosen for ids in s["staff"].values() for pid in ids)
    pen["cost"] = w["cost"] * cost
    loads = {}
    for s in chosen:
        for role, ids in s["staff"].items():
            for pid in ids:
                loads.setdefault(role, {}).setdefault(pid, 0)
                loads[role][pid] += 1
    pen["balance"] = w["balance"] * sum(max(v.values()) - min(v.values()) for v in loads.values() if v)
    for d in prob.demands:
        if not d.same_slot:
            continue
        triples = set()
        for s in chosen:
            o = s["option"]
            if o.unit is not None and o.unit.demand is d:
                ls = prob.clock.to_local(o.start)
                triples.add((ls.isoweekday(), ls.strftime("%H:%M"), o.loc))
        pen["same_slot"] += w["same_slot"] * max(0, len(triples) - d.sessions)
    pen["restaffed"], pen["relocated"] = pinned_change_penalties(prob, chosen)
    return {"penalties": pen, "cost": cost, "served": served, "objective": sum(pen.values())}


def lost_published_staff(pn, staff: dict) -> list:
    """The people of a pinned session's published staff who are nowhere on `staff` (role changes
    are not losses), in published order."""
    now_on = {pid for ids in staff.values() for pid in ids}
    seen, lost = set(), []
    for ids in pn.staff.values():
        for pid in ids:
            if pid not in now_on and pid not in seen:
                lost.append(pid)
            seen.add(pid)
    return lost


def pinned_change_penalties(prob: Problem, chosen) -> tuple:
    """(restaffed, relocated) of the booked pinned sessions kept or moved in `chosen`."""
    w = prob.weights
    lost = relocated = 0
    for s in chosen:
        o = s["option"]
        if o.kind != "booked":
            continue
        lost += len(lost_published_staff(o.pinned, s["staff"]))
        if o.loc != prob.rooms[o.pinned.room].location:
            relocated += 1
    return w["restaffed"] * lost, w["relocated"] * relocated
