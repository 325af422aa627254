"""The LP-relaxation bound (scheduler/lpbound.py): proven, rounded up, never above the optimum."""
import json
from pathlib import Path

from ortools.sat.python import cp_model

from scheduler.feasible import Feasibility
from scheduler.generate import generate
from scheduler.lpbound import lp_bound
from scheduler.model import PlannerModel
from scheduler.problem import load_problem
from scheduler.solve import solve

DATA = Path(__file__).resolve().parent / "data"


def test_lp_bound_of_a_hand_model_with_an_offset_and_a_negated_clause():
    # min 3x + 2y + z + 5 with 2x + 2y + z >= 3 and not-x or not-y (a row of negated literals)
    m = cp_model.CpModel()
    x, y = m.NewBoolVar("x"), m.NewBoolVar("y")
    z = m.NewIntVar(0, 4, "z")
    m.Add(2 * x + 2 * y + z >= 3).WithName("cover")
    m.AddBoolOr([x.Not(), y.Not()]).WithName("not_both")
    m.Minimize(3 * x + 2 * y + z + 5)
    stats = {}
    assert lp_bound(m, stats=stats) == 8  # LP: y = 1, x = 0, z = 1 -> 2 + 1 + 5
    assert stats["lp_value"] == 8
    # a row named like a travel clause is left out of the relaxation
    m2 = cp_model.CpModel()
    a, b = m2.NewBoolVar("a"), m2.NewBoolVar("b")
    m2.AddBoolOr([a, b]).WithName("travel_x")  # skipped: LP 0
    m2.AddBoolOr([a, b]).WithName("cover")     # kept: a + b >= 1 -> LP 1
    m2.Minimize(a + b)
    assert lp_bound(m2) == 1
    assert lp_bound(m2, skip=("travel_", "cover")) == 0


def test_lp_bound_of_a_fractional_lp_is_rounded_up():
    m = cp_model.CpModel()
    xs = [m.NewBoolVar(f"x{i}") for i in range(3)]
    for i in range(3):  # a triangle: pairwise at most one; LP 1.5 (every x at 0.5), optimum 2 unmet
        m.AddAtMostOne([xs[i], xs[(i + 1) % 3]]).WithName(f"pair_{i}")
    m.Minimize(2 * (3 - sum(xs)))  # two per unmet: LP 2 * 1.5 = 3, optimum 4
    assert lp_bound(m) == 3


def test_lp_bound_never_exceeds_the_exact_optimum_of_the_worked_example():
    prob = load_problem(json.loads((DATA / "example-tiny.json").read_text()))
    model = PlannerModel(prob, Feasibility(prob), max_slots_per_unit=None).build()
    bound = lp_bound(model.m)
    assert bound is not None and 0 <= bound <= 3310


def test_solve_reports_the_lp_bound_from_the_start_on_a_generated_city():
    prob = generate("S", 11)
    stats, trace = {}, []
    plan = solve(prob, time_limit=3, stats=stats, on_progress=lambda o, b, el: trace.append((o, b)))
    assert stats["lp"]["lp_bound"] == stats["floor"] >= 2500  # the forced bound is 2000
    assert plan.bound is not None and plan.bound >= 2500
    assert all(b >= 2500 for _, b in trace[1:])  # after the greedy plan's report


def test_gap_limit_counts_the_lp_bound():
    # S: LP bound 2500, optimum 2510 (0.4 % above it): a 1 % gap limit stops at the optimum,
    # by the LP bound or by CP-SAT's own proof, whichever comes first
    plan = solve(generate("S", 11), time_limit=20, gap_limit=0.01)
    assert plan.objective == 2510 and plan.bound in (2500, 2510)
    assert plan.solve_seconds < 10
