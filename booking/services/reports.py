"""Evaluation reports for the coordinator and the policy group: reach,
bookings, attendance, no-shows, cancellations and the three ways in
(walk-in, pre-registered, referred), by theme, location, month, language
and the seeds' age groups; fill rate per session; smiley feedback; cost
against budget; drop-in help; early warnings for the seeds' named risks
("too few participants", "groups too mixed").

Every figure comes from statuses, kinds, languages, age groups, times,
capacities and costs, never from a name or a phone number, so the purge
(booking/services/purge.py) leaves every figure exactly as it was.

No flask.request here: the views parse the period and call `build`."""
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from booking.extensions import db
from booking.i18n import N_
from booking.models import (
    AGE_GROUPS,
    BOOKING_KINDS,
    FEEDBACK_SCORES,
    Booking,
    Feedback,
    Location,
    Organisation,
    Person,
    QueueTicket,
    Room,
    Session,
    StaffAssignment,
    utcnow,
)
from booking.times import zone

DEFAULT_BUDGET = 5000  # EUR a year: the seeds' workshop budget
DEFAULT_MIN_FILL = 0.5  # "too few participants" below half the seats
DEFAULT_MIXED_LANGUAGES = 3  # "groups too mixed" from this many languages ...
DEFAULT_MIXED_AGE_GROUPS = 4  # ... or this many of the seeds' age groups
WARNING_HORIZON = timedelta(days=14)  # upcoming sessions are flagged this far ahead
TOO_FEW = N_("too few participants")  # the seeds' named risks
TOO_MIXED = N_("groups too mixed")
UNKNOWN = "unknown"
UNKNOWN_LABEL = N_("unknown")  # the row of bookings without a language or age group

KIND_LABELS = {"walk_in": N_("Walk-in"), "pre_registered": N_("Pre-registered"),
               "referred": N_("Referred")}
SESSION_KIND_LABELS = {"workshop": N_("Workshop"), "drop_in": N_("Drop-in help hour"),
                       "conversation_group": N_("Conversation group"),
                       "counsellor_event": N_("For counsellors")}
# The drop-in topics as the kiosk names them (booking/site/present.py has the same texts).
TOPIC_LABELS = {"email": N_("E-mail"), "cv": N_("CV"),
                "career": N_("Online career file (Mijn Loopbaan)"),
                "eid": N_("e-ID and card reader"), "forms": N_("Forms on the internet"),
                "passwords": N_("Passwords and log-in"), "apps": N_("Apps on your phone"),
                "other": N_("Another question")}
SCORE_KEYS = {score: name for score, name in FEEDBACK_SCORES.items()}  # 1 sad, 2 neutral, 3 happy


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "int"  # text, int, pct, eur


@dataclass
class Table:
    """One table of the report: what the page shows, the CSV exports and a
    chart draws. Rows are plain dicts keyed by column key."""

    key: str
    title: str
    columns: list[Column]
    rows: list[dict]
    total: dict | None = None
    description: str = ""

    def data(self) -> dict:
        return {"rows": self.rows, "total": self.total}


@dataclass
class Report:
    start: date
    end: date  # inclusive
    organisation: str | None
    location: str | None
    summary: dict
    tables: dict[str, Table] = field(default_factory=dict)
    unmet_available: bool = False

    def data(self) -> dict:
        """Every figure, as plain data: two reports on the same data are equal."""
        return {
            "summary": self.summary,
            "tables": {key: table.data() for key, table in self.tables.items()},
        }


# -- periods ---------------------------------------------------------------

def year_to_date(today: date) -> tuple[date, date]:
    return date(today.year, 1, 1), today


def interim(today: date) -> tuple[date, date]:
    """The interim evaluation (June): January to June."""
    return date(today.year, 1, 1), date(today.year, 6, 30)


def full(today: date) -> tuple[date, date]:
    """The full evaluation (October): January to October."""
    return date(today.year, 1, 1), date(today.year, 10, 31)


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """UTC instants of local midnight at `start` and after `end` (inclusive)."""
    tz = zone()
    lower = datetime.combine(start, time(0), tzinfo=tz).astimezone(UTC)
    upper = datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    return lower, upper


def months(start: date, end: date) -> list[str]:
    result, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        result.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


# -- the report ------------------------------------------------------------

