"""Partner portal pages: parse, check access, call a service, render.
Every query is limited to the user's organisation (an admin sees all);
another organisation's object answers 404, like one that does not exist."""
import secrets
from datetime import date, datetime, timedelta
from pathlib import Path

import segno
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from booking.security import plausible_date
from booking.auth.access import PORTAL_ROLES, organisation_scope, owned, role_required
from booking.audit import current_actor
from booking.auth.forms import ActionForm
from booking.extensions import db
from booking.ical import public_session_url
from booking.models import (
    ApiToken,
    Booking,
    Location,
    Organisation,
    OutboxMessage,
    Person,
    Referral,
    Room,
    Session,
    StaffAssignment,
    Theme,
    hash_token,
    utcnow,
)
from booking.partner import bp, posters
from booking.partner.forms import (
    FEATURE_LABELS,
    AssignForm,
    LocationForm,
    RoomForm,
    SessionForm,
    TokenForm,
    WalkInForm,
    format_opening_hours,
    options,
)
from booking.services import booking as bookings
from booking.services import notify, referrals, staff
from booking.services import sessions as session_service
from booking.services.errors import ServiceError
from booking.times import NonexistentLocalTime, local, local_moment, zone

portal_required = role_required(*PORTAL_ROLES)


@bp.before_request
@portal_required
def _portal_only():
    return None


@bp.app_template_global()
def local_time(moment, fmt="%a %d/%m/%Y %H:%M"):
    return local(moment).strftime(fmt) if moment else ""


@bp.app_template_global()
def poster_pictogram(theme):
    """The pictogram file of a theme when the static folder has it."""
    name = theme.pictogram or "workshop"
    folder = Path(current_app.static_folder) / "pictograms"
    for candidate in (name, "workshop"):
        if (folder / f"{candidate}.svg").exists():
            return url_for("static", filename=f"pictograms/{candidate}.svg")
    return None


# Scoping -------------------------------------------------------------------

def _scoped(statement, location_column=Location.organisation_id):
    scope = organisation_scope()
    return statement if scope is None else statement.where(location_column == scope)


def _own_location(location_id: int) -> Location:
    return owned(db.session.get(Location, location_id))


def _own_room(room_id: int) -> Room:
    return owned(db.session.get(Room, room_id))


def _own_session(session_id: int) -> Session:
    return owned(db.session.get(Session, session_id))


def _own_booking(session: Session, ticket: str) -> Booking:
    booking = db.session.scalars(
        select(Booking).where(Booking.ticket == bookings.normalise_ticket(ticket))
    ).one_or_none()
    if booking is None or booking.session_id != session.id:
        abort(404)
    return booking


def _own_locations():
    return db.session.scalars(
        _scoped(select(Location).options(selectinload(Location.rooms)).order_by(Location.name))
    ).all()


def _own_rooms():
    return db.session.scalars(
        _scoped(select(Room).join(Location).order_by(Location.name, Room.name))
    ).all()


def _own_people():
    scope = organisation_scope()
    statement = select(Person).order_by(Person.name)
    if scope is not None:
        statement = statement.where(
            (Person.organisation_id == scope) | Person.organisation_id.is_(None)
        )
    return db.session.scalars(statement).all()


def _managed_people():
    """People whose secret calendar address this user may see and replace:
    those of the own organisation (a freelancer's address would show their
    work for other organisations too)."""
    scope = organisation_scope()
    statement = select(Person).order_by(Person.name)
    if scope is not None:
        statement = statement.where(Person.organisation_id == scope)
    return db.session.scalars(statement).all()


def _form_errors(form, error: ServiceError, mapping=None):
    """Put a service's field messages next to the fields they concern."""
    mapping = mapping or {}
    placed = False
    for key, message in error.fields.items():
        field = getattr(form, mapping.get(key, key), None)
        if field is not None:
            field.errors = list(field.errors) + [message]
            placed = True
    if not placed or error.status == 409:
        flash(error.message, "error")  # a conflict's summary says why


# Sessions ------------------------------------------------------------------

