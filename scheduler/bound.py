"""A proven lower bound for a whole problem from relaxed parts (ISO week x area).

The demand units and booked pinned sessions are split into parts by the ISO week and
area where they ask to be (a unit without one area goes to its week's "any area"
part). Each part is modelled with *all* its candidate sessions, but only its own: the
rules that couple parts (a room or person used by two parts, max_sessions, the budget)
are kept inside each part only, and the two terms that do not split (balance and
same_slot, both >= 0) are left out. The best plan's sessions of one part form a plan
of that relaxed part, so the part's optimum is at most their share of the objective;
hence the sum of the parts' proven bounds is a proven bound of the whole problem.
"""
from __future__ import annotations

import math
import time

from ortools.sat.python import cp_model

from .model import PlannerModel


def _unit_part(prob, feas, u):
    areas = {prob.locations[loc].area for loc in prob.locations if prob.location_fits(u.demand, loc)}
    area = next(iter(areas)) if len(areas) == 1 else None
    return (feas.local(u.lo).isocalendar()[:2], area)


def parts(prob, feas, units):
    """(key, units, pinned ids) for each part, largest first.

    A booked pinned session and every unit it could serve (where it is, or moved) share a
    part, so that no part loses a server the whole plan may use; unbooked pinned sessions
    are unpriced and join every part.
    """
    key_of = {u.idx: _unit_part(prob, feas, u) for u in units if u.asked > 0}
    parent = {}

    def find(k):
        parent.setdefault(k, k)
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    booked = [pn for pn in prob.pinned if not pn.history and pn.booked > 0]
    pinned_key = {}
    for pn in booked:
        home = (feas.local(pn.abs_start).isocalendar()[:2], prob.locations[prob.rooms[pn.room].location].area)
        pinned_key[pn.id] = home
        find(home)
        positions = [(pn.room, pn.abs_start)] + feas.move_positions(pn, 10 ** 6)
        for u in units:
            if u.idx not in key_of or u.demand.theme != pn.theme:
                continue
            if any(feas.pinned_fits_unit(pn, u, pn.language, prob.rooms[r].location, s) for r, s in positions):
                parent[find(key_of[u.idx])] = find(home)
    unbooked = {pn.id for pn in prob.pinned if not pn.history and pn.booked <= 0}
    out = {}
    for u in units:
        if u.idx in key_of:
            out.setdefault(find(key_of[u.idx]), ([], set(unbooked)))[0].append(u)
    for pn in booked:
        out.setdefault(find(pinned_key[pn.id]), ([], set(unbooked)))[1].add(pn.id)
    return sorted(((k, us, ps) for k, (us, ps) in out.items()),
                  key=lambda t: -(len(t[1]) + len(t[2])))


def decomposition_bound(prob, feas, units, seconds: float, workers: int = 2, should_stop=None):
    """The sum of the relaxed parts' proven bounds, or None when a part could not be
    modelled with all its candidates (or time ran out before every part had a bound).

    Returns (bound, details) where details lists (part key, bound, seconds).
    """
    t0 = time.monotonic()
    weights = dict(prob.weights, balance=0, same_slot=0)
    todo = parts(prob, feas, units)
    total, details = 0, []
    for i, (key, us, ps) in enumerate(todo):
        left = seconds - (time.monotonic() - t0)
        if left <= 0.05 or (should_stop is not None and should_stop()):
            return None, details
        model = PlannerModel(prob, feas, max_slots_per_unit=None, max_moves=10 ** 6, units=us,
                             pinned_ids=ps, weights=weights).build()
        if model.restricted:
            return None, details
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, left / (len(todo) - i))
        solver.parameters.num_workers = max(1, workers)
        solver.parameters.cp_model_presolve = False
        status = solver.Solve(model.m)
        if status == cp_model.INFEASIBLE:
            return None, details  # cannot happen for a valid problem (the empty plan fits)
        # every term is >= 0, so 0 bounds a part that found nothing in its time
        part_bound = max(0, int(math.ceil(solver.BestObjectiveBound() - 1e-6)))
        details.append((key, part_bound, round(time.monotonic() - t0, 2)))
        total += part_bound
    return total, details


def forced_bound(prob, feas, units) -> int:
    """What no plan avoids, computed without search: each unit's sessions beyond the
    number of its candidate slots whose staff can be found, and each booked pinned session
    with neither its own place nor any move. A proven bound for any problem."""
    w = prob.weights
    total = 0
    for u in units:
        if u.asked <= 0:
            continue
        possible = 0
        for room, start in feas.unit_raw_slots(u):  # stop as soon as the unit could be met
            if feas.staffable(u.demand.theme, u.demand.language, prob.rooms[room].location, start):
                possible += 1
                if possible >= u.asked:
                    break
        total += w["unmet"] * u.demand.priority * max(0, u.asked - possible)
    for pn in prob.pinned:
        if pn.history or pn.booked <= 0:
            continue
        room, theme = prob.rooms[pn.room], prob.themes[pn.theme]
        in_place = feas.room_fits_theme(room, theme) and feas.room_time_ok(room, pn.abs_start, pn.abs_end) \
            and feas.staffable(pn.theme, pn.language, room.location, pn.abs_start)
        if not in_place and not feas.move_positions(pn, 1):
            total += w["cancelled_booked"]
    return total