BREAKDOWN_COLUMNS = [
    Column("bookings", N_("Bookings")),
    Column("attended", N_("Attended")),
    Column("no_show", N_("No-shows")),
    Column("cancelled", N_("Cancelled")),
    Column("waitlisted", N_("Waiting list")),
    Column("walk_in", N_("Walk-in")),
    Column("pre_registered", N_("Pre-registered")),
    Column("referred", N_("Referred")),
    Column("attendance_rate", N_("Attendance rate"), "pct"),
]


def build(
    start: date,
    end: date,
    *,
    organisation_id: int | None = None,
    location_id: int | None = None,
    budget: int | None = None,
    lang: str = "nl",
    now: datetime | None = None,
    min_fill: float | None = None,
    mixed_languages: int | None = None,
    mixed_age_groups: int | None = None,
) -> Report:
    """The report for sessions starting between `start` and `end` (local
    dates, both included), optionally for one organisation or location.

    A session is *held* when it is published and has ended; its staff cost
    counts as spent. Published sessions not yet ended are *upcoming*: their
    cost counts as planned. Cancelled sessions count only for their
    (cancelled) bookings; drafts never count."""
    config = current_app.config
    now = now or utcnow()
    budget = config.get("PLANNING_BUDGET", DEFAULT_BUDGET) if budget is None else budget
    min_fill = config.get("REPORT_MIN_FILL", DEFAULT_MIN_FILL) if min_fill is None else min_fill
    mixed_languages = mixed_languages or config.get("REPORT_MIXED_LANGUAGES",
                                                    DEFAULT_MIXED_LANGUAGES)
    mixed_age_groups = mixed_age_groups or config.get("REPORT_MIXED_AGE_GROUPS",
                                                      DEFAULT_MIXED_AGE_GROUPS)
    tz = zone()

    sessions = load_sessions(start, end, organisation_id, location_id)
    by_id = {s.id: s for s in sessions}
    bookings, costs, feedback = load_figures(list(by_id))
    per_session = session_figures(bookings)
    held_ids = [s.id for s in sessions if s.status == "published" and s.ends_at <= now]
    upcoming_ids = [s.id for s in sessions if s.status == "published" and s.ends_at > now]
    flags = early_warnings(sessions, per_session, now, tz, lang, min_fill, mixed_languages,
                           mixed_age_groups)
    ticket_counts = load_ticket_counts(start, end, organisation_id, location_id)

    tables = {
        **breakdown_tables(bookings, by_id, start, end, lang, tz, config.get("LANGUAGES", {})),
        "kind": kind_table(bookings),
        "sessions": fill_rate_table(sessions, per_session, costs, now, tz, lang),
        "warnings": warnings_table(flags, min_fill, mixed_languages, mixed_age_groups),
        **fill_tables(sessions, held_ids, per_session, flags, lang),
        **feedback_tables(sessions, feedback, lang),
        **cost_tables(sessions, held_ids, costs, per_session, start, end, lang, tz),
        **dropin_tables(ticket_counts),
    }
    unmet = unmet_table()
    if unmet is not None:
        tables["unmet"] = unmet

    summary = summarise(tables["theme"].total, sessions, by_id, held_ids, upcoming_ids,
                        per_session, costs, ticket_counts, budget, flags)
    tables = {"summary": _summary_table(summary), **tables}
    organisation, location = scope_names(organisation_id, location_id)
    return Report(start, end, organisation, location, summary, tables, unmet is not None)


# -- loading: only the columns statistics may use, never name or phone ------

def load_sessions(start: date, end: date, organisation_id: int | None,
                  location_id: int | None) -> list[Session]:
    """Published and cancelled sessions starting in the period, in the scope."""
    lower, upper = bounds(start, end)
    query = (
        select(Session)
        .join(Room)
        .join(Location)
        .where(
            Session.starts_at >= lower,
            Session.starts_at < upper,
            Session.status.in_(("published", "cancelled")),
        )
        .options(selectinload(Session.theme),
                 selectinload(Session.room).selectinload(Room.location))
        .order_by(Session.starts_at, Session.id)
    )
    if organisation_id is not None:
        query = query.where(Location.organisation_id == organisation_id)
    if location_id is not None:
        query = query.where(Room.location_id == location_id)
    return list(db.session.scalars(query))