@bp.get("/")
def dashboard():
    past = request.args.get("past") == "1"
    now = utcnow()
    statement = (
        select(Session).join(Room).join(Location)
        .options(selectinload(Session.theme), selectinload(Session.room).selectinload(Room.location))
    )
    statement = _scoped(statement)
    if past:
        statement = statement.where(Session.ends_at < now).order_by(Session.starts_at.desc())
    else:
        statement = statement.where(Session.ends_at >= now).order_by(Session.starts_at)
    found = db.session.scalars(statement.limit(300)).all()
    return render_template("partner/dashboard.html", sessions=found, past=past,
                           seats=bookings.availabilities(found))


def _session_form(form: SessionForm):
    themes = db.session.scalars(select(Theme).order_by(Theme.id)).all()
    form.theme.choices = options((t.id, t.title(_lang())) for t in themes)
    form.room.choices = options(
        (r.id, f"{r.location.name} – {r.name} ({r.capacity})") for r in _own_rooms()
    )
    return form


def _lang():
    from flask_babel import get_locale

    return str(get_locale() or "nl")


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
    if request.method == "GET":
        room = request.args.get("room", type=int)
        if room:
            form.room.data = room
    if form.validate_on_submit() and (times := _times(form)):
        room = _own_room(form.room.data)
        starts_at, ends_at = times
        try:
            session = session_service.publish(
                theme_id=form.theme.data, room_id=room.id, starts_at=starts_at, ends_at=ends_at,
                capacity=form.capacity.data, walk_in_seats=form.walk_in_seats.data or 0,
                languages=form.languages.data or ["nl"], status=form.status.data,
                check_opening_hours_in=current_app.config["TIMEZONE"], actor=current_actor(),
            )
        except ServiceError as error:
            _form_errors(form, error, SessionForm.SERVICE_FIELDS)
        else:
            flash(_("The session is saved."), "info")
            return redirect(url_for(".session", session_id=session.id))
    status = 422 if form.errors else 200
    return render_template("partner/session_form.html", form=form, session=None), status


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
def edit_session(session_id):
    session = _own_session(session_id)
    form = _session_form(SessionForm(obj=None))
    del form.theme
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
        room = _own_room(form.room.data)
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
            try:
                session_service.update(session.id, changes, actor=current_actor())
            except ServiceError as error:
                _form_errors(form, error, SessionForm.SERVICE_FIELDS)
            else:
                flash(_("The session is saved."), "info")
                return redirect(url_for(".session", session_id=session.id))
    status = 422 if form.errors else 200
    return render_template("partner/session_form.html", form=form, session=session), status


@bp.post("/sessions/<int:session_id>/cancel")
def cancel_session(session_id):
    session = _own_session(session_id)
    form = ActionForm()
    if form.validate_on_submit():
        session, affected = session_service.cancel(session.id, actor=current_actor())
        flash(_("The session is cancelled; %(count)d bookings were cancelled and told.",
                count=len(affected)), "info")
    return redirect(url_for(".session", session_id=session.id))


@bp.get("/sessions/<int:session_id>")
def session(session_id):
    session = _own_session(session_id)
    assign_form = AssignForm()
    assign_form.person.choices = options((p.id, p.name) for p in _own_people())
    return _attendance(session, WalkInForm(), assign_form)


def _attendance(session, walk_in_form, assign_form, status=200):
    active = [b for b in session.bookings if b.status != "cancelled"]
    cancelled = [b for b in session.bookings if b.status == "cancelled"]
    return render_template(
        "partner/session.html", session=session, active=active, cancelled=cancelled,
        seats=bookings.availability(session), walk_in_form=walk_in_form,
        assign_form=assign_form, action_form=ActionForm(),
        referrals=referrals.for_session(current_user, session),
        public_url=public_session_url(session),
    ), status


@bp.post("/sessions/<int:session_id>/bookings/<ticket>/<action>")
def booking_action(session_id, ticket, action):
    session = _own_session(session_id)
    booking = _own_booking(session, ticket)
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


