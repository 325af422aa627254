"""Service messages told in the reader's language.

Services raise errors in English with a machine code (booking.services.errors):
the API returns them as they are and the logs keep them. Staff pages flash an
error's message, or put its field messages next to the fields; templates
read flashes through this module's `get_flashed_messages` and the form
macros show field messages through the `service_text` filter, which finds
the translation here: by the exact English text, or for a
text with a name or a number in it by its pattern. A text that is not a
service's English (a page's own, already translated message) passes as it is.

tests/test_every_string.py reads every `raise ...Error(...)` in the code and
fails when its message is not here, so a new service message gets its
translation along with it."""
import re

import flask
from flask_babel import gettext
from markupsafe import Markup

from booking.i18n import N_

# Texts without parameters: the English text is the msgid.
MESSAGES = frozenset({
    # sessions, rooms, opening hours
    N_("The session is not valid."),
    N_("Unknown theme."),
    N_("Unknown room."),
    N_("Unknown kind."),
    N_("Unknown status."),
    N_("The location is closed then."),
    N_("The last day comes before the first day."),
    N_("Fill in the city first: an area lies in a city."),
    N_("Unknown area."),
    N_("No session has this id."),
    N_("No published session has this id."),
    N_("No location has this id."),
    N_("Unknown id."),
    N_("This session is cancelled; publish a new one instead."),
    N_("This session belongs to another organisation."),
    N_("This room belongs to another organisation."),
    # bookings, check-in, attendance
    N_("This session is cancelled."),
    N_("This session has ended."),
    N_("This session is over."),
    N_("This session has started: walk in at the location instead."),
    N_("This session started too long ago to join."),
    N_("This session has not started yet."),
    N_("Walk-ins are taken on the day of the session only; book a place ahead instead."),
    N_("No booking has this ticket."),
    N_("This booking is cancelled."),
    N_("This booking has already been marked as attended or absent."),
    N_("This booking has no seat and the session is full."),
    N_("This booking is on the waiting list and the session is full."),
    N_("Attendance is recorded from the start of the session."),
    N_("Only a booking with a seat can be marked absent."),
    N_("This idempotency key was used for another booking."),
    N_("This booking is for another organisation's session."),
    # staff, people, absences
    N_("Unknown role."),
    N_("No such session or person."),
    N_("No person has this id."),
    N_("The person is not valid."),
    N_("The absence ends before it starts."),
    # accounts
    N_("The account is not valid."),
    N_("An account with this e-mail address exists."),
    # referrals and feedback
    N_("Only counsellors refer clients."),
    N_("The referral is not complete."),
    N_("Choose a published session."),
    N_("No referral with this id."),
    N_("The feedback is not complete."),
    N_("Feedback can be given once the session has started."),
    N_("Choose one of the three faces."),
    # drop-in help
    N_("Choose one of the topics."),
    N_("No queue number has this id."),
    # planner
    N_("The period ends before it starts."),
    N_("Plan at most half a year at once."),
    N_("Time limit out of range."),
    N_("The file is not a valid planning problem."),
    N_("No planning run has this id."),
    N_("Only a finished run with a plan can be published."),
    N_("A plan of an imported problem can be downloaded, not published."),
    # the API's request checks
    N_("The body must be a JSON object."),
    N_("Some fields are not valid."),
    N_("Some filters are not valid."),
    # backups (the restore command)
    N_("This is not an Instap backup file."),
    # accounts and passwords
    N_("The password is too short."),
    N_("The current password is not right."),
    N_("not right"),
    N_("The password is not accepted."),
    N_("Partner staff belong to an organisation."),
    N_("A trainer account is linked to a person."),
    N_("You cannot change your own role."),
    N_("not your own"),
    N_("You cannot deactivate your own account."),
    # series, undo, phone numbers
    N_("A session cannot start in the past."),
    N_("this moment has passed"),
    N_("Too many weeks."),
    N_("This session is over; it can no longer be changed."),
    N_("This cancellation can no longer be undone; publish a new session instead."),
    N_("The room is taken at that time now; the session cannot come back."),
    N_("Write only digits, for example 0470 12 34 56."),
    # spoken texts
    N_("nothing to say"),
    N_("no such spoken text"),
    # any write
    N_("Someone else is changing this right now; try again in a moment."),
    # field messages
    N_("already taken"),
    N_("unknown topic"),
    N_("must be 1, 2 or 3"),
    N_("must not be before start"),
    N_("at most 190 days after start"),
    N_("1 to 600 seconds"),
    N_("not open for referrals"),
    N_("choose a later session"),
    N_("draft or published"),
    N_("not before first day"),
    N_("already assigned"),
    N_("outside the opening hours"),
    N_("already used with other details"),
    N_("any location"),  # in the planner's reasons
    N_("no special features"),
    N_("no longer needed"),
    N_("No plan was found within the time limit; allow more time."),
    N_("is required"),
    N_("is not an e-mail address"),
    N_("partner staff belong to an organisation"),
    N_("a trainer account is linked to the person it schedules"),
    N_("must be after starts_at"),
    N_("must be at least 1"),
    N_("must not be negative"),
    N_("must not exceed capacity"),
    N_("the client's consent is needed before anything is recorded"),
    N_("a first name or initials"),
    N_("only a first name or initials, not a full name"),
    N_("what the client needs help with"),
    N_("say whether the client came"),
    N_("language codes such as nl, ar, tr"),
})

