"""Kiosk forms. Every field is optional or a single tap: a walk-in may
give nothing but a tap."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import AnyOf, DataRequired, Length, Optional, Regexp

from booking.models import DROPIN_TOPICS


class JoinForm(FlaskForm):
    name = StringField(_l("Your first name (you may leave this empty)"),
                       validators=[Optional(), Length(max=80)])
    # One tap, one seat: a double tap or a retried request books once.
    attempt = HiddenField(validators=[DataRequired(), Length(max=60)])


class CheckInForm(FlaskForm):
    code = StringField(_l("Your ticket code"), validators=[DataRequired(), Length(max=300)])


class TopicForm(FlaskForm):
    topic = HiddenField(validators=[DataRequired(), AnyOf(DROPIN_TOPICS)])


class SmileyForm(FlaskForm):
    score = HiddenField(validators=[DataRequired(), AnyOf(["1", "2", "3"])])


class TapForm(FlaskForm):
    """A button that only needs the CSRF token (call staff, call next)."""


class PhoneForm(FlaskForm):
    """"Text me my ticket": typed on the kiosk's big keypad."""
    phone = StringField(_l("Your mobile number"), validators=[
        DataRequired(_l("Type your mobile number.")), Length(max=30),
        Regexp(r"^\+?[0-9 ./-]{6,30}$", message=_l("Write only digits, for example 0470 12 34 56."))])
