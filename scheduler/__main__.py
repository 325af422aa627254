"""Command line: solve, check, generate, greedy.

python -m scheduler solve PROBLEM.json -o PLAN.json --time-limit S [--workers N] [--gap G]
python -m scheduler check PROBLEM.json PLAN.json       (exit 0 valid, 1 with violations)
python -m scheduler generate --size S|M|L|XL --seed N [-o FILE] [--pinned] [--dst]
python -m scheduler greedy PROBLEM.json [-o PLAN.json]
"""
from __future__ import annotations

import argparse
import json
import sys


def _read(path):
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, json.JSONDecodeError) as e:
        return e


def _write(text, path):
    if path and path != "-":
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    else:
        sys.stdout.write(text + "\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m scheduler")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("solve", help="plan a problem with CP-SAT")
    s.add_argument("problem")
    s.add_argument("-o", "--output", default="-")
    s.add_argument("--time-limit", type=float, default=30.0)
    s.add_argument("--workers", type=int, default=2)
    s.add_argument("--gap", type=float, default=None)
    s.add_argument("--progress", action="store_true", help="print objective/bound as they improve")
    g = sub.add_parser("greedy", help="plan a problem with the greedy baseline")
    g.add_argument("problem")
    g.add_argument("-o", "--output", default="-")
    c = sub.add_parser("check", help="verify a plan against its problem")
    c.add_argument("problem")
    c.add_argument("plan")
    gen = sub.add_parser("generate", help="write a synthetic city instance")
    gen.add_argument("--size", choices=["S", "M", "L", "XL"], required=True)
    gen.add_argument("--seed", type=int, default=1)
    gen.add_argument("--pinned", action="store_true", help="include booked pinned sessions")
    gen.add_argument("--dst", action="store_true", help="horizon crossing the end of DST (late October)")
    gen.add_argument("-o", "--output", default="-")
    a = ap.parse_args(argv)

    if a.cmd == "generate":
        from .generate import generate
        _write(json.dumps(generate(a.size, a.seed, pinned=a.pinned, dst=a.dst), indent=1), a.output)
        return 0
    data = _read(a.problem)
    if isinstance(data, Exception):
        print(f"cannot read {a.problem}: {data}", file=sys.stderr)
        return 2
    if a.cmd == "check":
        from .check import check
        plan = _read(a.plan)
        if isinstance(plan, Exception):
            print(f"cannot read {a.plan}: {plan}", file=sys.stderr)
            return 2
        errors = check(data, plan)
        for e in errors:
            print(e)
        if not errors:
            print("valid")
        return 1 if errors else 0
    if a.cmd == "greedy":
        from .greedy import greedy_plan
        plan = greedy_plan(data)
    else:
        from .solve import solve
        cb = None
        if a.progress:
            def cb(obj, bound, el):
                bd = "-" if bound is None else f"{bound:.0f}"
                print(f"{el:7.2f}s objective {obj:.0f} bound {bd}", file=sys.stderr)
        plan = solve(data, time_limit=a.time_limit, gap_limit=a.gap, workers=a.workers, on_progress=cb)
    _write(plan.dumps(), a.output)
    print(f"{plan.status} objective {plan.objective} bound {plan.bound} in {plan.solve_seconds:.1f}s",
          file=sys.stderr)
    return 0 if plan.status != "INVALID" else 1


if __name__ == "__main__":
    sys.exit(main())
