"""Attendance for real rooms: the list with waiting-list positions, language
and age group; check in one person or everyone at once; walk-ins; a
printable list and a CSV export."""
import csv
import io

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from booking.audit import current_actor
from booking.auth.forms import ActionForm
from booking.ical import public_session_url
from booking.models import utcnow
from booking.partner import bp
from booking.partner.common import own_booking, own_people, own_session
from booking.partner.forms import AssignForm, WalkInForm, options
from booking.services import booking as bookings
from booking.services import referrals, series, undo
from booking.services.errors import ServiceError

ORDER = {"attended": 0, "confirmed": 1, "no_show": 2, "waitlisted": 3}


def attendance_rows(session):
    """Active bookings, seats first, then the waiting list in its order;
    each with its waiting-list position (None when it holds a seat)."""
    active = [b for b in session.bookings if b.status != "cancelled"]
    active.sort(key=lambda b: (ORDER.get(b.status, 9), b.id))
    position = 0
    rows = []
    for booking in active:
        if booking.status == "waitlisted":
            position += 1
            rows.append((booking, position))
        else:
            rows.append((booking, None))
    return rows


def status_label(status: str) -> str:
    return {"confirmed": _("booked"), "waitlisted": _("waiting list"), "attended": _("present"),
            "no_show": _("absent"), "cancelled": _("cancelled")}[status]


def kind_label(kind: str) -> str:
    return {"walk_in": _("walk-in"), "pre_registered": _("booked"),
            "referred": _("referred")}[kind]


@bp.get("/sessions/<int:session_id>")
def session(session_id):
    session = own_session(session_id)
    assign_form = AssignForm()
    assign_form.person.choices = options((p.id, p.name) for p in own_people())
    return _attendance(session, WalkInForm(), assign_form)


def _attendance(session, walk_in_form, assign_form, status=200):
    cancelled = [b for b in session.bookings if b.status == "cancelled"]
    now = utcnow()
    return render_template(
        "partner/session.html", session=session, rows=attendance_rows(session),
        cancelled=cancelled, seats=bookings.availability(session), walk_in_form=walk_in_form,
        assign_form=assign_form, action_form=ActionForm(),
        referrals=referrals.for_session(current_user, session),
        public_url=public_session_url(session), status_label=status_label,
        kind_label=kind_label, can_undo=undo.can_undo(session, now=now),
        undo_deadline=undo.undo_deadline(session),
        later_in_series=len(series.rest_of_series(session)) - 1 if session.series_id else 0,
    ), status


@bp.post("/sessions/<int:session_id>/bookings/<ticket>/<action>")
def booking_action(session_id, ticket, action):
    session = own_session(session_id)
    booking = own_booking(session, ticket)
    if action not in ("check-in", "no-show", "cancel"):
        abort(404)
    if ActionForm().validate_on_submit():
        try:
            if action == "check-in":
                bookings.check_in(booking.ticket, actor=current_actor())
            elif action == "no-show":
                bookings.mark_no_show(booking.ticket, actor=current_actor())
            else:
                bookings.cancel(booking.ticket, actor=current_actor())
        except ServiceError as error:
            flash(error.message, "error")
    return redirect(url_for(".session", session_id=session.id) + f"#booking-{booking.id}")


@bp.post("/sessions/<int:session_id>/check-in-all")
def check_in_all(session_id):
    """Everyone with a seat who is in the room: one tap for a full class."""
    session = own_session(session_id)
    if ActionForm().validate_on_submit():
        checked, refused = 0, []
        for booking in [b for b in session.bookings if b.status == "confirmed"]:
            try:
                bookings.check_in(booking.ticket, actor=current_actor())
            except ServiceError as error:
                refused.append(error.message)
            else:
                checked += 1
        flash(_("%(count)d people checked in.", count=checked), "info")
        for message in sorted(set(refused)):
            flash(message, "error")
    return redirect(url_for(".session", session_id=session.id) + "#attendance")


@bp.get("/sessions/<int:session_id>/attendance.csv")
def attendance_csv(session_id):
    session = own_session(session_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Ticket"), _("Name"), _("Kind"), _("Status"), _("Waiting-list position"),
                     _("Language"), _("Age group"), _("Checked in at")])
    for booking, position in attendance_rows(session):
        writer.writerow([
            bookings.format_ticket(booking.ticket), booking.name or "", kind_label(booking.kind),
            status_label(booking.status), position or "", booking.language or "",
            booking.age_group or "",
            booking.checked_in_at.isoformat(timespec="minutes") if booking.checked_in_at else "",
        ])
    filename = f"attendance-{session.id}-{session.starts_at:%Y%m%d}.csv"
    # A BOM so spreadsheet programs read the names' accents right.
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "no-store"})


@bp.get("/sessions/<int:session_id>/attendance/print")
def attendance_print(session_id):
    session = own_session(session_id)
    return render_template("partner/attendance_print.html", session=session,
                           rows=attendance_rows(session), status_label=status_label,
                           kind_label=kind_label, seats=bookings.availability(session))


@bp.post("/sessions/<int:session_id>/walk-in")
def add_walk_in(session_id):
    session = own_session(session_id)
    form = WalkInForm()
    if form.validate_on_submit():
        try:
            walk_in = bookings.walk_in_and_check_in(
                session.id, name=(form.name.data or "").strip() or None,
                phone=(form.phone.data or "").strip() or None, language=form.language.data,
                age_group=form.age_group.data or None, actor=current_actor(),
            )
        except ServiceError as error:
            flash(error.message, "error")
        else:
            if walk_in.status == "attended":
                flash(_("Walk-in added and checked in: ticket %(ticket)s.",
                        ticket=bookings.format_ticket(walk_in.ticket)), "info")
            else:
                flash(_("The session is full: the walk-in is on the waiting list (%(ticket)s).",
                        ticket=bookings.format_ticket(walk_in.ticket)), "error")
        return redirect(url_for(".session", session_id=session.id))
    assign_form = AssignForm()
    assign_form.person.choices = options((p.id, p.name) for p in own_people())
    return _attendance(session, form, assign_form, 422)
