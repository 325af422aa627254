"""Instap planner engine (issue 4): plain data in, plain data out; no flask, no booking.

    from scheduler.solve import solve          # problem dict -> Plan (status, objective, bound, ...)
    from scheduler.check import check          # independent verifier: problem, plan JSON -> violations
    from scheduler.greedy import greedy_plan   # greedy baseline (also the warm start of solve)
    from scheduler.generate import generate    # synthetic cities S, M, L, XL

Modules: problem (typed problem + validation with JSON paths), plan (plan JSON),
feasible (feasible rooms/starts/people, local time and DST), options (candidate
sessions), model (CP-SAT model), evaluation (the exact objective), assemble (plan
assembly), explain (reasons), repair (what an absence touches; the changes a plan
makes), bound (proven bounds without search and from relaxed parts), solve
(anytime solving under the repair rule), check, greedy, generate;
`python -m scheduler solve|check|greedy|generate`.

The format is docs/planning-format.md (revised 2026-12-01: restaffed, relocated).
"""
