"""API tokens of the organisation: made here, shown once, revoked here."""
import secrets

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from booking.auth.access import organisation_scope
from booking.auth.forms import ActionForm
from booking.extensions import db
from booking.models import ApiToken, hash_token, utcnow
from booking.partner import bp
from booking.partner.forms import TokenForm


def _token_organisation() -> int:
    scope = organisation_scope()
    if scope is None:
        abort(403)  # an admin has no organisation: tokens are made by its staff or the CLI
    return scope


@bp.route("/tokens", methods=["GET", "POST"])
def tokens():
    organisation_id = _token_organisation()
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        new_token = secrets.token_urlsafe(32)
        db.session.add(ApiToken(organisation_id=organisation_id, token_hash=hash_token(new_token),
                                label=(form.label.data or "").strip()))
        db.session.commit()
        form.label.data = ""
    found = db.session.scalars(
        select(ApiToken).where(ApiToken.organisation_id == organisation_id)
        .order_by(ApiToken.created_at.desc())
    ).all()
    response = render_template("partner/tokens.html", form=form, tokens=found,
                               new_token=new_token, action_form=ActionForm())
    return response, 200, {"Cache-Control": "no-store"}


@bp.post("/tokens/<int:token_id>/revoke")
def revoke_token(token_id):
    organisation_id = _token_organisation()
    token = db.session.get(ApiToken, token_id)
    if token is None or token.organisation_id != organisation_id:
        abort(404)
    if ActionForm().validate_on_submit() and token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()
        flash(_("The token is revoked."), "info")
    return redirect(url_for(".tokens"))