# Texts with a name or a number in them: (pattern of the English text, msgid).
# The pattern's named groups are the msgid's parameters.
PATTERNS = [
    (r"(?P<held>\d+) seats are already taken; capacity cannot go below that\.",
     N_("%(held)s seats are already taken; capacity cannot go below that.")),
    (r"(?P<held>\d+) pre-registered seats are taken; fewer walk-in seats are needed\.",
     N_("%(held)s pre-registered seats are taken; fewer walk-in seats are needed.")),
    (r"Room '(?P<room>.+)' is taken at that time\.", N_("Room '%(room)s' is taken at that time.")),
    (r"(?P<name>.+) works elsewhere at that time\.", N_("%(name)s works elsewhere at that time.")),
    (r"(?P<name>.+) is already assigned\.", N_("%(name)s is already assigned.")),
    (r"(?P<name>.+) already works at that time\.", N_("%(name)s already works at that time.")),
    (r"This run is (?P<status>\w+), not queued\.", N_("This run is %(status)s, not queued.")),
    (r"This run is (?P<status>\w+); only a queued or running run can be cancelled\.",
     N_("This run is %(status)s; only a queued or running run can be cancelled.")),
    (r"Check-in opens at (?P<time>[\d:]+) on (?P<day>[\d/]+)\.",
     N_("Check-in opens at %(time)s on %(day)s.")),
    (r"This is not a backup file: (?P<reason>.+)", N_("This is not a backup file: %(reason)s")),
    (r"The backup is of schema (?P<backup>\S+), the database is at (?P<database>\S+): (?P<rest>.+)",
     N_("The backup is of schema %(backup)s, the database is at %(database)s: %(rest)s")),
    (r"The database is not empty \(table (?P<table>\w+)\); restore into a new one\.",
     N_("The database is not empty (table %(table)s); restore into a new one.")),
    # opening hours typed in the location form
    (r"line (?P<number>\d+) is not like '1-5 09:00-17:00'",
     N_("line %(number)s is not like '1-5 09:00-17:00'")),
    (r"line (?P<number>\d+): days or hours are in the wrong order",
     N_("line %(number)s: days or hours are in the wrong order")),
    (r"(?P<name>.+) works elsewhere at that time now; the session cannot come back\.",
     N_("%(name)s works elsewhere at that time now; the session cannot come back.")),
    (r"Week (?P<week>\d+) \((?P<day>[^)]+)\): (?P<message>.+)",
     N_("Week %(week)s (%(day)s): %(message)s")),
    (r"from 1 to (?P<n>\d+)", N_("from 1 to %(n)s")),
    (r"a spoken text has at most (?P<n>\d+) characters",
     N_("a spoken text has at most %(n)s characters")),
    (r"no voice for language '?(?P<language>[^']*?)'?", N_("no voice for language '%(language)s'")),
    # the planner's reasons for demand it could not place (scheduler/explain.py);
    # the variants naming a language come first
    (r"no room at (?P<place>.+) with (?P<need>.+) and (?P<seats>\d+) seats for '(?P<theme>[\w-]+)'",
     N_("no room at %(place)s with %(need)s and %(seats)s seats for '%(theme)s'")),
    (r"no room at (?P<place>.+)", N_("no room at %(place)s")),
    (r"no (?P<role>\w+) for theme '(?P<theme>[\w-]+)' speaking '(?P<language>[\w-]+)' "
     r"at (?P<where>.+)",
     N_("no %(role)s for theme '%(theme)s' speaking '%(language)s' at %(where)s")),
    (r"no (?P<role>\w+) for theme '(?P<theme>[\w-]+)' at (?P<where>.+)",
     N_("no %(role)s for theme '%(theme)s' at %(where)s")),
    (r"rooms for '(?P<theme>[\w-]+)' at (?P<place>.+) are never open \(or closed\) in the window",
     N_("rooms for '%(theme)s' at %(place)s are never open (or closed) in the window")),
    (r"no time in the window when a room for '(?P<theme>[\w-]+)' at (?P<place>.+) is open and "
     r"its staff speaking '(?P<language>[\w-]+)' are available",
     N_("no time in the window when a room for '%(theme)s' at %(place)s is open and its staff "
        "speaking '%(language)s' are available")),
    (r"no time in the window when a room for '(?P<theme>[\w-]+)' at (?P<place>.+) is open and "
     r"its staff are available",
     N_("no time in the window when a room for '%(theme)s' at %(place)s is open and its staff "
        "are available")),
    (r"budget (?P<budget>\d+) exhausted", N_("budget %(budget)s exhausted")),
    (r"the only (?P<role>\w+) for '(?P<theme>[\w-]+)' speaking '(?P<language>[\w-]+)' "
     r"\((?P<person>[^)]+)\) has reached max_sessions (?P<n>\d+)",
     N_("the only %(role)s for '%(theme)s' speaking '%(language)s' (%(person)s) has reached "
        "their maximum of %(n)s sessions")),
    (r"the only (?P<role>\w+) for '(?P<theme>[\w-]+)' \((?P<person>[^)]+)\) has reached "
     r"max_sessions (?P<n>\d+)",
     N_("the only %(role)s for '%(theme)s' (%(person)s) has reached their maximum of %(n)s "
        "sessions")),
    (r"all (?P<n>\d+) (?P<role>\w+)s for '(?P<theme>[\w-]+)' speaking '(?P<language>[\w-]+)' "
     r"have reached their max_sessions \((?P<people>[^)]+)\)",
     N_("all %(n)s people in the role %(role)s for '%(theme)s' speaking '%(language)s' have "
        "reached their maximum of sessions (%(people)s)")),
    (r"all (?P<n>\d+) (?P<role>\w+)s for '(?P<theme>[\w-]+)' have reached their max_sessions "
     r"\((?P<people>[^)]+)\)",
     N_("all %(n)s people in the role %(role)s for '%(theme)s' have reached their maximum of "
        "sessions (%(people)s)")),
    (r"rooms with (?P<features>.+) at (?P<place>.+) all taken",
     N_("rooms with %(features)s at %(place)s all taken")),
    (r"rooms at (?P<place>.+) all taken", N_("rooms at %(place)s all taken")),
    (r"staff for '(?P<theme>[\w-]+)' speaking '(?P<language>[\w-]+)' at (?P<place>.+) are busy, "
     r"unavailable or cost more than the unmet penalty \((?P<penalty>\d+)\) at every free time",
     N_("staff for '%(theme)s' speaking '%(language)s' at %(place)s are busy, unavailable or "
        "cost more than the penalty for unmet demand (%(penalty)s) at every free time")),
    (r"staff for '(?P<theme>[\w-]+)' at (?P<place>.+) are busy, unavailable or cost more than "
     r"the unmet penalty \((?P<penalty>\d+)\) at every free time",
     N_("staff for '%(theme)s' at %(place)s are busy, unavailable or cost more than the "
        "penalty for unmet demand (%(penalty)s) at every free time")),
    (r"staff for '(?P<theme>[\w-]+)' speaking '(?P<language>[\w-]+)' at (?P<place>.+) are busy "
     r"or unavailable at every free time",
     N_("staff for '%(theme)s' speaking '%(language)s' at %(place)s are busy or unavailable at "
        "every free time")),
    (r"staff for '(?P<theme>[\w-]+)' at (?P<place>.+) are busy or unavailable at every free time",
     N_("staff for '%(theme)s' at %(place)s are busy or unavailable at every free time")),
    # field messages
    (r"(?P<city>.+) already has the area “(?P<name>.+)”: choose it in the list\.",
     N_("%(city)s already has the area “%(name)s”: choose it in the list.")),
    (r"(?P<name>.+) lies in (?P<city>.+): choose an area of this location's city, or add one\.",
     N_("%(name)s lies in %(city)s: choose an area of this location's city, or add one.")),
    (r"at least (?P<n>\d+) characters", N_("at least %(n)s characters")),
    (r"at most (?P<n>\d+) characters", N_("at most %(n)s characters")),
    (r"room '(?P<room>.+)' has only (?P<n>\d+) places",
     N_("room '%(room)s' has only %(n)s places")),
    (r"room '(?P<room>.+)' lacks (?P<features>.+) needed by this theme",
     N_("room '%(room)s' lacks %(features)s needed by this theme")),
    (r"at least (?P<n>\d+)", N_("at least %(n)s")),
    (r"at most (?P<n>-?\d+)", N_("at most %(n)s")),
    (r"no room '(?P<room>.*)'", N_("no room '%(room)s'")),
    (r"no theme '(?P<theme>.*)'", N_("no theme '%(theme)s'")),
    (r"one of (?P<choices>[\w, ]+)", N_("one of %(choices)s")),
    (r"choose from (?P<choices>[\w, ]+)", N_("choose from %(choices)s")),
    (r"overlaps session (?P<id>\d+)", N_("overlaps session %(id)s")),
    (r"busy in session (?P<id>\d+)", N_("busy in session %(id)s")),
    (r"(?P<name>.+) is busy in session (?P<id>\d+)", N_("%(name)s is busy in session %(id)s")),
]
_COMPILED = [(re.compile(pattern + r"\Z"), msgid) for pattern, msgid in PATTERNS]


