import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from booking.security import PlausibleDateField
from booking import LANGUAGES
from booking.messages import ROLE_NAMES
from booking.models import AGE_GROUPS, ROOM_FEATURES, STAFF_ROLES

FEATURE_LABELS = {
    "pc_room": _l("PC room"), "projector": _l("Projector"), "wheelchair": _l("Wheelchair access"),
    "interpreter_booth": _l("Interpreter booth"), "childcare": _l("Childcare"),
}
WINDOW = re.compile(r"^\s*([1-7])(?:\s*-\s*([1-7]))?\s+([0-2]\d:[0-5]\d)\s*-\s*([0-2]\d:[0-5]\d)\s*$")


def options(pairs) -> list[SelectChoice]:
    """Choices as WTForms 3.3 wants them (tuples are deprecated)."""
    return [SelectChoice(value, label) for value, label in pairs]


def optional_id(value) -> int | None:
    """A select's id, or None for its empty choice."""
    return int(value) if value not in (None, "", "None") else None


def area_options(areas, empty) -> list[SelectChoice]:
    """Areas grouped by their city, after an empty choice."""
    return [SelectChoice("", empty)] + [SelectChoice(area.id, area.name, optgroup=area.city)
                                         for area in areas]


def language_options() -> list[SelectChoice]:
    """Each language in its own name, marked with its language for screen readers."""
    return [SelectChoice(code, name, render_kw={"lang": code, "dir": direction})
            for code, (name, direction) in LANGUAGES.items()]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def parse_opening_hours(text: str) -> list[dict]:
    """Lines like `1-5 09:00-17:00` or `6 10:00-12:00` (1 = Monday)."""
    windows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = WINDOW.match(line)
        if not match:
            raise ValueError(f"line {number} is not like '1-5 09:00-17:00'")
        first, last, start, end = match.groups()
        first, last = int(first), int(last or first)
        if last < first or start >= end or end > "24:00":
            raise ValueError(f"line {number}: days or hours are in the wrong order")
        windows.append({"weekdays": list(range(first, last + 1)), "start": start, "end": end})
    return windows


def format_opening_hours(windows: list[dict]) -> str:
    lines = []
    for w in windows or []:
        days = w["weekdays"]
        span = str(days[0]) if len(days) == 1 else f"{days[0]}-{days[-1]}"
        if days != list(range(days[0], days[-1] + 1)):
            lines += [f"{d} {w['start']}-{w['end']}" for d in days]
            continue
        lines.append(f"{span} {w['start']}-{w['end']}")
    return "\n".join(lines)


class LocationForm(FlaskForm):
    organisation = SelectField(_l("Organisation"), coerce=int, validate_choice=True)
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=100)])
    area = SelectField(_l("Neighbourhood"), coerce=optional_id, validate_choice=True)
    new_area = StringField(_l("Not in the list: a new neighbourhood of this city"),
                           validators=[Optional(), Length(max=100)])
    opening_hours = TextAreaField(_l("Opening hours"), validators=[Optional(), Length(max=2000)])

    def validate_opening_hours(self, field):
        try:
            self.parsed_hours = parse_opening_hours(field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from None


class ClosureForm(FlaskForm):
    first_day = PlausibleDateField(_l("First closed day"), validators=[DataRequired()])
    last_day = PlausibleDateField(_l("Last closed day (empty: one day)"), validators=[Optional()])
    reason = StringField(_l("Why (for example: works)"), validators=[Optional(), Length(max=200)])

    def validate_last_day(self, field):
        if field.data and self.first_day.data and field.data < self.first_day.data:
            raise ValidationError(_l("The last day comes before the first day."))


class RoomForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    capacity = IntegerField(_l("Places"), validators=[DataRequired(), NumberRange(1, 500)])
    features = MultiCheckboxField(
        _l("Features"), choices=options((f, FEATURE_LABELS.get(f, f)) for f in ROOM_FEATURES)
    )


class SessionForm(FlaskForm):
    theme = SelectField(_l("Theme"), validators=[DataRequired()])
    room = SelectField(_l("Room"), coerce=int)
    day = PlausibleDateField(_l("Day"), validators=[DataRequired()])
    starts = TimeField(_l("Starts"), validators=[DataRequired()])
    ends = TimeField(_l("Ends"), validators=[DataRequired()])
    capacity = IntegerField(_l("Seats"), validators=[DataRequired(), NumberRange(1, 500)])
    walk_in_seats = IntegerField(_l("Of which kept for walk-ins"),
                                 validators=[Optional(), NumberRange(0, 500)], default=0)
    languages = MultiCheckboxField(_l("Languages"),
                                   choices=language_options(),
                                   default=["nl"])
    status = SelectField(_l("Status"), choices=options([("published", _l("Published")),
                                                        ("draft", _l("Draft (not shown)"))]))
    # A new session: how many weeks in a row (a weekly series when more than 1).
    weeks = IntegerField(_l("Every week, this many weeks"), default=1,
                         validators=[Optional(), NumberRange(1, 52)])
    # A session of a series: change the later ones the same way.
    rest_of_series = BooleanField(_l("Change the later sessions of this series too"))

    # Service field names -> form fields, for the messages of the services.
    SERVICE_FIELDS = {"starts_at": "starts", "ends_at": "ends", "room": "room", "theme": "theme",
                      "capacity": "capacity", "walk_in_seats": "walk_in_seats",
                      "status": "status", "kind": "theme"}


class AssignForm(FlaskForm):
    person = SelectField(_l("Person"), coerce=int)
    role = SelectField(_l("Role"), choices=options((r, _l(ROLE_NAMES[r])) for r in STAFF_ROLES))


class WalkInForm(FlaskForm):
    name = StringField(_l("Name (optional)"), validators=[Optional(), Length(max=80)])
    phone = StringField(_l("Phone (optional)"), validators=[Optional(), Length(max=30)])
    language = SelectField(_l("Language"),
                           choices=language_options())
    age_group = SelectField(_l("Age group"),
                            choices=options([("", _l("Not given"))] + [(a, a) for a in AGE_GROUPS]))


class TokenForm(FlaskForm):
    label = StringField(_l("What is the token for?"), validators=[Optional(), Length(max=100)])


def role_labels() -> dict:
    return {"partner_staff": _l("Partner staff"), "counsellor": _l("Counsellor"),
            "trainer": _l("Trainer or steward"), "coordinator": _l("Coordinator"),
            "admin": _l("Administrator")}


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=options(role_labels().items()),
                       validators=[DataRequired()])
    organisation = SelectField(_l("Organisation"), coerce=int, default=0)


class InviteForm(RoleForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    person = SelectField(_l("Person (for a trainer or steward)"), coerce=int, default=0)
