"""How things look and read, shared by the kiosk and the public site:
pictograms, clock hands, seats, dates in the visitor's language, and
service errors told in plain words."""
from flask import url_for
from babel import Locale, UnknownLocaleError, dates
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from booking.services import booking as bookings
from booking.site import bp
from booking.times import local, zone

# pictogram files in booking/static/pictograms/
THEME_PICTOGRAMS = {"apply", "agency", "career", "cv", "search", "internet", "form", "phone",
                    "contract", "lock", "payslip", "help", "talk", "meeting", "workshop"}

TOPICS = {
    "email": ("email", _l("E-mail")),
    "cv": ("cv", _l("CV")),
    "career": ("career", _l("Online career file (Mijn Loopbaan)")),
    "eid": ("eid", _l("e-ID and card reader")),
    "forms": ("form", _l("Forms on the internet")),
    "passwords": ("lock", _l("Passwords and log-in")),
    "apps": ("apps", _l("Apps on your phone")),
    "other": ("other", _l("Another question")),
}

# Service messages (English, for the API) told in plain words to a visitor.
EXPLAIN = {
    "This session is cancelled.": _l("This session is cancelled."),
    "This session has ended.": _l("This session is over."),
    "This session has started: walk in at the location instead.":
        _l("This session has already started. You can still walk in at the place itself."),
    "This booking is cancelled.": _l("This booking is cancelled."),
    "This booking is on the waiting list and the session is full.":
        _l("You are on the waiting list and the session is full. Please ask a staff member."),
    "This booking has already been marked as attended or absent.":
        _l("This booking can no longer be changed."),
    "This session has not started yet.": _l("This session has not started yet."),
    "This session started too long ago to join.": _l("This session started too long ago to join."),
    "Choose one of the three faces.": _l("Choose one of the three faces."),
}


# The booking engine's refusals, by code: the same words at the kiosk and on the site.
EXPLAIN_CODE = {
    "not_today": _l("You can walk in on the day of the session only. Book a place ahead instead."),
    "booking_closed": _l("This session no longer takes people."),
    "check_in_closed": _l("Check-in is not open now. It opens one hour before the start."),
    "session_cancelled": _l("This session is cancelled."),
    "session_full": _l("The session is full. Please ask a staff member."),
    "not_started": _l("This session has not started yet."),
}


def explain(error) -> str:
    text = EXPLAIN.get(error.message) or EXPLAIN_CODE.get(getattr(error, "code", None))
    return str(text or _l("This is not possible now. Please ask a staff member."))


def topic_label(topic: str) -> str:
    return str(TOPICS.get(topic, TOPICS["other"])[1])


@bp.app_template_global()
def topic_pictogram(topic: str) -> str:
    return url_for("static", filename=f"pictograms/{TOPICS.get(topic, TOPICS['other'])[0]}.svg")


@bp.app_template_global()
def theme_pictogram(theme) -> str:
    name = theme.pictogram if theme.pictogram in THEME_PICTOGRAMS else "workshop"
    return url_for("static", filename=f"pictograms/{name}.svg")


@bp.app_template_global()
def title_of(theme) -> str:
    return theme.title(str(get_locale()))


@bp.app_template_global()
def description_of(theme) -> str:
    return theme.description(str(get_locale()))


@bp.app_template_global()
def day_of(moment) -> str:
    # Babel directly: Flask-Babel's formatters would convert to its own
    # default zone (UTC); people read the city's local time.
    return dates.format_date(local(moment).date(), "EEEE d MMMM", locale=str(get_locale()))


@bp.app_template_global()
def time_of(moment) -> str:
    return dates.format_time(local(moment), "HH:mm", tzinfo=zone(), locale=str(get_locale()))


@bp.app_template_global()
def clock_hands(moment) -> dict:
    """Angles (degrees, clockwise from 12) for an analogue clock picture."""
    t = local(moment)
    return {"hour": (t.hour % 12) * 30 + t.minute * 0.5, "minute": t.minute * 6}


