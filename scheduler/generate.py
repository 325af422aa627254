"""Synthetic city instances, deterministic by seed.

Sizes: S (~25 sessions over 4 weeks, 6 locations), M (~100 sessions, 15
locations, 4 weeks), L (~400 sessions over 8 weeks, 30 locations), XL (~1,300
sessions over 12 weeks, 60 locations). Options: `pinned` adds booked and
unbooked pinned sessions (taken from a greedy plan of the same city), `dst`
moves the horizon so that it crosses the end of daylight-saving time.
"""
from __future__ import annotations

import datetime as dt
import random

SIZES = {
    #      weeks locs trainers stewards volunteers target_sessions
    "S": (4, 6, 9, 2, 2, 25),
    "M": (4, 15, 25, 8, 5, 100),
    "L": (8, 30, 70, 20, 12, 400),
    "XL": (12, 60, 200, 50, 30, 1300),
}

THEMES = [
    ("email", "Make an e-mail account", 120, ["pc_room"], 5, {"trainer": 1}),
    ("cv", "Make your CV", 120, ["pc_room"], 5, {"trainer": 1, "steward": 1}),
    ("mijnloopbaan", "Your online career file", 120, ["pc_room"], 5, {"trainer": 1, "steward": 1}),
    ("apply-online", "Apply for a job online", 120, ["pc_room"], 5, {"trainer": 1}),
    ("temp-agency", "Register with a temp agency", 90, ["pc_room"], 5, {"trainer": 1}),
    ("search", "Search the internet well", 90, ["pc_room"], 5, {"trainer": 1}),
    ("forms", "Fill in forms online", 120, ["pc_room"], 4, {"trainer": 1, "steward": 1}),
    ("eid", "Your e-ID and online government", 120, ["pc_room"], 4, {"trainer": 1}),
    ("passwords", "Passwords and privacy", 60, [], 5, {"trainer": 1}),
    ("smartphone", "Apps on your smartphone", 90, [], 5, {"trainer": 1}),
    ("transport", "Bus and train apps", 60, [], 5, {"trainer": 1}),
    ("payslip", "Read your digital payslip", 60, ["projector"], 5, {"trainer": 1}),
    ("dutch-talk", "Dutch conversation group", 90, [], 8, {"volunteer": 1}),
    ("dropin", "Drop-in digital help", 210, [], 6, {"steward": 1}),
]
WORKSHOPS = [t[0] for t in THEMES if t[0] not in ("dutch-talk", "dropin")]
AREAS = ["Centrum", "Ledeberg", "Brugse Poort", "Rabot", "Sint-Amandsberg", "Gentbrugge",
         "Muide", "Nieuw Gent", "Wondelgem", "Zwijnaarde"]
KINDS = [("bib", "Library branch"), ("wc", "Neighbourhood centre"), ("wp", "Job shop"),
         ("cvo", "Adult education centre"), ("ocmw", "Social services office")]
LANGS = ["ar", "tr", "fr", "en", "pl", "ro", "ru", "uk", "so", "ti", "ps"]
SHIFTS = [("08:30", "12:30"), ("09:00", "17:00"), ("12:30", "17:00"), ("13:00", "17:00"), ("17:30", "21:00")]
ROOM_HOURS = [("09:00", "17:00"), ("08:30", "16:00"), ("13:00", "21:00"), ("09:00", "21:00")]


def _weekly(rng, n, palette, days=(1, 2, 3, 4, 5)):
    out = []
    for _ in range(n):
        s, e = rng.choice(palette)
        out.append({"weekdays": sorted(rng.sample(list(days), rng.randint(1, 4))), "start": s, "end": e})
    return out


