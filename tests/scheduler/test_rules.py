"""Each hard rule and each penalty on a tiny problem with an exact optimum."""
from scheduler.check import check
from scheduler.solve import solve
from tests.scheduler.helpers import BASE, base, solved

ROOM = BASE["rooms"][0]
PERSON = BASE["people"][0]


def room(**kw):
    return {**ROOM, **kw}


def person(**kw):
    return {**PERSON, **kw}


def test_base_is_met_at_its_cost():
    plan = solved(base())
    assert plan["objective"] == 100
    [s] = plan["sessions"]
    assert s["start"] == "2027-03-01T09:00:00+01:00" and s["end"] == "2027-03-01T11:00:00+01:00"
    assert s["staff"] == {"trainer": ["P1"]} and s["demand"] == "D" and s["language"] is None


def test_room_features_and_capacity():
    assert solved(base(rooms=[room(features=[])]))["objective"] == 3000
    assert solved(base(rooms=[room(capacity=4)]))["objective"] == 3000


def test_room_open_hours_and_closures():
    assert solved(base(rooms=[room(open=[{"weekdays": [1], "start": "09:00", "end": "10:30"}])]))["objective"] == 3000
    assert solved(base(rooms=[room(open=[{"weekdays": [2], "start": "09:00", "end": "11:00"}])]))["objective"] == 3000
    # union of two windows of the same weekday covers the session
    two = [{"weekdays": [1], "start": "09:00", "end": "10:00"}, {"weekdays": [1], "start": "10:00", "end": "11:00"}]
    assert solved(base(rooms=[room(open=two)]))["objective"] == 100
    assert solved(base(rooms=[room(open=[])]))["objective"] == 3000
    closed = [{"start": "2027-03-01T10:30", "end": "2027-03-01T10:45"}]
    assert solved(base(rooms=[room(closed=closed)]))["objective"] == 3000
    # end exclusive: a closure ending at the session's start does not overlap
    closed = [{"start": "2027-03-01T08:00", "end": "2027-03-01T09:00"}]
    assert solved(base(rooms=[room(closed=closed)]))["objective"] == 100


def test_sessions_in_one_room_never_overlap():
    prob = base(demand=[{"id": "D", "theme": "T", "sessions": 2, "priority": 3}],
                people=[PERSON, person(id="P2", cost_per_session=0)])
    assert solved(prob)["objective"] == 3000  # one room, one slot: the free trainer teaches, one unmet
    prob["rooms"].append(room(id="R2"))
    assert solved(prob)["objective"] == 100


def test_a_person_works_one_session_at_a_time():
    prob = base(demand=[{"id": "D", "theme": "T", "sessions": 2, "priority": 3}], rooms=[ROOM, room(id="R2")])
    assert solved(prob)["objective"] == 3100


def test_skills_roles_locations_availability():
    assert solved(base(people=[person(themes=None)]))["objective"] == 100
    assert solved(base(people=[person(roles=["steward"])]))["objective"] == 3000
    assert solved(base(people=[person(locations=["L2"])]))["objective"] == 3000
    assert solved(base(people=[person(locations=["L1"])]))["objective"] == 100
    assert solved(base(people=[person(available=[{"weekdays": [2], "start": "09:00", "end": "17:00"}])]))["objective"] == 3000
    assert solved(base(people=[person(available=[{"weekdays": [1], "start": "09:00", "end": "10:59"}])]))["objective"] == 3000
    unav = [{"start": "2027-03-01T10:00", "end": "2027-03-01T12:00"}]
    assert solved(base(people=[person(unavailable=unav)]))["objective"] == 3000


def test_staff_counts_and_distinct_people():
    themes = [{**BASE["themes"][0], "staff": {"trainer": 1, "steward": 1}}]
    both = person(id="P2", roles=["trainer", "steward"], cost_per_session=0, themes=None)
    assert solved(base(themes=themes, people=[both]))["objective"] == 3000  # one person, two roles
    plan = solved(base(themes=themes, people=[PERSON, both]))
    assert plan["objective"] == 100
    assert plan["sessions"][0]["staff"] == {"trainer": ["P1"], "steward": ["P2"]}


