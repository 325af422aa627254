"""What every partner-portal page shares: the portal-only guard, template
helpers and the organisation scoping. Every query is limited to the user's
organisation (an admin sees all); another organisation's object answers 404,
like one that does not exist."""
from pathlib import Path
from types import SimpleNamespace

from babel.dates import format_date
from flask import abort, current_app, flash, request, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from booking.auth.access import PORTAL_ROLES, organisation_scope, owned, role_required
from booking.extensions import db
from booking.models import Booking, Location, Person, Room, Session
from booking.partner import bp
from booking.services import booking as bookings
from booking.services.errors import ServiceError
from booking.times import local
from booking.urls import public_url

portal_required = role_required(*PORTAL_ROLES)
# Pages of the portal that other staff reach too; each checks access itself.
OPEN_TO_ALL_STAFF = {"partner.audit_user", "partner.people", "partner.regenerate_feed"}


@bp.before_request
def _portal_only():
    if request.endpoint in OPEN_TO_ALL_STAFF:
        return login_required(lambda: None)()
    return portal_required(lambda: None)()


@bp.app_template_global()
def feed_links(person) -> SimpleNamespace:
    """A person's secret calendar feed: the https address to copy and the
    webcal:// one that opens the calendar app to subscribe."""
    https = public_url("calendar.person_feed", feed_token=person.feed_token)
    webcal = "webcal://" + https.split("://", 1)[1]
    return SimpleNamespace(https=https, webcal=webcal)


@bp.app_template_global()
def local_time(moment, fmt="%a %d/%m/%Y %H:%M"):
    """A moment in the city's time; the weekday (%a) in the reader's language."""
    if not moment:
        return ""
    value = local(moment)
    if "%a" in fmt:
        weekday = format_date(value.date(), "EEE", locale=interface_language())
        fmt = fmt.replace("%a", weekday.replace("%", "%%"))
    return value.strftime(fmt)


@bp.app_template_global()
def poster_pictogram(theme):
    """The pictogram file of a theme when the static folder has it."""
    name = theme.pictogram or "workshop"
    folder = Path(current_app.static_folder) / "pictograms"
    for candidate in (name, "workshop"):
        if (folder / f"{candidate}.svg").exists():
            return url_for("static", filename=f"pictograms/{candidate}.svg")
    return None


def interface_language() -> str:
    return str(get_locale() or "nl")


def scoped(statement, location_column=Location.organisation_id):
    scope = organisation_scope()
    return statement if scope is None else statement.where(location_column == scope)


def own_location(location_id: int) -> Location:
    return owned(db.session.get(Location, location_id))


def own_room(room_id: int) -> Room:
    return owned(db.session.get(Room, room_id))


def own_session(session_id: int) -> Session:
    return owned(db.session.get(Session, session_id))


def own_booking(session: Session, ticket: str) -> Booking:
    booking = db.session.scalars(
        select(Booking).where(Booking.ticket == bookings.normalise_ticket(ticket))
    ).one_or_none()
    if booking is None or booking.session_id != session.id:
        abort(404)
    return booking


def own_locations():
    return db.session.scalars(
        scoped(select(Location).options(selectinload(Location.rooms), selectinload(Location.area))
               .order_by(Location.name))
    ).all()


def own_rooms():
    return db.session.scalars(
        scoped(select(Room).join(Location).order_by(Location.name, Room.name))
    ).all()


def own_people():
    """People who may be assigned: the organisation's own and freelancers."""
    scope = organisation_scope()
    statement = select(Person).order_by(Person.name)
    if scope is not None:
        statement = statement.where(
            (Person.organisation_id == scope) | Person.organisation_id.is_(None)
        )
    return db.session.scalars(statement).all()


def managed_people():
    """People whose secret calendar address this user may see and replace:
    those of the own organisation (a freelancer's address would show their
    work for other organisations too); an admin or coordinator sees all."""
    statement = select(Person).order_by(Person.name)
    if current_user.role == "coordinator":
        return db.session.scalars(statement).all()  # plans everyone, freelancers too
    scope = organisation_scope()
    if scope is not None:
        statement = statement.where(Person.organisation_id == scope)
    return db.session.scalars(statement).all()


def form_errors(form, error: ServiceError, mapping=None):
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
