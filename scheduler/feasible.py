"""Feasible combinations: which (room, start) slots and which people fit a session.

Shared by the CP-SAT model and the greedy planner (the verifier in check.py has
its own code). Times are absolute minutes since 1970 UTC; window rules are
checked on local wall-clock time.
"""
from __future__ import annotations

import bisect
import datetime as dt
import random
from dataclasses import dataclass, field

from .problem import Problem, horizon_abs

DAY = dt.timedelta(days=1)


def covered(windows, ls: dt.datetime, le: dt.datetime) -> bool:
    """Does the union of weekly windows cover local [ls, le]? None means always."""
    if windows is None:
        return True
    spans = []
    d = ls.date()
    while d <= le.date():
        base = dt.datetime.combine(d, dt.time())
        wd = d.isoweekday()
        for w in windows:
            if wd in w.weekdays:
                spans.append((base + dt.timedelta(minutes=w.start), base + dt.timedelta(minutes=w.end)))
        d += DAY
    spans.sort()
    cur = None
    for a, b in spans:
        if cur and a <= cur[1]:
            cur = (cur[0], max(cur[1], b))
        else:
            if cur and cur[0] <= ls and le <= cur[1]:
                return True
            cur = (a, b)
    return bool(cur and cur[0] <= ls and le <= cur[1])


_SPANS = {}


def covered_fast(windows, ls: dt.datetime, le: dt.datetime) -> bool:
    """covered() with per-weekday merged spans, for sessions within one local day."""
    if windows is None:
        return True
    d0 = ls.date()
    d1 = le.date()
    m1 = le.hour * 60 + le.minute
    if d1 != d0:
        if m1 == 0 and d1 == d0 + DAY and not le.second:
            m1 = 1440
        else:
            return covered(windows, ls, le)
    key = id(windows)
    spans = _SPANS.get(key)
    if spans is None or spans[0] is not windows:
        per = {}
        for wd in range(1, 8):
            raw = sorted((w.start, w.end) for w in windows if wd in w.weekdays)
            merged = []
            for a, b in raw:
                if merged and a <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], b)
                else:
                    merged.append([a, b])
            per[wd] = merged
        spans = _SPANS[key] = (windows, per)
    m0 = ls.hour * 60 + ls.minute
    for a, b in spans[1][d0.isoweekday()]:
        if a <= m0 and m1 <= b:
            return True
    return False


def free_of(excs, s: int, e: int) -> bool:
    return all(e <= x.abs_start or s >= x.abs_end for x in excs)


@dataclass
class Slot:
    """A physical place in time: room and absolute start (end = start + duration)."""
    room: str
    start: int
    end: int


@dataclass
class Unit:
    """One demand, or one ISO week of a weekly demand."""
    idx: int
    demand: object
    week: tuple | None
    first: dt.date
    last: dt.date
    asked: int
    lo: int = 0  # absolute minute bounds of the unit's dates
    hi: int = 0
    slots: list = field(default_factory=list)  # (room, start) candidates for new sessions