def test_travel_between_locations():
    rooms = [ROOM, room(id="R2", location="L2", open=[{"weekdays": [1], "start": "11:00", "end": "13:00"}])]
    locs = [{**BASE["locations"][0], "travel_minutes": {"L2": 30}}, BASE["locations"][1]]
    prob = base(locations=locs, rooms=rooms, demand=[{"id": "D", "theme": "T", "sessions": 2, "priority": 3}])
    assert solved(prob)["objective"] == 3100  # 11:00 at L2 leaves no time to travel
    prob["rooms"][1]["open"] = [{"weekdays": [1], "start": "11:00", "end": "13:30"}]
    plan = solved(prob)
    assert plan["objective"] == 200
    assert sorted(s["start"][11:16] for s in plan["sessions"]) == ["09:00", "11:30"]


def test_max_sessions_and_budget():
    rooms = [room(open=[{"weekdays": [1], "start": "09:00", "end": "13:00"}])]
    two = [{"id": "D", "theme": "T", "sessions": 2, "priority": 3}]
    assert solved(base(rooms=rooms, demand=two))["objective"] == 200
    assert solved(base(rooms=rooms, demand=two, people=[person(max_sessions=1)]))["objective"] == 3100
    assert solved(base(rooms=rooms, demand=two, budget=150))["objective"] == 3100
    assert solved(base(rooms=rooms, demand=two, budget=99))["objective"] == 6000


def test_language_of_trainers_and_of_all_staff():
    d = [{"id": "D", "theme": "T", "sessions": 1, "priority": 3, "language": "ar"}]
    assert solved(base(demand=d))["objective"] == 3000
    plan = solved(base(demand=d, people=[person(languages=["nl", "ar"])]))
    assert plan["objective"] == 100 and plan["sessions"][0]["language"] == "ar"
    themes = [{**BASE["themes"][0], "staff": {"volunteer": 1}}]
    vol = person(roles=["volunteer"], cost_per_session=0)
    assert solved(base(themes=themes, demand=d, people=[vol]))["objective"] == 3000
    assert solved(base(themes=themes, demand=d, people=[{**vol, "languages": ["ar"]}]))["objective"] == 0
    # with a trainer, a steward need not speak the session language
    themes = [{**BASE["themes"][0], "staff": {"trainer": 1, "steward": 1}}]
    stew = person(id="S", roles=["steward"], themes=None, cost_per_session=0)
    assert solved(base(themes=themes, demand=d, people=[person(languages=["ar"]), stew]))["objective"] == 100


def test_demand_place_by_locations_or_areas():
    assert solved(base(demand=[{"id": "D", "theme": "T", "sessions": 1, "areas": ["B"]}]))["objective"] == 3000
    assert solved(base(demand=[{"id": "D", "theme": "T", "sessions": 1, "areas": ["A"]}]))["objective"] == 100
    assert solved(base(demand=[{"id": "D", "theme": "T", "sessions": 1, "locations": ["L2"]}]))["objective"] == 3000
    either = {"id": "D", "theme": "T", "sessions": 1, "locations": ["L1"], "areas": ["B"]}
    assert solved(base(demand=[either]))["objective"] == 100
    w = {"id": "D", "theme": "T", "sessions": 1, "priority": 5, "window": {"start": "2027-03-02", "end": "2027-03-05"}}
    assert solved(base(demand=[w], horizon={"start": "2027-03-01", "end": "2027-03-07"}))["objective"] == 5000
    w["window"]["start"] = "2027-03-01"
    assert solved(base(demand=[w], horizon={"start": "2027-03-01", "end": "2027-03-07"}))["objective"] == 100


