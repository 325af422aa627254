from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from booking.partner.forms import language_options, options


class ReferralForm(FlaskForm):
    session = SelectField(_l("Session or help hour"), coerce=int)
    client_name = StringField(_l("Client's first name or initials"),
                              validators=[DataRequired(), Length(max=40)])
    phone = StringField(_l("Client's phone (optional, for changes)"),
                        validators=[Optional(), Length(max=30)])
    email = StringField(_l("Client's e-mail (optional): the booking and a calendar file are "
                           "sent to it; it is not stored with the referral"),
                        validators=[Optional(), Length(max=254)])
    need = TextAreaField(_l("What does the client need help with?"),
                         validators=[DataRequired(), Length(max=300)])
    language = SelectField(_l("Client's language"),
                           choices=language_options())
    consent = BooleanField(_l("The client agrees that these details are shared with the trainer "
                              "or steward"))

    SERVICE_FIELDS = {"session": "session", "client_name": "client_name", "need": "need",
                      "phone": "phone", "consent": "consent"}

    def validate_email(self, field):
        text = (field.data or "").strip()
        if text and ("@" not in text or " " in text or text.startswith("@") or text.endswith("@")):
            raise ValidationError(_l("This is not an e-mail address."))


class FeedbackForm(FlaskForm):
    came = RadioField(_l("Did the client come?"), choices=options([("yes", _l("Yes")), ("no", _l("No"))]),
                      validators=[InputRequired()])
    learned = TextAreaField(_l("What was learned"), validators=[Optional(), Length(max=2000)])
    next_step = TextAreaField(_l("Next step"), validators=[Optional(), Length(max=2000)])
