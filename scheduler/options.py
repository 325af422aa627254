"""Candidate sessions ("options") and how many moves a booked pinned session is offered.

Shared by the model, the greedy planner, the evaluation and plan assembly, so that none of
them imports another just for these.
"""
from __future__ import annotations

from dataclasses import dataclass

from .problem import Problem


@dataclass
class Option:
    lit: object
    kind: str          # "new", "booked", "unbooked"
    unit: object       # Unit or None
    theme: str
    room: str
    loc: str
    start: int
    end: int
    lang: object
    pinned: object = None
    moved: bool = False

    @property
    def group(self):
        return (self.theme, self.lang, self.loc, self.start)



def move_limit(prob: Problem, max_moves: int = 60) -> int:
    """Moves considered per booked pinned session: all of them for a few pinned sessions,
    the `max_moves` nearest in time for a published plan being re-planned."""
    n = sum(1 for pn in prob.pinned if pn.booked > 0 and not pn.history)
    return max_moves if n > 10 else 100000


def is_replan(prob: Problem) -> bool:
    """A published plan (more than 10 booked sessions) being re-planned."""
    return sum(1 for pn in prob.pinned if pn.booked > 0 and not pn.history) > 10