class Feasibility:
    def __init__(self, prob: Problem):
        self.p = prob
        self.clock = prob.clock
        self.h0, self.h1 = horizon_abs(prob)
        self.now = prob.now_abs
        self.hist = [pn for pn in prob.pinned if pn.history]
        self.hist_room = {}
        self.hist_person = {}
        for pn in self.hist:
            loc = prob.rooms[pn.room].location
            self.hist_room.setdefault(pn.room, []).append((pn.abs_start, pn.abs_end))
            for ids in pn.staff.values():
                for pid in ids:
                    self.hist_person.setdefault(pid, []).append((pn.abs_start, pn.abs_end, loc))
        self._starts = None
        self._room_ok = {}
        self._person_time = {}
        self._elig = {}
        self._staffable = {}
        self._local = {}
        self._clean_end = {}
        self._fillers = {}
        for th in prob.themes.values():
            for role in th.staff:
                self._fillers[(th.id, role)] = [pp for pp in prob.people.values() if pp.can_fill(role, th.id)]

    def local(self, minute: int) -> dt.datetime:
        r = self._local.get(minute)
        if r is None:
            r = self._local[minute] = self.clock.to_local(minute)
        return r

    # --- time grid -------------------------------------------------------
    def grid_starts(self):
        """All clean grid starts in the horizon at or after now: list of (abs, local)."""
        if self._starts is None:
            out = []
            c = self.clock
            d = self.p.horizon[0]
            while d <= self.p.horizon[1]:
                base = dt.datetime.combine(d, dt.time())
                for k in range(0, 1440, self.p.grid):
                    ls = base + dt.timedelta(minutes=k)
                    if not c.is_clean(ls):
                        continue
                    s = c.to_abs(ls)
                    if self.now is not None and s < self.now:
                        continue
                    out.append((s, ls))
                d += DAY
            self._starts = out
        return self._starts

    def new_end_ok(self, s: int, dur: int):
        """Local end of a new/moved session if clean and inside the horizon, else None."""
        e = s + dur
        if e > self.h1:
            return None
        le = self.local(e)
        ok = self._clean_end.get(e)
        if ok is None:
            ok = self._clean_end[e] = self.clock.is_clean(le)
        return le if ok else None

    # --- rooms -----------------------------------------------------------
    def room_fits_theme(self, room, theme) -> bool:
        return theme.needs <= room.features and room.capacity >= theme.seats

    def room_time_ok(self, room, s: int, e: int, ls=None, le=None) -> bool:
        ls = ls or self.local(s)
        le = le or self.local(e)
        if not covered_fast(room.open, ls, le) or not free_of(room.closed, s, e):
            return False
        return all(e <= a or s >= b for a, b in self.hist_room.get(room.id, ()))

    def _days(self):
        """date -> (regular, {minute of day: abs start}); a regular day has 1440 minutes and no DST change."""
        if getattr(self, "_day_map", None) is None:
            days = {}
            for s, ls in self.grid_starts():
                days.setdefault(ls.date(), {})[ls.hour * 60 + ls.minute] = s
            c = self.clock
            self._day_map = {}
            for d, mins in days.items():
                a = c.to_abs(dt.datetime.combine(d, dt.time()))
                b = c.to_abs(dt.datetime.combine(d + DAY, dt.time()))
                self._day_map[d] = (b - a == 1440, mins)
        return self._day_map

    def room_starts(self, room_id: str, dur: int):
        """Valid new starts for a session of `dur` minutes in a room (sorted)."""
        key = (room_id, dur)
        if key in self._room_ok:
            return self._room_ok[key]
        room = self.p.rooms[room_id]
        out = []
        g = self.p.grid
        busy = list(room.closed) and [(x.abs_start, x.abs_end) for x in room.closed]
        busy = list(busy or []) + list(self.hist_room.get(room.id, ()))
        for d, (regular, mins) in sorted(self._days().items()):
            if not regular or dur > 1440:
                for m, s in sorted(mins.items()):
                    le = self.new_end_ok(s, dur)
                    if le is not None and self.room_time_ok(room, s, s + dur, self.local(s), le):
                        out.append(s)
                continue
            if room.open is None:
                spans = [(0, 1440)]
            else:
                wd = d.isoweekday()
                raw = sorted((w.start, w.end) for w in room.open if wd in w.weekdays)
                spans = []
                for a, b in raw:
                    if spans and a <= spans[-1][1]:
                        spans[-1] = (spans[-1][0], max(spans[-1][1], b))
                    else:
                        spans.append((a, b))
            for a, b in spans:
                hi = min(b, 1440) - dur
                m = -(-a // g) * g
                while m <= hi:
                    s = mins.get(m)
                    if s is not None and s + dur <= self.h1 and all(s + dur <= x or s >= y for x, y in busy):
                        out.append(s)
                    m += g
            # sessions running past midnight (into a window of the next day) take the exact path
            if room.open is not None and not any(b >= 1440 for _, b in spans):
                continue
            for m, s in mins.items():
                if m + dur > 1440:
                    le = self.new_end_ok(s, dur)
                    if le is not None and self.room_time_ok(room, s, s + dur, self.local(s), le):
                        out.append(s)
        out = sorted(set(out))
        self._room_ok[key] = out
        return out

    # --- people ----------------------------------------------------------
    def person_time_ok(self, person, s: int, e: int) -> bool:
        key = (person.id, s, e)
        r = self._person_time.get(key)
        if r is None:
            r = covered_fast(person.available, self.local(s), self.local(e)) and free_of(person.unavailable, s, e)
            self._person_time[key] = r
        return r

    def person_hist_ok(self, pid: str, loc: str, s: int, e: int) -> bool:
        for a, b, hl in self.hist_person.get(pid, ()):
            t = self.p.travel(loc, hl)
            if e + t > a and b + t > s:
                return False
        return True

    def speaks_needed(self, theme, role: str) -> bool:
        return role == "trainer" or not theme.has_trainer

    def eligible(self, theme_id: str, lang, loc: str, s: int):
        """role -> list of person ids who may fill it in such a session (cached)."""
        key = (theme_id, lang, loc, s)
        r = self._elig.get(key)
        if r is not None:
            return r
        theme = self.p.themes[theme_id]
        e = s + theme.duration
        budget = self.p.budget
        r = {}
        for role in theme.staff:
            need_lang = lang is not None and self.speaks_needed(theme, role)
            ids = []
            for person in self._fillers[(theme_id, role)]:
                if person.locations is not None and loc not in person.locations:
                    continue
                if need_lang and lang not in person.languages:
                    continue
                if person.max_sessions == 0 or (budget is not None and person.cost > budget):
                    continue
                if not self.person_time_ok(person, s, e) or not self.person_hist_ok(person.id, loc, s, e):
                    continue
                ids.append(person.id)
            r[role] = ids
        self._elig[key] = r
        return r

    def staffable(self, theme_id: str, lang, loc: str, s: int) -> bool:
        key = (theme_id, lang, loc, s)
        r = self._staffable.get(key)
        if r is None:
            r = self._staffable[key] = self._staffable_uncached(theme_id, lang, loc, s)
        return r

    def _staffable_uncached(self, theme_id: str, lang, loc: str, s: int) -> bool:
        theme = self.p.themes[theme_id]
        el = self.eligible(theme_id, lang, loc, s)
        union = set()
        for role, n in theme.staff.items():
            if len(el[role]) < n:
                return False
            union.update(el[role])
        return len(union) >= sum(theme.staff.values())

    # --- demand ----------------------------------------------------------
    def units(self):
        out = []
        c = self.clock
        for d in self.p.demands:
            for week, first, last, asked in self.p.demand_units(d):
                u = Unit(len(out), d, week, first, last, asked)
                u.lo = c.to_abs(dt.datetime.combine(first, dt.time()))
                u.hi = c.to_abs(dt.datetime.combine(last + DAY, dt.time()))
                out.append(u)
        return out

    def in_unit(self, u: Unit, loc: str, s: int, e: int) -> bool:
        """Place and time rule of a unit (theme and language are checked by the caller)."""
        if not self.p.location_fits(u.demand, loc):
            return False
        ls = self.local(s)
        le = self.local(e)
        return (dt.datetime.combine(u.first, dt.time()) <= ls
                and le <= dt.datetime.combine(u.last + DAY, dt.time()))

    def unit_raw_slots(self, u: Unit):
        """(room, start) pairs fitting a unit's room, time and place rules (staff not yet checked)."""
        d = u.demand
        if u.asked <= 0:
            return []
        memo = self.__dict__.setdefault("_raw_memo", {})
        key = (d.id, u.week)
        if key in memo:
            return list(memo[key])
        theme = self.p.themes[d.theme]
        out = []
        for room in self.p.rooms.values():
            if not self.room_fits_theme(room, theme) or not self.p.location_fits(d, room.location):
                continue
            starts = self.room_starts(room.id, theme.duration)
            i = bisect.bisect_left(starts, u.lo)
            j = bisect.bisect_right(starts, u.hi - theme.duration)
            # the abs bounds of the unit's dates are its local-date bounds
            out.extend((room.id, s) for s in starts[i:j])
        memo[key] = out
        return list(out)

    def unit_slots(self, u: Unit, day_filter=None, cap=None):
        """Feasible (room, start) pairs for a new session of unit u.

        With `cap`, at most that many, sampled deterministically over the unit's days and
        rooms (u.truncated tells whether feasible pairs were left out).
        """
        d = u.demand
        raw = self.unit_raw_slots(u)
        if day_filter is not None:
            raw = [rs for rs in raw if day_filter(rs[1])]
        u.truncated = False
        if cap is not None and len(raw) > cap:
            random.Random(f"{d.id}-{u.week}").shuffle(raw)
        out = []
        for k, (room, s) in enumerate(raw):
            if cap is not None and len(out) >= cap:
                u.truncated = True
                break
            if self.staffable(d.theme, d.language, self.p.rooms[room].location, s):
                out.append((room, s))
        out.sort(key=lambda rs: (rs[1], rs[0]))
        return out

    def move_positions(self, pn, limit: int):
        """Up to `limit` valid new (room, start) places for a pinned session, nearest in time first,
        where its theme's staff (in its language) could be found; `truncated` says if more exist."""
        memo = self.__dict__.setdefault("_moves_memo", {})
        if (pn.id, limit) in memo:
            out, self.moves_truncated = memo[(pn.id, limit)]
            return list(out)
        out = self._move_positions(pn, limit)
        memo[(pn.id, limit)] = (out, self.moves_truncated)
        return list(out)

    def _move_positions(self, pn, limit: int):
        theme = self.p.themes[pn.theme]
        loc_of = {r.id: r.location for r in self.p.rooms.values()}
        out = []
        self.moves_truncated = False
        # places that still serve a demand unit the session serves where it is now come first
        units = getattr(self, "_units_cache", None)
        if units is None:
            units = self._units_cache = self.units()
        home = [u for u in units if self.pinned_fits_unit(pn, u, pn.language, loc_of[pn.room], pn.abs_start)]

        dur = theme.duration
        home_fast = [({lid for lid in self.p.locations if self.p.location_fits(u.demand, lid)}, u.lo, u.hi)
                     for u in home]

        def serves(r, s):
            loc = loc_of[r]
            return any(loc in locs and lo <= s and s + dur <= hi for locs, lo, hi in home_fast)
        for days in (2, 7, None):
            cands = []
            for r in self.p.rooms.values():
                if not self.room_fits_theme(r, theme):
                    continue
                starts = self.room_starts(r.id, theme.duration)
                if days is not None:
                    i = bisect.bisect_left(starts, pn.abs_start - days * 1440)
                    j = bisect.bisect_right(starts, pn.abs_start + days * 1440)
                    starts = starts[i:j]
                cands += [(0 if home and serves(r.id, s) else 1, abs(s - pn.abs_start), r.id, s) for s in starts
                          if not (r.id == pn.room and s == pn.abs_start)]
            cands.sort()
            out = []
            for _, _, r, s in cands:
                if len(out) >= limit:
                    self.moves_truncated = True
                    break
                if self.staffable(pn.theme, pn.language, loc_of[r], s):
                    out.append((r, s))
            if len(out) >= limit:
                break
        return out

    def pinned_fits_unit(self, pn, u: Unit, lang, loc: str, s: int) -> bool:
        d = u.demand
        if u.asked <= 0 or d.theme != pn.theme:
            return False
        if d.language is not None and d.language != lang:
            return False
        return self.in_unit(u, loc, s, s + self.p.themes[pn.theme].duration)