@bp.post("/sessions/<int:session_id>/walk-in")
def add_walk_in(session_id):
    session = _own_session(session_id)
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
    assign_form.person.choices = options((p.id, p.name) for p in _own_people())
    return _attendance(session, form, assign_form, 422)


@bp.post("/sessions/<int:session_id>/staff")
def assign_staff(session_id):
    session = _own_session(session_id)
    form = AssignForm()
    people = {p.id: p for p in _own_people()}
    form.person.choices = options((p.id, p.name) for p in people.values())
    if form.validate_on_submit():
        try:
            staff.assign(session.id, form.person.data, form.role.data, actor=current_actor())
        except ServiceError as error:
            flash(error.message, "error")
        else:
            flash(_("Staff assigned."), "info")
    else:
        flash(_("Choose a person and a role."), "error")
    return redirect(url_for(".session", session_id=session.id) + "#staff")


@bp.post("/sessions/<int:session_id>/staff/<int:assignment_id>/remove")
def remove_staff(session_id, assignment_id):
    session = _own_session(session_id)
    assignment = db.session.get(StaffAssignment, assignment_id)
    if assignment is None or assignment.session_id != session.id:
        abort(404)
    if ActionForm().validate_on_submit():
        staff.unassign(assignment.id, actor=current_actor())
        flash(_("Staff removed from the session."), "info")
    return redirect(url_for(".session", session_id=session.id) + "#staff")


@bp.get("/referrals")
def referrals_list():
    """Clients referred to the organisation's sessions, feedback still to give first."""
    statement = (
        select(Referral).join(Session, Session.id == Referral.session_id).join(Room).join(Location)
        .options(selectinload(Referral.session).selectinload(Session.theme))
        .order_by(Referral.feedback_at.is_not(None), Session.starts_at.desc())
    )
    found = db.session.scalars(_scoped(statement).limit(500)).all()
    return render_template("partner/partner_referrals.html", referrals=found)


# Outbox -------------------------------------------------------------------------

def _masked(recipient: str) -> str:
    """Enough of an address to recognise it, not enough to use it."""
    if "@" in recipient:
        name, _at, domain = recipient.partition("@")
        return f"{name[:1]}…@{domain}"
    return f"…{recipient[-3:]}" if len(recipient) > 3 else "…"


@bp.route("/outbox", methods=["GET", "POST"])
@role_required("admin")
def outbox():
    if request.method == "POST" and ActionForm().validate_on_submit():
        counts = notify.deliver(retry_failed=True)
        flash(_("Sent %(sent)d, failed %(failed)d.", **counts), "info")
        return redirect(url_for(".outbox"))
    messages = db.session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(200)
    ).all()
    return render_template("partner/outbox.html", messages=messages, masked=_masked,
                           form=ActionForm())


# Posters --------------------------------------------------------------------

def _qr_svg(url: str, scale: int = 6) -> str:
    return segno.make(url, error="m").svg_inline(scale=scale, dark="#000", light="#fff",
                                                  title="QR code", omitsize=False)


@bp.get("/sessions/<int:session_id>/poster")
def session_poster(session_id):
    session = _own_session(session_id)
    url = public_session_url(session)
    return render_template("partner/poster_session.html", session=session, url=url,
                           qr=_qr_svg(url, 8), posters=posters,
                           poster_langs=posters.poster_languages([session]))


@bp.get("/locations/<int:location_id>/poster")
def location_poster(location_id):
    location = _own_location(location_id)
    try:
        first = date.fromisoformat(request.args.get("week", ""))
    except ValueError:
        first = local(utcnow()).date()
    if not plausible_date(first):  # year 1 or 9999: no week to show, this week instead
        first = local(utcnow()).date()
    monday = first - timedelta(days=first.isoweekday() - 1)
    start = datetime.combine(monday, datetime.min.time(), tzinfo=zone())
    end = start + timedelta(days=7)
    found = db.session.scalars(
        select(Session).join(Room)
        .where(Room.location_id == location.id, Session.status == "published",
               Session.starts_at >= start, Session.starts_at < end)
        .order_by(Session.starts_at)
    ).all()
    items = [(s, _qr_svg(public_session_url(s), 3)) for s in found]
    return render_template("partner/poster_week.html", location=location, items=items,
                           posters=posters, poster_langs=posters.poster_languages(found),
                           monday=monday, sunday=monday + timedelta(days=6),
                           previous=monday - timedelta(days=7), next=monday + timedelta(days=7))


