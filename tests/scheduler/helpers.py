"""Small hand-made problems for the planner tests."""
import copy

from scheduler.check import check
from scheduler.solve import solve

BASE = {
    "version": 1,
    "name": "one room, one trainer, one Monday",
    "timezone": "Europe/Brussels",
    "horizon": {"start": "2027-03-01", "end": "2027-03-01"},
    "grid_minutes": 30,
    "locations": [
        {"id": "L1", "name": "Library", "area": "A", "travel_minutes": {}},
        {"id": "L2", "name": "Centre", "area": "B", "travel_minutes": {}},
    ],
    "rooms": [
        {"id": "R1", "location": "L1", "capacity": 10, "features": ["pc_room"],
         "open": [{"weekdays": [1], "start": "09:00", "end": "11:00"}]},
    ],
    "themes": [
        {"id": "T", "title": "Workshop", "duration_minutes": 120, "needs": ["pc_room"], "seats": 5,
         "staff": {"trainer": 1}},
    ],
    "people": [
        {"id": "P1", "name": "Pat", "roles": ["trainer"], "themes": ["T"], "languages": ["nl"],
         "cost_per_session": 100},
    ],
    "demand": [{"id": "D", "theme": "T", "sessions": 1, "priority": 3}],
}


def base(**changes):
    p = copy.deepcopy(BASE)
    p.update(copy.deepcopy(changes))
    return p


def solved(prob, status="OPTIMAL", time_limit=10):
    """Solve, insist the verifier accepts the plan, return it as JSON."""
    plan = solve(prob, time_limit=time_limit).to_json()
    assert plan["status"] == status, plan
    assert check(prob, plan) == []
    assert set(plan["penalties"]) == {"unmet", "moved_booked", "cancelled_booked", "cost", "balance",
                                       "same_slot", "restaffed", "relocated"}
    assert plan["objective"] == sum(plan["penalties"].values())
    assert plan["cost"] == sum(s["cost"] for s in plan["sessions"])
    return plan
