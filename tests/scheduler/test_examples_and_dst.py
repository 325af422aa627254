"""The worked example (tests/scheduler/data), daylight-saving time, invalid problems, generated cities."""
import json
from pathlib import Path

import pytest

from scheduler.check import check
from scheduler.generate import generate
from scheduler.greedy import greedy_plan
from scheduler.solve import solve
from tests.scheduler.helpers import BASE, base, solved

DATA = Path(__file__).resolve().parent / "data"
EIGHT_KEYS = {"unmet", "moved_booked", "cancelled_booked", "cost", "balance", "same_slot", "restaffed",
              "relocated"}


def load(name):
    return json.loads((DATA / name).read_text())


def test_example_tiny_is_optimal_at_3310():
    prob = load("example-tiny.json")
    assert load("example-tiny.expected.json")["objective"] == 3310
    plan = solved(prob)
    assert plan["objective"] == plan["bound"] == 3310
    assert plan["penalties"] == {"unmet": 2000, "moved_booked": 0, "cancelled_booked": 0, "cost": 1000,
                                 "balance": 10, "same_slot": 0, "restaffed": 300, "relocated": 0}
    by_id = {s["id"]: s for s in plan["sessions"]}
    kept = by_id["sess-481"]
    # t-bram is unavailable that day: t-amina replaces him rather than moving the session
    assert kept["staff"] == {"trainer": ["t-amina"], "steward": ["s-joris"]}
    assert (kept["start"], kept["moved"], kept["language"], kept["demand"]) == \
        ("2027-10-28T10:00:00+02:00", False, "nl", "d-cv")
    phone = [s for s in plan["sessions"] if s["demand"] == "d-phone-ar"]
    assert [(s["start"], s["language"]) for s in phone] == [("2027-10-28T12:30:00+02:00", "ar")]
    assert plan["unmet"] == [{"demand": "d-talk", "missing": 1,
                              "reason": "the only volunteer for 'talk' (v-lena) has reached max_sessions 1"}]
    assert greedy_plan(prob).to_json()["objective"] >= 3310


def test_example_tiny_moves_instead_when_restaffing_is_dear():
    prob = load("example-tiny.json")
    prob["weights"]["restaffed"] = 100000
    plan = solved(prob)
    assert plan["objective"] == 3510
    kept = {s["id"]: s for s in plan["sessions"]}["sess-481"]
    assert kept["moved"] and kept["staff"]["trainer"] == ["t-bram"] and kept["location"] == "lib"
    assert (plan["penalties"]["moved_booked"], plan["penalties"]["restaffed"]) == (500, 0)


def test_generated_small_city_verified():
    prob = generate("S", 5)
    plan = solve(prob, time_limit=20).to_json()
    assert plan["status"] in ("OPTIMAL", "FEASIBLE") and check(prob, plan) == []
    assert set(plan["penalties"]) == EIGHT_KEYS
    assert plan["bound"] is not None and plan["bound"] <= plan["objective"]


DST_ROOM = {"id": "R1", "location": "L1", "capacity": 10, "features": ["pc_room"],
            "open": [{"weekdays": [7], "start": "01:00", "end": "04:00"}]}
ONE_HOUR = [{**BASE["themes"][0], "duration_minutes": 60}]


def test_repeated_hour_is_no_valid_start_or_end():
    # Sunday 31 October 2027: 02:00-03:00 happens twice. 01:00 and 01:30 end in it, 02:00 and 02:30
    # start in it: 03:00 (+01:00) is the only valid start.
    prob = base(horizon={"start": "2027-10-31", "end": "2027-10-31"}, rooms=[DST_ROOM], themes=ONE_HOUR)
    plan = solved(prob)
    assert [(s["start"], s["end"]) for s in plan["sessions"]] == \
        [("2027-10-31T03:00:00+01:00", "2027-10-31T04:00:00+01:00")]
    prob["rooms"][0]["open"][0]["end"] = "03:59"
    assert solved(prob)["objective"] == 3000


