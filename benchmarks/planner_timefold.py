"""The peer a coordinator could pick instead: a Timefold Solver model of the same problem.

    .venv/bin/pip install timefold==1.24.0b0     (benchmark only; needs Java 17)
    .venv/bin/python benchmarks/planner_timefold.py [--sizes S,M,L,XL] [--seconds 30]

Model: one planning entity per requested session (demand unit x k), its planning
variable a *complete candidate* (room, start, staff) from the same feasible
combinations the CP-SAT model uses (sampled per unit, up to 3 staff choices per
slot, cheapest first), unassigned = unmet. Hard: rooms and people never overlap
(with travel), max_sessions, budget. Soft: unmet x priority and cost (balance and
same-slot are not modelled here). The final plan is rebuilt with scheduler's own
plan code, so its objective is the exact objective of the format, and verified by
scheduler.check. Time is measured around solve() only (the JVM starts before).
Instances have no pinned sessions (the generated benchmark cities).
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from timefold.solver import SolverFactory  # noqa: E402
from timefold.solver.config import (Duration, ScoreDirectorFactoryConfig, SolverConfig,  # noqa: E402
                                    TerminationConfig)
from timefold.solver.domain import (PlanningEntityCollectionProperty, PlanningId, PlanningScore,  # noqa: E402
                                    PlanningVariable, ValueRangeProvider, planning_entity,
                                    planning_solution)
from timefold.solver.score import (ConstraintCollectors, ConstraintFactory, HardSoftScore, Joiners,  # noqa: E402
                                   constraint_provider)

from scheduler.check import check  # noqa: E402
from scheduler.feasible import Feasibility  # noqa: E402
from scheduler.generate import generate  # noqa: E402
from scheduler.model import Option  # noqa: E402
from scheduler.problem import load_problem  # noqa: E402
from scheduler.solve import build_plan  # noqa: E402

CONTEXT = {}


@dataclass
class Cand:
    id: Annotated[int, PlanningId]
    unit: int
    room: str
    loc: str
    start: int
    end: int
    people: tuple
    staff: dict
    cost: int

    def __hash__(self):
        return self.id

    def __eq__(self, other):
        return isinstance(other, Cand) and other.id == self.id


@planning_entity
@dataclass
class Sess:
    id: Annotated[int, PlanningId]
    unit: int
    priority: int
    cands: Annotated[list[Cand], ValueRangeProvider(id="cands")] = field(default_factory=list)
    cand: Annotated[Cand | None, PlanningVariable(value_range_provider_refs=["cands"],
                                                  allows_unassigned=True)] = None


@planning_solution
@dataclass
class Schedule:
    sessions: Annotated[list[Sess], PlanningEntityCollectionProperty]
    score: Annotated[HardSoftScore | None, PlanningScore] = None


def _clash(a: Sess, b: Sess) -> bool:
    ca, cb = a.cand, b.cand
    shared = False
    for p in ca.people:
        if p in cb.people:
            shared = True
    if not shared:
        return False
    t = CONTEXT["travel"](ca.loc, cb.loc)
    return ca.start < cb.end + t and cb.start < ca.end + t


@constraint_provider
def constraints(cf: ConstraintFactory):
    w = CONTEXT["weights"]
    maxt = CONTEXT["max_travel"]
    return [
        cf.for_each_unique_pair(Sess, Joiners.equal(lambda s: s.cand.room),
                                Joiners.overlapping(lambda s: s.cand.start, lambda s: s.cand.end))
          .penalize(HardSoftScore.ONE_HARD).as_constraint("room overlap"),
        cf.for_each_unique_pair(Sess, Joiners.overlapping(lambda s: s.cand.start, lambda s: s.cand.end + maxt))
          .filter(_clash)
          .penalize(HardSoftScore.ONE_HARD).as_constraint("person overlap or travel"),
        cf.for_each(Sess).flatten_last(lambda s: s.cand.people)
          .group_by(lambda p: p, ConstraintCollectors.count())
          .filter(lambda p, n: n > CONTEXT["max"].get(p, 10 ** 9))
          .penalize(HardSoftScore.ONE_HARD, lambda p, n: n - CONTEXT["max"][p]).as_constraint("max sessions"),
        cf.for_each(Sess).group_by(ConstraintCollectors.sum(lambda s: s.cand.cost))
          .filter(lambda total: total > CONTEXT["budget"])
          .penalize(HardSoftScore.ONE_HARD, lambda total: total - CONTEXT["budget"]).as_constraint("budget"),
        cf.for_each_including_unassigned(Sess).filter(lambda s: s.cand is None)
          .penalize(HardSoftScore.ONE_SOFT, lambda s: w["unmet"] * s.priority).as_constraint("unmet"),
        cf.for_each(Sess).filter(lambda s: s.cand.cost > 0)
          .penalize(HardSoftScore.ONE_SOFT, lambda s: w["cost"] * s.cand.cost).as_constraint("cost"),
    ]


def candidates(prob, feas, units, per_unit=60, per_slot=3):
    out = []
    for u in units:
        cands = []
        if u.asked <= 0:
            out.append(cands)
            continue
        theme = prob.themes[u.demand.theme]
        for room, s in feas.unit_slots(u, cap=per_unit):
            loc = prob.rooms[room].location
            el = feas.eligible(theme.id, u.demand.language, loc, s)
            roles = sorted(theme.staff)
            options = [[]]
            for role in roles:
                ranked = sorted(el[role], key=lambda pid: prob.people[pid].cost)
                nxt = []
                for partial in options:
                    used = {p for _, ids in partial for p in ids}
                    free = [p for p in ranked if p not in used]
                    for i in range(min(per_slot, max(0, len(free) - theme.staff[role] + 1))):
                        nxt.append(partial + [(role, free[i:i + theme.staff[role]])])
                options = nxt[:per_slot]
            for combo in options:
                staff = {r: ids for r, ids in combo}
                people = tuple(p for ids in staff.values() for p in ids)
                if len(people) != sum(theme.staff.values()):
                    continue
                cost = sum(prob.people[p].cost for p in people)
                cands.append(Cand(0, u.idx, room, loc, s, s + theme.duration, people, staff, cost))
        out.append(cands)
    return out


def run(prob_json, seconds):
    prob = load_problem(prob_json)
    feas = Feasibility(prob)
    units = feas.units()
    per_unit = candidates(prob, feas, units)
    cid = 0
    sessions = []
    for u, cands in zip(units, per_unit):
        for c in cands:
            c.id = cid
            cid += 1
        for k in range(u.asked):
            sessions.append(Sess(len(sessions), u.idx, u.demand.priority, list(cands)))
    CONTEXT.update(weights=prob.weights, travel=prob.travel,
                   max_travel=max([0] + [t for loc in prob.locations.values() for t in loc.travel.values()]),
                   max={p.id: p.max_sessions for p in prob.people.values() if p.max_sessions is not None},
                   budget=prob.budget if prob.budget is not None else 10 ** 12)
    config = SolverConfig(solution_class=Schedule, entity_class_list=[Sess],
                          score_director_factory_config=ScoreDirectorFactoryConfig(
                              constraint_provider_function=constraints),
                          termination_config=TerminationConfig(spent_limit=Duration(seconds=int(seconds))))
    solver = SolverFactory.create(config).build_solver()
    t0 = time.monotonic()
    best = solver.solve(Schedule(sessions))
    took = time.monotonic() - t0
    chosen = []
    for s in best.sessions:
        c = s.cand
        if c is None:
            continue
        u = units[c.unit]
        opt = Option(None, "new", u, u.demand.theme, c.room, c.loc, c.start, c.end, u.demand.language)
        chosen.append({"option": opt, "staff": {r: list(ids) for r, ids in c.staff.items()}})
    plan = build_plan(prob, units, chosen, "FEASIBLE", None, took, feas).to_json()
    return plan, str(best.score), took, cid


def one(size, seconds):
    from planner_bench import SEEDS, asked  # same instances as the CP-SAT benchmark
    prob = generate(size.split("-")[0], SEEDS[size], dst=size.endswith("DST"))
    total = asked(prob)
    run(prob, 1)  # warm-up: the first solve translates the Python constraints to Java
    plan, score, took, ncand = run(prob, seconds)
    errors = check(prob, plan)
    met = total - sum(u["missing"] for u in plan["unmet"])
    print(f"{size}: timefold {took:.1f}s ({ncand} candidates) score {score} -> objective "
          f"{plan['objective']} met {met}/{total} verified={not errors}")
    for e in errors[:5]:
        print("  !", e)


def main(argv=None):
    import subprocess
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="S,M,L,XL")
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--one", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.one:
        # constraint functions are translated once per process, with the globals of that moment
        one(a.one, a.seconds)
        return
    for size in a.sizes.split(","):
        r = subprocess.run([sys.executable, __file__, "--one", size, "--seconds", str(a.seconds)],
                           capture_output=True, text=True)
        lines = [x for x in r.stdout.splitlines() if x.startswith((size + ":", "  !"))]
        print("\n".join(lines) if lines else f"{size}: failed\n{r.stderr[-2000:]}")
        sys.stdout.flush()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