def test_weekly_demand_and_same_slot_penalty():
    rooms = [room(open=[{"weekdays": [1, 2], "start": "09:00", "end": "11:00"}])]
    d = [{"id": "D", "theme": "T", "sessions": 1, "per": "week", "same_slot_each_week": True, "priority": 2}]
    horizon = {"start": "2027-03-01", "end": "2027-03-14"}
    plan = solved(base(horizon=horizon, rooms=rooms, demand=d))
    assert plan["objective"] == 200 and plan["penalties"]["same_slot"] == 0
    # week 2's Monday is closed: Tuesday in week 2 costs one extra triple (50) unless both are on Tuesday
    rooms[0]["closed"] = [{"start": "2027-03-08T00:00", "end": "2027-03-09T00:00"}]
    assert solved(base(horizon=horizon, rooms=rooms, demand=d))["objective"] == 200
    p = person(unavailable=[{"start": "2027-03-02T00:00", "end": "2027-03-03T00:00"}])
    plan = solved(base(horizon=horizon, rooms=rooms, demand=d, people=[p]))
    assert plan["objective"] == 250 and plan["penalties"]["same_slot"] == 50
    # a horizon of three ISO weeks (Sunday, a full week, Monday) asks three times
    horizon = {"start": "2027-02-28", "end": "2027-03-08"}
    plan = solved(base(horizon=horizon, rooms=[room()], demand=d))
    assert plan["objective"] == 2200  # both Mondays met (2 x 100), the lone Sunday week unmet (2000)
    assert [u["missing"] for u in plan["unmet"]] == [1]


def test_now_and_history_pinned():
    rooms = [room(open=[{"weekdays": [1], "start": "08:00", "end": "12:00"}])]
    hist = {"id": "old", "theme": "T", "room": "R1", "start": "2027-03-01T08:00", "staff": {"trainer": ["P1"]},
            "booked": 4}
    prob = base(rooms=rooms, now="2027-03-01T08:30", pinned=[hist], people=[person(max_sessions=1)])
    plan = solved(prob)
    assert plan["objective"] == 100  # the history session is neither listed, counted nor cancelled
    assert [s["start"][11:16] for s in plan["sessions"]] == ["10:00"]
    assert plan["cancelled"] == []
    # a window that ended before the date of now asks for nothing
    past = {"id": "D", "theme": "T", "sessions": 1, "window": {"start": "2027-02-01", "end": "2027-02-28"}}
    assert solved(base(now="2027-03-01T08:00", demand=[past]))["objective"] == 0


def test_booked_pinned_kept_moved_cancelled():
    rooms = [room(open=[{"weekdays": [1], "start": "09:00", "end": "13:00"}])]
    pin = {"id": "sess-1", "theme": "T", "room": "R1", "start": "2027-03-01T09:00", "staff": {"trainer": ["P1"]},
           "language": "nl", "booked": 3}
    plan = solved(base(rooms=rooms, pinned=[pin]))
    assert plan["objective"] == 100
    [s] = plan["sessions"]
    assert (s["id"], s["pinned"], s["moved"], s["language"], s["demand"]) == ("sess-1", True, False, "nl", "D")
    away = person(unavailable=[{"start": "2027-03-01T09:00", "end": "2027-03-01T11:00"}])
    plan = solved(base(rooms=rooms, pinned=[pin], people=[away]))
    assert plan["objective"] == 600 and plan["sessions"][0]["moved"] is True
    assert plan["sessions"][0]["start"] == "2027-03-01T11:00:00+01:00"
    gone = person(unavailable=[{"start": "2027-03-01T00:00", "end": "2027-03-02T00:00"}])
    plan = solved(base(rooms=rooms, pinned=[pin], people=[gone]))
    assert plan["objective"] == 8000 and [c["id"] for c in plan["cancelled"]] == ["sess-1"]
    assert plan["cancelled"][0]["reason"]
    # a booked session in a language the demand does not take serves no demand
    plan = solved(base(rooms=rooms, pinned=[pin], demand=[{"id": "D", "theme": "T", "sessions": 1, "language": "fr"}]))
    assert plan["objective"] == 3100 and plan["sessions"][0]["demand"] is None


def test_unbooked_pinned_kept_or_dropped_unpriced():
    pin = {"id": "sess-2", "theme": "T", "room": "R1", "start": "2027-03-01T09:00", "staff": {"trainer": ["P1"]}}
    plan = solved(base(pinned=[pin]))
    assert plan["objective"] == 100 and plan["sessions"][0]["id"] == "sess-2"
    plan = solved(base(pinned=[pin], demand=[]))
    assert plan["objective"] == 0 and plan["sessions"] == [] and plan["cancelled"] == []