def load_figures(ids: list[int]) -> tuple[list, Counter, defaultdict]:
    """The sessions' bookings (kind, status, language, age group), staff cost
    per session and feedback scores per session."""
    bookings = []
    costs = Counter()
    feedback = defaultdict(Counter)
    if not ids:
        return bookings, costs, feedback
    bookings = list(db.session.execute(
        select(Booking.session_id, Booking.kind, Booking.status, Booking.language,
               Booking.age_group)
        .where(Booking.session_id.in_(ids))
        .order_by(Booking.id)
    ))
    for session_id, cost in db.session.execute(
        select(StaffAssignment.session_id, func.sum(Person.cost_per_session))
        .join(Person)
        .where(StaffAssignment.session_id.in_(ids))
        .group_by(StaffAssignment.session_id)
    ):
        costs[session_id] = int(cost or 0)
    for session_id, score, count in db.session.execute(
        select(Feedback.session_id, Feedback.score, func.count())
        .where(Feedback.session_id.in_(ids))
        .group_by(Feedback.session_id, Feedback.score)
    ):
        feedback[session_id][score] = count
    return bookings, costs, feedback


def load_ticket_counts(start: date, end: date, organisation_id: int | None,
                       location_id: int | None) -> list:
    """Drop-in queue numbers per (location id, topic, status, count): no names."""
    ticket_query = (
        select(QueueTicket.location_id, QueueTicket.topic, QueueTicket.status, func.count())
        .join(Location, QueueTicket.location_id == Location.id)
        .where(QueueTicket.day >= start, QueueTicket.day <= end)
        .group_by(QueueTicket.location_id, QueueTicket.topic, QueueTicket.status)
    )
    if organisation_id is not None:
        ticket_query = ticket_query.where(Location.organisation_id == organisation_id)
    if location_id is not None:
        ticket_query = ticket_query.where(QueueTicket.location_id == location_id)
    return list(db.session.execute(ticket_query))


def session_figures(bookings: list) -> defaultdict:
    """Per session: booked (confirmed, attended, no-show), attended and no-show
    counts, and the languages and age groups among the attended and among the
    booked."""
    per_session = defaultdict(lambda: {"booked": 0, "attended": 0, "no_show": 0,
                                       "languages": set(), "ages": set(),
                                       "confirmed_languages": set(), "confirmed_ages": set()})
    for b in bookings:
        entry = per_session[b.session_id]
        if b.status in ("confirmed", "attended", "no_show"):
            entry["booked"] += 1
            _add_mix(entry["confirmed_languages"], entry["confirmed_ages"], b)
        if b.status == "attended":
            entry["attended"] += 1
            _add_mix(entry["languages"], entry["ages"], b)
        if b.status == "no_show":
            entry["no_show"] += 1
    return per_session


def _add_mix(languages: set, ages: set, b) -> None:
    if b.language:
        languages.add(b.language)
    if b.age_group:
        ages.add(b.age_group)


# -- labels and groupings ----------------------------------------------------

def _month_of(s, tz) -> str:
    return s.starts_at.astimezone(tz).strftime("%Y-%m")


def _place_label(loc) -> str:
    return f"{loc.name} ({loc.city})" if loc.city else loc.name


def _location_label(s) -> str:
    return _place_label(s.room.location)


def _by_theme(lang: str):
    return lambda s, *_: (s.theme_id, s.theme.title(lang))


def _by_location(s, *_) -> tuple[str, str]:
    return str(s.room.location_id), _location_label(s)


def _by_month(tz):
    return lambda s, *_: (_month_of(s, tz), _month_of(s, tz))


def _by_label(groups: dict) -> list:
    """Group keys in the order of their labels (case-folded), then keys."""
    return sorted(groups, key=lambda k: (groups[k][0].casefold(), k))


# -- participation: bookings by theme, location, month, language, age group --

def breakdown_tables(bookings: list, by_id: dict, start: date, end: date, lang: str, tz,
                     languages: dict) -> dict[str, Table]:
    """Bookings, attendance, no-shows and ways in by theme, location, month,
    language and age group."""
    def by_language(s, b):
        return (b.language or UNKNOWN,
                languages.get(b.language, (b.language or UNKNOWN_LABEL,))[0])

    def by_age_group(s, b):
        return b.age_group or UNKNOWN, b.age_group or UNKNOWN_LABEL

    groupings = (
        ("theme", N_("By theme"), N_("Theme"), _by_theme(lang), None),
        ("location", N_("By location"), N_("Location"), _by_location, None),
        ("month", N_("By month"), N_("Month"), _by_month(tz), [(m, m) for m in months(start, end)]),
        ("language", N_("By language"), N_("Language"), by_language, None),
        ("age_group", N_("By age group"), N_("Age group"), by_age_group,
         [(g, g) for g in AGE_GROUPS]),
    )
    return {key: _breakdown_table(key, title, label, key_of, preset, bookings, by_id)
            for key, title, label, key_of, preset in groupings}


