"""Accounts (admins): invite someone (they choose their password through an
e-mailed link), change a role, deactivate; and the audit log per session and
per user, readable."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from booking.auth.access import role_required
from booking.auth.forms import ActionForm
from booking.extensions import db
from booking.models import Organisation, Person, User
from booking.partner import bp
from booking.partner.common import form_errors, interface_language, own_session
from booking.partner.forms import InviteForm, RoleForm, options, role_labels
from booking.services import accounts, audit_log
from booking.services.errors import ServiceError
from booking.urls import public_url

admin_required = role_required("admin")


def _organisation_choices(form):
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    form.organisation.choices = options(
        [(0, _("None"))] + [(o.id, o.name) for o in organisations])


def _organisation(form) -> Organisation | None:
    return db.session.get(Organisation, form.organisation.data) if form.organisation.data else None


def _invitation_link(token: str) -> str:
    return public_url("auth.accept_invitation", token=token)


@bp.route("/users", methods=["GET", "POST"])
@admin_required
def users():
    form = InviteForm()
    _organisation_choices(form)
    people = db.session.scalars(select(Person).order_by(Person.name)).all()
    form.person.choices = options([(0, _("None"))] + [(p.id, p.name) for p in people])
    if form.validate_on_submit():
        try:
            user = accounts.invite(
                form.email.data, role=form.role.data, name=(form.name.data or "").strip(),
                organisation=_organisation(form),
                person=db.session.get(Person, form.person.data) if form.person.data else None,
                link_for=_invitation_link, actor=accounts.actor_of(current_user))
        except ServiceError as error:
            db.session.rollback()
            form_errors(form, error)
        else:
            flash(_("%(email)s is invited: a link to choose a password is on its way.",
                    email=user.email), "info")
            return redirect(url_for(".users") + f"#user-{user.id}")
    found = db.session.scalars(select(User).order_by(User.active.desc(), User.email)).all()
    return render_template("partner/users.html", users=found, form=form,
                           action_form=ActionForm(), role_labels=role_labels()), (
        422 if form.errors else 200)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def user(user_id):
    account = db.session.get(User, user_id) or abort(404)
    form = RoleForm()
    _organisation_choices(form)
    if request.method == "GET":
        form.role.data = account.role
        form.organisation.data = account.organisation_id or 0
    if form.validate_on_submit():
        try:
            accounts.change_role(account, form.role.data, _organisation(form),
                                 actor=accounts.actor_of(current_user), acting_user=current_user)
        except ServiceError as error:
            db.session.rollback()
            form_errors(form, error)
        else:
            flash(_("The role of %(email)s is changed.", email=account.email), "info")
            return redirect(url_for(".user", user_id=account.id))
    return render_template("partner/user.html", account=account, form=form,
                           action_form=ActionForm(), lines=audit_log.by_user(account),
                           role_labels=role_labels()), (422 if form.errors else 200)


@bp.post("/users/<int:user_id>/active")
@admin_required
def set_user_active(user_id):
    account = db.session.get(User, user_id) or abort(404)
    if ActionForm().validate_on_submit():
        active = request.form.get("active") == "1"
        try:
            accounts.set_active(account, active, actor=accounts.actor_of(current_user),
                                acting_user=current_user)
        except ServiceError as error:
            flash(error.message, "error")
        else:
            flash(_("%(email)s can log in again.", email=account.email) if active else
                  _("%(email)s is deactivated and can no longer log in.", email=account.email),
                  "info")
    return redirect(url_for(".user", user_id=account.id))


@bp.get("/users/<int:user_id>/history")
def audit_user(user_id):
    """Your own changes (any staff member), or anyone's (admins)."""
    if current_user.role != "admin" and current_user.id != user_id:
        abort(404)
    account = db.session.get(User, user_id) or abort(404)
    return render_template("partner/audit.html", title=_("Changes by %(name)s",
                                                         name=account.display_name),
                           lines=audit_log.by_user(account), back=url_for("auth.account"))


@bp.get("/sessions/<int:session_id>/history")
def audit_session(session_id):
    session = own_session(session_id)
    return render_template("partner/audit.html", title=_("History of the session"),
                           subtitle=session.theme.title(interface_language()),
                           lines=audit_log.for_session(session),
                           back=url_for(".session", session_id=session.id))

