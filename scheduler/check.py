"""An independent verifier of a plan against its problem.

It re-reads every rule of planning-format.md with its own time arithmetic
(aware datetimes, not the model's minute grid) and recomputes the objective,
penalties and cost. `check(problem_json, plan_json)` returns a list of
violations (strings); an empty list means the plan is valid.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from .problem import PENALTY_KEYS, ProblemError, load_problem

ONE_DAY = dt.timedelta(days=1)


def _clean(tz, naive):
    a, b = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    if a.utcoffset() != b.utcoffset():
        return False
    return a.astimezone(dt.timezone.utc).astimezone(tz).replace(tzinfo=None) == naive


def _aware(tz, naive):
    return naive.replace(tzinfo=tz, fold=0)


def _within_weekly(windows, ls, le):
    if windows is None:
        return True
    # walk minute blocks: every local minute in [ls, le) must be inside some window of its weekday
    spans = []
    day = ls.date() - ONE_DAY
    while day <= le.date():
        for w in windows:
            if day.isoweekday() in w.weekdays:
                base = dt.datetime(day.year, day.month, day.day)
                spans.append((base + dt.timedelta(minutes=w.start), base + dt.timedelta(minutes=w.end)))
        day += ONE_DAY
    t = ls
    progressed = True
    while t < le and progressed:
        progressed = False
        for a, b in spans:
            if a <= t < b:
                t = b
                progressed = True
    return t >= le


def _overlaps_exc(tz, excs, s, e):
    for x in excs:
        xs, xe = _aware(tz, x.start), _aware(tz, x.end)
        if s < xe and xs < e:
            return True
    return False


def check(problem_json: dict, plan_json: dict) -> list:
    out = []
    try:
        prob = load_problem(problem_json)
    except ProblemError as e:
        return [f"problem is invalid: {p}: {m}" for p, m in e.errors]
    tz = ZoneInfo(prob.timezone)
    W = prob.weights
    if plan_json.get("status") not in ("OPTIMAL", "FEASIBLE"):
        return [f"status {plan_json.get('status')!r} carries no plan"] if plan_json.get("sessions") else []
    h_start = dt.datetime.combine(prob.horizon[0], dt.time())
    h_end = dt.datetime.combine(prob.horizon[1] + ONE_DAY, dt.time())
    now_aw = _aware(tz, prob.now) if prob.now else None
    pinned = {pn.id: pn for pn in prob.pinned}
    demands = {d.id: d for d in prob.demands}

    # history: pinned sessions before now or not wholly inside the horizon
    history = []
    for pn in prob.pinned:
        s = _aware(tz, pn.start)
        e = s + dt.timedelta(minutes=prob.themes[pn.theme].duration)
        ls, le = s.astimezone(tz).replace(tzinfo=None), e.astimezone(tz).replace(tzinfo=None)
        if (now_aw is not None and s < now_aw) or ls < h_start or le > h_end:
            history.append((pn, s, e))
    hist_ids = {pn.id for pn, _, _ in history}

    sessions = plan_json.get("sessions", [])
    seen = set()
    rows = []  # (sid, room, loc, s, e, staff, demand, cost)
    for i, ses in enumerate(sessions):
        tag = f"session {ses.get('id', i)!r}"
        sid = ses.get("id")
        if sid in seen:
            out.append(f"{tag}: duplicate id")
        seen.add(sid)
        theme = prob.themes.get(ses.get("theme"))
        room = prob.rooms.get(ses.get("room"))
        if theme is None or room is None:
            out.append(f"{tag}: unknown theme or room")
            continue
        if ses.get("location") != room.location:
            out.append(f"{tag}: location {ses.get('location')!r} is not the room's {room.location!r}")
        try:
            s = dt.datetime.fromisoformat(ses["start"])
            e = dt.datetime.fromisoformat(ses["end"])
            assert s.tzinfo is not None and e.tzinfo is not None
        except (KeyError, ValueError, TypeError, AssertionError):
            out.append(f"{tag}: start/end must be date-times with a UTC offset")
            continue
        for t, name in ((s, "start"), (e, "end")):
            if t.astimezone(tz).utcoffset() != t.utcoffset():
                out.append(f"{tag}: {name} {ses[name]} does not carry the zone's offset at that moment")
        if e - s != dt.timedelta(minutes=theme.duration):
            out.append(f"{tag}: lasts {(e - s)} instead of {theme.duration} minutes")
        ls, le = s.astimezone(tz).replace(tzinfo=None), e.astimezone(tz).replace(tzinfo=None)
        pn = pinned.get(sid)
        if sid in hist_ids:
            out.append(f"{tag}: a history pinned session must not be listed")
            continue
        kept_in_place = False
        if pn is not None:
            if not ses.get("pinned"):
                out.append(f"{tag}: keeps a pinned id but is not marked pinned")
            if ses.get("theme") != pn.theme:
                out.append(f"{tag}: a pinned session keeps its theme {pn.theme!r}")
            kept_in_place = ses.get("room") == pn.room and s == _aware(tz, pn.start)
            if pn.booked > 0:
                if ses.get("language") != pn.language:
                    out.append(f"{tag}: a booked session keeps its language {pn.language!r}")
                if bool(ses.get("moved")) == kept_in_place:
                    out.append(f"{tag}: moved must be {not kept_in_place}")
        else:
            if ses.get("pinned"):
                out.append(f"{tag}: marked pinned but no pinned session has this id")
            if ses.get("moved"):
                out.append(f"{tag}: a new session cannot be moved")
        if not kept_in_place:
            if (ls.hour * 60 + ls.minute) % prob.grid or ls.second:
                out.append(f"{tag}: start {ls.time()} is not on the {prob.grid}-minute grid")
            if not _clean(tz, ls) or not _clean(tz, le):
                out.append(f"{tag}: starts or ends at a local time that does not exist or occurs twice")
            if now_aw is not None and s < now_aw:
                out.append(f"{tag}: a new or moved session starts before now")
        if ls < h_start or le > h_end:
            out.append(f"{tag}: not wholly inside the horizon")
        # room
        if not theme.needs <= room.features:
            out.append(f"{tag}: room {room.id} lacks {sorted(theme.needs - room.features)}")
        if room.capacity < theme.seats:
            out.append(f"{tag}: room {room.id} has {room.capacity} places for {theme.seats} seats")
        if not _within_weekly(room.open, ls, le):
            out.append(f"{tag}: room {room.id} is not open for the whole session")
        if _overlaps_exc(tz, room.closed, s, e):
            out.append(f"{tag}: room {room.id} is closed during the session")
        # demand and language
        did = ses.get("demand")
        d = demands.get(did) if did is not None else None
        if did is not None and d is None:
            out.append(f"{tag}: unknown demand {did!r}")
        if did is None and not (pn is not None and pn.booked > 0):
            out.append(f"{tag}: only a booked pinned session may serve no demand")
        lang = ses.get("language")
        if d is not None:
            if d.theme != theme.id:
                out.append(f"{tag}: theme {theme.id!r} does not fit demand {d.id} ({d.theme!r})")
            if d.language is not None and lang != d.language:
                out.append(f"{tag}: language {lang!r} does not serve demand {d.id} in {d.language!r}")
            if pn is None and lang != d.language:
                out.append(f"{tag}: a new session takes its demand's language {d.language!r}")
            if not prob.location_fits(d, room.location):
                out.append(f"{tag}: location {room.location} is not among demand {d.id}'s places")
            w0 = dt.datetime.combine(max(d.window[0], prob.horizon[0]), dt.time())
            w1 = dt.datetime.combine(min(d.window[1], prob.horizon[1]) + ONE_DAY, dt.time())
            if ls < w0 or le > w1:
                out.append(f"{tag}: not inside demand {d.id}'s window")
        # staff
        staff = ses.get("staff") or {}
        needed = {r: n for r, n in theme.staff.items() if n > 0}
        if set(staff) - set(needed) or any(len(staff.get(r, [])) != n for r, n in needed.items()):
            out.append(f"{tag}: staff {staff} does not match the theme's {needed}")
        everyone = [pid for ids in staff.values() for pid in ids]
        if len(everyone) != len(set(everyone)):
            out.append(f"{tag}: one person fills two roles")
        cost = 0
        for role, ids in staff.items():
            for pid in ids:
                person = prob.people.get(pid)
                if person is None:
                    out.append(f"{tag}: unknown person {pid!r}")
                    continue
                cost += person.cost
                if role not in person.roles or (person.themes is not None and theme.id not in person.themes):
                    out.append(f"{tag}: {pid} cannot be {role} for {theme.id!r}")
                if person.locations is not None and room.location not in person.locations:
                    out.append(f"{tag}: {pid} does not work at {room.location}")
                if not _within_weekly(person.available, ls, le):
                    out.append(f"{tag}: {pid} is not available for the whole session")
                if _overlaps_exc(tz, person.unavailable, s, e):
                    out.append(f"{tag}: {pid} is unavailable during the session")
                if lang is not None and (role == "trainer" or not theme.has_trainer) and lang not in person.languages:
                    out.append(f"{tag}: {pid} does not speak {lang!r}")
        if ses.get("cost") != cost:
            out.append(f"{tag}: cost {ses.get('cost')} but its staff cost {cost}")
        rows.append((sid, room.id, room.location, s, e, staff, d, cost, ls))

    # rooms and people over time (with history sessions)
    occ = [(r[1], r[2], r[3], r[4], r[5], r[0]) for r in rows]
    for pn, s, e in history:
        occ.append((pn.room, prob.rooms[pn.room].location, s, e, pn.staff, f"history {pn.id}"))
    for i in range(len(occ)):
        for j in range(i + 1, len(occ)):
            a, b = occ[i], occ[j]
            if a[5].startswith("history") and b[5].startswith("history"):
                continue
            if a[0] == b[0] and a[2] < b[3] and b[2] < a[3]:
                out.append(f"room {a[0]}: {a[5]} and {b[5]} overlap")
            pa = {p for ids in a[4].values() for p in ids}
            pb = {p for ids in b[4].values() for p in ids}
            common = pa & pb
            if common:
                la, lb = prob.locations[a[1]], prob.locations[b[1]]
                t = 0 if a[1] == b[1] else max(la.travel.get(b[1], 0), lb.travel.get(a[1], 0))
                gap = dt.timedelta(minutes=t)
                if a[2] < b[3] + gap and b[2] < a[3] + gap:
                    out.append(f"{sorted(common)}: {a[5]} and {b[5]} overlap or leave less than {t} minutes to travel")
    count, loads = {}, {}
    total = 0
    for r in rows:
        total += r[7]
        for role, ids in r[5].items():
            for pid in ids:
                count[pid] = count.get(pid, 0) + 1
                loads.setdefault(role, {}).setdefault(pid, 0)
                loads[role][pid] += 1
    for pid, n in count.items():
        person = prob.people.get(pid)
        if person and person.max_sessions is not None and n > person.max_sessions:
            out.append(f"{pid}: {n} sessions, more than max_sessions {person.max_sessions}")
    if prob.budget is not None and total > prob.budget:
        out.append(f"total cost {total} exceeds the budget {prob.budget}")
    if plan_json.get("cost") != total:
        out.append(f"plan cost {plan_json.get('cost')} is not the sum of session costs {total}")

    # demand counting, per unit (whole window, or ISO week of the local start)
    now_date = prob.now.date() if prob.now else None
    unmet_pen = 0
    missing = {}
    for d in prob.demands:
        mine = [r for r in rows if r[6] is d]
        lo, hi = max(d.window[0], prob.horizon[0]), min(d.window[1], prob.horizon[1])
        if not d.per_week:
            asked = 0 if (lo > hi or (now_date and d.window[1] < now_date)) else d.sessions
            got = len(mine)
            if got > asked:
                out.append(f"demand {d.id}: served by {got} sessions, asks for {asked}")
            miss = max(0, asked - got)
        else:
            weeks = {}
            day = lo
            while day <= hi:
                key = day.isocalendar()[:2]
                weeks.setdefault(key, [day, day])[1] = day
                day += ONE_DAY
            miss = 0
            got_w = {}
            for r in mine:
                key = r[8].date().isocalendar()[:2]
                got_w[key] = got_w.get(key, 0) + 1
            for key, (a, b) in weeks.items():
                asked = 0 if (now_date and b < now_date) else d.sessions
                if got_w.get(key, 0) > asked:
                    out.append(f"demand {d.id}: week {key} served by {got_w[key]} sessions, asks for {asked}")
                miss += max(0, asked - got_w.get(key, 0))
            for key in got_w:
                if key not in weeks:
                    out.append(f"demand {d.id}: a session in week {key} outside its weeks")
        unmet_pen += W["unmet"] * d.priority * miss
        if miss:
            missing[d.id] = miss
    listed = {}
    for u in plan_json.get("unmet", []):
        listed[u.get("demand")] = u.get("missing")
        if not u.get("reason"):
            out.append(f"unmet {u.get('demand')}: no reason given")
    if listed != missing:
        out.append(f"unmet lists {listed}, but missing is {missing}")

    # pinned: kept, moved, cancelled
    in_plan = {r[0] for r in rows}
    moved = sum(1 for ses in sessions if ses.get("moved") and ses.get("id") in pinned
                and pinned[ses["id"]].booked > 0)
    should_cancel = {pn.id for pn in prob.pinned if pn.booked > 0 and pn.id not in hist_ids and pn.id not in in_plan}
    cancelled = {c.get("id") for c in plan_json.get("cancelled", [])}
    if cancelled != should_cancel:
        out.append(f"cancelled lists {sorted(cancelled)}, but dropped booked sessions are {sorted(should_cancel)}")

    # objective
    pen = {"unmet": unmet_pen, "moved_booked": W["moved_booked"] * moved,
           "cancelled_booked": W["cancelled_booked"] * len(should_cancel), "cost": W["cost"] * total,
           "balance": W["balance"] * sum(max(v.values()) - min(v.values()) for v in loads.values() if v),
           "same_slot": 0, "restaffed": 0, "relocated": 0}
    for r in rows:
        pn = pinned.get(r[0])
        if pn is None or pn.booked <= 0:
            continue
        now_on = {pid for ids in r[5].values() for pid in ids}
        published = {pid for ids in pn.staff.values() for pid in ids}
        pen["restaffed"] += W["restaffed"] * len(published - now_on)
        if r[2] != prob.rooms[pn.room].location:
            pen["relocated"] += W["relocated"]
    for d in prob.demands:
        if d.same_slot:
            triples = {(r[8].isoweekday(), r[8].strftime("%H:%M"), r[2]) for r in rows if r[6] is d}
            pen["same_slot"] += W["same_slot"] * max(0, len(triples) - d.sessions)
    got_pen = plan_json.get("penalties", {})
    if set(got_pen) != set(PENALTY_KEYS):
        out.append(f"penalties must have exactly the keys {list(PENALTY_KEYS)}")
    for k in PENALTY_KEYS:
        if got_pen.get(k) != pen[k]:
            out.append(f"penalty {k} is {got_pen.get(k)}, recomputed {pen[k]}")
    obj = sum(pen.values())
    if plan_json.get("objective") != obj:
        out.append(f"objective {plan_json.get('objective')} but recomputed {obj}")
    bound = plan_json.get("bound")
    if bound is not None and bound > obj:
        out.append(f"bound {bound} above the objective {obj}")
    if plan_json.get("status") == "OPTIMAL" and bound is not None and bound != obj:
        out.append("status OPTIMAL but bound differs from objective")
    return out
