"""Sessions: the list, publishing (one or a weekly series), changing, and
cancelling safely (a confirmation naming who will be told, then undo)."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from booking.audit import current_actor
from booking.auth.forms import ActionForm
from booking.extensions import db
from booking.models import Location, Room, Session, Theme, utcnow
from booking.partner import bp
from booking.partner.common import (
    form_errors,
    interface_language,
    own_room,
    own_rooms,
    own_session,
    scoped,
)
from booking.partner.forms import SessionForm, options
from booking.services import booking as bookings
from booking.services import series, undo
from booking.services import sessions as session_service
from booking.services.errors import ServiceError
from booking.times import NonexistentLocalTime, local, local_moment


@bp.get("/")
def dashboard():
    past = request.args.get("past") == "1"
    now = utcnow()
    statement = (
        select(Session).join(Room).join(Location)
        .options(selectinload(Session.theme), selectinload(Session.room).selectinload(Room.location))
    )
    statement = scoped(statement)
    if past:
        statement = statement.where(Session.ends_at < now).order_by(Session.starts_at.desc())
    else:
        statement = statement.where(Session.ends_at >= now).order_by(Session.starts_at)
    found = db.session.scalars(statement.limit(300)).all()
    return render_template("partner/dashboard.html", sessions=found, past=past,
                           seats=bookings.availabilities(found))


def _session_form(form: SessionForm):
    themes = db.session.scalars(select(Theme).order_by(Theme.id)).all()
    form.theme.choices = options((t.id, t.title(interface_language())) for t in themes)
    form.room.choices = options(
        (r.id, f"{r.location.name} – {r.name} ({r.capacity})") for r in own_rooms()
    )
    return form


def _times(form):
    """The form's start and end in UTC, or None with a field error when one
    falls in the spring clock change's skipped hour."""
    try:
        return (local_moment(form.day.data, form.starts.data),
                local_moment(form.day.data, form.ends.data))
    except NonexistentLocalTime:
        form.starts.errors = [*form.starts.errors, _(
            "This time does not exist that day: the clock moves forward an hour. "
            "Choose another time.")]
        return None


@bp.route("/sessions/new", methods=["GET", "POST"])
def new_session():
    form = _session_form(SessionForm())
    del form.rest_of_series
    if request.method == "GET":
        room = request.args.get("room", type=int)
        if room:
            form.room.data = room
    if form.validate_on_submit() and (times := _times(form)):
        room = own_room(form.room.data)
        starts_at, ends_at = times
        try:
            published = series.publish(
                weeks=form.weeks.data or 1,
                theme_id=form.theme.data, room_id=room.id, starts_at=starts_at, ends_at=ends_at,
                capacity=form.capacity.data, walk_in_seats=form.walk_in_seats.data or 0,
                languages=form.languages.data or ["nl"], status=form.status.data,
                check_opening_hours_in=current_app.config["TIMEZONE"], actor=current_actor(),
            )
        except ServiceError as error:
            form_errors(form, error, SessionForm.SERVICE_FIELDS)
        else:
            if len(published) > 1:
                flash(_("A weekly series of %(count)d sessions is saved.", count=len(published)),
                      "info")
            else:
                flash(_("The session is saved."), "info")
            return redirect(url_for(".session", session_id=published[0].id))
    status = 422 if form.errors else 200
    return render_template("partner/session_form.html", form=form, session=None), status


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
def edit_session(session_id):
    session = own_session(session_id)
    form = _session_form(SessionForm(obj=None))
    del form.theme
    del form.weeks
    if session.series_id is None:
        del form.rest_of_series
    if request.method == "GET":
        form.room.data = session.room_id
        form.day.data = local(session.starts_at).date()
        form.starts.data = local(session.starts_at).time()
        form.ends.data = local(session.ends_at).time()
        form.capacity.data = session.capacity
        form.walk_in_seats.data = session.walk_in_seats
        form.languages.data = session.languages
        form.status.data = session.status if session.status != "cancelled" else "published"
    if form.validate_on_submit() and (times := _times(form)):
        room = own_room(form.room.data)
        starts_at, ends_at = times
        changes = {
            "room_id": room.id, "starts_at": starts_at, "ends_at": ends_at,
            "capacity": form.capacity.data, "walk_in_seats": form.walk_in_seats.data or 0,
            "languages": form.languages.data or ["nl"], "status": form.status.data,
        }
        moved = (room.id, starts_at, ends_at) != (session.room_id, session.starts_at,
                                                  session.ends_at)
        if moved and session_service.outside_opening_hours(
            room, starts_at, ends_at, current_app.config["TIMEZONE"]
        ):
            form.starts.errors = list(form.starts.errors) + [_("outside the opening hours")]
        else:
            rest = bool(getattr(form, "rest_of_series", None) and form.rest_of_series.data)
            try:
                series.change(session.id, changes, rest_of_series_too=rest,
                              actor=current_actor())
            except ServiceError as error:
                form_errors(form, error, SessionForm.SERVICE_FIELDS)
            else:
                flash(_("The session is saved."), "info")
                return redirect(url_for(".session", session_id=session.id))
    status = 422 if form.errors else 200
    return render_template("partner/session_form.html", form=form, session=session), status


@bp.route("/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
def cancel_session(session_id):
    """GET: who will be told, and a button to go on; POST: cancel."""
    session = own_session(session_id)
    whole_series = request.values.get("series") == "1" and session.series_id is not None
    if session.status == "cancelled":
        return redirect(url_for(".session", session_id=session.id))
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        if whole_series:
            results = series.cancel_rest(session.id, actor=current_actor())
        else:
            results = [session_service.cancel(session.id, actor=current_actor())]
        flash(_("The session is cancelled; %(count)d bookings were cancelled and told.",
                count=sum(len(affected) for _s, affected in results)), "info")
        return redirect(url_for(".session", session_id=session.id))
    targets = series.rest_of_series(session) if whole_series else [session]
    audiences = [(target, undo.audience(target)) for target in targets]
    return render_template("partner/cancel_confirm.html", session=session, audiences=audiences,
                           whole_series=whole_series, form=form,
                           undo_minutes=current_app.config["UNDO_CANCEL_MINUTES"])


@bp.post("/sessions/<int:session_id>/restore")
def restore_session(session_id):
    session = own_session(session_id)
    if ActionForm().validate_on_submit():
        try:
            _session, restored = undo.restore(session.id, actor=current_actor())
        except ServiceError as error:
            flash(error.message, "error")
        else:
            flash(_("The session is back; %(count)d bookings are restored and told.",
                    count=len(restored)), "info")
    return redirect(url_for(".session", session_id=session.id))
