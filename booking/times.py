"""Time helpers: the database holds UTC, people and the API see the
city's local time with its offset."""
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

# Sessions are planned in this century; far-off dates only overflow arithmetic.
MIN_YEAR, MAX_YEAR = 1970, 2999
EARLIEST = datetime(MIN_YEAR, 1, 2, tzinfo=UTC)
LATEST = datetime(MAX_YEAR, 12, 30, tzinfo=UTC)


def zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def local(moment: datetime) -> datetime:
    return moment.astimezone(zone())


def iso(moment: datetime) -> str:
    return local(moment).isoformat(timespec="seconds")


def parse_aware(text: str, *, clamp: bool = False) -> datetime:
    """An ISO 8601 date-time that names its UTC offset; anything else raises
    ValueError, because a time without offset is ambiguous for a partner in
    another zone and across daylight-saving changes."""
    if not isinstance(text, str):
        raise ValueError("must be a string")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError("is not an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        raise ValueError("needs a UTC offset, e.g. 2027-03-01T10:00:00+01:00")
    if not MIN_YEAR < moment.year < MAX_YEAR:
        if not clamp:
            raise ValueError(f"must lie between the years {MIN_YEAR} and {MAX_YEAR}")
        return EARLIEST if moment.year <= MIN_YEAR else LATEST
    return moment.astimezone(UTC)


def parse_bound(text: str, *, end: bool) -> datetime:
    """A date (whole local day, so `to` includes that day) or an aware
    date-time, for filters: a far-off bound simply includes everything."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return parse_aware(text, clamp=True)
    if not MIN_YEAR < day.year < MAX_YEAR:
        return EARLIEST if day.year <= MIN_YEAR else LATEST
    if end:
        day += timedelta(days=1)
    return datetime.combine(day, time(0), tzinfo=zone()).astimezone(UTC)


class NonexistentLocalTime(ValueError):
    """A wall-clock time the city skips (spring clock change: 02:00-03:00)."""


def local_moment(day: date, clock: time) -> datetime:
    """`day` at `clock`, local time, in UTC. A time in the spring gap does
    not exist there: saving it would silently become another hour, so it
    raises NonexistentLocalTime for the form to say so. In the autumn's
    repeated hour the first (summer-time) one is meant."""
    moment = datetime.combine(day, clock, tzinfo=zone())
    back = moment.astimezone(UTC).astimezone(zone())
    if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise NonexistentLocalTime(f"{clock:%H:%M} does not exist on {day}: the clock skips it")
    return moment.astimezone(UTC)