def test_balance_counts_only_people_who_worked():
    rooms = [room(open=[{"weekdays": [1], "start": "09:00", "end": "15:00"}])]
    three = [{"id": "D", "theme": "T", "sessions": 3, "priority": 3}]
    free = [person(cost_per_session=0), person(id="P2", cost_per_session=0)]
    assert solved(base(rooms=rooms, demand=three, people=free))["objective"] == 0  # one person does all 3
    capped = [person(cost_per_session=0, max_sessions=2), person(id="P2", cost_per_session=0, max_sessions=2)]
    plan = solved(base(rooms=rooms, demand=three, people=capped))
    assert plan["objective"] == 10 and plan["penalties"]["balance"] == 10


def test_weights_scale_penalties():
    w = {"unmet": 7, "cost": 2}
    assert solved(base(weights=w, people=[person(cost_per_session=10)]))["objective"] == 20
    assert solved(base(weights=w, people=[person(cost_per_session=100)]))["objective"] == 21


def test_every_plan_reports_a_proven_bound_even_from_a_sampled_model():
    from scheduler.bound import forced_bound
    from scheduler.feasible import Feasibility
    from scheduler.problem import load_problem

    # a second demand no room can hold: 2 sessions x priority 4 x 1000 can never be met
    themes = BASE["themes"] + [{"id": "X", "title": "Needs a lab", "duration_minutes": 60, "needs": ["lab"],
                                "seats": 1, "staff": {}}]
    demand = BASE["demand"] + [{"id": "DX", "theme": "X", "sessions": 2, "priority": 4}]
    rooms = [{**BASE["rooms"][0], "open": [{"weekdays": [1], "start": "09:00", "end": "17:00"}]}]
    prob = base(themes=themes, demand=demand, rooms=rooms)
    loaded = load_problem(prob)
    feas = Feasibility(loaded)
    assert forced_bound(loaded, feas, feas.units()) == 8000
    sampled = solve(prob, time_limit=5, max_slots_per_unit=1, max_moves=1).to_json()
    assert check(prob, sampled) == [] and sampled["status"] == "FEASIBLE"  # one slot of many: sampled
    assert 8000 <= sampled["bound"] <= sampled["objective"]


def test_conflict_cliques_cover_exactly_the_overlap_and_travel_conflicts():
    import itertools
    import random

    from scheduler.model import conflict_cliques

    def travel(a, b):
        return 0 if a == b else {frozenset("AB"): 30, frozenset("AC"): 60, frozenset("BC"): 0}[frozenset(a + b)]

    rng = random.Random(5)
    items = []
    for k in range(40):
        s = 30 * rng.randrange(20)
        items.append((s, s + rng.choice([60, 90, 120]), f"z{k}", rng.choice("ABC")))

    def conflict(x, y):
        (s1, e1, _, l1), (s2, e2, _, l2) = sorted([x, y])
        return s2 < e1 or (l1 != l2 and s2 < e1 + travel(l1, l2))

    cliques = conflict_cliques(items, travel)
    by_lit = {t[2]: t for t in items}
    for c in cliques:  # every clique forbids only conflicting pairs
        assert all(conflict(by_lit[a], by_lit[b]) for a, b in itertools.combinations(c, 2))
    pairs = {frozenset(p) for c in cliques for p in itertools.combinations(c, 2)}
    for x, y in itertools.combinations(items, 2):  # and every conflicting pair is forbidden
        assert (frozenset((x[2], y[2])) in pairs) == conflict(x, y)
    # A 9-10, B 10:15-11, A 11:15-12: travel conflicts a-b and b-c, none between a and c (same place)
    tri = [(540, 600, "a", "A"), (615, 660, "b", "B"), (675, 720, "c", "A")]
    assert sorted(map(sorted, conflict_cliques(tri, travel))) == [["a", "b"], ["b", "c"]]
    tri = [(540, 600, "a", "A"), (600, 660, "b", "B"), (620, 700, "c", "C")]  # a-b travel, b-c overlap, a-c travel
    assert sorted(map(sorted, conflict_cliques(tri, travel))) == [["a", "b", "c"]]