def service_text(text):
    """A service's English message in the page's language; any other text
    (already translated, or a person's own words) unchanged."""
    if text is None:
        return text
    english = str(text)
    if english in MESSAGES:
        translated = gettext(english)
    else:
        for pattern, msgid in _COMPILED:
            match = pattern.match(english)
            if match:
                translated = gettext(msgid, **{name: _parameter(name, value)
                                               for name, value in match.groupdict().items()})
                break
        else:
            return text
    return Markup.escape(translated) if isinstance(text, Markup) else translated


def _parameter(name: str, value: str) -> str:
    """A pattern's part in the page's language where it is a word of ours: a
    role ("trainer"), or a known phrase such as "any location"."""
    if name == "role":
        return role_name(value)
    if name == "message":  # a service message inside another one
        return service_text(value)
    if value in MESSAGES:
        return gettext(value)
    return value


def known(text: str) -> bool:
    """Whether `text` is a service message this module translates."""
    return text in MESSAGES or any(pattern.match(text) for pattern, _ in _COMPILED)


# Role names, as staff pages show them.
ROLE_NAMES = {
    "trainer": N_("Trainer"),
    "steward": N_("ICT steward"),
    "volunteer": N_("Volunteer"),
    "partner_staff": N_("Partner organisation staff"),
    "counsellor": N_("Counsellor"),
    "coordinator": N_("Coordinator"),
    "admin": N_("Administrator"),
}


