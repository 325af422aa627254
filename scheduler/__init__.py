"""Instap planner engine (issue 4): plain data in, plain data out; no flask, no booking.

    from scheduler.solve import solve          # problem dict -> Plan (status, objective, bound, ...)
    from scheduler.check import check          # independent verifier: problem, plan JSON -> violations
    from scheduler.greedy import greedy_plan   # greedy baseline (also the warm start of solve)
    from scheduler.generate import generate    # synthetic cities S, M, L, XL

Modules: problem (typed problem + validation with JSON paths), plan (plan JSON),
feasible (feasible rooms/starts/people, local time and DST), model (CP-SAT model),
solve (anytime solving, hints, plan assembly), explain (reasons), check, greedy,
generate; `python -m scheduler solve|check|greedy|generate`.
"""
