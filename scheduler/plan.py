"""The plan (format version 1) as typed data, with exact JSON in and out."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from .problem import PENALTY_KEYS

STATUSES = ("OPTIMAL", "FEASIBLE", "INVALID", "UNKNOWN")


@dataclass
class PlanSession:
    id: str
    demand: str | None
    theme: str
    room: str
    location: str
    start: str  # ISO with the zone's UTC offset
    end: str
    staff: dict
    language: str | None
    cost: int
    pinned: bool
    moved: bool

    def to_json(self) -> dict:
        return {"id": self.id, "demand": self.demand, "theme": self.theme, "room": self.room,
                "location": self.location, "start": self.start, "end": self.end,
                "staff": {r: list(p) for r, p in self.staff.items()}, "language": self.language,
                "cost": self.cost, "pinned": self.pinned, "moved": self.moved}


@dataclass
class Plan:
    status: str
    objective: int | None = None
    bound: int | None = None
    solve_seconds: float = 0.0
    sessions: list = field(default_factory=list)
    unmet: list = field(default_factory=list)       # {"demand", "missing", "reason"}
    cancelled: list = field(default_factory=list)   # {"id", "reason"}
    cost: int = 0
    penalties: dict = field(default_factory=lambda: {k: 0 for k in PENALTY_KEYS})
    errors: list = field(default_factory=list)      # {"path", "message"} when INVALID
    notes: list = field(default_factory=list)       # extra information (not in the format)
    changes: list = field(default_factory=list)     # {"id", "touched", "what", "reason"} (repair)

    def to_json(self) -> dict:
        out = {"version": 1, "status": self.status, "objective": self.objective, "bound": self.bound,
               "solve_seconds": round(self.solve_seconds, 3),
               "sessions": [s.to_json() for s in self.sessions],
               "unmet": [dict(u) for u in self.unmet],
               "cancelled": [dict(c) for c in self.cancelled],
               "cost": self.cost,
               "penalties": {k: int(self.penalties.get(k, 0)) for k in PENALTY_KEYS}}
        if self.status == "INVALID":
            out["errors"] = [dict(e) for e in self.errors]
        if self.notes:
            out["notes"] = list(self.notes)
        if self.status in ("OPTIMAL", "FEASIBLE"):
            # not in the format (an addition): what changed on booked published sessions, and why
            out["changes"] = [dict(c) for c in self.changes]
        return out

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=1, ensure_ascii=False)

    @classmethod
    def from_json(cls, data: dict) -> "Plan":
        sessions = [PlanSession(s["id"], s.get("demand"), s["theme"], s["room"], s.get("location"),
                                s["start"], s["end"], dict(s.get("staff", {})), s.get("language"),
                                s.get("cost", 0), bool(s.get("pinned", False)), bool(s.get("moved", False)))
                    for s in data.get("sessions", [])]
        return cls(status=data.get("status", "UNKNOWN"), objective=data.get("objective"),
                   bound=data.get("bound"), solve_seconds=data.get("solve_seconds", 0.0),
                   sessions=sessions, unmet=list(data.get("unmet", [])),
                   cancelled=list(data.get("cancelled", [])), cost=data.get("cost", 0),
                   penalties=dict(data.get("penalties", {})), errors=list(data.get("errors", [])),
                   notes=list(data.get("notes", [])), changes=list(data.get("changes", [])))


def invalid_plan(errors) -> Plan:
    return Plan(status="INVALID", errors=[{"path": p, "message": m} for p, m in errors])
