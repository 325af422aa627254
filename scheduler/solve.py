"""Solve a problem: CP-SAT with time/gap limits, progress callback, warm-start hints."""
from __future__ import annotations

import math
import time

from ortools.sat.python import cp_model

from .feasible import Feasibility
from .model import PlannerModel
from .plan import Plan, PlanSession, invalid_plan
from .problem import PENALTY_KEYS, Problem, ProblemError, load_problem


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, t0, callback):
        super().__init__()
        self.t0 = t0
        self.callback = callback
        self.first = None
        self.trace = []

    def on_solution_callback(self):
        el = time.monotonic() - self.t0
        if self.first is None:
            self.first = el
        obj, bd = self.ObjectiveValue(), max(0.0, self.BestObjectiveBound())  # every penalty is >= 0
        self.trace.append((el, obj, bd))
        if self.callback:
            self.callback(obj, bd, el)


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
    return {"penalties": pen, "cost": cost, "served": served, "objective": sum(pen.values())}


def build_plan(prob: Problem, model_or_units, chosen, status, bound, seconds, feas=None) -> Plan:
    from .explain import explain_cancelled, explain_unmet

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


def solve(problem, time_limit: float = 30.0, gap_limit: float | None = None, workers: int = 2,
          on_progress=None, hint=True, max_slots_per_unit="auto", max_moves=60, log=False,
          greedy_first=True, stats=None, params=None) -> Plan:
    """Solve a problem (dict or Problem); always returns a Plan, never raises on bad input."""
    t0 = time.monotonic()
    if not isinstance(problem, Problem):
        try:
            problem = load_problem(problem)
        except ProblemError as e:
            return invalid_plan(e.errors)
    prob = problem
    feas = Feasibility(prob)
    units = feas.units()
    greedy_chosen = None
    extra = {}
    if hint:
        # greedy first: a plan in hand at once, and the warm start (hints) of the search
        from .greedy import greedy_sessions
        for u in units:
            u.raw = feas.unit_raw_slots(u)
            u.slots = []
        greedy_chosen = greedy_sessions(prob, feas, units=units)
        for s in greedy_chosen:
            o = s["option"]
            if o.kind == "new":
                extra.setdefault(o.unit.idx, []).append((o.room, o.start))
    greedy_s = time.monotonic() - t0
    from .greedy import is_replan
    if is_replan(prob):
        # re-planning a published plan: what matters is near the published places and times
        max_moves = min(max_moves, 20)
        if max_slots_per_unit == "auto":
            max_slots_per_unit = 30
    if greedy_chosen is not None and on_progress:
        # the greedy plan is a valid plan in hand: report it as the first one (no bound yet)
        on_progress(evaluate(prob, units, greedy_chosen)["objective"], None, greedy_s)
    model = PlannerModel(prob, feas, max_slots_per_unit=max_slots_per_unit, max_moves=max_moves,
                         extra_slots=extra, units=units).build()
    build_s = time.monotonic() - t0
    if greedy_chosen is not None:
        mapped = []
        for s in greedy_chosen:
            o = model.find(s["option"])
            if o is not None:
                mapped.append({"option": o, "staff": s["staff"]})
        if len(mapped) == len(greedy_chosen):
            greedy_chosen = mapped
        model.hint(mapped)
    solver = cp_model.CpSolver()
    # keep a little of the limit for reading the solution and explaining it
    solver.parameters.max_time_in_seconds = max(0.1, 0.97 * time_limit - (time.monotonic() - t0))
    solver.parameters.num_workers = max(1, workers)
    if gap_limit is not None:
        solver.parameters.relative_gap_limit = gap_limit
    solver.parameters.log_search_progress = bool(log)
    # The LP relaxation is what proves bounds here; full presolve was measured to cost
    # seconds on M and to leave the LP worker without rows, so it is off by default.
    solver.parameters.cp_model_presolve = False
    for k, v in (params or {}).items():
        setattr(solver.parameters, k, v)
    cb = _Progress(t0, on_progress)

    def on_bound(bound):
        # bound improvements between solutions (the progress bar's lower end)
        bound = max(0.0, bound)
        if cb.trace:
            el = time.monotonic() - t0
            cb.trace.append((el, cb.trace[-1][1], bound))
            if on_progress:
                on_progress(cb.trace[-1][1], bound, el)

    solver.best_bound_callback = on_bound
    st = solver.Solve(model.m, cb)
    seconds = time.monotonic() - t0
    if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        cb.trace.append((seconds, solver.ObjectiveValue(), max(0.0, solver.BestObjectiveBound())))
    if stats is not None:
        stats.update({"build_seconds": build_s, "greedy_seconds": greedy_s, "first_solution": cb.first, "trace": cb.trace,
                      "options": len(model.options), "staff_vars": len(model.staff),
                      "restricted": model.restricted, "solver_status": solver.StatusName(st),
                      "greedy_objective": None})
    if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = model.extract(lambda lit: solver.BooleanValue(lit))
        # every penalty is >= 0, so 0 is always a proven bound
        bound = None if model.restricted else max(0, int(math.ceil(solver.BestObjectiveBound() - 1e-6)))
        status = "OPTIMAL" if st == cp_model.OPTIMAL and not model.restricted else "FEASIBLE"
        plan = build_plan(prob, model, chosen, status, bound, seconds, feas)
        if status == "OPTIMAL":
            plan.bound = plan.objective
        if greedy_chosen is not None:
            gplan = evaluate(prob, model.units, greedy_chosen)
            if gplan["objective"] < plan.objective:  # the solver did not even reach its hint
                plan = build_plan(prob, model, greedy_chosen, "FEASIBLE", bound, seconds, feas)
        return plan
    if greedy_chosen is not None:
        return build_plan(prob, model, greedy_chosen, "FEASIBLE", None, seconds, feas)
    return Plan(status="UNKNOWN", solve_seconds=seconds, objective=None, bound=None)
