"""Re-plan benchmark: solve M, publish the plan with bookings, one busy trainer drops out, re-solve.

    .venv/bin/python benchmarks/planner_replan.py [--seed 12] [--first 30] [--limit 5]

Prints how many booked sessions moved or were cancelled (against the number the
trainer taught), whether their staff changed, the plan's own account of what changed
and why (touched by the absence or not), and the re-plan time (target < 5 s).
"""
from __future__ import annotations

import argparse
import collections
import copy
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scheduler.check import check  # noqa: E402
from scheduler.generate import generate, pin_plan  # noqa: E402
from scheduler.solve import solve  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="M")
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--first", type=float, default=30.0)
    ap.add_argument("--limit", type=float, default=5.0)
    a = ap.parse_args(argv)
    prob = generate(a.size, a.seed)
    plan = solve(prob, time_limit=a.first).to_json()
    assert check(prob, plan) == []
    print(f"first plan: {plan['status']} objective {plan['objective']} bound {plan['bound']}, "
          f"{len(plan['sessions'])} sessions")
    pub = copy.deepcopy(prob)
    pub["pinned"] = pin_plan(prob, plan, random.Random(a.seed), booked=True)
    count = collections.Counter(p for s in plan["sessions"] for p in s["staff"].get("trainer", []))
    trainer, n = count.most_common(1)[0]
    hs, he = prob["horizon"]["start"], prob["horizon"]["end"]
    for p in pub["people"]:
        if p["id"] == trainer:
            p["unavailable"] = [{"start": hs + "T00:00", "end": he + "T23:59"}]
    t0 = time.monotonic()
    stats = {}
    re = solve(pub, time_limit=a.limit, stats=stats).to_json()
    took = time.monotonic() - t0
    errors = check(pub, re)
    moved = [s["id"] for s in re["sessions"] if s["moved"]]
    cancelled = [c["id"] for c in re["cancelled"]]
    before = {s["id"]: s for s in plan["sessions"]}
    restaffed = [s["id"] for s in re["sessions"] if s["id"] in before and s["staff"] != before[s["id"]]["staff"]]
    affected = {s["id"] for s in plan["sessions"] if trainer in s["staff"].get("trainer", [])}
    print(f"trainer {trainer} (taught {n} sessions) is unavailable; {len(pub['pinned'])} booked sessions")
    print(f"re-plan: {re['status']} objective {re['objective']} bound {re['bound']} in {took:.2f}s "
          f"(target < 5 s), verified={not errors}")
    fs = stats["first_solution"]
    print(f"  greedy re-plan in hand after {stats['greedy_seconds']:.2f}s, model built after "
          f"{stats['build_seconds']:.2f}s, first CP-SAT solution " + ("-" if fs is None else f"{fs:.2f}s"))
    print(f"  penalties before {plan['penalties']}\n  penalties after  {re['penalties']}")
    print(f"  moved {len(moved)} {sorted(moved)}; of them affected by the drop-out: "
          f"{len(set(moved) & affected)}")
    print(f"  cancelled {len(cancelled)} {sorted(cancelled)}; restaffed {len(restaffed)} "
          f"(affected {len(affected)}: {sorted(affected)})")
    changed_untouched = [c["id"] for c in re.get("changes", []) if not c["touched"]]
    touched = [c["id"] for c in re.get("changes", []) if c["touched"]]
    print(f"  unaffected sessions moved: {sorted(set(moved) - affected)}; "
          f"unaffected sessions restaffed: {sorted(set(restaffed) - affected)}")
    print(f"  plan's changes: {len(touched)} touched by the absence, {len(changed_untouched)} untouched "
          f"changed to save a cancellation {sorted(changed_untouched)}")
    for c in re.get("changes", [])[:5]:
        print(f"    {c['id']}: {', '.join(c['what'])} - {c['reason']}")
    for e in errors[:10]:
        print("  !", e)


if __name__ == "__main__":
    main()
