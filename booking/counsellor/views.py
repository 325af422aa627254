"""Referral pages: parse, check access, call the referrals service, render."""
from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from booking.audit import current_actor
from booking.auth.access import role_required
from booking.auth.forms import ActionForm
from booking.counsellor import bp
from booking.counsellor.forms import FeedbackForm, ReferralForm
from booking.extensions import db
from booking.partner.forms import options
from booking.models import Session, StaffAssignment, Theme, utcnow
from booking.services import booking as bookings
from booking.services import referrals
from booking.services.errors import NotFound, ServiceError
from booking.times import local
from booking.urls import public_url


def _picker_filters(args) -> dict:
    try:
        day = date.fromisoformat(args.get("day", ""))
    except ValueError:
        day = None
    language = args.get("language") or None
    return {"theme": args.get("theme") or None, "language": language,
            "city": args.get("city") or None, "day": day, "seats": args.get("seats") == "yes"}


def _seats_word(session, seats) -> str:
    if session.kind == "drop_in":
        return _("drop-in, no seat needed")
    left = seats.pre_registration_seats_left
    if left:
        return _("seats left: %(count)d", count=left)
    return _("full: waiting list")


def _session_choices(chosen: dict, keep=None):
    """Coming sessions for participants, narrowed by city, day, language,
    theme and seats; each says where and how many seats are left. The
    session already chosen (`keep`) stays in the list."""
    rows = referrals.sessions_to_refer(city=chosen["city"], day=chosen["day"],
                                       language=chosen["language"], theme_id=chosen["theme"],
                                       with_seats=chosen["seats"])
    if keep and all(s.id != keep for s, _a in rows):
        kept = db.session.get(Session, keep)
        if kept is not None and kept.status == "published" and kept.starts_at > utcnow():
            rows.insert(0, (kept, bookings.availability(kept)))
    shown = str(get_locale() or "nl")
    return options(
        (s.id, f"{local(s.starts_at):%a %d/%m %H:%M} · {s.theme.title(shown)} · "
               f"{s.room.location.name}" + (f" ({s.room.location.city})" if s.room.location.city
                                            else "") + " · " + _seats_word(s, a))
        for s, a in rows
    )


def _participant_themes():
    return db.session.scalars(
        select(Theme).where(Theme.audience == "participants").order_by(Theme.id)
    ).all()


@bp.get("/")
@role_required("counsellor", "admin")
def index():
    found = referrals.for_counsellor(current_user)
    return render_template("counsellor/referrals.html", referrals=found,
                           statuses={r.id: referrals.status(r) for r in found},
                           status_labels=_status_labels())


def _status_labels() -> dict:
    return {"came": _("came"), "did_not_come": _("did not come"), "booked": _("booked"),
            "waitlisted": _("waiting list"), "cancelled": _("cancelled"),
            "expected": _("expected at the drop-in")}


@bp.route("/referrals/new", methods=["GET", "POST"])
@role_required("counsellor", "admin")
def new_referral():
    form = ReferralForm()
    chosen = _picker_filters(request.args)
    keep = request.args.get("session", type=int) or (form.session.data if request.method == "POST"
                                                    else None)
    if request.method == "POST":
        chosen = _picker_filters({})  # any coming session may be posted
    form.session.choices = _session_choices(chosen, keep)
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
            _say_when_full(referral)
            return redirect(url_for(".referral", referral_id=referral.id))
    return render_template("counsellor/referral_form.html", form=form, chosen=chosen,
                           themes=_participant_themes(), cities=referrals.cities()), (
        422 if form.errors else 200)


def _say_when_full(referral):
    """A clear word: booked, or the waiting-list place and the next session
    of the theme with seats."""
    status, position = referrals.status(referral)
    if status != "waitlisted":
        flash(_("The referral is recorded."), "info")
        return
    flash(_("The session is full: %(name)s is number %(position)d on the waiting list and "
            "gets a message when a seat comes free.", name=referral.client_name,
            position=position), "error")
    later = referrals.next_with_seats(referral.session)
    if later is not None:
        flash(_("The next %(title)s with seats: %(when)s at %(place)s.",
                title=later.theme.title(str(get_locale() or "nl")),
                when=local(later.starts_at).strftime("%a %d/%m %H:%M"),
                place=later.room.location.name), "info")


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
            first = not found.has_feedback
            try:
                referrals.record_feedback(current_user, found, came=form.came.data == "yes",
                                          learned=form.learned.data,
                                          next_step=form.next_step.data)
            except ServiceError as error:
                flash(error.message, "error")
            else:
                if first:
                    referrals.tell_counsellor_of_feedback(
                        found, public_url("counsellor.referral", referral_id=found.id))
                flash(_("Thank you: the counsellor can read your feedback now."), "info")
                return redirect(url_for(".referral", referral_id=found.id))
    may_withdraw = (current_user.id == found.counsellor_id and found.booking is not None
                    and found.booking.status in ("confirmed", "waitlisted"))
    return render_template("counsellor/referral.html", referral=found, form=form,
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
    return render_template("counsellor/my_sessions.html", rows=rows)
