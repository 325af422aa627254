"""Plan assembly: chosen sessions (internal form) -> a Plan with ids, local times, reasons."""
from __future__ import annotations

from .evaluation import evaluate
from .explain import explain_cancelled, explain_unmet
from .feasible import Feasibility
from .plan import Plan, PlanSession
from .problem import Problem


def build_plan(prob: Problem, model_or_units, chosen, status, bound, seconds, feas=None) -> Plan:
    units = model_or_units.units if hasattr(model_or_units, "units") else model_or_units
    ev = evaluate(prob, units, chosen)
    clock = prob.clock
    used_ids = {pn.id for pn in prob.pinned}
    counters = {}
    sessions = []
    for s in sorted(chosen, key=lambda s: (s["option"].start, s["option"].room)):
        o = s["option"]
        if o.pinned is not None:
            sid = o.pinned.id
        else:
            n = counters.get(o.unit.demand.id, 0)
            while True:
                n += 1
                sid = f"{o.unit.demand.id}-s{n}"
                if sid not in used_ids:
                    break
            counters[o.unit.demand.id] = n
            used_ids.add(sid)
        cost = sum(prob.people[pid].cost for ids in s["staff"].values() for pid in ids)
        sessions.append(PlanSession(sid, o.unit.demand.id if o.unit else None, o.theme, o.room, o.loc,
                                    clock.iso(o.start), clock.iso(o.end),
                                    {r: list(ids) for r, ids in s["staff"].items()}, o.lang, cost,
                                    o.pinned is not None, bool(o.moved)))
    feas = feas or Feasibility(prob)
    missing = {}
    for u in units:
        m = u.asked - ev["served"].get(u.idx, 0)
        if m > 0:
            missing.setdefault(u.demand.id, []).append((u, m))
    unmet = []
    for d in prob.demands:
        if d.id in missing:
            total = sum(m for _, m in missing[d.id])
            unmet.append({"demand": d.id, "missing": total,
                          "reason": explain_unmet(prob, feas, d, missing[d.id], chosen, ev)})
    kept = {s["option"].pinned.id for s in chosen if s["option"].pinned is not None}
    cancelled = [{"id": pn.id, "reason": explain_cancelled(prob, feas, pn, chosen, ev)}
                 for pn in prob.pinned if not pn.history and pn.booked > 0 and pn.id not in kept]
    return Plan(status=status, objective=ev["objective"], bound=bound, solve_seconds=seconds,
                sessions=sessions, unmet=unmet, cancelled=cancelled, cost=ev["cost"], penalties=ev["penalties"])
