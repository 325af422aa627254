"""Solve a problem: greedy plan first, then CP-SAT with time/gap limits, progress and a stop flag.

With booked pinned sessions the repair rule applies (scheduler/repair.py): a first
search keeps every untouched session exactly as published; only when that plan still
cancels a session does a second search allow untouched sessions to change, with the
fewest cancellations first and then the fewest changes. The returned plan is never
worse than the greedy plan.
"""
from __future__ import annotations

import math
import threading
import time

from ortools.sat.python import cp_model

from .assemble import build_plan
from .bound import forced_bound
from .evaluation import evaluate
from .feasible import Feasibility
from .greedy import greedy_sessions
from .model import PlannerModel
from .options import is_replan
from .plan import Plan, invalid_plan
from .problem import Problem, ProblemError, load_problem
from .repair import describe_changes, touched_sessions, untouched_ids


STOP_POLL_SECONDS = 0.2  # how often a running search reads its stop flag


class _Progress(cp_model.CpSolverSolutionCallback):
    """Reports improving plans and stops the search when `should_stop()` says so."""

    def __init__(self, t0, callback, should_stop=None, score=None, floor=0, proven=True):
        super().__init__()
        self.floor = floor    # a bound proven without search (scheduler/bound.py)
        self.proven = proven  # False when the model left candidates out: its bound is not one
        self.t0 = t0
        self.callback = callback
        self.should_stop = should_stop
        self.score = score  # plan objective of the solver's objective value (lexicographic phase)
        self.first = None
        self.trace = []

    def on_solution_callback(self):
        el = time.monotonic() - self.t0
        if self.first is None:
            self.first = el
        obj = self.ObjectiveValue()
        bd = max(self.floor, self.BestObjectiveBound()) if self.proven else self.floor
        if self.score is None:
            self.trace.append((el, obj, bd))
            if self.callback:
                self.callback(obj, bd, el)
        if self.should_stop is not None and self.should_stop():
            self.StopSearch()


class _Run:
    """One CP-SAT search of a model; keeps what it found."""

    def __init__(self, model, seconds, workers, gap_limit, log, params, t0, on_progress, should_stop,
                 lexicographic=False, floor=0):
        self.model = model
        solver = self.solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.1, seconds)
        solver.parameters.num_workers = max(1, workers)
        if gap_limit is not None and not lexicographic:
            solver.parameters.relative_gap_limit = gap_limit
        solver.parameters.log_search_progress = bool(log)
        # The LP relaxation is what proves bounds here; full presolve was measured to cost
        # seconds on M and to leave the LP worker without rows, so it is off by default.
        solver.parameters.cp_model_presolve = False
        for k, v in (params or {}).items():
            setattr(solver.parameters, k, v)
        self.floor = floor
        self.cb = _Progress(t0, on_progress, should_stop, score=True if lexicographic else None,
                            floor=floor, proven=not model.restricted)
        if not lexicographic:
            solver.best_bound_callback = self._on_bound
        self.t0, self.on_progress = t0, on_progress
        watching = threading.Event()
        if should_stop is not None:
            # between improving plans too: a watcher reads the flag and stops the search
            threading.Thread(target=self._watch, args=(should_stop, watching), daemon=True).start()
        try:
            self.status = solver.Solve(model.m, self.cb)
        finally:
            watching.set()

    def _watch(self, should_stop, finished):
        while not finished.wait(STOP_POLL_SECONDS):
            if should_stop():
                self.solver.stop_search()
                return

    def _on_bound(self, bound):
        # bound improvements between solutions (the progress bar's lower end)
        bound = max(self.floor, bound) if not self.model.restricted else self.floor
        if self.cb.trace:
            el = time.monotonic() - self.t0
            self.cb.trace.append((el, self.cb.trace[-1][1], bound))
            if self.on_progress:
                self.on_progress(self.cb.trace[-1][1], bound, el)

    @property
    def found(self) -> bool:
        return self.status in (cp_model.OPTIMAL, cp_model.FEASIBLE)

    @property
    def optimal(self) -> bool:
        return self.status == cp_model.OPTIMAL

    def chosen(self):
        return self.model.extract(lambda lit: self.solver.BooleanValue(lit))

    def bound(self):
        if self.model.restricted:
            return self.floor
        return max(self.floor, int(math.ceil(self.solver.BestObjectiveBound() - 1e-6)))


def _greedy_start(prob, feas, units, touches):
    for u in units:
        u.raw = feas.unit_raw_slots(u)
        u.slots = []
    chosen = greedy_sessions(prob, feas, units=units, untouched=untouched_ids(touches))
    extra = {}
    for s in chosen:
        o = s["option"]
        if o.kind == "new":
            extra.setdefault(o.unit.idx, []).append((o.room, o.start))
    return chosen, extra


def _hint(model, chosen):
    mapped = []
    for s in chosen or ():
        o = model.find(s["option"])
        if o is not None:
            mapped.append({"option": o, "staff": s["staff"]})
    model.hint(mapped)
    return mapped


def _cancelled_ids(prob, chosen):
    kept = {s["option"].pinned.id for s in chosen if s["option"].pinned is not None}
    return {pn.id for pn in prob.pinned if not pn.history and pn.booked > 0 and pn.id not in kept}