def _breakdown_table(key: str, title: str, label: str, key_of, preset: list | None,
                     bookings: list, by_id: dict) -> Table:
    counts = {k: (lab, Counter()) for k, lab in preset or []}
    for b in bookings:
        group, group_label = key_of(by_id[b.session_id], b)
        counts.setdefault(group, (group_label, Counter()))[1].update(_booking_counts(b))
    order = list(counts) if preset is not None else _by_label(counts)
    if preset is not None and UNKNOWN in order:
        order.remove(UNKNOWN)
        order.append(UNKNOWN)
    rows = [{"key": k, "label": counts[k][0], **_breakdown(counts[k][1])} for k in order]
    return Table(key, title, [Column("label", label, "text"), *BREAKDOWN_COLUMNS],
                 rows, _total(rows))


KIND_COLUMNS = ("bookings", "attended", "no_show", "cancelled", "waitlisted", "attendance_rate")


def kind_table(bookings: list) -> Table:
    """Walk-in, pre-registered and referred bookings and their attendance."""
    kind_counts = {kind: Counter() for kind in BOOKING_KINDS}
    for b in bookings:
        kind_counts.setdefault(b.kind, Counter()).update(_booking_counts(b))
    kind_rows = []
    for kind, counter in kind_counts.items():
        row = _breakdown(counter)
        kind_rows.append({"key": kind, "label": KIND_LABELS.get(kind, kind),
                          **{c: row[c] for c in KIND_COLUMNS}})
    kind_columns = [Column("label", N_("Way in"), "text"),
                    *[c for c in BREAKDOWN_COLUMNS if c.key in KIND_COLUMNS]]
    return Table("kind", N_("Walk-in, pre-registered, referred"), kind_columns,
                 kind_rows, _total(kind_rows),
                 N_("Attendance rate: attended out of attended and no-shows."))


# -- per session: fill rate, mix, cost -----------------------------------------

def _mix(entry: dict, held: bool) -> tuple[set, set]:
    """The languages and age groups of a session: among those who came when
    held, among those booked when upcoming."""
    if held:
        return entry["languages"], entry["ages"]
    return entry["confirmed_languages"], entry["confirmed_ages"]


def _when(s, tz) -> str:
    return s.starts_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def fill_rate_table(sessions: list, per_session: dict, costs: Counter, now: datetime, tz,
                    lang: str) -> Table:
    """One row per published session: seats, bookings, attendance, mix, cost."""
    fill_rows = []
    for s in sessions:
        if s.status != "published":
            continue
        held = s.ends_at <= now
        entry = per_session[s.id]
        langs, ages = _mix(entry, held)
        fill_rows.append({
            "key": str(s.id),
            "when": _when(s, tz),
            "theme": s.theme.title(lang),
            "location": _location_label(s),
            "kind": SESSION_KIND_LABELS.get(s.kind, s.kind),
            "state": N_("held") if held else N_("upcoming"),
            "capacity": s.capacity,
            "booked": entry["booked"],
            "attended": entry["attended"] if held else None,
            "no_show": entry["no_show"] if held else None,
            "booked_fill": _pct(entry["booked"], s.capacity),
            "attended_fill": _pct(entry["attended"], s.capacity) if held else None,
            "languages": len(langs),
            "age_groups": len(ages),
            "cost": costs[s.id],
        })
    return Table("sessions", N_("Fill rate per session"), [
        Column("when", N_("When"), "text"), Column("theme", N_("Theme"), "text"),
        Column("location", N_("Location"), "text"), Column("kind", N_("Kind"), "text"),
        Column("state", N_("Held or upcoming"), "text"), Column("capacity", N_("Seats")),
        Column("booked", N_("Booked")), Column("attended", N_("Attended")),
        Column("no_show", N_("No-shows")), Column("booked_fill", N_("Booked fill"), "pct"),
        Column("attended_fill", N_("Attended fill"), "pct"), Column("languages", N_("Languages")),
        Column("age_groups", N_("Age groups")), Column("cost", N_("Staff cost"), "eur"),
    ], fill_rows, description=N_("Fill: booked or attended seats out of the session's seats. "
                                 "Booked counts confirmed, attended and no-show bookings."))


