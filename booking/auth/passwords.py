"""Passwords: change your own, forget it (a link by e-mail through the
outbox), and the link of an invitation. Every change goes through
accounts.set_password."""
from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from booking.auth import bp, start_session
from booking.auth.forms import ForgotPasswordForm, NewPasswordForm, PasswordChangeForm
from booking.extensions import limiter
from booking.services import accounts
from booking.services.errors import ServiceError
from booking.urls import public_url

FIELDS = {"password": "new_password", "current_password": "current_password"}


def _place_errors(form, error: ServiceError):
    for key, message in error.fields.items():
        field = getattr(form, FIELDS.get(key, key), None)
        if field is not None:
            field.errors = list(field.errors) + [_password_message(key, message)]


def _password_message(key: str, message: str) -> str:
    if key != "password":
        return _("not right")
    if message.startswith("at least"):
        return _("at least %(n)d characters", n=accounts.MIN_PASSWORD_LENGTH)
    return _("This password is too common or too easy to guess. Use a few unrelated words.")


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current_password.data,
                                     form.new_password.data)
        except ServiceError as error:
            _place_errors(form, error)
        else:
            # Every other session of this user ended; this one goes on.
            start_session(current_user)
            flash(_("Your password is changed."), "info")
            return redirect(url_for("auth.account"))
    return render_template("partner/password_change.html", form=form), (
        422 if form.errors else 200)


def _reset_link(token: str) -> str:
    return public_url("auth.reset_password", token=token)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        accounts.send_reset_link(form.email.data, _reset_link)
        # The same answer whether or not the address has an account.
        flash(_("If this address has an account, a link to choose a new password is on its "
                "way. It works for %(hours)d hours.", hours=accounts.reset_link_hours()), "info")
        return redirect(url_for("auth.login"))
    return render_template("partner/password_forgot.html", form=form), (
        422 if form.errors else 200)


def _new_password_page(token: str, max_age_seconds: int, title: str):
    user = accounts.user_for_token(token, max_age_seconds=max_age_seconds)
    if user is None:
        return render_template("partner/password_link_invalid.html"), 410
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.set_password(user, form.new_password.data,
                                  actor=accounts.actor_of(user))
        except ServiceError as error:
            _place_errors(form, error)
        else:
            if current_user.is_authenticated:
                logout_user()
            flash(_("Your password is set. You can log in now."), "info")
            return redirect(url_for("auth.login"))
    return render_template("partner/password_new.html", form=form, title=title, user=user), (
        422 if form.errors else 200)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    return _new_password_page(token, accounts.reset_link_hours() * 3600,
                              _("Choose a new password"))


@bp.route("/password/welcome/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    return _new_password_page(token, accounts.invitation_days() * 86400,
                              _("Choose your password"))