def solve(problem, time_limit: float = 30.0, gap_limit: float | None = None, workers: int = 2,
          on_progress=None, hint=True, max_slots_per_unit="auto", max_moves=60, log=False,
          stats=None, params=None, should_stop=None) -> Plan:
    """Solve a problem (dict or Problem); always returns a Plan, never raises on bad input.

    `should_stop()` is polled at every improving plan: when true, the search stops and the
    best plan so far is returned (a run cancelled from the web app).
    """
    t0 = time.monotonic()
    if not isinstance(problem, Problem):
        try:
            problem = load_problem(problem)
        except ProblemError as e:
            return invalid_plan(e.errors)
    prob = problem
    feas = Feasibility(prob)
    units = feas.units()
    touches = touched_sessions(prob, feas)
    untouched = untouched_ids(touches)
    greedy_chosen, extra = (None, {})
    if hint:
        # greedy first: a plan in hand at once, and the warm start (hints) of the search
        greedy_chosen, extra = _greedy_start(prob, feas, units, touches)
    greedy_s = time.monotonic() - t0
    if is_replan(prob):
        # re-planning a published plan: what matters is near the published places and times
        max_moves = min(max_moves, 20)
        if max_slots_per_unit == "auto":
            max_slots_per_unit = 30
    if greedy_chosen is not None and on_progress:
        # the greedy plan is a valid plan in hand: report it as the first one (no bound yet)
        on_progress(evaluate(prob, units, greedy_chosen)["objective"], None, greedy_s)

    def deadline_left(share=1.0):
        # keep a little of the limit for reading the solution and explaining it
        # (a tenth of the limit, at most a second: explaining a plan of M takes about that)
        return share * (0.97 * time_limit - min(1.0, 0.1 * time_limit) - (time.monotonic() - t0))

    def build(frozen=()):
        return PlannerModel(prob, feas, max_slots_per_unit=max_slots_per_unit, max_moves=max_moves,
                            extra_slots=extra, units=units, frozen=frozen).build()

    model = build(untouched)
    loose = model.freeze() if untouched else set()
    if loose:  # some published people are not in the model after all: rebuild with those free
        untouched = untouched - loose
        model = build(untouched)
        model.freeze()
    build_s = time.monotonic() - t0
    hinted = _hint(model, greedy_chosen)
    share = 0.6 if untouched else 1.0
    floor = forced_bound(prob, feas, units)
    run = _Run(model, deadline_left(share), workers, gap_limit, log, params, t0, on_progress, should_stop,
               floor=floor)
    chosen = run.chosen() if run.found else None
    restricted = model.restricted or bool(untouched)
    bound = run.bound() if run.found else floor
    optimal = run.optimal and not model.restricted
    saved = set()
    stopped = should_stop is not None and should_stop()
    if untouched and not stopped and (chosen is None or _cancelled_ids(prob, chosen)):
        # the repair rule allows untouched sessions to change only to save a cancellation
        free = build()
        base = evaluate(prob, units, chosen)["objective"] if chosen else None
        if greedy_chosen is not None:
            g = evaluate(prob, units, greedy_chosen)["objective"]
            base = g if base is None else max(base, g)
        free.minimise_changes_first(untouched, (base or 0) + 1)
        _hint(free, chosen if chosen is not None else greedy_chosen)
        run2 = _Run(free, deadline_left(), workers, None, log, params, t0, on_progress, should_stop,
                    lexicographic=True)
        if run2.found:
            second = run2.chosen()
            before = _cancelled_ids(prob, chosen) if chosen is not None else None
            after = _cancelled_ids(prob, second)
            if before is None or len(after) < len(before):
                saved = (before or set()) - after
                chosen, model = second, free
    seconds = time.monotonic() - t0
    if stats is not None:
        stats.update({"build_seconds": build_s, "greedy_seconds": greedy_s, "first_solution": run.cb.first,
                      "trace": run.cb.trace, "options": len(model.options), "staff_vars": len(model.staff),
                      "restricted": restricted, "solver_status": run.solver.StatusName(run.status),
                      "hinted": len(hinted), "untouched": len(untouched)})
    if chosen is None and greedy_chosen is None:
        return Plan(status="UNKNOWN", solve_seconds=seconds, objective=None, bound=None)
    status = "OPTIMAL" if optimal and not saved else "FEASIBLE"
    if chosen is None or (greedy_chosen is not None and
                          evaluate(prob, units, greedy_chosen)["objective"] < evaluate(prob, units, chosen)["objective"]):
        # never worse than the greedy plan, whatever stopped the search
        chosen, status = greedy_chosen, "FEASIBLE"
    plan = build_plan(prob, units, chosen, status, bound, seconds, feas)
    if plan.status == "OPTIMAL":
        plan.bound = plan.objective
    if plan.bound is not None and plan.bound > plan.objective:
        plan.bound = plan.objective
    plan.changes = describe_changes(prob, chosen, touches, saved)
    if untouched and plan.bound is not None:
        plan.notes.append("bound: proven for plans that keep every untouched published session as it is")
    return plan
