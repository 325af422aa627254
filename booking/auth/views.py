"""Log-in, log-out and the account page."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from booking.auth import bp, start_session
from booking.auth.access import home_endpoint
from booking.auth.forms import ActionForm, LoginForm
from booking.extensions import db, limiter
from booking.services import accounts
from booking.security import safe_next
from booking.services.accounts import LockedOut


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(
                form.email.data, form.password.data, request.remote_addr or "unknown"
            )
        except LockedOut:
            flash(_("Too many failed log-ins. Wait a few minutes and try again."), "error")
            status = 429
        else:
            if user is not None:
                login_user(user)
                start_session(user)
                return redirect(safe_next(request.args.get("next"))
                                or url_for(home_endpoint(user)))
            flash(_("The e-mail address or password is not right."), "error")
            status = 401
    elif request.method == "POST":
        status = 400
    return render_template("partner/login.html", form=form), status


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        # Every copy of this user's session cookie stops working, here and
        # on any other device.
        accounts.end_sessions(current_user)
        db.session.commit()
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET"])
@login_required
def account():
    return render_template("partner/account.html", form=ActionForm())


@bp.post("/account/feed-token")
@login_required
def regenerate_own_feed():
    from booking.services.staff import regenerate_feed_token

    if current_user.person is None:
        return redirect(url_for("auth.account"))
    regenerate_feed_token(current_user.person)
    db.session.commit()
    flash(_("Your calendar address was changed. The old one no longer works."), "info")
    return redirect(url_for("auth.account"))
