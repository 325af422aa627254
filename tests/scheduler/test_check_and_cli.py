"""The verifier rejects broken plans; the command line works end to end."""
import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from scheduler.check import check
from scheduler.solve import solve
from tests.scheduler.helpers import base

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def two():
    rooms = [{"id": "R1", "location": "L1", "capacity": 10, "features": ["pc_room"],
              "open": [{"weekdays": [1], "start": "09:00", "end": "13:00"}]},
             {"id": "R2", "location": "L2", "capacity": 10, "features": ["pc_room"]}]
    people = [{"id": "P1", "name": "Pat", "roles": ["trainer"], "languages": ["nl"], "cost_per_session": 100},
              {"id": "P2", "name": "Sam", "roles": ["trainer"], "languages": ["nl"], "cost_per_session": 0,
               "locations": ["L1"], "max_sessions": 1}]
    locs = [{"id": "L1", "name": "a", "area": "A", "travel_minutes": {"L2": 20}},
            {"id": "L2", "name": "b", "area": "B"}]
    prob = base(rooms=rooms, people=people, locations=locs,
                demand=[{"id": "D", "theme": "T", "sessions": 2, "priority": 3, "areas": ["A"]}])
    plan = solve(prob, time_limit=10).to_json()
    assert plan["status"] == "OPTIMAL" and plan["objective"] == 100 and check(prob, plan) == []
    return prob, plan


def broken(plan, fn):
    p = copy.deepcopy(plan)
    fn(p)
    return p


def _session(p, pid):
    return next(s for s in p["sessions"] if pid in s["staff"]["trainer"])


CASES = {
    "overlap in a room": lambda p: p["sessions"][1].update(start=p["sessions"][0]["start"], end=p["sessions"][0]["end"]),
    "wrong offset": lambda p: p["sessions"][0].update(start=p["sessions"][0]["start"][:-6] + "+02:00"),
    "wrong duration": lambda p: p["sessions"][0].update(end=p["sessions"][0]["start"]),
    "unknown person": lambda p: p["sessions"][0]["staff"].update(trainer=["ghost"]),
    "missing staff": lambda p: p["sessions"][0]["staff"].update(trainer=[]),
    "person twice at once": lambda p: _session(p, "P2")["staff"].update(trainer=["P1"]),
    "person elsewhere": lambda p: _session(p, "P1")["staff"].update(trainer=["P2"]),
    "room closed": lambda p: p["sessions"][0].update(start="2027-03-01T13:00:00+01:00", end="2027-03-01T15:00:00+01:00"),
    "room without pc": lambda p: p["sessions"][0].update(room="R2", location="L2"),
    "off grid": lambda p: p["sessions"][0].update(start="2027-03-01T09:10:00+01:00", end="2027-03-01T11:10:00+01:00"),
    "objective": lambda p: p.update(objective=p["objective"] - 1),
    "penalty": lambda p: p["penalties"].update(cost=0),
    "cost": lambda p: p.update(cost=0),
    "session cost": lambda p: p["sessions"][0].update(cost=1),
    "unmet list": lambda p: p["unmet"].append({"demand": "D", "missing": 1, "reason": "x"}),
    "language": lambda p: p["sessions"][0].update(language="ar"),
    "demand": lambda p: p["sessions"][0].update(demand=None),
    "too many": lambda p: p["sessions"].append(dict(p["sessions"][0], id="extra", room="R2", location="L2")),
    "bound above": lambda p: p.update(bound=p["objective"] + 1),
    "duplicate id": lambda p: p["sessions"][1].update(id=p["sessions"][0]["id"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_verifier_rejects_broken_plans(two, case):
    prob, plan = two
    assert check(prob, broken(plan, CASES[case])) != []


def test_verifier_rejects_travel_too_short(two):
    prob, plan = two
    prob = copy.deepcopy(prob)
    prob["demand"][0]["areas"] = ["A", "B"]
    prob["rooms"][0]["features"] = ["pc_room"]
    p = copy.deepcopy(plan)
    s1, s2 = sorted(p["sessions"], key=lambda s: s["start"])
    s1.update(staff={"trainer": ["P1"]}, cost=100)
    s2.update(staff={"trainer": ["P1"]}, cost=100, room="R2", location="L2",
              start=s1["end"], end=s1["end"][:11] + "13:00:00+01:00" if s1["end"][11:13] == "11" else s1["end"])
    p["cost"] = 200
    errors = check(prob, p)
    assert any("travel" in e for e in errors)


def run(*args):
    return subprocess.run([sys.executable, "-m", "scheduler", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=120)


def test_cli_solve_check_generate(tmp_path, two):
    prob, _ = two
    (tmp_path / "p.json").write_text(json.dumps(prob))
    r = run("solve", str(tmp_path / "p.json"), "-o", str(tmp_path / "plan.json"), "--time-limit", "5", "--workers", "1")
    assert r.returncode == 0, r.stderr
    plan = json.loads((tmp_path / "plan.json").read_text())
    assert plan["status"] == "OPTIMAL" and plan["objective"] == 100
    assert run("check", str(tmp_path / "p.json"), str(tmp_path / "plan.json")).returncode == 0
    plan["objective"] = 7
    (tmp_path / "bad.json").write_text(json.dumps(plan))
    r = run("check", str(tmp_path / "p.json"), str(tmp_path / "bad.json"))
    assert r.returncode == 1 and "objective 7" in r.stdout
    r = run("generate", "--size", "S", "--seed", "4", "-o", str(tmp_path / "g.json"))
    assert r.returncode == 0 and json.loads((tmp_path / "g.json").read_text())["version"] == 1
    (tmp_path / "invalid.json").write_text(json.dumps({"version": 2}))
    r = run("solve", str(tmp_path / "invalid.json"), "-o", str(tmp_path / "inv-plan.json"))
    assert r.returncode == 1
    out = json.loads((tmp_path / "inv-plan.json").read_text())
    assert out["status"] == "INVALID" and {"path": "$.version", "message": "must be 1, not 2"} in out["errors"]


def test_scheduler_modules_import_each_other_without_cycles():
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    graph = {}
    for path in (root / "scheduler").glob("*.py"):
        graph[f"scheduler.{path.stem}"] = {f"scheduler.{n.module}" for n in ast.walk(ast.parse(path.read_text()))
                                           if isinstance(n, ast.ImportFrom) and n.level == 1 and n.module}
    for name in ("planning_runs", "worker"):  # the background run and its launcher
        path = root / "booking" / ("services" if name == "planning_runs" else "") / f"{name}.py"
        graph[name] = {"worker" if "booking.worker" in n.module else "planning_runs"
                       for n in ast.walk(ast.parse(path.read_text()))
                       if isinstance(n, ast.ImportFrom) and n.module
                       and n.module in ("booking.worker", "booking.services.planning_runs")}

    def reaches(start, goal, seen):
        return any(n == goal or (n not in seen and reaches(n, goal, seen | {n})) for n in graph.get(start, ()))

    assert [name for name in graph if reaches(name, name, {name})] == []
