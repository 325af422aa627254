"""The CP-SAT model of a planning problem.

Sessions are *options*: a literal per feasible (demand unit, room, start) for new
sessions, per (position, unit or none) for booked pinned sessions and per unit
for an unbooked pinned session kept in place. Staff are assigned per *group*
(theme, language, location, start): every session of a group can take any
person eligible for the group, so a person variable exists only for
person x role x group where skills, location, availability and language fit.
Each soft penalty is a named linear expression (`self.penalty[name]`).
"""
from __future__ import annotations

import bisect
from ortools.sat.python import cp_model

from .feasible import Feasibility
from .options import Option, move_limit
from .problem import PENALTY_KEYS, Problem


def _cliques(items):
    """items: (start, end, lit). Yield the lit lists active at each start point (size > 1)."""
    items = sorted(items, key=lambda t: (t[0], t[1]))
    starts = sorted({t[0] for t in items})
    active = []
    j = 0
    prev = None
    for t in starts:
        while j < len(items) and items[j][0] <= t:
            active.append(items[j])
            j += 1
        active = [a for a in active if a[1] > t]
        if len(active) > 1:
            lits = [a[2] for a in active]
            if prev is None or not set(map(id, lits)) <= prev:
                yield lits
            prev = set(map(id, lits))
        else:
            prev = None


def conflict_cliques(items, travel):
    """A clique cover of one person's conflicts: items (start, end, lit, location).

    Two items conflict when they overlap in time, or lie at different locations with
    less than `travel(a, b)` minutes between them. Each edge of that conflict graph lies
    in at least one returned clique (an at-most-one), so the cliques forbid exactly the
    conflicting pairs; a clique row is tighter in the LP than its pairwise clauses
    (three mutually conflicting items: sum <= 1 rather than 1.5). Built greedily: the
    overlap cliques at each start time, widened by every item that conflicts with all of
    them, then a clique grown from each edge still uncovered.
    """
    items = sorted(items, key=lambda t: (t[0], t[1]))
    n = len(items)
    adj = [set() for _ in range(n)]
    maxt = 0
    locs = {t[3] for t in items}
    for a in locs:
        for b in locs:
            maxt = max(maxt, travel(a, b))
    for i in range(n):
        s, e, _, loc = items[i]
        for j in range(i + 1, n):
            s2, _, _, loc2 = items[j]
            if s2 >= e + maxt:
                break
            if s2 < e or (loc2 != loc and s2 < e + travel(loc, loc2)):
                adj[i].add(j)
                adj[j].add(i)
    covered = set()
    out = []

    def grow(members, pool):
        pool = set(pool)
        for m in members:
            pool &= adj[m]
        for k in sorted(pool, key=lambda k: (items[k][0], k)):
            if k in pool:
                members.append(k)
                pool &= adj[k]
        if len(members) > 1:
            out.append(members)
            for x in members:
                for y in members:
                    if x < y:
                        covered.add((x, y))

    # overlap cliques at each start time (the items running at that moment)
    active = []
    last = None
    for i in range(n):
        s = items[i][0]
        active = [a for a in active if items[a][1] > s] + [i]
        if i + 1 < n and items[i + 1][0] == s:
            continue
        key = frozenset(active)
        if len(active) > 1 and (last is None or not key <= last):
            grow(list(active), adj[active[0]])
        last = key
    for i in range(n):
        for j in sorted(adj[i]):
            if i < j and (i, j) not in covered:
                grow([i, j], adj[i])
    return [[items[k][2] for k in c] for c in out]


