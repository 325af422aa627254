"""The data model, one module per aggregate. Importing this package
registers every table on `Base.metadata`."""
from booking.models.api_token import ApiToken, hash_token
from booking.models.audit import AuditEntry
from booking.models.base import Base, utcnow
from booking.models.booking import (
    AGE_GROUPS,
    BOOKING_KINDS,
    BOOKING_STATUSES,
    SEAT_HOLDING_STATUSES,
    Booking,
)
from booking.models.feedback import FEEDBACK_SCORES, Feedback
from booking.models.location import ROOM_FEATURES, Area, Location, LocationClosure, Room
from booking.models.organisation import Organisation
from booking.models.outbox import OUTBOX_STATUSES, OutboxMessage
from booking.models.planning import RUN_STATUSES, Demand, PlanningRun
from booking.models.person import STAFF_ROLES, Person, StaffAssignment
from booking.models.queue import DROPIN_TOPICS, QUEUE_STATUSES, QueueTicket, StaffCall
from booking.models.referral import Referral
from booking.models.session import SESSION_STATUSES, Session
from booking.models.theme import AUDIENCES, SESSION_KINDS, Theme
from booking.models.user import USER_ROLES, LoginFailure, User

__all__ = [
    "AGE_GROUPS", "AUDIENCES", "BOOKING_KINDS", "BOOKING_STATUSES", "ROOM_FEATURES",
    "SEAT_HOLDING_STATUSES", "SESSION_KINDS", "SESSION_STATUSES", "STAFF_ROLES",
    "ApiToken", "Area", "Base", "Booking", "Location", "LocationClosure", "Organisation", "Person", "Room",
    "Session", "StaffAssignment", "Theme", "hash_token", "utcnow",
    "OUTBOX_STATUSES", "USER_ROLES", "LoginFailure", "OutboxMessage", "Referral", "User",
    "RUN_STATUSES", "Demand", "PlanningRun", "AuditEntry",
    "DROPIN_TOPICS", "FEEDBACK_SCORES", "QUEUE_STATUSES", "Feedback", "QueueTicket", "StaffCall",
]