@bp.app_template_global()
def ticket_code(ticket: str) -> str:
    return bookings.format_ticket(ticket)


@bp.app_template_global()
def qr_svg(url: str, scale: int = 6) -> Markup:
    import segno

    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=scale, dark="#000", light="#fff", border=2, omitsize=True)
    return Markup(svg)


@bp.app_template_global()
def topic_name(topic: str) -> str:
    return topic_label(topic)


@bp.app_template_global()
def language_name(code: str) -> str:
    """A language named in the reader's own language and script (an Arabic
    reader sees "الهولندية" for Dutch), as a label: first letter capital."""
    return language_name_in(code, str(get_locale()))


@bp.app_template_global()
def language_names(codes) -> str:
    """Several languages, each named as language_name() does, in a list."""
    return ", ".join(language_name(code) for code in codes)


def language_name_in(code: str, reader: str) -> str:
    try:
        name = Locale.parse(reader).languages.get(code)
    except (ValueError, UnknownLocaleError):
        name = None
    if not name:
        return code
    return name[:1].upper() + name[1:]


@bp.app_template_global()
def day_label(moment) -> str:
    from flask_babel import gettext

    from booking.models import utcnow

    day = local(moment).date()
    today = local(utcnow()).date()
    if day == today:
        return gettext("Today")
    if (day - today).days == 1:
        return gettext("Tomorrow")
    return day_of(moment)


# Where a session stands now, in words and a pictogram -------------------------

@bp.app_template_global()
def session_state(session) -> dict:
    """The session's phase (services/booking.py: the time rules) told to a
    visitor: {"phase", "text", "pictogram", "open", "books_ahead"}; `open`
    is False once it takes nobody any more (closed, over, cancelled)."""
    from flask_babel import gettext

    from booking.services.booking import Phase, kind_for_kiosk, phase, walk_in_closes_at

    now_phase = phase(session)
    start, end = time_of(session.starts_at), time_of(session.ends_at)
    texts = {
        Phase.later_day: (gettext("On another day: you book a seat ahead."), "state-soon"),
        Phase.today: (gettext("Today. It starts at %(time)s.", time=start), "state-soon"),
        Phase.soon: (gettext("Starts soon, at %(time)s.", time=start), "state-soon"),
        Phase.started: (gettext("Started. You can still join until %(time)s.",
                                time=time_of(walk_in_closes_at(session))), "state-started"),
        Phase.closed: (gettext("Started. It ends at %(time)s. No more places.", time=end),
                       "state-closed"),
        Phase.over: (gettext("This session is over."), "state-over"),
        Phase.cancelled: (gettext("This session is cancelled."), "state-closed"),
    }
    help_hour = "drop_in" in (session.kind, session.theme.kind)
    if help_hour and now_phase in (Phase.started, Phase.closed):
        # Nobody books a help hour: numbers are taken until its end.
        now_phase = Phase.started
        texts[now_phase] = (gettext("On now, until %(time)s: take a number.", time=end),
                            "state-started")
    text, picture = texts[now_phase]
    return {
        "phase": str(now_phase),
        "text": text,
        "pictogram": url_for("static", filename=f"pictograms/{picture}.svg"),
        "open": now_phase not in (Phase.closed, Phase.over, Phase.cancelled),
        # A kiosk books a later day ahead: only the seats not kept for walk-ins.
        "books_ahead": kind_for_kiosk(session) == "pre_registered",
    }


@bp.app_template_global()
def explain_phase(phase: str) -> str:
    """Why a session takes nobody now, in the words the kiosk and the site
    use when a booking is refused for that reason."""
    if phase == "cancelled":
        return str(EXPLAIN["This session is cancelled."])
    if phase == "over":
        return str(EXPLAIN["This session has ended."])
    return str(EXPLAIN_CODE["booking_closed"])