class PlannerModel:
    def __init__(self, prob: Problem, feas: Feasibility | None = None, *, max_slots_per_unit=None,
                 max_moves=60, slot_filter=None, auto_options=15000, restrict_above=60000,
                 extra_slots=None, units=None, frozen=(), pinned_ids=None, weights=None):
        self.p = prob
        self.f = feas or Feasibility(prob)
        self.m = cp_model.CpModel()
        self.max_slots = max_slots_per_unit
        self.max_moves = max_moves
        self.slot_filter = slot_filter
        self.auto_options = auto_options
        self.restrict_above = restrict_above  # raw (room, start) pairs beyond which slots are sampled
        self.extra_slots = extra_slots or {}
        self.units = units
        self.pinned_ids = None if pinned_ids is None else set(pinned_ids)  # a part: only these pinned
        self.w = dict(weights or prob.weights)  # the weights the model prices (a relaxed part drops some)
        self.frozen = set(frozen)  # booked pinned ids kept exactly as published (the repair rule)
        self.inplace = {}          # booked pinned id -> its in-place option literals
        self.lost_expr = {}        # booked pinned id -> published people not on it (expression)
        self.intervals = False  # NoOverlap on fixed optional intervals instead of clique at-most-ones
        self.clique_cover = True  # one clique cover of overlap and travel conflicts per person
        self.restricted = False  # True when candidates were cut: the bound is then not proven
        self.options = []
        self.by_pinned = {}
        self.groups = {}
        self.staff = {}    # (pid, group, role) -> lit
        self.z = {}        # (pid, group) -> lit (person works the group)
        self.penalty = {}
        self.const = {k: 0 for k in PENALTY_KEYS}
        self.cancelled = {}  # pinned id -> literal "this booked session is cancelled"
        self.missing = {}    # unit idx -> int var "sessions this unit still lacks"
        self.stays = {}      # (option id, pid, role) -> literal "published pid stays on this option in role"

    # ------------------------------------------------------------------
    def build(self):
        if self.units is None:
            self.units = self.f.units()
        self._add_new_sessions()
        self._add_pinned()
        self._add_room_constraints()
        self._add_staff_constraints()
        self._add_person_time_and_travel()
        self._add_max_sessions()
        self._add_budget()
        self._add_demand()
        self._add_objective()
        return self

    def _opt(self, name, **kw):
        o = Option(lit=self.m.NewBoolVar(name), **kw)
        self.options.append(o)
        self.groups.setdefault(o.group, []).append(o)
        return o

    def _add_new_sessions(self):
        cap = self.max_slots
        if cap == "auto":
            # large problems: sample candidate slots so that the model stays near `auto_options`
            raw = {u.idx: len(self.f.unit_raw_slots(u)) for u in self.units}
            total = sum(raw.values())
            cap = None
            if total > self.restrict_above:
                asking = sum(1 for u in self.units if raw[u.idx])
                cap = max(12, self.auto_options // max(1, asking))
        for u in self.units:
            slots = self.f.unit_slots(u, self.slot_filter, cap=cap)
            if self.slot_filter is not None or u.truncated:
                self.restricted = True
            extra = [rs for rs in self.extra_slots.get(u.idx, ()) if rs not in set(slots)]
            slots = slots + extra
            u.slots = slots
            d = u.demand
            dur = self.p.themes[d.theme].duration
            for room, s in slots:
                self._opt(f"x_{u.idx}_{room}_{s}", kind="new", unit=u, theme=d.theme, room=room,
                          loc=self.p.rooms[room].location, start=s, end=s + dur, lang=d.language)

    def _add_pinned(self):
        """Booked: keep or move (serving a fitting unit or none), else cancelled. Unbooked: keep in place serving a unit, else dropped."""
        for pn in self.p.pinned:
            if pn.history or (self.pinned_ids is not None and pn.id not in self.pinned_ids):
                continue
            if pn.booked > 0:
                opts = self._booked_options(pn)
                self.inplace[pn.id] = [o.lit for o in opts if not o.moved]
                # exactly one of: kept or moved somewhere, or cancelled (a literal of its own, so
                # that the objective's terms are all non-negative and the bound is meaningful)
                c = self.m.NewBoolVar(f"cancelled_{pn.id}")
                self.cancelled[pn.id] = c
                self.m.AddExactlyOne([o.lit for o in opts] + [c]).WithName(f"keep_move_or_cancel_{pn.id}")
            else:
                opts = self._unbooked_options(pn)
                if opts:
                    self.m.AddAtMostOne([o.lit for o in opts]).WithName(f"keep_unbooked_once_{pn.id}")
            self.by_pinned[pn.id] = opts

    def _in_place_ok(self, pn) -> bool:
        theme, room = self.p.themes[pn.theme], self.p.rooms[pn.room]
        return self.f.room_fits_theme(room, theme) and self.f.room_time_ok(room, pn.abs_start, pn.abs_end)

    def _booked_options(self, pn):
        f, p = self.f, self.p
        theme, room = p.themes[pn.theme], p.rooms[pn.room]
        positions = []
        if self._in_place_ok(pn) and f.staffable(pn.theme, pn.language, room.location, pn.abs_start):
            positions.append((pn.room, pn.abs_start, False))
        if pn.id not in self.frozen:
            positions += [(r, s, True) for r, s in f.move_positions(pn, move_limit(p, self.max_moves))]
            if f.moves_truncated:
                self.restricted = True
        mine = [u for u in self.units if u.demand.theme == pn.theme and u.asked > 0]
        opts = []
        for r, s, moved in positions:
            loc = p.rooms[r].location
            for u in [None] + [u for u in mine if f.pinned_fits_unit(pn, u, pn.language, loc, s)]:
                opts.append(self._opt(f"k_{pn.id}_{r}_{s}_{u.idx if u else 'none'}", kind="booked", unit=u,
                                      theme=pn.theme, room=r, loc=loc, start=s, end=s + theme.duration,
                                      lang=pn.language, pinned=pn, moved=moved))
        return opts

    def _unbooked_options(self, pn):
        f, room = self.f, self.p.rooms[pn.room]
        if not self._in_place_ok(pn):
            return []
        opts = []
        for u in self.units:
            lang = u.demand.language if u.demand.language is not None else pn.language
            if f.pinned_fits_unit(pn, u, lang, room.location, pn.abs_start) and \
                    f.staffable(pn.theme, lang, room.location, pn.abs_start):
                opts.append(self._opt(f"u_{pn.id}_{u.idx}", kind="unbooked", unit=u, theme=pn.theme,
                                      room=pn.room, loc=room.location, start=pn.abs_start,
                                      end=pn.abs_end, lang=lang, pinned=pn))
        return opts

    def _add_room_constraints(self):
        by_room = {}
        for o in self.options:
            by_room.setdefault(o.room, []).append((o.start, o.end, o.lit))
        for room, items in by_room.items():
            if self.intervals:
                self.m.AddNoOverlap([self.m.NewOptionalFixedSizeIntervalVar(s, e - s, lit, "r")
                                     for s, e, lit in items]).WithName(f"room_{room}")
                continue
            for k, lits in enumerate(_cliques(items)):
                self.m.AddAtMostOne(lits).WithName(f"room_{room}_{k}")

    def _add_staff_constraints(self):
        m = self.m
        for g, opts in self.groups.items():
            theme_id, lang, loc, s = g
            theme = self.p.themes[theme_id]
            el = self.f.eligible(theme_id, lang, loc, s)
            n = sum(o.lit for o in opts)
            per_person = {}
            for role, need in theme.staff.items():
                lits = []
                for pid in el[role]:
                    a = m.NewBoolVar(f"a_{pid}_{role}_{theme_id}_{lang}_{loc}_{s}")
                    self.staff[(pid, g, role)] = a
                    per_person.setdefault(pid, []).append(a)
                    lits.append(a)
                m.Add(sum(lits) == need * n).WithName(f"staff_{role}_{theme_id}_{lang}_{loc}_{s}")
            for pid, lits in per_person.items():
                if len(lits) == 1:
                    self.z[(pid, g)] = lits[0]
                else:
                    z = m.NewBoolVar(f"z_{pid}_{g}")
                    m.Add(sum(lits) == z).WithName(f"one_role_{pid}_{theme_id}_{loc}_{s}")
                    self.z[(pid, g)] = z

    def _add_person_time_and_travel(self):
        by_person = {}
        for (pid, g), z in self.z.items():
            theme_id, lang, loc, s = g
            by_person.setdefault(pid, []).append((s, s + self.p.themes[theme_id].duration, z, loc))
        maxt = 0
        for a in self.p.locations.values():
            maxt = max([maxt] + list(a.travel.values()))
        for pid, items in by_person.items():
            if self.intervals:
                self.m.AddNoOverlap([self.m.NewOptionalFixedSizeIntervalVar(s, e - s, z, f"i_{pid}_{s}_{id(z)}")
                                     for s, e, z, _ in items]).WithName(f"person_{pid}")
            elif self.clique_cover:
                for k, lits in enumerate(conflict_cliques(items, self.p.travel)):
                    self.m.AddAtMostOne(lits).WithName(f"person_{pid}_{k}")
                continue
            else:
                for k, lits in enumerate(_cliques([(s, e, z) for s, e, z, _ in items])):
                    self.m.AddAtMostOne(lits).WithName(f"person_{pid}_{k}")
            if maxt <= 0:
                continue
            items.sort(key=lambda t: t[0])
            starts = [t[0] for t in items]
            for s, e, z, loc in items:
                j = bisect.bisect_left(starts, e)
                while j < len(items) and items[j][0] < e + maxt:
                    s2, e2, z2, loc2 = items[j]
                    if loc2 != loc and s2 < e + self.p.travel(loc, loc2):
                        self.m.AddBoolOr([z.Not(), z2.Not()]).WithName(f"travel_{pid}_{s}_{loc}_{s2}_{loc2}")
                    j += 1

    def _person_lits(self):
        out = {}
        for (pid, g), z in self.z.items():
            out.setdefault(pid, []).append(z)
        return out

    def _add_max_sessions(self):
        for pid, lits in self._person_lits().items():
            mx = self.p.people[pid].max_sessions
            if mx is not None and len(lits) > mx:
                self.m.Add(sum(lits) <= mx).WithName(f"max_sessions_{pid}")

    def _add_budget(self):
        terms = [self.p.people[pid].cost * z for (pid, g), z in self.z.items() if self.p.people[pid].cost]
        self.cost_expr = sum(terms) if terms else 0
        if self.p.budget is not None and terms:
            self.m.Add(self.cost_expr <= self.p.budget).WithName("budget")

    def _add_demand(self):
        """A unit is served by at most `asked` sessions; `missing` is the non-negative rest."""
        self.served = {}
        by_unit = {}
        for o in self.options:
            if o.unit is not None:
                by_unit.setdefault(o.unit.idx, []).append(o.lit)
        for u in self.units:
            lits = by_unit.get(u.idx, [])
            self.served[u.idx] = sum(lits) if lits else 0
            if u.asked <= 0:
                continue
            miss = self.m.NewIntVar(max(0, u.asked - len(lits)), u.asked, f"missing_{u.idx}")
            self.missing[u.idx] = miss
            self.m.Add(sum(lits) + miss == u.asked).WithName(f"demand_{u.demand.id}_{u.idx}")

    def _add_unmet_and_pinned_terms(self):
        w = self.w
        self.penalty["unmet"] = w["unmet"] * sum(u.demand.priority * self.missing[u.idx] for u in self.units
                                                 if u.idx in self.missing)
        moved, relocated = [], []
        for pn in self.p.pinned:
            if pn.history or pn.booked <= 0:
                continue
            home = self.p.rooms[pn.room].location
            for o in self.by_pinned.get(pn.id, []):
                if o.moved:
                    moved.append(o.lit)
                if o.loc != home:
                    relocated.append(o.lit)
        self.penalty["moved_booked"] = w["moved_booked"] * sum(moved) if moved else 0
        self.penalty["relocated"] = w["relocated"] * sum(relocated) if relocated else 0
        cancels = list(self.cancelled.values())
        self.penalty["cancelled_booked"] = w["cancelled_booked"] * sum(cancels) if cancels else 0
        self.penalty["cost"] = w["cost"] * self.cost_expr

    def _add_restaffed_term(self):
        """restaffed: published people of a kept or moved booked session who are not on it.

        stays[(option, person, role)] may be 1 only when the option is chosen and the person
        fills that role in the option's group; a person stays on at most one session of a group
        and in at most one role, and a session keeps at most `need` of a role. The term is
        (published people) x kept - stays, never negative.
        """
        m, w = self.m, self.w
        terms = []
        per_staff = {}
        for pn in self.p.pinned:
            if pn.history or pn.booked <= 0:
                continue
            published = list(dict.fromkeys(pid for ids in pn.staff.values() for pid in ids))
            if not published:
                continue
            opts = self.by_pinned.get(pn.id, [])
            stay_lits = []
            for o in opts:
                g = o.group
                need = self.p.themes[o.theme].staff
                by_role = {}
                for pid in published:
                    mine = []
                    for role in need:
                        a = self.staff.get((pid, g, role))
                        if a is None:
                            continue
                        y = m.NewBoolVar(f"stays_{pn.id}_{pid}_{role}_{o.room}_{o.start}_{id(o)}")
                        m.AddImplication(y, o.lit).WithName(f"stays_if_kept_{pn.id}_{pid}_{role}")
                        per_staff.setdefault((pid, g, role), []).append(y)
                        by_role.setdefault(role, []).append(y)
                        self.stays[(id(o), pid, role)] = y
                        mine.append(y)
                    if len(mine) > 1:
                        m.AddAtMostOne(mine).WithName(f"stays_one_role_{pn.id}_{pid}_{id(o)}")
                    stay_lits += mine
                for role, ys in by_role.items():
                    if len(ys) > need[role]:
                        m.Add(sum(ys) <= need[role]).WithName(f"stays_need_{pn.id}_{role}_{id(o)}")
            kept = sum(o.lit for o in opts) if opts else 0
            lost = len(published) * kept - (sum(stay_lits) if stay_lits else 0)
            self.lost_expr[pn.id] = lost
            terms.append(lost)
        for key, ys in per_staff.items():
            m.Add(sum(ys) <= self.staff[key]).WithName(f"stays_staffed_{key[0]}_{key[2]}_{key[1]}")
        self.penalty["restaffed"] = w["restaffed"] * sum(terms) if terms else 0

    def freeze(self):
        """Keep every frozen session in place with all its published people (the repair rule).

        Returns the ids that could not be frozen (their published people are not all
        eligible in the model), which the caller treats as touched.
        """
        loose = set()
        for pn in self.p.pinned:
            if pn.id not in self.frozen:
                continue
            inplace = [o for o in self.by_pinned.get(pn.id, []) if not o.moved]
            pairs = [(pid, role) for role, ids in pn.staff.items() for pid in ids]
            if not inplace or any(not any((id(o), pid, role) in self.stays for o in inplace)
                                  for pid, role in pairs):
                loose.add(pn.id)
                continue
            self.m.Add(self.cancelled[pn.id] == 0).WithName(f"repair_keep_{pn.id}")
            for pid, role in pairs:
                ys = [self.stays[(id(o), pid, role)] for o in inplace if (id(o), pid, role) in self.stays]
                self.m.Add(sum(ys) == 1).WithName(f"repair_keep_{pn.id}_{pid}")
        return loose

    def minimise_changes_first(self, untouched, step):
        """Objective: fewest cancellations, then fewest changes to untouched sessions, then the plan's.

        `step` must exceed any objective difference the last tier can make; a change of an
        untouched session (leaving its place, or losing a published person) then outweighs
        it, and a cancellation outweighs every change.
        """
        changes = []
        for pid in untouched:
            inplace = self.inplace.get(pid, [])
            changes.append(1 - (sum(inplace) if inplace else 0))
            if pid in self.lost_expr:
                changes.append(self.lost_expr[pid])
        cancels = list(self.cancelled.values())
        big = step * (len(changes) + 1)
        self.m.Minimize(big * (sum(cancels) if cancels else 0) + step * (sum(changes) if changes else 0)
                        + self.objective_expr + self.objective_const)

    def _add_objective(self):
        m, w = self.m, self.w
        self._add_unmet_and_pinned_terms()
        self._add_restaffed_term()
        # balance: per role, max - min load among people who filled it at least once
        spreads = []
        loads = {}
        for (pid, g, role), a in self.staff.items():
            loads.setdefault(role, {}).setdefault(pid, []).append(a)
        self.balance_vars = {}
        for role, per in loads.items():
            if len(per) < 2 or w["balance"] == 0:
                continue
            ub = max(len(v) for v in per.values())
            used_vars = {}
            hi = m.NewIntVar(0, ub, f"maxload_{role}")
            lo = m.NewIntVar(0, ub, f"minload_{role}")
            m.Add(lo <= hi).WithName(f"balance_{role}")
            for pid, lits in per.items():
                load = sum(lits)
                used = m.NewBoolVar(f"used_{role}_{pid}")
                used_vars[pid] = used
                m.Add(load >= 1).WithName(f"used_{role}_{pid}").OnlyEnforceIf(used)
                m.Add(load == 0).WithName(f"unused_{role}_{pid}").OnlyEnforceIf(used.Not())
                m.Add(hi >= load).WithName(f"maxload_{role}_{pid}")
                m.Add(lo <= load).WithName(f"minload_{role}_{pid}").OnlyEnforceIf(used)
            spreads.append(hi - lo)
            self.balance_vars[role] = (hi, lo, used_vars)
        self.penalty["balance"] = w["balance"] * sum(spreads) if spreads else 0
        # same slot each week
        same = []
        self.same_vars = {}
        for d in self.p.demands:
            if not d.same_slot or w["same_slot"] == 0:
                continue
            triples = {}
            for o in self.options:
                if o.unit is not None and o.unit.demand is d:
                    ls = self.p.clock.to_local(o.start)
                    triples.setdefault((ls.isoweekday(), ls.strftime("%H:%M"), o.loc), []).append(o.lit)
            if len(triples) <= d.sessions:
                continue
            ts = []
            tvars = {}
            for key, lits in triples.items():
                t = m.NewBoolVar(f"slot_{d.id}_{key}")
                for lit in lits:
                    m.AddImplication(lit, t).WithName(f"slot_used_{d.id}_{key}")
                ts.append(t)
                tvars[key] = t
            pen = m.NewIntVar(0, len(ts), f"same_slot_{d.id}")
            self.same_vars[d.id] = (tvars, pen, d)
            m.Add(pen >= sum(ts) - d.sessions).WithName(f"same_slot_{d.id}")
            same.append(pen)
        self.penalty["same_slot"] = w["same_slot"] * sum(same) if same else 0
        self.objective_expr = sum(self.penalty[k] for k in PENALTY_KEYS if not isinstance(self.penalty[k], int))
        self.objective_const = sum(self.const.values())
        m.Minimize(self.objective_expr + self.objective_const)

    # ------------------------------------------------------------------
    def extract(self, value):
        """Chosen sessions as plain dicts, from a value(lit) -> bool/int function.

        Inside a group, a published person the model keeps on a pinned session (`stays`) is
        given to that session; the rest of the group's staff fill the remaining places.
        """
        chosen = [o for o in self.options if value(o.lit)]
        by_group = {}
        for o in chosen:
            by_group.setdefault(o.group, []).append(o)
        out = []
        for g, opts in by_group.items():
            theme = self.p.themes[g[0]]
            staff_of = [dict() for _ in opts]
            for role, need in theme.staff.items():
                pool = [pid for pid in self.f.eligible(*g)[role] if value(self.staff[(pid, g, role)])]
                for i, o in enumerate(opts):
                    keep = [pid for pid in pool
                            if (id(o), pid, role) in self.stays and value(self.stays[(id(o), pid, role)])]
                    staff_of[i][role] = keep[:need]
                    pool = [pid for pid in pool if pid not in staff_of[i][role]]
                for i in range(len(opts)):
                    short = need - len(staff_of[i][role])
                    staff_of[i][role] = staff_of[i][role] + pool[:short]
                    pool = pool[short:]
            for o, st in zip(opts, staff_of):
                out.append({"option": o, "staff": st})
        return out

    def find(self, o):
        """The model's option matching an option made elsewhere (same kind, unit, room, start, pinned)."""
        if not hasattr(self, "_index"):
            self._index = {(x.kind, x.unit.idx if x.unit else None, x.room, x.start,
                            x.pinned.id if x.pinned else None): x for x in self.options}
        return self._index.get((o.kind, o.unit.idx if o.unit else None, o.room, o.start,
                                o.pinned.id if o.pinned else None))

    def hint(self, sessions):
        """Hint a solution given as [{"option": Option, "staff": {role: [ids]}}]."""
        on = {id(s["option"]) for s in sessions}
        for o in self.options:
            self.m.AddHint(o.lit, id(o) in on)
        used = set()
        for s in sessions:
            g = s["option"].group
            for role, pids in s["staff"].items():
                for pid in pids:
                    used.add((pid, g, role))
        for key, a in self.staff.items():
            self.m.AddHint(a, key in used)
        for (pid, g), z in self.z.items():
            if not any((pid, g, r) in self.staff and self.staff[(pid, g, r)] is z for r in self.p.themes[g[0]].staff):
                self.m.AddHint(z, any((pid, g, r) in used for r in self.p.themes[g[0]].staff))
        # auxiliaries, so that the hint is complete
        self._hint_slack_and_stays(sessions, on)
        self._hint_balance_and_slots(sessions, used)

    def _hint_balance_and_slots(self, sessions, used):
        loads = {}
        for pid, g, role in used:
            loads.setdefault(role, {}).setdefault(pid, 0)
            loads[role][pid] += 1
        for role, (hi, lo, used_vars) in self.balance_vars.items():
            ls = loads.get(role, {})
            self.m.AddHint(hi, max(ls.values()) if ls else 0)
            self.m.AddHint(lo, min(ls.values()) if ls else 0)
            for pid, u in used_vars.items():
                self.m.AddHint(u, ls.get(pid, 0) > 0)
        for d_id, (tvars, pen, demand) in self.same_vars.items():
            keys = {self._triple(s["option"]) for s in sessions
                    if s["option"].unit is not None and s["option"].unit.demand is demand}
            for key, t in tvars.items():
                self.m.AddHint(t, key in keys)
            self.m.AddHint(pen, max(0, len(keys & set(tvars)) - demand.sessions))

    def _hint_slack_and_stays(self, sessions, on):
        served = {}
        for sess in sessions:
            if sess["option"].unit is not None:
                served[sess["option"].unit.idx] = served.get(sess["option"].unit.idx, 0) + 1
        units = {u.idx: u for u in self.units}
        for idx, miss in self.missing.items():
            u = units[idx]
            self.m.AddHint(miss, max(0, u.asked - served.get(idx, 0)))
        kept = {sess["option"].pinned.id for sess in sessions if sess["option"].pinned is not None}
        for pid, c in self.cancelled.items():
            self.m.AddHint(c, pid not in kept)
        staffed = {(id(sess["option"]), pid, role) for sess in sessions
                   for role, ids in sess["staff"].items() for pid in ids}
        for key, y in self.stays.items():
            self.m.AddHint(y, key[0] in on and key in staffed)

    def _triple(self, o):
        ls = self.p.clock.to_local(o.start)
        return (ls.isoweekday(), ls.strftime("%H:%M"), o.loc)
