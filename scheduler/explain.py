"""Reasons a coordinator can act on, for unmet demand and cancelled sessions."""
from __future__ import annotations

from .problem import Problem


def _place(prob: Problem, d) -> str:
    parts = []
    if d.locations:
        parts.append(", ".join(sorted(d.locations)))
    if d.areas:
        parts.append("area " + ", ".join(sorted(d.areas)))
    return " or ".join(parts) if parts else "any location"


def _lang(d) -> str:
    return f" speaking '{d.language}'" if d.language else ""


def _people_for(prob: Problem, theme, role, lang, locs):
    out = []
    for person in prob.people.values():
        if not person.can_fill(role, theme.id):
            continue
        if lang is not None and (role == "trainer" or not theme.has_trainer) and lang not in person.languages:
            continue
        if person.locations is not None and not (person.locations & locs):
            continue
        out.append(person)
    return out


def _usage(chosen):
    count, by_room = {}, {}
    for s in chosen:
        for ids in s["staff"].values():
            for pid in ids:
                count[pid] = count.get(pid, 0) + 1
        by_room[s["option"].room] = by_room.get(s["option"].room, 0) + 1
    return count, by_room


def explain_unmet(prob: Problem, feas, d, units_missing, chosen, ev) -> str:
    theme = prob.themes[d.theme]
    locs = {loc for loc in prob.locations if prob.location_fits(d, loc)}
    place = _place(prob, d)
    rooms = [r for r in prob.rooms.values() if r.location in locs]
    if not rooms:
        return f"no room at {place}"
    fit = [r for r in rooms if feas.room_fits_theme(r, theme)]
    if not fit:
        need = ", ".join(sorted(theme.needs)) or "no special features"
        return f"no room at {place} with {need} and {theme.seats} seats for '{theme.id}'"
    fit_locs = {r.location for r in fit}
    for role, n in sorted(theme.staff.items()):
        people = _people_for(prob, theme, role, d.language, fit_locs)
        if len(people) < n:
            where = ", ".join(sorted(fit_locs))
            return f"no {role} for theme '{theme.id}'{_lang(d)} at {where}"
    # is there any slot at all?
    if all(not u.slots and not feas.unit_slots(u) for u, _ in units_missing):
        any_room_time = any(feas.room_starts(r.id, theme.duration) for r in fit)
        if not any_room_time:
            return f"rooms for '{theme.id}' at {place} are never open (or closed) in the window"
        return (f"no time in the window when a room for '{theme.id}' at {place} is open and "
                f"its staff{_lang(d)} are available")
    count, by_room = _usage(chosen)
    if prob.budget is not None:
        cheapest = 0
        for role, n in theme.staff.items():
            costs = sorted(p.cost for p in _people_for(prob, theme, role, d.language, fit_locs))
            cheapest += sum(costs[:n])
        if ev["cost"] + cheapest > prob.budget:
            return f"budget {prob.budget} exhausted"
    for role, n in sorted(theme.staff.items()):
        people = _people_for(prob, theme, role, d.language, fit_locs)
        capped = [p for p in people if p.max_sessions is not None and count.get(p.id, 0) >= p.max_sessions]
        if len(people) - len(capped) < n:
            if len(people) == 1:
                p = people[0]
                return (f"the only {role} for '{theme.id}'{_lang(d)} ({p.id}) has reached "
                        f"max_sessions {p.max_sessions}")
            return (f"all {len(people)} {role}s for '{theme.id}'{_lang(d)} have reached their "
                    f"max_sessions ({', '.join(p.id for p in people)})")
    feats = " with " + ", ".join(sorted(theme.needs)) if theme.needs else ""
    if all(by_room.get(r.id, 0) > 0 for r in fit):
        return f"rooms{feats} at {place} all taken"
    w = prob.weights
    if w["cost"] > 0 and theme.staff:
        return (f"staff for '{theme.id}'{_lang(d)} at {place} are busy, unavailable or cost more than "
                f"the unmet penalty ({w['unmet'] * d.priority}) at every free time")
    return f"staff for '{theme.id}'{_lang(d)} at {place} are busy or unavailable at every free time"


def explain_cancelled(prob: Problem, feas, pn, chosen, ev) -> str:
    theme = prob.themes[pn.theme]
    room = prob.rooms[pn.room]
    loc = room.location
    if not feas.room_fits_theme(room, theme) or not feas.room_time_ok(room, pn.abs_start, pn.abs_end):
        where = f"room {pn.room} is closed or unsuitable at its time"
    else:
        el = feas.eligible(pn.theme, pn.language, loc, pn.abs_start)
        short = [r for r, n in theme.staff.items() if len(el[r]) < n]
        if short:
            lang = f" speaking '{pn.language}'" if pn.language else ""
            where = f"no {short[0]} for '{pn.theme}'{lang} available at {loc} at its time"
        else:
            where = "its room or staff are needed elsewhere at its time"
    return f"{where}, and no valid move was found or cheaper than cancelling"
