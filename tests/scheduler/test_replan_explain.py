"""Re-planning after a drop-out, explanations a coordinator can act on, anytime solving."""
import copy

from scheduler.check import check
from scheduler.generate import generate, pin_plan
from scheduler.solve import solve
from tests.scheduler.helpers import BASE, base, solved


def two_trainer_day(**people_changes):
    rooms = [{**BASE["rooms"][0], "open": [{"weekdays": [1], "start": "09:00", "end": "17:00"}]}]
    people = [{**BASE["people"][0], "id": "A", "name": "Anna", "cost_per_session": 500},
              {**BASE["people"][0], "id": "B", "name": "Bert", "cost_per_session": 0},
              {**BASE["people"][0], "id": "C", "name": "Chris", "cost_per_session": 0}]
    pinned = [{"id": "S1", "theme": "T", "room": "R1", "start": "2027-03-01T09:00", "staff": {"trainer": ["A"]},
               "language": None, "booked": 4},
              {"id": "S2", "theme": "T", "room": "R1", "start": "2027-03-01T13:00", "staff": {"trainer": ["C"]},
               "language": None, "booked": 2}]
    return base(rooms=rooms, people=people, pinned=pinned,
                demand=[{"id": "D", "theme": "T", "sessions": 2, "priority": 3}])


def test_repair_leaves_an_untouched_session_alone_even_when_a_cheaper_colleague_is_free():
    prob = two_trainer_day()
    prob["people"][2]["unavailable"] = [{"start": "2027-03-01T00:00", "end": "2027-03-02T00:00"}]
    plan = solved(prob)
    # Without the rule Bert would take both sessions (cost 0, restaffed 2 x 300 = 600); with it,
    # Anna keeps S1 (cost 500) and only S2 changes: Bert for Chris (restaffed 300).
    assert plan["objective"] == 800
    assert plan["penalties"]["restaffed"] == 300 and plan["penalties"]["cost"] == 500
    staff = {s["id"]: s["staff"]["trainer"] for s in plan["sessions"]}
    assert staff == {"S1": ["A"], "S2": ["B"]}
    assert plan["changes"] == [{"id": "S2", "touched": True, "what": ["without Chris", "with Bert"],
                                "reason": "Chris is absent at its time",
                                "causes": [{"code": "absent", "person": "C"}]}]


def test_repair_changes_an_untouched_session_only_to_save_a_cancellation():
    rooms = [{**BASE["rooms"][0], "open": [{"weekdays": [1], "start": "09:00", "end": "17:00"}]},
             {**BASE["rooms"][0], "id": "R2", "open": [{"weekdays": [1], "start": "09:00", "end": "17:00"}]}]
    people = [{**BASE["people"][0], "id": f"P{i}", "name": f"Pat {i}", "cost_per_session": 0,
               "max_sessions": 2} for i in range(3)]
    prob = base(rooms=rooms, people=people, demand=[{"id": "D", "theme": "T", "sessions": 6, "priority": 3}])
    plan = solved(prob)
    assert plan["objective"] == 0 and len(plan["sessions"]) == 6
    pub = copy.deepcopy(prob)
    pub["pinned"] = pin_plan(prob, plan)
    assert all(p["booked"] > 0 for p in pub["pinned"])
    same = solved(pub)
    assert same["objective"] == 0 and same["changes"] == []
    # P0 drops out between 09:00 and 13:00. Every trainer is at max_sessions, so the morning
    # session can only be kept if one untouched session changes too; it is the only one.
    pub["people"][0]["unavailable"] = [{"start": "2027-03-01T09:00", "end": "2027-03-01T13:00"}]
    re = solved(pub, status="FEASIBLE")
    assert len(re["sessions"]) == 6 and re["cancelled"] == []
    hit = {s["id"] for s in plan["sessions"] if "P0" in s["staff"]["trainer"] and s["start"][11:13] < "13"}
    touched = [c for c in re["changes"] if c["touched"]]
    others = [c for c in re["changes"] if not c["touched"]]
    assert {c["id"] for c in touched} == hit
    assert touched[0]["reason"] == "Pat 0 is absent at its time"
    assert len(others) == 1
    assert others[0]["reason"] == f"changed so that {sorted(hit)[0]} need not be cancelled"
    before = {s["id"]: s for s in plan["sessions"]}
    changed = hit | {others[0]["id"]}
    for s in re["sessions"]:
        if s["id"] not in changed:
            assert (s["room"], s["start"], s["staff"]) == \
                (before[s["id"]]["room"], before[s["id"]]["start"], before[s["id"]]["staff"])


