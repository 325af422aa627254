"""A greedy baseline planner: same feasibility, same Plan output, no search.

Booked pinned sessions first (keep, else the nearest move, else cancel), then
demand by priority, each session in the first free slot with the cheapest free
staff (least loaded first), skipping a session whose staff cost more than its
unmet penalty. Also used to warm-start CP-SAT.
"""
from __future__ import annotations

import time

from .assemble import build_plan
from .feasible import Feasibility
from .options import Option, move_limit
from .plan import invalid_plan
from .problem import Problem, ProblemError, load_problem
from .repair import touched_sessions, untouched_ids


class _State:
    def __init__(self, prob: Problem, feas: Feasibility):
        self.p, self.f = prob, feas
        self.room = {}
        self.person = {}
        self.count = {}
        self.load = {}
        self.cost = 0
        self.served = {}

    def room_free(self, room, s, e):
        return all(e <= a or s >= b for a, b in self.room.get(room, ()))

    def person_free(self, pid, loc, s, e):
        for a, b, l2 in self.person.get(pid, ()):
            t = self.p.travel(loc, l2)
            if e + t > a and b + t > s:
                return False
        return True

    def pick_staff(self, theme_id, lang, loc, s, prefer=None):
        theme = self.p.themes[theme_id]
        e = s + theme.duration
        el = self.f.eligible(theme_id, lang, loc, s)
        taken = set()
        staff = {}
        total = 0
        for role, need in sorted(theme.staff.items()):
            cands = []
            for pid in el[role]:
                person = self.p.people[pid]
                if pid in taken or (person.max_sessions is not None and self.count.get(pid, 0) >= person.max_sessions):
                    continue
                if not self.person_free(pid, loc, s, e):
                    continue
                pref = 0 if prefer and pid in prefer.get(role, ()) else 1
                cands.append((pref, person.cost, self.load.get((role, pid), 0), pid))
            if len(cands) < need:
                return None, 0
            cands.sort()
            chosen = [c[3] for c in cands[:need]]
            taken.update(chosen)
            staff[role] = chosen
            total += sum(self.p.people[pid].cost for pid in chosen)
        if self.p.budget is not None and self.cost + total > self.p.budget:
            return None, 0
        return staff, total

    def commit(self, opt, staff, cost):
        self.room.setdefault(opt.room, []).append((opt.start, opt.end))
        for role, ids in staff.items():
            for pid in ids:
                self.person.setdefault(pid, []).append((opt.start, opt.end, opt.loc))
                self.count[pid] = self.count.get(pid, 0) + 1
                self.load[(role, pid)] = self.load.get((role, pid), 0) + 1
        self.cost += cost
        if opt.unit is not None:
            self.served[opt.unit.idx] = self.served.get(opt.unit.idx, 0) + 1
        return {"option": opt, "staff": staff}


