from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from booking.security import PlausibleDateField
from booking.partner.forms import MultiCheckboxField, options, parse_opening_hours
from booking.services.people import LANGUAGE

LANGUAGE_CHOICES = options([("", _l("Any language")), ("nl", "Nederlands"), ("fr", "Français"),
                            ("en", "English"), ("ar", "العربية"), ("tr", "Türkçe")])


class PeriodMixin:
    def validate_end(self, field):
        if self.start.data and field.data:
            if field.data < self.start.data:
                raise ValidationError(_l("The end is before the start."))
            if field.data - self.start.data > timedelta(days=190):
                raise ValidationError(_l("Plan at most half a year at once."))


class PlanForm(PeriodMixin, FlaskForm):
    start = PlausibleDateField(_l("First day"))
    end = PlausibleDateField(_l("Last day"))
    time_limit = IntegerField(_l("Seconds the planner may think"), default=30,
                              validators=[NumberRange(min=5, max=600)])
    budget = IntegerField(_l("Budget for staff in this period (EUR)"), validators=[
        Optional(), NumberRange(min=0, max=10_000_000)])
    repair = BooleanField(_l("Repair only: keep what is published, change only what must change"))


class DemandForm(FlaskForm):
    theme = SelectField(_l("Theme"))
    sessions = IntegerField(_l("Number of sessions"), default=1,
                            validators=[NumberRange(min=1, max=200)])
    per_week = BooleanField(_l("That many every week"))
    same_slot_each_week = BooleanField(_l("Same day, time and place every week"))
    locations = MultiCheckboxField(_l("At these locations"), coerce=int)
    areas = MultiCheckboxField(_l("Or in these areas"), coerce=int)
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    priority = IntegerField(_l("Priority (1 low - 5 high)"), default=3,
                            validators=[NumberRange(min=1, max=5)])
    window_start = PlausibleDateField(_l("From"), validators=[Optional()])
    window_end = PlausibleDateField(_l("Until"), validators=[Optional()])

    def validate_window_end(self, field):
        if field.data and self.window_start.data and field.data < self.window_start.data:
            raise ValidationError(_l("The end is before the start."))


class AbsenceForm(FlaskForm):
    person = SelectField(_l("Who"), coerce=int)
    first_day = PlausibleDateField(_l("Absent from"))
    last_day = PlausibleDateField(_l("Absent until (included)"))

    def validate_last_day(self, field):
        if self.first_day.data and field.data and field.data < self.first_day.data:
            raise ValidationError(_l("The end is before the start."))


class ImportForm(FlaskForm):
    problem = FileField(_l("Planning problem (JSON)"), validators=[FileRequired()])
    time_limit = IntegerField(_l("Seconds the planner may think"), default=30,
                              validators=[NumberRange(min=5, max=600)])


class PersonForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    roles = MultiCheckboxField(_l("Roles"), choices=options([
        ("trainer", _l("Trainer")), ("steward", _l("ICT steward")), ("volunteer", _l("Volunteer"))]))
    themes = MultiCheckboxField(_l("Themes (none ticked: every theme)"))
    languages = StringField(_l("Languages (codes, comma separated)"), default="nl",
                            validators=[DataRequired()])
    cost_per_session = IntegerField(_l("Cost per session (EUR)"), default=0,
                                    validators=[NumberRange(min=0, max=100_000)])
    max_sessions = IntegerField(_l("At most this many sessions per plan"),
                                validators=[Optional(), NumberRange(min=0, max=1000)])
    locations = MultiCheckboxField(_l("Works at (none ticked: anywhere)"), coerce=int)
    availability = TextAreaField(_l("Available (one line per window, e.g. 1-5 09:00-17:00; empty: always)"))

    def validate_languages(self, field):
        codes = [c.strip() for c in (field.data or "").split(",") if c.strip()]
        if not codes or not all(LANGUAGE.match(c) for c in codes):
            raise ValidationError(_l("Use language codes such as nl, ar, tr."))

    def validate_availability(self, field):
        try:
            parse_opening_hours(field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from None
