"""Staff of a session (assign, remove) and the organisation's people with
their calendar feeds (a webcal:// link to subscribe, a new address when the
old one leaked)."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from booking.audit import current_actor
from booking.auth.forms import ActionForm
from booking.extensions import db
from booking.models import Person, StaffAssignment
from booking.partner import bp
from booking.partner.common import managed_people, own_people, own_session
from booking.partner.forms import AssignForm, options
from booking.services import staff
from booking.services.errors import ServiceError


@bp.post("/sessions/<int:session_id>/staff")
def assign_staff(session_id):
    session = own_session(session_id)
    form = AssignForm()
    people = {p.id: p for p in own_people()}
    form.person.choices = options((p.id, p.name) for p in people.values())
    if form.validate_on_submit():
        try:
            staff.assign(session.id, people[form.person.data].id, form.role.data,
                         actor=current_actor())
        except ServiceError as error:
            flash(error.message, "error")
        else:
            flash(_("Staff assigned."), "info")
    else:
        flash(_("Choose a person and a role."), "error")
    return redirect(url_for(".session", session_id=session.id) + "#staff")


@bp.post("/sessions/<int:session_id>/staff/<int:assignment_id>/remove")
def remove_staff(session_id, assignment_id):
    session = own_session(session_id)
    assignment = db.session.get(StaffAssignment, assignment_id)
    if assignment is None or assignment.session_id != session.id:
        abort(404)
    if ActionForm().validate_on_submit():
        staff.unassign(assignment.id, actor=current_actor())
        flash(_("Staff removed from the session."), "info")
    return redirect(url_for(".session", session_id=session.id) + "#staff")


@bp.get("/people")
def people():
    return render_template("partner/people.html", people=managed_people(), form=ActionForm())


@bp.post("/people/<int:person_id>/feed-token")
def regenerate_feed(person_id):
    person = db.session.get(Person, person_id)
    if person is None or person not in managed_people():
        abort(404)
    if ActionForm().validate_on_submit():
        staff.regenerate_feed_token(person)
        db.session.commit()
        flash(_("A new calendar address was made for %(name)s; the old one no longer works.",
                name=person.name), "info")
    return redirect(url_for(".people") + f"#person-{person.id}")
