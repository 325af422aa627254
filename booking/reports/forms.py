"""The report's period and scope, read from the query string (a GET form:
a report is a bookmarkable, shareable address, and changes nothing)."""
from dataclasses import dataclass, field
from datetime import date, datetime

from booking.i18n import N_
from booking.models.base import LARGEST_ID
from booking.services import reports
from booking.times import zone

PRESETS = {
    "ytd": (N_("This year to date"), reports.year_to_date),
    "interim": (N_("Interim (to June)"), reports.interim),
    "full": (N_("Full (to October)"), reports.full),
}
MAX_DAYS = 3 * 366


@dataclass
class PeriodForm:
    start: date
    end: date
    preset: str | None = None
    organisation_id: int | None = None
    location_id: int | None = None
    budget: int | None = None
    errors: dict = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors

    def query(self) -> dict:
        """The query string that gives this report again (for CSV and print links)."""
        args = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.organisation_id is not None:
            args["organisation"] = self.organisation_id
        if self.location_id is not None:
            args["location"] = self.location_id
        if self.budget is not None:
            args["budget"] = self.budget
        return args


def today() -> date:
    return datetime.now(zone()).date()


def parse(args, *, now: date | None = None) -> PeriodForm:
    now = now or today()
    errors = {}
    preset = args.get("preset")
    start, end = reports.year_to_date(now)
    if preset in PRESETS:
        start, end = PRESETS[preset][1](now)
    else:
        preset = None
        start = _date(args, "from", start, errors)
        end = _date(args, "to", end, errors)
    if start > end:
        errors["to"] = N_("The end date must not lie before the start date.")
        start, end = reports.year_to_date(now)
    elif (end - start).days > MAX_DAYS:
        errors["to"] = N_("Choose a period of at most three years.")
        start, end = reports.year_to_date(now)
    return PeriodForm(
        start, end, preset,
        organisation_id=_int(args, "organisation", errors),
        location_id=_int(args, "location", errors),
        budget=_int(args, "budget", errors),
        errors=errors,
    )


def _date(args, name, default, errors):
    text = (args.get(name) or "").strip()
    if not text:
        return default
    try:
        value = date.fromisoformat(text)
    except ValueError:
        errors[name] = N_("Give a date as YYYY-MM-DD.")
        return default
    if not 1970 < value.year < 2999:
        errors[name] = N_("Give a date between 1971 and 2998.")
        return default
    return value


def _int(args, name, errors):
    text = (args.get(name) or "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > 12 or int(text) > LARGEST_ID:
        errors[name] = N_("Give a whole number.")
        return None
    return int(text)
