"""Public site forms: a first name and, if you like, a phone number."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from booking.models import AGE_GROUPS


class BookForm(FlaskForm):
    name = StringField(_l("First name"), validators=[
        DataRequired(_l("Please write your first name.")), Length(max=80)])
    phone = StringField(_l("Phone number (optional)"), validators=[
        Optional(), Length(max=30),
        Regexp(r"^\+?[0-9 ./-]{6,}$", message=_l("Write only digits, for example 0470 12 34 56."))])
    age_group = SelectField(_l("Age (optional)"), validators=[Optional()],
                            choices=[SelectChoice("", "-")] + [SelectChoice(g, g) for g in AGE_GROUPS])
    # A fresh key per form shown: sent twice (a double tap, a reload after a
    # slow answer), the form makes one booking, not two. A page without one
    # (an old cached copy) still books.
    attempt = HiddenField(validators=[Optional(), Length(max=60)])


class TicketForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    ticket = StringField(_l("Your ticket code"), validators=[DataRequired(), Length(max=300)])


class CancelForm(FlaskForm):
    pass
