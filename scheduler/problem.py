"""The planning problem (format version 1) as typed data, with full validation.

`load_problem(data)` returns either a `Problem` or raises `ProblemError`
carrying every error found, each with its JSON path ("$.rooms[2].location").
Nothing here imports flask or booking: plain data in, plain data out.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = dt.timezone.utc
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)

# The eight objective terms and their default weights (docs/planning-format.md, revised
# 2026-12-01: `restaffed` and `relocated` price a booked pinned session's lost published
# staff and its move to another location).
DEFAULT_WEIGHTS = {"unmet": 1000, "moved_booked": 500, "cancelled_booked": 5000,
                   "cost": 1, "balance": 10, "same_slot": 50,
                   "restaffed": 300, "relocated": 2000}
PENALTY_KEYS = tuple(DEFAULT_WEIGHTS)


class ProblemError(Exception):
    """The problem breaks the format; `errors` is a list of (json_path, message)."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{p}: {m}" for p, m in errors))
        self.errors = list(errors)


# ---------------------------------------------------------------- time helpers

class Clock:
    """Local wall-clock <-> absolute minutes (since 1970 UTC) in one IANA zone."""

    def __init__(self, tz: ZoneInfo):
        self.tz = tz

    def to_abs(self, local: dt.datetime) -> int:
        """Absolute minute of a naive local time; the repeated hour reads as its first occurrence."""
        aware = local.replace(tzinfo=self.tz, fold=0)
        return int((aware - EPOCH).total_seconds() // 60)

    def to_local(self, minute: int) -> dt.datetime:
        """Naive local wall-clock time of an absolute minute."""
        return (EPOCH + dt.timedelta(minutes=minute)).astimezone(self.tz).replace(tzinfo=None)

    def to_aware(self, minute: int) -> dt.datetime:
        return (EPOCH + dt.timedelta(minutes=minute)).astimezone(self.tz)

    def iso(self, minute: int) -> str:
        return self.to_aware(minute).isoformat(timespec="seconds")

    def is_clean(self, local: dt.datetime) -> bool:
        """True when a local time exists and occurs only once."""
        a0 = local.replace(tzinfo=self.tz, fold=0)
        a1 = local.replace(tzinfo=self.tz, fold=1)
        if a0.utcoffset() != a1.utcoffset():
            return False  # ambiguous (repeated) or nonexistent (gap)
        back = a0.astimezone(UTC).astimezone(self.tz).replace(tzinfo=None)
        return back == local


# ---------------------------------------------------------------- data classes

@dataclass(frozen=True)
class WeeklyWindow:
    weekdays: frozenset
    start: int  # minutes after local midnight
    end: int    # may be 1440


@dataclass(frozen=True)
class Exception_:
    start: dt.datetime
    end: dt.datetime
    abs_start: int
    abs_end: int


@dataclass
class Location:
    id: str
    name: str
    area: str | None
    travel: dict


@dataclass
class Room:
    id: str
    location: str
    capacity: int
    features: frozenset
    open: list | None
    closed: list


@dataclass
class Theme:
    id: str
    title: str
    duration: int
    needs: frozenset
    seats: int
    staff: dict  # role -> count (> 0 only)

    @property
    def has_trainer(self) -> bool:
        return self.staff.get("trainer", 0) > 0


@dataclass
class Person:
    id: str
    name: str
    roles: frozenset
    themes: frozenset | None
    languages: frozenset
    cost: int
    max_sessions: int | None
    locations: frozenset | None
    available: list | None
    unavailable: list

    def can_fill(self, role: str, theme: str) -> bool:
        return role in self.roles and (self.themes is None or theme in self.themes)


@dataclass
class Demand:
    id: str
    theme: str
    sessions: int
    window: tuple  # (date, date), defaults to the horizon
    locations: frozenset | None
    areas: frozenset | None
    language: str | None
    priority: int
    per_week: bool
    same_slot: bool


@dataclass
class Pinned:
    id: str
    theme: str
    room: str
    start: dt.datetime
    staff: dict
    language: str | None
    booked: int
    abs_start: int = 0
    abs_end: int = 0
    history: bool = False


@dataclass
class Problem:
    name: str
    timezone: str
    clock: Clock
    horizon: tuple
    now: dt.datetime | None
    grid: int
    budget: int | None
    locations: dict
    rooms: dict
    themes: dict
    people: dict
    demands: list
    pinned: list
    weights: dict
    raw: dict = field(default_factory=dict, repr=False)

    @property
    def now_abs(self) -> int | None:
        return None if self.now is None else self.clock.to_abs(self.now)

    def travel(self, a: str, b: str) -> int:
        if a == b:
            return 0
        return max(self.locations[a].travel.get(b, 0), self.locations[b].travel.get(a, 0))

    def location_fits(self, d: Demand, loc: str) -> bool:
        if d.locations is None and d.areas is None:
            return True
        if d.locations is not None and loc in d.locations:
            return True
        return d.areas is not None and self.locations[loc].area in d.areas

    def demand_units(self, d: Demand):
        """The (key, first_date, last_date, asked) units of a demand: one, or one per ISO week.

        The dates are the part of the window inside the horizon; a unit asks for nothing
        when it ends before the date of `now`.
        """
        lo = max(d.window[0], self.horizon[0])
        hi = min(d.window[1], self.horizon[1])
        now_date = self.now.date() if self.now else None
        units = []
        if not d.per_week:
            asked = d.sessions
            if lo > hi or (now_date and d.window[1] < now_date):
                asked = 0
            units.append((None, lo, hi, asked))
            return units
        day = lo
        while day <= hi:
            y, w, wd = day.isocalendar()
            end = min(hi, day + dt.timedelta(days=7 - wd))
            asked = 0 if (now_date and end < now_date) else d.sessions
            units.append(((y, w), day, end, asked))
            day = end + dt.timedelta(days=1)
        return units


# ---------------------------------------------------------------- validation

_TIME_RE = re.compile(r"^(\d{2}):(\d{2})$")


class _V:
    def __init__(self):
        self.errors = []

    def err(self, path, msg):
        self.errors.append((path, msg))

    def obj(self, v, path):
        if not isinstance(v, dict):
            self.err(path, "must be an object")
            return None
        return v

    def lst(self, v, path, required=True):
        if v is None and not required:
            return None
        if not isinstance(v, list):
            self.err(path, "must be a list")
            return None
        return v

    def string(self, v, path, required=True):
        if v is None and not required:
            return None
        if not isinstance(v, str) or (required and v == ""):
            self.err(path, "must be a non-empty string")
            return None
        return v

    def integer(self, v, path, lo=None, hi=None, required=True, default=None):
        if v is None:
            if required:
                self.err(path, "is required (an integer)")
            return default
        if isinstance(v, bool) or not isinstance(v, int):
            if isinstance(v, float) and v.is_integer():
                v = int(v)
            else:
                self.err(path, "must be an integer")
                return default
        if lo is not None and v < lo:
            self.err(path, f"must be at least {lo}")
            return default
        if hi is not None and v > hi:
            self.err(path, f"must be at most {hi}")
            return default
        return v

    def date(self, v, path):
        try:
            if not isinstance(v, str):
                raise ValueError
            return dt.date.fromisoformat(v)
        except ValueError:
            self.err(path, f"must be a date YYYY-MM-DD, not {v!r}")
            return None

    def datetime(self, v, path):
        try:
            if not isinstance(v, str) or len(v) < 16 or "T" not in v:
                raise ValueError
            d = dt.datetime.fromisoformat(v)
            if d.tzinfo is not None:
                self.err(path, f"must be local time without offset, not {v!r}")
                return None
            return d
        except ValueError:
            self.err(path, f"must be a local date-time YYYY-MM-DDTHH:MM, not {v!r}")
            return None

    def hhmm(self, v, path):
        m = _TIME_RE.match(v) if isinstance(v, str) else None
        if not m or int(m.group(2)) > 59 or int(m.group(1)) * 60 + int(m.group(2)) > 1440:
            self.err(path, f"must be a time HH:MM, not {v!r}")
            return None
        return int(m.group(1)) * 60 + int(m.group(2))

    def str_list(self, v, path, required=False):
        if v is None:
            if required:
                self.err(path, "is required (a list of strings)")
            return None
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            self.err(path, "must be a list of strings")
            return None
        return v

    def weekly(self, v, path):
        if v is None:
            return None
        if not isinstance(v, list):
            self.err(path, "must be a list")
            return None
        out = []
        for i, w in enumerate(v):
            p = f"{path}[{i}]"
            if not self.obj(w, p):
                continue
            days = w.get("weekdays")
            if not isinstance(days, list) or not all(
                    isinstance(x, int) and not isinstance(x, bool) and 1 <= x <= 7 for x in days):
                self.err(f"{p}.weekdays", "must be a list of ISO weekdays 1-7")
                continue
            s = self.hhmm(w.get("start"), f"{p}.start")
            e = self.hhmm(w.get("end"), f"{p}.end")
            if s is None or e is None:
                continue
            if e <= s:
                self.err(f"{p}.end", "must be after start")
                continue
            out.append(WeeklyWindow(frozenset(days), s, e))
        return out

    def exceptions(self, v, path, clock):
        if v is None:
            return []
        if not isinstance(v, list):
            self.err(path, "must be a list")
            return []
        out = []
        for i, w in enumerate(v):
            p = f"{path}[{i}]"
            if not self.obj(w, p):
                continue
            s = self.datetime(w.get("start"), f"{p}.start")
            e = self.datetime(w.get("end"), f"{p}.end")
            if s is None or e is None:
                continue
            if e <= s:
                self.err(f"{p}.end", "must be after start")
                continue
            if clock is not None:
                out.append(Exception_(s, e, clock.to_abs(s), clock.to_abs(e)))
        return out

    def unique_ids(self, items, path):
        seen = {}
        for i, it in enumerate(items):
            if isinstance(it, dict):
                ident = it.get("id")
                if not isinstance(ident, str) or not ident:
                    self.err(f"{path}[{i}].id", "must be a non-empty string")
                elif ident in seen:
                    self.err(f"{path}[{i}].id", f"duplicate id {ident!r} (also {path}[{seen[ident]}])")
                else:
                    seen[ident] = i


def load_problem(data) -> Problem:
    """Validate and type a problem; raise ProblemError listing every error with its path."""
    v = _V()
    if not isinstance(data, dict):
        raise ProblemError([("$", "the problem must be a JSON object")])
    if data.get("version") != 1:
        v.err("$.version", f"must be 1, not {data.get('version')!r}")
    name = data.get("name") if isinstance(data.get("name"), str) else ""
    clock = None
    tzname = data.get("timezone")
    if not isinstance(tzname, str) or not tzname:
        v.err("$.timezone", "is required (an IANA time zone name)")
    else:
        try:
            clock = Clock(ZoneInfo(tzname))
        except (ZoneInfoNotFoundError, ValueError, OSError):
            v.err("$.timezone", f"unknown time zone {tzname!r}")
    horizon = None
    h = v.obj(data.get("horizon"), "$.horizon")
    if h is not None:
        hs, he = v.date(h.get("start"), "$.horizon.start"), v.date(h.get("end"), "$.horizon.end")
        if hs and he:
            if he < hs:
                v.err("$.horizon.end", "must not be before start")
            else:
                horizon = (hs, he)
    now = None
    if data.get("now") is not None:
        now = v.datetime(data.get("now"), "$.now")
    grid = v.integer(data.get("grid_minutes"), "$.grid_minutes", lo=1, hi=1440, required=False,
                     default=30)
    budget = v.integer(data.get("budget"), "$.budget", lo=0, required=False)
    weights = dict(DEFAULT_WEIGHTS)
    w = data.get("weights")
    if w is not None and v.obj(w, "$.weights") is not None:
        for k, val in w.items():
            if k not in DEFAULT_WEIGHTS:
                v.err(f"$.weights.{k}", "unknown weight")
                continue
            val = v.integer(val, f"$.weights.{k}", lo=0)
            if val is not None:
                weights[k] = val

    lists = {}
    for key in ("locations", "rooms", "themes", "people", "demand", "pinned"):
        raw = data.get(key, [] if key == "pinned" else None)
        lst = v.lst(raw, f"$.{key}")
        lists[key] = lst or []
        if lst:
            for i, it in enumerate(lst):
                v.obj(it, f"$.{key}[{i}]")
            v.unique_ids(lst, f"$.{key}")

    def items(key):
        for i, it in enumerate(lists[key]):
            if isinstance(it, dict) and isinstance(it.get("id"), str) and it.get("id"):
                yield i, f"$.{key}[{i}]", it

    loc_ids = {it["id"] for _, _, it in items("locations")}
    locations = {}
    for i, p, it in items("locations"):
        tm = it.get("travel_minutes", {})
        travel = {}
        if not isinstance(tm, dict):
            v.err(f"{p}.travel_minutes", "must be an object")
        else:
            for k, val in tm.items():
                if k not in loc_ids:
                    v.err(f"{p}.travel_minutes.{k}", f"unknown location {k!r}")
                    continue
                val = v.integer(val, f"{p}.travel_minutes.{k}", lo=0)
                if val is not None:
                    travel[k] = val
        area = it.get("area")
        if area is not None and not isinstance(area, str):
            v.err(f"{p}.area", "must be a string")
            area = None
        locations[it["id"]] = Location(it["id"], str(it.get("name", it["id"])), area, travel)

    rooms = {}
    for i, p, it in items("rooms"):
        loc = it.get("location")
        if loc not in loc_ids:
            v.err(f"{p}.location", f"unknown location {loc!r}")
        cap = v.integer(it.get("capacity"), f"{p}.capacity", lo=0)
        feats = v.str_list(it.get("features", []), f"{p}.features") or []
        opn = v.weekly(it.get("open"), f"{p}.open")
        closed = v.exceptions(it.get("closed"), f"{p}.closed", clock)
        rooms[it["id"]] = Room(it["id"], loc, cap or 0, frozenset(feats), opn, closed)

    themes = {}
    for i, p, it in items("themes"):
        dur = v.integer(it.get("duration_minutes"), f"{p}.duration_minutes", lo=1, hi=24 * 60)
        needs = v.str_list(it.get("needs", []), f"{p}.needs") or []
        seats = v.integer(it.get("seats"), f"{p}.seats", lo=0, required=False, default=0)
        staff = {}
        st = it.get("staff", {})
        if not isinstance(st, dict):
            v.err(f"{p}.staff", "must be an object role -> count")
        else:
            for role, n in st.items():
                n = v.integer(n, f"{p}.staff.{role}", lo=0)
                if n:
                    staff[role] = n
        themes[it["id"]] = Theme(it["id"], str(it.get("title", it["id"])), dur or 60,
                                 frozenset(needs), seats or 0, staff)

    people = {}
    for i, p, it in items("people"):
        roles = v.str_list(it.get("roles"), f"{p}.roles", required=True) or []
        th = v.str_list(it.get("themes"), f"{p}.themes")
        if th is not None:
            for j, t in enumerate(th):
                if t not in themes:
                    v.err(f"{p}.themes[{j}]", f"unknown theme {t!r}")
        langs = v.str_list(it.get("languages", []), f"{p}.languages") or []
        cost = v.integer(it.get("cost_per_session"), f"{p}.cost_per_session", lo=0, required=False,
                         default=0)
        mx = v.integer(it.get("max_sessions"), f"{p}.max_sessions", lo=0, required=False)
        locs = v.str_list(it.get("locations"), f"{p}.locations")
        if locs is not None:
            for j, loc in enumerate(locs):
                if loc not in loc_ids:
                    v.err(f"{p}.locations[{j}]", f"unknown location {loc!r}")
        avail = v.weekly(it.get("available"), f"{p}.available")
        unav = v.exceptions(it.get("unavailable"), f"{p}.unavailable", clock)
        people[it["id"]] = Person(it["id"], str(it.get("name", it["id"])), frozenset(roles),
                                  None if th is None else frozenset(th), frozenset(langs), cost or 0,
                                  mx, None if locs is None else frozenset(locs), avail, unav)

    demands = []
    for i, p, it in items("demand"):
        th = it.get("theme")
        if th not in themes:
            v.err(f"{p}.theme", f"unknown theme {th!r}")
        n = v.integer(it.get("sessions"), f"{p}.sessions", lo=0)
        window = horizon
        if it.get("window") is not None:
            wo = v.obj(it.get("window"), f"{p}.window")
            if wo is not None:
                ws, we = v.date(wo.get("start"), f"{p}.window.start"), v.date(wo.get("end"), f"{p}.window.end")
                if ws and we:
                    if we < ws:
                        v.err(f"{p}.window.end", "must not be before start")
                    window = (ws, we)
        locs = v.str_list(it.get("locations"), f"{p}.locations")
        if locs is not None:
            for j, loc in enumerate(locs):
                if loc not in loc_ids:
                    v.err(f"{p}.locations[{j}]", f"unknown location {loc!r}")
        areas = v.str_list(it.get("areas"), f"{p}.areas")
        lang = it.get("language")
        if lang is not None and not isinstance(lang, str):
            v.err(f"{p}.language", "must be a language code or null")
            lang = None
        prio = v.integer(it.get("priority"), f"{p}.priority", lo=1, hi=5, required=False, default=3)
        per = it.get("per")
        if per not in (None, "week"):
            v.err(f"{p}.per", f"must be \"week\" or absent, not {per!r}")
        ss = it.get("same_slot_each_week", False)
        if not isinstance(ss, bool):
            v.err(f"{p}.same_slot_each_week", "must be true or false")
            ss = False
        demands.append(Demand(it["id"], th, n or 0, window, None if locs is None else frozenset(locs),
                              None if areas is None else frozenset(areas), lang, prio or 3,
                              per == "week", ss))

    pinned = []
    for i, p, it in items("pinned"):
        th = it.get("theme")
        if th not in themes:
            v.err(f"{p}.theme", f"unknown theme {th!r}")
        rm = it.get("room")
        if rm not in rooms:
            v.err(f"{p}.room", f"unknown room {rm!r}")
        start = v.datetime(it.get("start"), f"{p}.start")
        staff = {}
        st = it.get("staff", {})
        if not isinstance(st, dict):
            v.err(f"{p}.staff", "must be an object role -> list of people")
        else:
            for role, ids in st.items():
                ids = v.str_list(ids, f"{p}.staff.{role}", required=True) or []
                for j, pid in enumerate(ids):
                    if pid not in people:
                        v.err(f"{p}.staff.{role}[{j}]", f"unknown person {pid!r}")
                staff[role] = list(ids)
        lang = it.get("language")
        if lang is not None and not isinstance(lang, str):
            v.err(f"{p}.language", "must be a language code or null")
            lang = None
        booked = v.integer(it.get("booked"), f"{p}.booked", lo=0, required=False, default=0)
        pinned.append(Pinned(it["id"], th, rm, start, staff, lang, booked or 0))

    if v.errors:
        raise ProblemError(v.errors)

    prob = Problem(name, tzname, clock, horizon, now, grid, budget, locations, rooms, themes, people,
                   demands, pinned, weights, raw=data)
    h0 = clock.to_abs(dt.datetime.combine(horizon[0], dt.time()))
    h1 = clock.to_abs(dt.datetime.combine(horizon[1] + dt.timedelta(days=1), dt.time()))
    now_abs = prob.now_abs
    for pn in pinned:
        pn.abs_start = clock.to_abs(pn.start)
        pn.abs_end = pn.abs_start + themes[pn.theme].duration
        pn.history = (now_abs is not None and pn.abs_start < now_abs) or pn.abs_start < h0 or pn.abs_end > h1
    return prob


def horizon_abs(prob: Problem) -> tuple:
    c = prob.clock
    return (c.to_abs(dt.datetime.combine(prob.horizon[0], dt.time())),
            c.to_abs(dt.datetime.combine(prob.horizon[1] + dt.timedelta(days=1), dt.time())))