# -- early warnings: the seeds' named risks --------------------------------------

def early_warnings(sessions: list, per_session: dict, now: datetime, tz, lang: str,
                   min_fill: float, mixed_languages: int, mixed_age_groups: int) -> list[dict]:
    """The seeds' named risks, too few participants and groups too mixed, per
    published session other than drop-in help hours (a fill rate says nothing
    there)."""
    flags = []
    for s in sessions:
        if s.status != "published" or s.kind == "drop_in":
            continue
        held = s.ends_at <= now
        entry = per_session[s.id]
        base = {"key": str(s.id), "when": _when(s, tz), "theme": s.theme.title(lang),
                "location": _location_label(s)}
        too_few = _too_few(s, entry, held, now, min_fill)
        if too_few is not None:
            flags.append(base | {"risk": TOO_FEW, "detail": too_few})
        too_mixed = _too_mixed(*_mix(entry, held), mixed_languages, mixed_age_groups)
        if too_mixed is not None:
            flags.append(base | {"risk": TOO_MIXED, "detail": too_mixed})
    return flags


def _too_few(s, entry: dict, held: bool, now: datetime, min_fill: float):
    """Why a held session had, or a session in the next days has, too few participants."""
    if held and s.capacity and entry["attended"] < min_fill * s.capacity:
        return N_("%(attended)d of %(seats)d seats attended (%(pct)s %%)",
                  attended=entry["attended"], seats=s.capacity,
                  pct=format(_pct(entry["attended"], s.capacity), "g"))
    if (not held and s.capacity and s.starts_at - now <= WARNING_HORIZON
            and entry["booked"] < min_fill * s.capacity):
        return N_("only %(booked)d of %(seats)d seats booked so far (%(pct)s %%)",
                  booked=entry["booked"], seats=s.capacity,
                  pct=format(_pct(entry["booked"], s.capacity), "g"))
    return None


def _too_mixed(langs: set, ages: set, mixed_languages: int, mixed_age_groups: int):
    """Why a group is too mixed: too many languages, age groups, or both."""
    parts = []
    if len(langs) >= mixed_languages:
        parts.append(N_("%(count)d languages (%(codes)s)", count=len(langs),
                        codes=", ".join(sorted(langs))))
    if len(ages) >= mixed_age_groups:
        parts.append(N_("%(count)d age groups (%(groups)s)", count=len(ages),
                        groups=", ".join(sorted(ages))))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else N_("%(first)s; %(second)s",
                                               first=parts[0], second=parts[1])


def warnings_table(flags: list[dict], min_fill: float, mixed_languages: int,
                   mixed_age_groups: int) -> Table:
    return Table("warnings", N_("Early warnings"), [
        Column("when", N_("When"), "text"), Column("theme", N_("Theme"), "text"),
        Column("location", N_("Location"), "text"), Column("risk", N_("Risk"), "text"),
        Column("detail", N_("Why"), "text"),
    ], flags, description=N_(
        "Too few participants: fewer than %(pct)s of the seats attended (held sessions) or "
        "booked (sessions in the next %(days)d days). Groups too mixed: %(languages)d or more "
        "languages, or %(age_groups)d or more age groups, among the participants. Drop-in help "
        "hours are not flagged.", pct=format(min_fill, ".0%"), days=WARNING_HORIZON.days,
        languages=mixed_languages, age_groups=mixed_age_groups))


# -- seats filled by theme and location (held sessions) ----------------------------

def fill_tables(sessions: list, held_ids: list, per_session: dict, flags: list[dict],
                lang: str) -> dict[str, Table]:
    too_few = {f["key"] for f in flags if f["risk"] == TOO_FEW}
    held = [s for s in sessions if s.id in held_ids]
    return {
        "fill_theme": _fill_table("fill_theme", N_("Seats filled by theme"), N_("Theme"),
                                  _by_theme(lang), held, per_session, too_few),
        "fill_location": _fill_table("fill_location", N_("Seats filled by location"),
                                     N_("Location"), _by_location, held, per_session, too_few),
    }