def test_generated_replan_is_verified_and_keeps_unaffected_sessions():
    prob = generate("S", 5)
    plan = solve(prob, time_limit=5).to_json()
    pub = copy.deepcopy(prob)
    pub["pinned"] = pin_plan(prob, plan)
    trainer = next(s["staff"]["trainer"][0] for s in plan["sessions"] if s["staff"].get("trainer"))
    for p in pub["people"]:
        if p["id"] == trainer:
            p["unavailable"] = [{"start": pub["horizon"]["start"] + "T00:00", "end": pub["horizon"]["end"] + "T23:59"}]
    # Stops as soon as it is proven optimal (seconds on a quiet machine); the
    # headroom keeps a loaded machine from returning a plan that moves more.
    re = solve(pub, time_limit=30).to_json()
    assert check(pub, re) == []
    affected = {s["id"] for s in plan["sessions"] if trainer in s["staff"].get("trainer", [])}
    assert {s["id"] for s in re["sessions"] if s["moved"]} <= affected
    assert {c["id"] for c in re["cancelled"]} <= affected
    assert all(trainer not in s["staff"].get("trainer", []) for s in re["sessions"])


def test_reasons_name_the_missing_resource():
    d = [{"id": "D", "theme": "T", "sessions": 1, "language": "ar", "locations": ["L1"]}]
    plan = solved(base(demand=d))
    assert plan["unmet"][0]["reason"] == "no trainer for theme 'T' speaking 'ar' at L1"
    plan = solved(base(rooms=[{**BASE["rooms"][0], "features": []}]))
    assert "no room at any location with pc_room" in plan["unmet"][0]["reason"]
    rooms = [{**BASE["rooms"][0], "open": [{"weekdays": [1], "start": "09:00", "end": "13:00"}]}]
    two = [{"id": "D", "theme": "T", "sessions": 2, "priority": 3}]
    plan = solved(base(rooms=rooms, demand=two, budget=150))
    assert plan["unmet"][0]["reason"] == "budget 150 exhausted"
    plan = solved(base(rooms=rooms, demand=two, people=[{**BASE["people"][0], "max_sessions": 1}]))
    assert plan["unmet"][0]["reason"] == "the only trainer for 'T' (P1) has reached max_sessions 1"
    plan = solved(base(demand=two, people=[BASE["people"][0], {**BASE["people"][0], "id": "P2"}]))
    assert plan["unmet"][0]["reason"] == "rooms with pc_room at any location all taken"
    gone = {**BASE["people"][0], "available": [{"weekdays": [2], "start": "09:00", "end": "17:00"}]}
    plan = solved(base(people=[gone]))
    assert "available" in plan["unmet"][0]["reason"]


def test_anytime_progress_limits_and_workers():
    prob = generate("M", 3)
    seen = []
    stats = {}
    plan = solve(prob, time_limit=4, workers=1, gap_limit=0.5, stats=stats,
                 on_progress=lambda obj, bound, el: seen.append((obj, bound, el)))
    # the search itself keeps to the limit; building the model comes first and is not cut short
    assert plan.status in ("OPTIMAL", "FEASIBLE")
    assert plan.solve_seconds < max(4, stats["build_seconds"]) + 5
    # the greedy plan comes first, with the bound proven without search
    assert seen and seen[0][1] is not None and seen[0][1] <= seen[0][0]
    objs = [o for o, _, _ in seen]
    assert objs[-1] <= objs[0]
    assert all(b is None or b <= plan.objective + 1e-6 for _, b, _ in seen[1:])
    assert check(prob, plan.to_json()) == []


def test_a_stop_flag_ends_the_search_with_the_best_plan_so_far():
    prob = generate("M", 3)
    seen = []
    # stop as soon as the search has reported its first plan with a bound
    plan = solve(prob, time_limit=120, on_progress=lambda obj, bound, el: seen.append(bound),
                 should_stop=lambda: any(b is not None for b in seen))
    assert plan.status in ("OPTIMAL", "FEASIBLE") and plan.solve_seconds < 60  # far from the limit
    assert check(prob, plan.to_json()) == []
