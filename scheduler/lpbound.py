"""A proven lower bound from the LP relaxation of a planner model, solved by GLOP.

Why: CP-SAT's own LP worker shares its thread with the search and, on M across the
clock change, was still at 19500 after 30 s, while the plain LP relaxation of the same
model is 20500 (the plan: 20530). Measured on the generated M-DST model: GLOP solves
that LP in 17 s with the pairwise travel clauses (19,788 rows that make the simplex
crawl) and in 0.07 s without them, with the same optimum; on L with every candidate
(48,820 sessions) in 0.5 s, giving 34000. The model now states travel as part of each
person's clique cover (scheduler/model.py), which the LP keeps: 0.1 s on M-DST, the
same value; `skip` still drops pairwise travel clauses if a model has them.

The relaxation keeps every linear, at-most-one, exactly-one and clause constraint of
the model that has no enforcement literal, except those whose name starts with one of
`skip` (dropping constraints only weakens a relaxation, so the bound stays valid).

The bound is not GLOP's objective value but the Lagrangian value of its dual
solution, recomputed here: for any row multipliers y, min over the variables' boxes of
c.x - y.(Ax - side) is a lower bound of the LP, whatever the solver's tolerances, so
the figure is proven for the model (up to rounding in a double sum, absorbed by a
small margin before rounding up to the integer objective).
"""
from __future__ import annotations

import math
import os
import tempfile
import time

import numpy as np
from ortools.linear_solver import pywraplp
from ortools.sat import cp_model_pb2

_INF = 2 ** 62
SKIP = ("travel_",)  # pairwise travel clauses: slow the LP a hundredfold, add nothing measured


def _proto(model) -> cp_model_pb2.CpModelProto:
    fd, path = tempfile.mkstemp(suffix=".pb")
    os.close(fd)
    try:
        model.export_to_file(path)
        proto = cp_model_pb2.CpModelProto()
        with open(path, "rb") as fh:
            proto.ParseFromString(fh.read())
    finally:
        os.unlink(path)
    return proto


def _rows(proto, skip):
    """(lo, hi, {var: coef}) per kept constraint, literals folded into variables."""
    for c in proto.constraints:
        if c.enforcement_literal or (c.name and c.name.startswith(skip)):
            continue
        kind = c.WhichOneof("constraint")
        if kind == "at_most_one":
            refs, coefs, lo, hi = c.at_most_one.literals, None, -math.inf, 1.0
        elif kind == "exactly_one":
            refs, coefs, lo, hi = c.exactly_one.literals, None, 1.0, 1.0
        elif kind == "bool_or":
            refs, coefs, lo, hi = c.bool_or.literals, None, 1.0, math.inf
        elif kind == "linear":
            refs, coefs, d = c.linear.vars, c.linear.coeffs, c.linear.domain
            lo = float(d[0]) if d[0] > -_INF else -math.inf
            hi = float(d[-1]) if d[-1] < _INF else math.inf
        else:
            continue  # anything else is simply relaxed away
        row = {}
        for k, r in enumerate(refs):
            a = 1 if coefs is None else coefs[k]
            if r < 0:  # the negation of literal x is 1 - x
                r, lo, hi, a = -r - 1, lo - a, hi - a, -a
            row[r] = row.get(r, 0) + a
        yield lo, hi, row


def _lagrangian(proto, rows, cons, cost, lo_v, hi_v):
    """min over the boxes of c.x - y.(Ax - side) for GLOP's row duals y (None if unbounded)."""
    rc = cost.copy()
    value = float(proto.objective.offset)
    for (lo, hi, row), ct in zip(rows, cons):
        y = ct.dual_value()
        side = lo if y > 0 else hi
        if y == 0 or not math.isfinite(side):
            continue  # as if y were 0 for this row: still a valid multiplier
        value += y * side
        for r, a in row.items():
            rc[r] -= y * a
    with np.errstate(invalid="ignore"):
        value += float(np.where(rc > 0, rc * lo_v, np.where(rc < 0, rc * hi_v, 0.0)).sum())
    return value if math.isfinite(value) else None


def lp_bound(model, skip=SKIP, time_limit: float = 20.0, stats=None):
    """A proven lower bound on the objective of the CP-SAT `model` (a CpModel), or None.

    `stats` (a dict), when given, receives the LP's size, value and timings.
    """
    t0 = time.monotonic()
    proto = _proto(model)
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if not proto.HasField("objective") or solver is None:
        return None
    n = len(proto.variables)
    lo_v = np.array([v.domain[0] for v in proto.variables], dtype=float)
    hi_v = np.array([v.domain[-1] for v in proto.variables], dtype=float)
    cost = np.zeros(n)
    for r, a in zip(proto.objective.vars, proto.objective.coeffs):
        cost[r] += a  # objective refs are variables, not negated literals
    xs = [solver.NumVar(lo_v[i], hi_v[i], "") for i in range(n)]
    rows, cons = [], []
    for lo, hi, row in _rows(proto, tuple(skip)):
        ct = solver.Constraint(lo, hi)
        for r, a in row.items():
            ct.SetCoefficient(xs[r], a)
        rows.append((lo, hi, row))
        cons.append(ct)
    obj = solver.Objective()
    for i in np.nonzero(cost)[0]:
        obj.SetCoefficient(xs[int(i)], float(cost[i]))
    obj.SetOffset(float(proto.objective.offset))
    obj.SetMinimization()
    solver.SetTimeLimit(int(max(0.1, time_limit - (time.monotonic() - t0)) * 1000))
    built = time.monotonic() - t0
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    value = _lagrangian(proto, rows, cons, cost, lo_v, hi_v)
    if value is None:
        return None
    scale = proto.objective.scaling_factor or 1.0
    value *= scale
    bound = int(math.ceil(value - 1e-6 * max(1.0, abs(value))))
    if stats is not None:
        stats.update({"lp_rows": len(rows), "lp_columns": n, "lp_value": obj.Value() * scale,
                      "lp_bound": bound, "lp_build_seconds": round(built, 2),
                      "lp_seconds": round(time.monotonic() - t0, 2)})
    return bound