def _fill_table(key: str, title: str, label: str, key_of, held: list, per_session: dict,
                too_few: set) -> Table:
    groups = {}
    for s in held:
        group, group_label = key_of(s)
        counter = groups.setdefault(group, (group_label, Counter()))[1]
        counter["held"] += 1
        counter["seats"] += s.capacity
        counter["booked"] += per_session[s.id]["booked"]
        counter["attended"] += per_session[s.id]["attended"]
        counter["below"] += str(s.id) in too_few
    rows = []
    for group in _by_label(groups):
        group_label, c = groups[group]
        rows.append({"key": group, "label": group_label, "held": c["held"],
                     "seats": c["seats"], "booked": c["booked"], "attended": c["attended"],
                     "booked_fill": _pct(c["booked"], c["seats"]),
                     "attended_fill": _pct(c["attended"], c["seats"]),
                     "too_few": c["below"]})
    total_row = _total(rows)
    if total_row:
        total_row["booked_fill"] = _pct(total_row["booked"], total_row["seats"])
        total_row["attended_fill"] = _pct(total_row["attended"], total_row["seats"])
    return Table(key, title, [
        Column("label", label, "text"), Column("held", N_("Sessions held")),
        Column("seats", N_("Seats")), Column("booked", N_("Booked")),
        Column("attended", N_("Attended")),
        Column("booked_fill", N_("Booked fill"), "pct"),
        Column("attended_fill", N_("Attended fill"), "pct"),
        Column("too_few", N_("Sessions with too few participants")),
    ], rows, total_row, N_("Held sessions only."))


# -- feedback (smileys) by theme and location ----------------------------------------

def feedback_tables(sessions: list, feedback: dict, lang: str) -> dict[str, Table]:
    return {
        "feedback_theme": _feedback_table("feedback_theme", N_("Feedback by theme"), N_("Theme"),
                                          _by_theme(lang), sessions, feedback),
        "feedback_location": _feedback_table("feedback_location", N_("Feedback by location"),
                                             N_("Location"), _by_location, sessions, feedback),
    }


def _feedback_table(key: str, title: str, label: str, key_of, sessions: list,
                    feedback: dict) -> Table:
    groups = {}
    for s in sessions:
        if feedback.get(s.id):
            group, group_label = key_of(s)
            groups.setdefault(group, (group_label, Counter()))[1].update(feedback[s.id])
    rows = []
    for group in _by_label(groups):
        group_label, counter = groups[group]
        total = sum(counter.values())
        rows.append({"key": group, "label": group_label,
                     **{SCORE_KEYS[score]: counter[score] for score in SCORE_KEYS},
                     "total": total, "happy_share": _pct(counter[3], total)})
    total_row = _total(rows)
    if total_row:
        total_row["happy_share"] = _pct(total_row["happy"], total_row["total"])
    return Table(key, title, [
        Column("label", label, "text"), Column("happy", N_("Good")),
        Column("neutral", N_("So-so")),
        Column("sad", N_("Not good")), Column("total", N_("Answers")),
        Column("happy_share", N_("Good share"), "pct"),
    ], rows, total_row)


# -- cost against budget, by theme and month -------------------------------------------

def cost_tables(sessions: list, held_ids: list, costs: Counter, per_session: dict, start: date,
                end: date, lang: str, tz) -> dict[str, Table]:
    published = [s for s in sessions if s.status == "published"]
    return {
        "cost_theme": _cost_table("cost_theme", N_("Cost by theme"), N_("Theme"),
                                  _by_theme(lang), [], published, held_ids, costs, per_session),
        "cost_month": _cost_table("cost_month", N_("Cost by month"), N_("Month"), _by_month(tz),
                                  [(m, m) for m in months(start, end)], published, held_ids,
                                  costs, per_session),
    }