def test_spring_gap_is_no_valid_start_and_durations_are_real_time():
    # Sunday 28 March 2027: 02:00-03:00 does not exist. A 60-minute session from 01:30 ends 03:30 local.
    room = {**DST_ROOM, "open": [{"weekdays": [7], "start": "01:30", "end": "03:30"}]}
    prob = base(horizon={"start": "2027-03-28", "end": "2027-03-28"}, rooms=[room], themes=ONE_HOUR)
    plan = solved(prob)
    assert [(s["start"], s["end"]) for s in plan["sessions"]] == \
        [("2027-03-28T01:30:00+01:00", "2027-03-28T03:30:00+02:00")]


def test_offsets_change_across_the_end_of_dst():
    rooms = [{**DST_ROOM, "open": [{"weekdays": [5, 1], "start": "09:00", "end": "11:00"}]}]
    d = [{"id": "D", "theme": "T", "sessions": 1, "per": "week", "priority": 3}]
    prob = base(horizon={"start": "2027-10-29", "end": "2027-11-01"}, rooms=rooms, demand=d)
    plan = solved(prob)
    assert sorted(s["start"] for s in plan["sessions"]) == \
        ["2027-10-29T09:00:00+02:00", "2027-11-01T09:00:00+01:00"]


def test_generated_dst_city_with_pinned_sessions_is_verified():
    prob = generate("S", 3, pinned=True, dst=True)
    assert prob["horizon"]["start"] < "2027-10-31" < prob["horizon"]["end"]
    assert prob["pinned"]
    plan = solve(prob, time_limit=8).to_json()
    assert plan["status"] in ("OPTIMAL", "FEASIBLE")
    assert check(prob, plan) == []
    offsets = {s["start"][-6:] for s in plan["sessions"]}
    assert offsets == {"+02:00", "+01:00"}
    assert check(prob, greedy_plan(prob).to_json()) == []


@pytest.mark.parametrize("size,seed,limit", [("S", 1, 6), ("S", 2, 6), ("M", 1, 12)])
def test_generated_cities_are_verified(size, seed, limit):
    prob = generate(size, seed)
    assert generate(size, seed) == prob  # deterministic by seed
    plan = solve(prob, time_limit=limit).to_json()
    assert plan["status"] in ("OPTIMAL", "FEASIBLE")
    assert check(prob, plan) == []
    g = greedy_plan(prob).to_json()
    assert check(prob, g) == []
    assert plan["objective"] <= g["objective"]


def test_invalid_problems_list_every_error_with_its_path():
    bad = base()
    bad["rooms"].append({"id": "R1", "location": "x", "capacity": "big", "features": ["pc_room"]})
    bad["people"][0]["locations"] = ["nowhere"]
    bad["demand"][0]["theme"] = "nothing"
    bad["demand"][0]["priority"] = 9
    bad["timezone"] = "Mars/Olympus"
    bad["pinned"] = [{"id": "p", "theme": "T", "room": "R9", "start": "2027-03-01 9h", "staff": {"trainer": ["ghost"]}}]
    plan = solve(bad).to_json()
    assert plan["status"] == "INVALID" and plan["sessions"] == []
    paths = {e["path"]: e["message"] for e in plan["errors"]}
    assert paths["$.rooms[1].location"] == "unknown location 'x'"
    assert "duplicate id" in paths["$.rooms[1].id"]
    assert "$.rooms[1].capacity" in paths
    assert paths["$.people[0].locations[0]"] == "unknown location 'nowhere'"
    assert paths["$.demand[0].theme"] == "unknown theme 'nothing'"
    assert "$.demand[0].priority" in paths
    assert "$.timezone" in paths
    assert paths["$.pinned[0].room"] == "unknown room 'R9'"
    assert "$.pinned[0].start" in paths
    assert paths["$.pinned[0].staff.trainer[0]"] == "unknown person 'ghost'"
    assert solve([]).to_json()["errors"] == [{"path": "$", "message": "the problem must be a JSON object"}]
    assert solve({"version": 1}).status == "INVALID"