def greedy_sessions(prob: Problem, feas: Feasibility | None = None, model=None, units=None, untouched=()):
    """Greedy choice as [{"option", "staff"}]; options are the model's own when a model is given.

    Sessions in `untouched` (the repair rule) are placed first, in place with their own staff,
    so that replacing someone elsewhere never takes their people.
    """
    feas = feas or Feasibility(prob)
    if model is not None:
        units = model.units
    elif units is None:
        units = feas.units()
        for u in units:
            u.raw = feas.unit_raw_slots(u)
    index = {}
    if model is not None:
        for o in model.options:
            index[(o.kind, o.unit.idx if o.unit else None, o.room, o.start, o.pinned.id if o.pinned else None)] = o

    def make(kind, unit, theme, room, s, lang, pinned=None, moved=False):
        key = (kind, unit.idx if unit else None, room, s, pinned.id if pinned else None)
        if model is not None:
            return index.get(key)
        loc = prob.rooms[room].location
        return Option(None, kind, unit, theme, room, loc, s, s + prob.themes[theme].duration, lang, pinned, moved)

    st = _State(prob, feas)
    out = []
    w = prob.weights

    def fitting_unit(pn, lang, loc, s):
        best = None
        for u in units:
            if st.served.get(u.idx, 0) < u.asked and feas.pinned_fits_unit(pn, u, lang, loc, s):
                if best is None or u.demand.priority > best.demand.priority:
                    best = u
        return best

    # booked pinned sessions: first all that can keep their place (with their own staff where
    # possible), then moves for the others, nearest first; then a matching to demand units
    booked = sorted((pn for pn in prob.pinned if not pn.history and pn.booked > 0),
                    key=lambda pn: pn.id not in untouched)
    placed = {}
    for moving in (False, True):
        for pn in booked:
            if pn.id in placed:
                continue
            theme = prob.themes[pn.theme]
            room = prob.rooms[pn.room]
            if not moving:
                positions = [(pn.room, pn.abs_start)]
                if not (feas.room_fits_theme(room, theme) and feas.room_time_ok(room, pn.abs_start, pn.abs_end)):
                    continue
            else:
                positions = feas.move_positions(pn, move_limit(prob))
            for r, s in positions:
                e = s + theme.duration
                loc = prob.rooms[r].location
                if not st.room_free(r, s, e):
                    continue
                staff, cost = st.pick_staff(pn.theme, pn.language, loc, s, prefer=pn.staff)
                if staff is None:
                    continue
                if model is not None and make("booked", None, pn.theme, r, s, pn.language, pn, moving) is None:
                    continue
                fake = Option(None, "booked", None, pn.theme, r, loc, s, e, pn.language, pn, moving)
                st.commit(fake, staff, cost)
                placed[pn.id] = (pn, r, s, moving, staff)
                break
    fits = {}
    for pid, (pn, r, s, moving, staff) in placed.items():
        loc = prob.rooms[r].location
        fits[pid] = sorted((u for u in units if feas.pinned_fits_unit(pn, u, pn.language, loc, s)),
                           key=lambda u: -u.demand.priority)
    assigned = {}
    owner = {}

    def augment(pid, seen):
        for u in fits[pid]:
            if u.idx in seen:
                continue
            seen.add(u.idx)
            holders = assigned.setdefault(u.idx, [])
            if len(holders) < u.asked:
                holders.append(pid)
                owner[pid] = u
                return True
            for other in list(holders):
                if augment(other, seen):
                    holders.remove(other)
                    holders.append(pid)
                    owner[pid] = u
                    return True
        return False

    for pid in placed:
        augment(pid, set())
    for pid, (pn, r, s, moving, staff) in placed.items():
        u = owner.get(pid)
        opt = make("booked", u, pn.theme, r, s, pn.language, pn, moving)
        if u is not None:
            st.served[u.idx] = st.served.get(u.idx, 0) + 1
        out.append({"option": opt, "staff": staff})
    for pn in prob.pinned:
        if pn.history or pn.booked > 0:
            continue
        room = prob.rooms[pn.room]
        theme = prob.themes[pn.theme]
        if not (feas.room_fits_theme(room, theme) and feas.room_time_ok(room, pn.abs_start, pn.abs_end)):
            continue
        if not st.room_free(pn.room, pn.abs_start, pn.abs_end):
            continue
        for u in sorted(units, key=lambda u: -u.demand.priority):
            lang = u.demand.language if u.demand.language is not None else pn.language
            if st.served.get(u.idx, 0) >= u.asked or not feas.pinned_fits_unit(pn, u, lang, room.location, pn.abs_start):
                continue
            staff, cost = st.pick_staff(pn.theme, lang, room.location, pn.abs_start, prefer=pn.staff)
            opt = make("unbooked", u, pn.theme, pn.room, pn.abs_start, lang, pn) if staff else None
            if opt is not None:
                out.append(st.commit(opt, staff, cost))
                break
    # new sessions: highest priority first, scarce units first
    def slots_of(u):
        raw = getattr(u, "raw", None)
        return raw if raw is not None and model is None else u.slots

    order = sorted(units, key=lambda u: (-u.demand.priority, len(slots_of(u))))
    slot_used = {}
    for u in order:
        d = u.demand
        need = u.asked - st.served.get(u.idx, 0)
        if need <= 0 or not slots_of(u):
            continue
        dur = prob.themes[d.theme].duration
        value = w["unmet"] * d.priority
        slots = slots_of(u)
        if d.same_slot and d.id in slot_used:
            pref = slot_used[d.id]

            def key(rs):
                ls = prob.clock.to_local(rs[1])
                return 0 if (ls.isoweekday(), ls.strftime("%H:%M"), prob.rooms[rs[0]].location) in pref else 1
            slots = sorted(slots, key=key)
        # spread sessions of one unit over its slots
        step = max(1, len(slots) // max(1, need)) if not d.same_slot else 1
        ordered = slots[::step] + [x for i, x in enumerate(slots) if i % step]
        for room, s in ordered:
            if need <= 0:
                break
            loc = prob.rooms[room].location
            if not st.room_free(room, s, s + dur):
                continue
            staff, cost = st.pick_staff(d.theme, d.language, loc, s)
            if staff is None or cost * w["cost"] >= value:
                continue
            opt = make("new", u, d.theme, room, s, d.language)
            if opt is None:
                continue
            out.append(st.commit(opt, staff, cost))
            need -= 1
            if d.same_slot:
                ls = prob.clock.to_local(s)
                slot_used.setdefault(d.id, set()).add((ls.isoweekday(), ls.strftime("%H:%M"), loc))
    return out


def greedy_plan(problem, feas=None):
    """The greedy baseline as a Plan (status FEASIBLE, bound null)."""
    t0 = time.monotonic()
    if not isinstance(problem, Problem):
        try:
            problem = load_problem(problem)
        except ProblemError as e:
            return invalid_plan(e.errors)
    feas = feas or Feasibility(problem)
    units = feas.units()
    for u in units:
        u.raw = feas.unit_raw_slots(u)
        u.slots = []
    chosen = greedy_sessions(problem, feas, units=units, untouched=untouched_ids(touched_sessions(problem, feas)))
    return build_plan(problem, units, chosen, "FEASIBLE", None, time.monotonic() - t0, feas)