def _cost_table(key: str, title: str, label: str, key_of, preset: list, published: list,
                held_ids: list, costs: Counter, per_session: dict) -> Table:
    groups = {k: (lab, Counter()) for k, lab in preset}
    for s in published:
        group, group_label = key_of(s)
        counter = groups.setdefault(group, (group_label, Counter()))[1]
        if s.id in held_ids:
            counter["held"] += 1
            counter["spent"] += costs[s.id]
            counter["attended"] += per_session[s.id]["attended"]
        else:
            counter["upcoming"] += 1
            counter["planned"] += costs[s.id]
    order = [k for k, _ in preset] if preset else _by_label(groups)
    rows = []
    for group in order:
        group_label, c = groups[group]
        rows.append({"key": group, "label": group_label, "held": c["held"],
                     "spent": c["spent"], "attended": c["attended"],
                     "per_participant": _ratio(c["spent"], c["attended"]),
                     "upcoming": c["upcoming"], "planned": c["planned"]})
    total_row = _total(rows)
    if total_row:
        total_row["per_participant"] = _ratio(total_row["spent"], total_row["attended"])
    return Table(key, title, [
        Column("label", label, "text"), Column("held", N_("Sessions held")),
        Column("spent", N_("Spent"), "eur"), Column("attended", N_("Attended")),
        Column("per_participant", N_("Cost per participant"), "eur"),
        Column("upcoming", N_("Sessions upcoming")), Column("planned", N_("Planned"), "eur"),
    ], rows, total_row, N_("Staff cost: the assigned people's cost per session."))


# -- drop-in help (queue numbers, no names) ------------------------------------------------

def dropin_tables(ticket_counts: list) -> dict[str, Table]:
    location_names = {}
    if ticket_counts:
        for loc in db.session.scalars(select(Location).where(
                Location.id.in_({row[0] for row in ticket_counts}))):
            location_names[loc.id] = _place_label(loc)
    return {
        "dropin_topic": _dropin_table("dropin_topic", N_("Drop-in help by topic"), N_("Topic"),
                                      lambda r: (r[1], TOPIC_LABELS.get(r[1], r[1])),
                                      ticket_counts),
        "dropin_location": _dropin_table(
            "dropin_location", N_("Drop-in help by location"), N_("Location"),
            lambda r: (str(r[0]), location_names.get(r[0], str(r[0]))), ticket_counts),
    }


def _dropin_table(key: str, title: str, label: str, key_of, ticket_counts: list) -> Table:
    groups = {}
    for row in ticket_counts:
        group, group_label = key_of(row)
        counter = groups.setdefault(group, (group_label, Counter()))[1]
        counter["tickets"] += row[3]
        counter[row[2]] += row[3]
    rows = [{"key": g, "label": groups[g][0], "tickets": groups[g][1]["tickets"],
             "helped": groups[g][1]["done"], "left": groups[g][1]["gone"],
             "waiting": groups[g][1]["waiting"] + groups[g][1]["called"]}
            for g in _by_label(groups)]
    return Table(key, title, [
        Column("label", label, "text"), Column("tickets", N_("Numbers taken")),
        Column("helped", N_("Helped")), Column("left", N_("Left before their turn")),
        Column("waiting", N_("Still waiting")),
    ], rows, _total(rows))


# -- unmet demand, when the planner offers it ----------------------------------------------

def unmet_table() -> Table | None:
    try:
        from booking.services import planning
    except ImportError:
        return None
    if not hasattr(planning, "latest_unmet"):
        return None
    return _unmet_table(planning.latest_unmet())


# -- summary and scope ------------------------------------------------------------------------

def summarise(totals: dict | None, sessions: list, by_id: dict, held_ids: list,
              upcoming_ids: list, per_session: dict, costs: Counter, ticket_counts: list,
              budget: int, flags: list[dict]) -> dict:
    """The headline figures; `totals` is the by-theme table's total row."""
    totals = totals or _breakdown(Counter())
    spent = sum(costs[i] for i in held_ids)
    planned = sum(costs[i] for i in upcoming_ids)
    return {
        "sessions_held": len(held_ids),
        "sessions_upcoming": len(upcoming_ids),
        "sessions_cancelled": sum(1 for s in sessions if s.status == "cancelled"),
        "participants_reached": totals["attended"],
        "bookings": totals["bookings"],
        "attended": totals["attended"],
        "no_show": totals["no_show"],
        "cancelled": totals["cancelled"],
        "waitlisted": totals["waitlisted"],
        "walk_in": totals["walk_in"],
        "pre_registered": totals["pre_registered"],
        "referred": totals["referred"],
        "attendance_rate": _pct(totals["attended"], totals["attended"] + totals["no_show"]),
        "average_attended_fill": _pct(
            sum(per_session[i]["attended"] for i in held_ids),
            sum(by_id[i].capacity for i in held_ids)),
        "dropin_helped": sum(row[3] for row in ticket_counts if row[2] == "done"),
        "spent": spent,
        "planned": planned,
        "budget": budget,
        "remaining": budget - spent - planned,
        "budget_used": _pct(spent + planned, budget),
        "warnings": len(flags),
    }