# Locations and rooms ------------------------------------------------------------

@bp.get("/locations")
def locations():
    return render_template("partner/locations.html", locations=_own_locations(),
                           feature_labels=FEATURE_LABELS)


def _location_form(location=None):
    form = LocationForm(obj=location)
    if organisation_scope() is None:
        form.organisation.choices = options(
            (o.id, o.name) for o in db.session.scalars(select(Organisation).order_by(Organisation.name))
        )
    else:
        del form.organisation
    return form


@bp.route("/locations/new", methods=["GET", "POST"])
def new_location():
    form = _location_form()
    if form.validate_on_submit():
        scope = organisation_scope()
        organisation_id = scope if scope is not None else form.organisation.data
        location = Location(organisation_id=organisation_id)
        _fill_location(location, form)
        db.session.add(location)
        db.session.commit()
        flash(_("The location is saved."), "info")
        return redirect(url_for(".locations") + f"#location-{location.id}")
    return render_template("partner/location_form.html", form=form, location=None), (
        422 if form.errors else 200)


@bp.route("/locations/<int:location_id>/edit", methods=["GET", "POST"])
def edit_location(location_id):
    location = _own_location(location_id)
    form = _location_form(location)
    if request.method == "GET":
        form.opening_hours.data = format_opening_hours(location.opening_hours)
        if getattr(form, "organisation", None) is not None:
            form.organisation.data = location.organisation_id
    if form.validate_on_submit():
        if getattr(form, "organisation", None) is not None:
            location.organisation_id = form.organisation.data
        _fill_location(location, form)
        db.session.commit()
        flash(_("The location is saved."), "info")
        return redirect(url_for(".locations") + f"#location-{location.id}")
    return render_template("partner/location_form.html", form=form, location=location), (
        422 if form.errors else 200)


def _fill_location(location, form):
    from booking.partner.locations import _fill_location as fill

    return fill(location, form)


@bp.route("/locations/<int:location_id>/rooms/new", methods=["GET", "POST"])
def new_room(location_id):
    location = _own_location(location_id)
    form = RoomForm()
    if form.validate_on_submit():
        room = Room(location=location, name=form.name.data.strip(), capacity=form.capacity.data,
                    features=form.features.data or [])
        db.session.add(room)
        db.session.commit()
        flash(_("The room is saved."), "info")
        return redirect(url_for(".locations") + f"#location-{location.id}")
    return render_template("partner/room_form.html", form=form, location=location, room=None), (
        422 if form.errors else 200)


@bp.route("/rooms/<int:room_id>/edit", methods=["GET", "POST"])
def edit_room(room_id):
    room = _own_room(room_id)
    form = RoomForm(obj=room)
    if form.validate_on_submit():
        room.name = form.name.data.strip()
        room.capacity = form.capacity.data
        room.features = form.features.data or []
        db.session.commit()
        flash(_("The room is saved."), "info")
        return redirect(url_for(".locations") + f"#location-{room.location_id}")
    return render_template("partner/room_form.html", form=form, location=room.location,
                           room=room), (422 if form.errors else 200)


# Staff ------------------------------------------------------------------------

@bp.get("/people")
def people():
    return render_template("partner/people.html", people=_managed_people(), form=ActionForm())


@bp.post("/people/<int:person_id>/feed-token")
def regenerate_feed(person_id):
    person = db.session.get(Person, person_id)
    if person is None or person not in _managed_people():
        abort(404)
    if ActionForm().validate_on_submit():
        staff.regenerate_feed_token(person)
        db.session.commit()
        flash(_("A new calendar address was made for %(name)s; the old one no longer works.",
                name=person.name), "info")
    return redirect(url_for(".people") + f"#person-{person.id}")


# API tokens -------------------------------------------------------------------

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
