"""Referral pages: parse, check access, call the referrals service, render."""
from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from booking.audit import current_actor
from booking.auth.access import role_required
from booking.auth.forms import ActionForm
from booking.counsellor import bp
from booking.counsellor.forms import FeedbackForm, ReferralForm
from booking.extensions import db
from booking.partner.forms import options
from booking.models import Room, Session, StaffAssignment, Theme, utcnow
from booking.services import referrals
from booking.services.errors import NotFound, ServiceError
from booking.times import local


def _session_choices(theme_id=None, language=None, keep=None):
    """Coming sessions for participants, narrowed by theme and language; the
    session already chosen (`keep`) stays in the list."""
    now = utcnow()
    statement = (
        select(Session).join(Theme)
        .options(selectinload(Session.theme), selectinload(Session.room).selectinload(Room.location))
        .where(Session.status == "published", Session.starts_at > now,
               Session.starts_at < now + timedelta(days=90), Theme.audience == "participants")
        .order_by(Session.starts_at).limit(400)
    )
    if theme_id:
        statement = statement.where(Session.theme_id == theme_id)
    found = db.session.scalars(statement).all()
    if language:
        found = [s for s in found if language in (s.languages or [])]
    if keep and all(s.id != keep for s in found):
        kept = db.session.get(Session, keep)
        if kept is not None and kept.status == "published" and kept.starts_at > now:
            found.insert(0, kept)
    shown = str(get_locale() or "nl")
    return options(
        (s.id, f"{local(s.starts_at):%a %d/%m %H:%M} · {s.theme.title(shown)} · "
               f"{s.room.location.name}" + (" · " + _("drop-in") if s.kind == "drop_in" else ""))
        for s in found
    )


def _participant_themes():
    return db.session.scalars(
        select(Theme).where(Theme.audience == "participants").order_by(Theme.id)
    ).all()


@bp.get("/")
@role_required("counsellor", "admin")
def index():
    return render_template("partner/referrals.html", referrals=referrals.for_counsellor(current_user))


@bp.route("/referrals/new", methods=["GET", "POST"])
@role_required("counsellor", "admin")
def new_referral():
    form = ReferralForm()
    chosen = {"theme": request.args.get("theme") or None,
              "language": request.args.get("language") or None}
    keep = request.args.get("session", type=int) or (form.session.data if request.method == "POST"
                                                    else None)
    if request.method == "POST":
        chosen = {"theme": None, "language": None}  # any coming session may be posted
    form.session.choices = _session_choices(chosen["theme"], chosen["language"], keep)
    if request.method == "GET" and request.args.get("session", type=int):
        form.session.data = request.args.get("session", type=int)
    if form.validate_on_submit():
        try:
            referral = referrals.refer(
                current_user, form.session.data, client_name=form.client_name.data,
                need=form.need.data, language=form.language.data, phone=form.phone.data,
                consent=form.consent.data, email=(form.email.data or "").strip() or None,
                actor=current_actor(),
            )
        except ServiceError as error:
            placed = False
            for key, message in error.fields.items():
                field = getattr(form, ReferralForm.SERVICE_FIELDS.get(key, ""), None)
                if field is not None:
                    field.errors = list(field.errors) + [message]
                    placed = True
            if not placed:
                flash(error.message, "error")
        else:
            flash(_("The referral is recorded."), "info")
            return redirect(url_for(".referral", referral_id=referral.id))
    return render_template("partner/referral_form.html", form=form, chosen=chosen,
                           themes=_participant_themes()), (422 if form.errors else 200)


@bp.route("/referrals/<int:referral_id>", methods=["GET", "POST"])
@login_required
def referral(referral_id):
    try:
        found = referrals.get_for(current_user, referral_id)
    except NotFound:
        abort(404)
    may_give = referrals.may_give_feedback(current_user, found)
    form = FeedbackForm() if may_give else None
    if form is not None and request.method == "GET" and found.has_feedback:
        form.came.data = "yes" if found.came else "no"
        form.learned.data = found.learned
        form.next_step.data = found.next_step
    if request.method == "POST":
        if form is None:
            abort(403)
        if form.validate_on_submit():
            try:
                referrals.record_feedback(current_user, found, came=form.came.data == "yes",
                                          learned=form.learned.data,
                                          next_step=form.next_step.data)
            except ServiceError as error:
                flash(error.message, "error")
            else:
                flash(_("Thank you: the counsellor can read your feedback now."), "info")
                return redirect(url_for(".referral", referral_id=found.id))
    may_withdraw = (current_user.id == found.counsellor_id and found.booking is not None
                    and found.booking.status in ("confirmed", "waitlisted"))
    return render_template("partner/referral.html", referral=found, form=form,
                           may_withdraw=may_withdraw), (
        422 if form is not None and form.errors else 200)


@bp.post("/referrals/<int:referral_id>/withdraw")
@role_required("counsellor", "admin")
def withdraw(referral_id):
    try:
        found = referrals.get_for(current_user, referral_id)
        if ActionForm().validate_on_submit():
            referrals.withdraw(current_user, found, actor=current_actor())
            flash(_("The referral is withdrawn and the seat is free again."), "info")
    except NotFound:
        abort(404)
    except ServiceError as error:
        flash(error.message, "error")
    return redirect(url_for(".referral", referral_id=referral_id))


@bp.get("/my-sessions")
@role_required("trainer")
def my_sessions():
    if current_user.person_id is None:
        abort(403)
    since = utcnow() - timedelta(days=30)
    found = db.session.scalars(
        select(Session).join(StaffAssignment, StaffAssignment.session_id == Session.id)
        .where(StaffAssignment.person_id == current_user.person_id, Session.ends_at >= since,
               Session.status != "draft")
        .order_by(Session.starts_at)
    ).all()
    rows = [(s, referrals.for_session(current_user, s)) for s in found]
    return render_template("partner/my_sessions.html", rows=rows)
