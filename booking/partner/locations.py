"""Locations (address, opening hours) and their rooms (places, features)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from booking.auth.access import organisation_scope, owned
from booking.extensions import db
from booking.models import Location, LocationClosure, Organisation, Room
from booking.services import areas as area_service
from booking.services import closures as closure_service
from booking.services.errors import ServiceError
from booking.partner import bp
from booking.partner.common import form_errors, own_location, own_locations, own_room
from booking.partner.forms import (
    FEATURE_LABELS,
    ClosureForm,
    LocationForm,
    RoomForm,
    area_options,
    format_opening_hours,
    options,
)


@bp.get("/locations")
def locations():
    return render_template("partner/locations.html", locations=own_locations(),
                           feature_labels=FEATURE_LABELS)


def _location_form(location=None):
    form = LocationForm(obj=location)
    if location is not None and "area" not in request.form:
        form.area.data = location.area_id
    form.area.choices = area_options(area_service.all_areas(), _("No neighbourhood"))
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
        if _fill_location(location, form):
            db.session.add(location)
            db.session.commit()
            flash(_("The location is saved."), "info")
            return redirect(url_for(".locations") + f"#location-{location.id}")
    return render_template("partner/location_form.html", form=form, location=None), (
        422 if form.errors else 200)


@bp.route("/locations/<int:location_id>/edit", methods=["GET", "POST"])
def edit_location(location_id):
    location = own_location(location_id)
    form = _location_form(location)
    if request.method == "GET":
        form.opening_hours.data = format_opening_hours(location.opening_hours)
        if getattr(form, "organisation", None) is not None:
            form.organisation.data = location.organisation_id
    if form.validate_on_submit() and _fill_location(location, form):
        if getattr(form, "organisation", None) is not None:
            location.organisation_id = form.organisation.data
        db.session.commit()
        flash(_("The location is saved."), "info")
        return redirect(url_for(".locations") + f"#location-{location.id}")
    return render_template("partner/location_form.html", form=form, location=location,
                           closure_form=ClosureForm(prefix="closure")), (422 if form.errors else 200)


@bp.post("/locations/<int:location_id>/closures")
def add_closure(location_id):
    location = own_location(location_id)
    closure_form = ClosureForm(prefix="closure")
    if closure_form.validate_on_submit():
        closure_service.add_closure(location.id, closure_form.first_day.data,
                                    closure_form.last_day.data, closure_form.reason.data or "")
        flash(_("The closed days are saved: the planner plans nothing there then."), "info")
        return redirect(url_for(".edit_location", location_id=location.id) + "#closures")
    form = _location_form(location)
    form.opening_hours.data = format_opening_hours(location.opening_hours)
    return render_template("partner/location_form.html", form=form, location=location,
                           closure_form=closure_form), 422


@bp.post("/closures/<int:closure_id>/remove")
def remove_closure(closure_id):
    closure = db.session.get(LocationClosure, closure_id)
    location = owned(closure.location if closure is not None else None)
    closure_service.remove_closure(closure)
    flash(_("The closed days are removed."), "info")
    return redirect(url_for(".edit_location", location_id=location.id) + "#closures")


def _fill_location(location, form) -> bool:
    """The form's values on `location`; False, with the form's errors set and
    nothing changed, when the neighbourhood is refused."""
    city = (form.city.data or "").strip()
    try:
        area = area_service.choose(city, form.area.data, form.new_area.data)
    except ServiceError as error:
        db.session.rollback()
        form_errors(form, error)
        return False
    location.name = form.name.data.strip()
    location.address = (form.address.data or "").strip()
    location.city = city
    location.area = area
    location.opening_hours = getattr(form, "parsed_hours", [])
    return True


@bp.route("/locations/<int:location_id>/rooms/new", methods=["GET", "POST"])
def new_room(location_id):
    location = own_location(location_id)
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
    room = own_room(room_id)
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
