"""Solve a problem: greedy plan first, then CP-SAT with time/gap limits, progress and a stop flag.

With booked pinned sessions the repair rule applies (scheduler/repair.py): a first
search keeps every untouched session exactly as published; only when that plan still
cancels a session does a second search allow untouched sessions to change, with the
fewest cancellations first and then the fewest changes. The returned plan is never
worse than the greedy plan.
"""
from __future__ import annotations

import copy
import math
import threading
import time

from ortools.sat.python import cp_model

from .assemble import build_plan
from .bound import forced_bound
from .evaluation import evaluate
from .feasible import Feasibility
from .greedy import greedy_sessions
from .lpbound import lp_bound
from .model import PlannerModel
from .options import is_replan
from .plan import Plan, invalid_plan
from .problem import Problem, ProblemError, load_problem
from .repair import describe_changes, touched_sessions, untouched_ids


STOP_POLL_SECONDS = 0.2  # how often a running search reads its stop flag
# Candidate (room, start) pairs up to which a model with every candidate is built for the LP
# bound when the search model samples them: L has about 85,000 (full model 2.7 s, LP 1.9 s);
# XL's 580,000 candidate sessions take 35 s to build and more than 20 s of LP.
LP_FULL_RAW_LIMIT = 200_000


class _Progress(cp_model.CpSolverSolutionCallback):
    """Reports improving plans and stops the search when `should_stop()` says so."""

    def __init__(self, t0, callback, should_stop=None, score=None, floor=0, proven=True, gap_limit=None):
        super().__init__()
        self.gap_limit = gap_limit  # stop once the plan is this close to the floor
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
        elif self.score is None and self.gap_limit is not None and obj - bd <= self.gap_limit * abs(obj):
            self.StopSearch()  # close enough to a bound the solver itself does not know of


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
                            floor=floor, proven=not model.restricted,
                            gap_limit=None if lexicographic else gap_limit)
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

    `should_stop()` is read while the search runs: when true, the search stops and the
    best plan so far is returned (a run cancelled from the web app).
    """
    t0 = time.monotonic()
    if not isinstance(problem, Problem):
        try:
            problem = load_problem(problem)
        except ProblemError as e:
            return invalid_plan(e.errors)
    job = _Solving(problem, t0, time_limit, dict(gap_limit=gap_limit, workers=workers, log=log, params=params,
                                                 on_progress=on_progress, should_stop=should_stop))
    job.start(hint, max_slots_per_unit, max_moves)
    job.first_search()
    job.repair_search()
    return job.finish(stats)


class _Solving:
    """One call of solve(): the greedy start, the search under the repair rule, and the
    plan that is never worse than the greedy one."""

    def __init__(self, prob, t0, time_limit, run_options):
        self.prob, self.t0, self.time_limit, self.opts = prob, t0, time_limit, run_options
        self.feas = Feasibility(prob)
        self.units = self.feas.units()
        self.touches = touched_sessions(prob, self.feas)
        self.untouched = untouched_ids(self.touches)
        self.greedy, self.extra = None, {}
        self.saved = set()

    def left(self, share=1.0):
        # keep a little of the limit for reading the solution and explaining it
        # (a tenth of the limit, at most a second: explaining a plan of M takes about that)
        return share * (0.97 * self.time_limit - min(1.0, 0.1 * self.time_limit)
                        - (time.monotonic() - self.t0))

    def start(self, hint, max_slots_per_unit, max_moves):
        if hint:
            # greedy first: a plan in hand at once, and the warm start (hints) of the search
            self.greedy, self.extra = _greedy_start(self.prob, self.feas, self.units, self.touches)
        self.greedy_s = time.monotonic() - self.t0
        if is_replan(self.prob):
            # re-planning a published plan: what matters is near the published places and times
            max_moves = min(max_moves, 20)
            if max_slots_per_unit == "auto":
                max_slots_per_unit = 30
        self.max_slots, self.max_moves = max_slots_per_unit, max_moves
        self.floor = forced_bound(self.prob, self.feas, self.units)
        if self.greedy is not None and self.opts["on_progress"]:
            # the greedy plan is a valid plan in hand: report it as the first one, with the
            # bound proven without search
            self.opts["on_progress"](self.objective(self.greedy), self.floor, self.greedy_s)

    def objective(self, chosen):
        return evaluate(self.prob, self.units, chosen)["objective"]

    def build(self, frozen=()):
        return PlannerModel(self.prob, self.feas, max_slots_per_unit=self.max_slots, max_moves=self.max_moves,
                            extra_slots=self.extra, units=self.units, frozen=frozen).build()

    def run(self, model, seconds, lexicographic=False, floor=0):
        o = self.opts
        return _Run(model, seconds, o["workers"], None if lexicographic else o["gap_limit"], o["log"],
                    o["params"], self.t0, o["on_progress"], o["should_stop"], lexicographic=lexicographic,
                    floor=floor)

    def first_search(self):
        """Every untouched published session kept exactly as it is (the repair rule)."""
        model = self.build(self.untouched)
        loose = model.freeze() if self.untouched else set()
        if loose:  # some published people are not in the model after all: rebuild with those free
            self.untouched -= loose
            model = self.build(self.untouched)
            model.freeze()
        self.model = model
        self.build_s = time.monotonic() - self.t0
        self.hinted = _hint(model, self.greedy)
        self.lp_floor(model)
        self.first = self.run(model, self.left(0.6 if self.untouched else 1.0), floor=self.floor)
        self.chosen = self.first.chosen() if self.first.found else None
        self.bound = self.first.bound() if self.first.found else self.floor
        self.optimal = self.first.optimal and not model.restricted

    def lp_floor(self, model):
        """Raise the floor to the LP relaxation's proven bound (scheduler/lpbound.py), of the
        search model itself, or, when that model samples candidates, of a model with all of
        them (not while re-planning: there the bound is not the point and time is short)."""
        t = time.monotonic()
        self.lp_stats = {}
        target = model
        if model.restricted:
            if self.untouched or is_replan(self.prob):
                return
            raw = sum(len(self.feas.unit_raw_slots(u)) for u in self.units)
            self.lp_stats["raw_candidates"] = raw
            if raw > LP_FULL_RAW_LIMIT:
                return
            # copies: the search model's units keep their own candidate lists
            target = PlannerModel(self.prob, self.feas, max_slots_per_unit=None, max_moves=self.max_moves,
                                  units=[copy.copy(u) for u in self.units]).build()
            self.lp_stats["full_options"] = len(target.options)
            if target.restricted:
                return
        bound = lp_bound(target.m, time_limit=max(0.5, min(20.0, self.left(0.25))), stats=self.lp_stats)
        self.lp_stats["seconds"] = round(time.monotonic() - t, 2)
        if bound is None or bound <= self.floor:
            return
        self.floor = bound
        if self.greedy is not None and self.opts["on_progress"]:
            self.opts["on_progress"](self.objective(self.greedy), self.floor, time.monotonic() - self.t0)

    def repair_search(self):
        """Only if keeping every untouched session still cancels one: the fewest
        cancellations, then the fewest changes to untouched sessions."""
        stop = self.opts["should_stop"]
        if not self.untouched or (stop is not None and stop()):
            return
        if self.chosen is not None and not _cancelled_ids(self.prob, self.chosen):
            return
        free = self.build()
        known = [self.objective(c) for c in (self.chosen, self.greedy) if c is not None]
        free.minimise_changes_first(self.untouched, max(known, default=0) + 1)
        _hint(free, self.chosen if self.chosen is not None else self.greedy)
        second = self.run(free, self.left(), lexicographic=True)
        if not second.found:
            return
        plan = second.chosen()
        before = _cancelled_ids(self.prob, self.chosen) if self.chosen is not None else None
        after = _cancelled_ids(self.prob, plan)
        if before is None or len(after) < len(before):
            self.saved = (before or set()) - after
            self.chosen, self.model = plan, free

    def finish(self, stats):
        prob, seconds = self.prob, time.monotonic() - self.t0
        if stats is not None:
            m, run = self.model, self.first
            stats.update({"build_seconds": self.build_s, "greedy_seconds": self.greedy_s,
                          "first_solution": run.cb.first, "trace": run.cb.trace, "options": len(m.options),
                          "staff_vars": len(m.staff), "restricted": m.restricted or bool(self.untouched),
                          "solver_status": run.solver.StatusName(run.status), "hinted": len(self.hinted),
                          "untouched": len(self.untouched), "lp": getattr(self, "lp_stats", {}),
                          "floor": self.floor})
        chosen = self.chosen
        if chosen is None and self.greedy is None:
            return Plan(status="UNKNOWN", solve_seconds=seconds, objective=None, bound=None)
        status = "OPTIMAL" if self.optimal and not self.saved else "FEASIBLE"
        if chosen is None or (self.greedy is not None and self.objective(self.greedy) < self.objective(chosen)):
            # never worse than the greedy plan, whatever stopped the search
            chosen, status = self.greedy, "FEASIBLE"
        plan = build_plan(prob, self.units, chosen, status, self.bound, seconds, self.feas)
        if plan.status == "OPTIMAL" or (plan.bound is not None and plan.bound > plan.objective):
            plan.bound = plan.objective
        plan.changes = describe_changes(prob, chosen, self.touches, self.saved)
        if self.untouched and plan.bound is not None:
            plan.notes.append("bound: proven for plans that keep every untouched published session as it is")
        return plan
