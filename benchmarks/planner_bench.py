"""Planner benchmark: CP-SAT against the greedy baseline on generated cities S, M, L, XL.

    .venv/bin/python benchmarks/planner_bench.py [--quick] [--sizes S,M,M-DST,L,XL] [--workers 2]
                                                 [--marks 10,30]

Fixed seeds; M-DST is M across the end of daylight-saving time. Per instance: time to
first plan, objective, proven bound and gap after 10, 30, 120 and 300 s (one anytime
run to the last checkpoint; the quick run: 5, 10, 30 s), demand met, and the same for
the greedy baseline (--marks sets the checkpoints, so a run can stop at the target's).
Every final plan is verified by scheduler.check. With
--decomposition N the relaxed-parts bound (scheduler/bound.py) is computed in N s too.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scheduler.check import check  # noqa: E402
from scheduler.generate import generate  # noqa: E402
from scheduler.greedy import greedy_plan  # noqa: E402
from scheduler.problem import load_problem  # noqa: E402
from scheduler.solve import solve  # noqa: E402

SEEDS = {"S": 11, "M": 12, "M-DST": 12, "L": 13, "XL": 14}
TARGETS = {"M": (30, 0.01), "M-DST": (30, 0.01), "L": (120, 0.02), "XL": (300, 0.05)}  # (s, proven gap)


def asked(prob_json):
    p = load_problem(prob_json)
    return sum(a for d in p.demands for _, _, _, a in p.demand_units(d))


def at(trace, t):
    """Objective and bound of the last solution found by time t."""
    best = None
    for el, obj, bd in trace:
        if el <= t:
            best = (obj, bd if bd is not None else (best[1] if best else None))
    return best


def fmt(x):
    return "-" if x is None else f"{x:.0f}"


def print_marks(trace, marks, tag):
    for m in marks:
        r = at(trace, m)
        if r:
            gap = "-" if r[1] is None or not r[0] else f"{100 * (r[0] - r[1]) / r[0]:.2f}%"
            print(f"    @{m:4d}s objective {fmt(r[0])} {tag} {fmt(r[1])} gap {gap}")
        else:
            print(f"    @{m:4d}s no plan yet")


def print_lp(lp):
    """The LP-relaxation bound's line (scheduler/lpbound.py), if the run computed one."""
    if "lp_bound" in lp:
        print(f"  LP bound {lp['lp_bound']} ({lp['lp_rows']} rows x {lp['lp_columns']} columns"
              + (f", of a model with all {lp['full_options']} candidate sessions" if "full_options" in lp else "")
              + f") in {lp['seconds']:.1f}s, of which LP build and GLOP {lp['lp_seconds']:.1f}s")
    elif lp:
        print(f"  no LP bound ({lp.get('raw_candidates')} raw candidate slots: above the limit for a full model)")


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--sizes", default="S,M,M-DST,L,XL")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--decomposition", type=float, default=0.0)
    ap.add_argument("--marks", help="checkpoints in seconds, e.g. 10,30 (the run stops at the last)")
    a = ap.parse_args(argv)
    marks = (5, 10, 30) if a.quick else (10, 30, 120, 300)
    if a.marks:
        marks = tuple(int(x) for x in a.marks.split(","))
    print(f"checkpoints {marks} s, {a.workers} workers")
    for size in a.sizes.split(","):
        prob = generate(size.split("-")[0], SEEDS[size], dst=size.endswith("DST"))
        total = asked(prob)
        t0 = time.monotonic()
        g = greedy_plan(prob).to_json()
        g_t = time.monotonic() - t0
        g_ok = check(prob, g) == []
        trace = []
        stats = {}
        t0 = time.monotonic()
        plan = solve(prob, time_limit=marks[-1], workers=a.workers, stats=stats,
                     on_progress=lambda o, b, el: trace.append((el, o, b)))
        wall = time.monotonic() - t0
        pj = plan.to_json()
        ok = check(prob, pj) == []
        met = total - sum(u["missing"] for u in pj["unmet"])
        g_met = total - sum(u["missing"] for u in g["unmet"])
        first = stats.get("first_solution")
        first_any = trace[0][0] if trace else None
        print(f"\n== {size} seed {SEEDS[size]}: {len(prob['demand'])} demands, {total} sessions asked, "
              f"{len(prob['rooms'])} rooms, {len(prob['people'])} people; model {stats.get('options')} session "
              f"options, {stats.get('staff_vars')} staff vars, built in {stats.get('build_seconds', 0):.1f}s"
              f"{' (candidates restricted)' if stats.get('restricted') else ''}")
        print_lp(stats.get("lp") or {})
        full_lp = "full_options" in (stats.get("lp") or {}) and "lp_bound" in stats["lp"]
        print(f"  greedy : {g_t:6.1f}s objective {g['objective']} met {g_met}/{total} verified={g_ok}")
        print(f"  cp-sat : first plan {'-' if first_any is None else f'{first_any:.1f}s'} (greedy-first, "
              f"reported through the progress callback); first CP-SAT solution "
              f"{'-' if first is None else f'{first:.1f}s'}")
        tag = "bound"
        if stats.get("restricted"):
            tag = "bound (LP, all candidates)" if full_lp else "bound (forced, sampled model)"
        print_marks(trace, marks, tag)
        gap = None
        if pj["bound"] is not None and pj["objective"]:
            gap = (pj["objective"] - pj["bound"]) / pj["objective"]
        print(f"  final  : {pj['status']} objective {pj['objective']} bound {fmt(pj['bound'])} gap "
              f"{'-' if gap is None else f'{100 * gap:.2f}%'} met {met}/{total} in {wall:.1f}s verified={ok}")
        if stats.get("restricted"):
            print("  (candidate slots sampled: the bound shown is "
                  + ("the LP bound of a model with every candidate" if full_lp else "the forced bound")
                  + ", proven for the problem)")
        if g["objective"]:
            print(f"  ratio cp-sat/greedy objective {pj['objective'] / g['objective']:.3f}, "
                  f"met {met}/{g_met}")
        never_worse = all(o <= g["objective"] for _, o, _ in trace)
        print(f"  never worse than greedy at any reported point: {never_worse}")
        if size in TARGETS:
            when, want = TARGETS[size]
            r = at(trace, when)
            got = None if not r or r[1] is None or not r[0] else (r[0] - r[1]) / r[0]
            print(f"  target: proven gap <= {100 * want:.0f}% at {when}s: "
                  + ("no plan/bound" if got is None else f"{100 * got:.2f}% "
                     f"({'reached' if got <= want else f'missed by {100 * (got - want):.2f} points'})"))
        if a.decomposition > 0:
            from scheduler.bound import decomposition_bound
            from scheduler.feasible import Feasibility

            p = load_problem(prob)
            f = Feasibility(p)
            t1 = time.monotonic()
            db, parts = decomposition_bound(p, f, f.units(), a.decomposition, workers=a.workers)
            print(f"  decomposition bound ({len(parts)} parts in {time.monotonic() - t1:.1f}s): {fmt(db)}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
