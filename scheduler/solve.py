"""Solve a problem: CP-SAT with time/gap limits, progress callback, warm-start hints."""
from __future__ import annotations

import math
import time

from ortools.sat.python import cp_model

from .feasible import Feasibility
from .greedy import greedy_sessions
from .model import PlannerModel
from .assemble import build_plan
from .evaluation import evaluate
from .options import is_replan
from .plan import Plan, invalid_plan
from .problem import Problem, ProblemError, load_problem


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
        for u in units:
            u.raw = feas.unit_raw_slots(u)
            u.slots = []
        greedy_chosen = greedy_sessions(prob, feas, units=units)
        for s in greedy_chosen:
            o = s["option"]
            if o.kind == "new":
                extra.setdefault(o.unit.idx, []).append((o.room, o.start))
    greedy_s = time.monotonic() - t0
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