def generate(size: str = "S", seed: int = 1, pinned: bool = False, dst: bool = False) -> dict:
    weeks, nloc, ntr, nst, nvol, target = SIZES[size]
    rng = random.Random(f"{size}-{seed}-{dst}")
    if dst:  # the end of DST in 2027 is Sunday 31 October
        start = dt.date(2027, 11, 1) - dt.timedelta(weeks=max(1, weeks // 2))
    else:
        start = dt.date(2027, 4, 5)
    end = start + dt.timedelta(days=7 * weeks - 1)
    iso = dt.date.isoformat

    locations = []
    coords = {}
    for i in range(nloc):
        kind, label = KINDS[i % len(KINDS)]
        area = AREAS[i % min(len(AREAS), max(3, nloc // 3))]
        lid = f"{kind}-{i:02d}"
        coords[lid] = (rng.randint(0, 4), rng.randint(0, 4))
        locations.append({"id": lid, "name": f"{label} {area} {i}", "area": area, "travel_minutes": {}})
    for a in locations:
        for b in locations:
            if a is not b:
                (x1, y1), (x2, y2) = coords[a["id"]], coords[b["id"]]
                a["travel_minutes"][b["id"]] = 10 + 8 * (abs(x1 - x2) + abs(y1 - y2)) // 2
    loc_ids = [loc["id"] for loc in locations]

    rooms = []
    for i, loc in enumerate(loc_ids):
        for r in range(rng.choice([1, 2, 2, 3])):
            feats = [f for f, pr in (("pc_room", 0.55), ("projector", 0.4), ("wheelchair", 0.5)) if rng.random() < pr]
            room = {"id": f"{loc}-r{r}", "location": loc, "capacity": rng.choice([5, 6, 8, 10, 12]),
                    "features": sorted(feats)}
            if dst and i == 0 and r == 0:
                pass  # always open: lets the planner meet the repeated hour of the DST change
            else:
                room["open"] = _weekly(rng, rng.randint(1, 2), ROOM_HOURS, days=(1, 2, 3, 4, 5, 6))
            if rng.random() < 0.15:
                day = start + dt.timedelta(days=rng.randrange(7 * weeks))
                room["closed"] = [{"start": iso(day) + "T00:00", "end": iso(day + dt.timedelta(days=1)) + "T00:00"}]
            rooms.append(room)

    themes = [{"id": t, "title": ti, "duration_minutes": du, "needs": ne, "seats": se, "staff": st}
              for t, ti, du, ne, se, st in THEMES]

    def unavailable():
        if rng.random() < 0.3:
            day = start + dt.timedelta(days=rng.randrange(7 * weeks - 4))
            return [{"start": iso(day) + "T00:00", "end": iso(day + dt.timedelta(days=rng.randint(1, 5))) + "T00:00"}]
        return []

    people = []
    for i in range(ntr):
        p = {"id": f"t{i:03d}", "name": f"Trainer {i}", "roles": ["trainer"],
             "themes": sorted(rng.sample(WORKSHOPS, rng.randint(2, 6))),
             "languages": ["nl"] + rng.sample(LANGS, rng.randint(0, 3)),
             "cost_per_session": rng.choice([0, 500]), "max_sessions": rng.choice([2, 4, 6, 8, 12]) * weeks // 4,
             "locations": sorted(rng.sample(loc_ids, min(len(loc_ids), rng.randint(2, 6)))),
             "available": _weekly(rng, rng.randint(1, 3), SHIFTS)}
        u = unavailable()
        if u:
            p["unavailable"] = u
        people.append(p)
    for i in range(nst):
        people.append({"id": f"s{i:03d}", "name": f"Steward {i}", "roles": ["steward"],
                       "languages": ["nl"] + rng.sample(LANGS, rng.randint(0, 2)), "cost_per_session": 0,
                       "max_sessions": 5 * weeks,
                       "locations": sorted(rng.sample(loc_ids, min(len(loc_ids), rng.randint(3, 5)))),
                       "available": _weekly(rng, rng.randint(1, 3), SHIFTS)})
    for i in range(nvol):
        p = {"id": f"v{i:03d}", "name": f"Volunteer {i}", "roles": ["volunteer"], "themes": ["dutch-talk"],
             "languages": ["nl"], "max_sessions": 2 * weeks,
             "locations": sorted(rng.sample(loc_ids, min(len(loc_ids), rng.randint(1, 2))))}
        if not (dst and i == 0):
            p["available"] = _weekly(rng, rng.randint(1, 2), SHIFTS[:4])
        people.append(p)

    demand = []
    total = 0
    k = 0
    while total < target:
        did = f"d{k:04d}"
        k += 1
        r = rng.random()
        if r < 0.12:
            n = rng.randint(1, 3)
            demand.append({"id": did, "theme": "dropin", "sessions": n, "per": "week",
                           "locations": sorted(rng.sample(loc_ids, min(3, len(loc_ids)))),
                           "same_slot_each_week": True, "priority": 5})
            total += n * weeks
            continue
        theme = "dutch-talk" if r < 0.2 else rng.choice(WORKSHOPS)
        n = rng.randint(1, 3)
        w0 = rng.randrange(weeks)
        w1 = min(weeks - 1, w0 + rng.randint(0, 3))
        d = {"id": did, "theme": theme, "sessions": n,
             "window": {"start": iso(start + dt.timedelta(weeks=w0)),
                        "end": iso(start + dt.timedelta(weeks=w1, days=6))},
             "priority": rng.randint(1, 5)}
        if rng.random() < 0.5:
            d["areas"] = sorted(rng.sample(sorted({loc["area"] for loc in locations}), 2))
        elif rng.random() < 0.3:
            d["locations"] = sorted(rng.sample(loc_ids, min(2, len(loc_ids))))
        if theme != "dutch-talk" and rng.random() < 0.2:
            d["language"] = rng.choice(LANGS[:6])
        demand.append(d)
        total += n

    prob = {"version": 1, "name": f"Synthetic city {size} seed {seed}" + (" (DST)" if dst else ""),
            "timezone": "Europe/Brussels", "horizon": {"start": iso(start), "end": iso(end)},
            "now": iso(start - dt.timedelta(days=1)) + "T18:00", "grid_minutes": 30,
            "budget": 190 * target, "locations": locations, "rooms": rooms, "themes": themes,
            "people": people, "demand": demand, "pinned": [],
            "weights": {"unmet": 1000, "moved_booked": 500, "cancelled_booked": 5000, "cost": 1,
                        "balance": 10, "same_slot": 50}}
    if pinned:
        prob["pinned"] = pin_plan(prob, _greedy_json(prob), rng)
    return prob


def _greedy_json(prob):
    from .greedy import greedy_plan
    return greedy_plan(prob).to_json()


def pin_plan(prob: dict, plan: dict, rng=None, share: float = 1.0, booked=True) -> list:
    """Published sessions of a plan as pinned entries (local times without offset)."""
    rng = rng or random.Random(0)
    out = []
    for s in plan["sessions"]:
        if rng.random() > share:
            continue
        start = dt.datetime.fromisoformat(s["start"]).replace(tzinfo=None)
        entry = {"id": s["id"], "theme": s["theme"], "room": s["room"],
                 "start": start.isoformat(timespec="minutes"), "staff": s["staff"], "language": s["language"],
                 "booked": rng.randint(1, 5) if (booked is True or rng.random() < 0.7) else 0}
        out.append(entry)
    return out