def role_name(role: str) -> str:
    """A staff or account role in the page's language (the code itself if unknown)."""
    return gettext(ROLE_NAMES[role]) if role in ROLE_NAMES else role


# States of a planning run and of a message in the outbox.
STATUS_NAMES = {
    "queued": N_("waiting to start"),
    "running": N_("planning"),
    "done": N_("finished"),
    "failed": N_("failed"),
    "cancelled": N_("stopped"),
    "pending": N_("waiting to be sent"),
    "sent": N_("sent"),
}


def status_name(status: str) -> str:
    """A planning run's or an outbox message's state in the page's language."""
    return gettext(STATUS_NAMES[status]) if status in STATUS_NAMES else status


def get_flashed_messages(with_categories=False, category_filter=()):
    """Flask's get_flashed_messages for templates, with a service's English
    message (flashed as it came) in the page's language: every layout shows
    flashes through this, so no view has to translate what it flashes."""
    flashed = flask.get_flashed_messages(with_categories=with_categories,
                                         category_filter=category_filter)
    if with_categories:
        return [(category, service_text(message)) for category, message in flashed]
    return [service_text(message) for message in flashed]


def init_app(app):
    app.jinja_env.globals["get_flashed_messages"] = get_flashed_messages
    app.add_template_filter(service_text)
    app.add_template_global(role_name)
    app.add_template_global(status_name)
