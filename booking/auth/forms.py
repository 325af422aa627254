from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from flask_babel import lazy_gettext as _l


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField(_l("Log in"))


class ActionForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change something."""


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[DataRequired(), Length(max=200)],
                                     render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)],
                                 render_kw={"autocomplete": "new-password"})
    repeat = PasswordField(_l("New password again"), validators=[DataRequired(), Length(max=200)],
                           render_kw={"autocomplete": "new-password"})

    def validate_repeat(self, field):
        if field.data != self.new_password.data:
            raise ValidationError(_l("The two new passwords are not the same."))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username"})


class NewPasswordForm(FlaskForm):
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)],
                                 render_kw={"autocomplete": "new-password"})
    repeat = PasswordField(_l("New password again"), validators=[DataRequired(), Length(max=200)],
                           render_kw={"autocomplete": "new-password"})

    def validate_repeat(self, field):
        if field.data != self.new_password.data:
            raise ValidationError(_l("The two new passwords are not the same."))