def scope_names(organisation_id: int | None, location_id: int | None) -> tuple[str | None, str | None]:
    organisation = location = None
    if organisation_id is not None:
        org = db.session.get(Organisation, organisation_id)
        organisation = org.name if org else str(organisation_id)
    if location_id is not None:
        loc = db.session.get(Location, location_id)
        location = loc.name if loc else str(location_id)
    return organisation, location


SUMMARY_LABELS = {
    "sessions_held": (N_("Sessions held"), "int"),
    "sessions_upcoming": (N_("Sessions upcoming"), "int"),
    "sessions_cancelled": (N_("Sessions cancelled"), "int"),
    "participants_reached": (N_("Participants reached (attended)"), "int"),
    "bookings": (N_("Bookings"), "int"),
    "no_show": (N_("No-shows"), "int"),
    "cancelled": (N_("Cancelled bookings"), "int"),
    "waitlisted": (N_("On a waiting list"), "int"),
    "walk_in": (N_("Walk-in bookings"), "int"),
    "pre_registered": (N_("Pre-registered bookings"), "int"),
    "referred": (N_("Referred bookings"), "int"),
    "attendance_rate": (N_("Attendance rate"), "pct"),
    "average_attended_fill": (N_("Seats filled (held sessions)"), "pct"),
    "dropin_helped": (N_("Helped at a drop-in help hour"), "int"),
    "spent": (N_("Staff cost spent"), "eur"),
    "planned": (N_("Staff cost planned"), "eur"),
    "budget": (N_("Budget"), "eur"),
    "remaining": (N_("Budget left"), "eur"),
    "budget_used": (N_("Budget used or planned"), "pct"),
    "warnings": (N_("Early warnings"), "int"),
}


def _summary_table(summary: dict) -> Table:
    rows = [{"key": key, "label": label, "value": summary[key], "unit": kind}
            for key, (label, kind) in SUMMARY_LABELS.items()]
    return Table("summary", N_("Summary"), [Column("label", N_("Figure"), "text"),
                                        Column("value", N_("Value"), "value")], rows)


def _unmet_table(unmet) -> Table:
    """The planner's unmet demand, shown as it comes: a list of dicts such as
    the planning format's {"demand", "missing", "reason"}, or a plan-like dict
    holding that list under "unmet"."""
    if isinstance(unmet, dict):
        unmet = unmet.get("unmet", [])
    rows = [dict(item) if isinstance(item, dict) else {"item": str(item)}
            for item in (unmet or [])]
    keys = []
    for row in rows:
        keys.extend(k for k in row if k not in keys)
    for row in rows:
        for k in keys:
            value = row.get(k)
            if isinstance(value, (list, tuple, set)):
                row[k] = ", ".join(map(str, value))
            elif not isinstance(value, (int, float, str, type(None))):
                row[k] = str(value)
    labels = {"demand": N_("Demand"), "missing": N_("Sessions missing"), "reason": N_("Why"),
              "weeks": N_("Weeks")}
    return Table("unmet", N_("Unmet demand (latest planning run)"),
                 [Column(k, labels.get(k, k.replace("_", " ").capitalize()),
                         "int" if k == "missing" else "text") for k in keys], rows,
                 description=N_("What the latest planning run could not place, and why."))


def _booking_counts(b) -> Counter:
    counts = Counter(bookings=1)
    counts[b.status] += 1
    counts[b.kind] += 1
    return counts


def _breakdown(counter: Counter) -> dict:
    row = {c.key: counter[c.key] for c in BREAKDOWN_COLUMNS if c.kind == "int"}
    row["attendance_rate"] = _pct(row["attended"], row["attended"] + row["no_show"])
    return row


def _total(rows: list[dict]) -> dict | None:
    if not rows:
        return None
    total = {"key": "total", "label": N_("Total")}
    for key, value in rows[0].items():
        if key in ("key", "label"):
            continue
        if all(isinstance(row.get(key), int) for row in rows):
            total[key] = sum(row[key] for row in rows)
        else:
            total[key] = None
    if "attendance_rate" in total:
        total["attendance_rate"] = _pct(total["attended"], total["attended"] + total["no_show"])
    return total


def _pct(part, whole):
    return round(100 * part / whole, 1) if whole else None


def _ratio(part, whole):
    return round(part / whole, 2) if whole else None
