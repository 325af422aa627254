import uuid

from flask import abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import force_locale, gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from booking.auth.access import role_required
from booking.kiosk import bp
from booking.kiosk.forms import CheckInForm, JoinForm, PhoneForm, SmileyForm, TapForm, TopicForm
from booking.models import DROPIN_TOPICS
from booking.ratelimits import anonymous_form, ticket_lookup, ticket_lookup_sent
from booking.services import agenda, checkin, dropin, feedback, texting
from booking.services import booking as bookings
from booking.services.errors import Conflict, InvalidInput, NotFound
from booking.site.present import explain
from booking.urls import public_url


@bp.url_value_preprocessor
def _pull_language(endpoint, values):
    if values and "lang" in values:
        g.lang = values.pop("lang")
        if g.lang not in current_app.config["LANGUAGES"]:
            abort(404)


@bp.url_defaults
def _add_language(endpoint, values):
    if "lang" not in values and g.get("lang") and current_app.url_map.is_endpoint_expecting(
        endpoint, "lang"
    ):
        values["lang"] = g.lang


@bp.before_request
def _load_location():
    location_id = (request.view_args or {}).get("location_id")
    if location_id is not None:
        try:
            g.location = agenda.get_location(location_id)
        except NotFound:
            abort(404)


@bp.after_request
def _no_store(response):
    """Nothing a visitor saw is kept in the kiosk browser's cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(404)
def _not_found(error):
    if g.get("location") is None:
        return render_template("site/message.html", title=_("Page not found"),
                               message=_("This page does not exist.")), 404
    return render_template("kiosk/message.html", title=_("Page not found"),
                           message=_("This page does not exist."), tone="warn"), 404


@bp.errorhandler(CSRFError)
def _stale_form(error):
    # CSRF is checked before this blueprint's own before_request ran.
    try:
        g.location = agenda.get_location((request.view_args or {}).get("location_id"))
    except NotFound:
        abort(400)
    return _message(_("This page was open for a long time. Please try again."), tone="warn",
                    status=400)


@bp.get("/<int:location_id>")
def start(location_id):
    greetings, read_aloud = {}, {}
    for code in current_app.config["LANGUAGES"]:
        with force_locale(code):
            greetings[code] = _("Touch here")
            read_aloud[code] = (_("Read aloud"), _("Playing"), _("Stop"))
    return render_template("kiosk/start.html", greetings=greetings, read_aloud=read_aloud)


@bp.get("/<int:location_id>/<lang>")
def home(location_id):
    return render_template("kiosk/home.html")


@bp.get("/<int:location_id>/<lang>/sessions")
def sessions(location_id):
    found = in_language_first(agenda.kiosk_sessions(location_id), g.lang)
    seats = bookings.availabilities(found)
    return render_template("kiosk/sessions.html", sessions=found, seats=seats)


@bp.route("/<int:location_id>/<lang>/sessions/<int:session_id>", methods=["GET", "POST"])
@anonymous_form
def join(location_id, session_id):
    session = _session_here(session_id)
    form = JoinForm()
    if form.validate_on_submit():
        try:
            outcome = bookings.join_at_the_place(
                session.id, name=(form.name.data or "").strip() or None,
                language=g.lang, idempotency_key=f"kiosk-{form.attempt.data}",
            )
        except Conflict as error:
            return _message(explain(error), tone="warn", status=409)
        return redirect(url_for(".ticket", location_id=location_id, ticket=outcome.booking.ticket))
    form.attempt.data = uuid.uuid4().hex
    return render_template("kiosk/join.html", session=session, form=form,
                           seats=bookings.availability(session))


@bp.get("/<int:location_id>/<lang>/ticket/<ticket>")
@ticket_lookup
def ticket(location_id, ticket):
    try:
        booking = bookings.find_booking(ticket)
    except NotFound:
        abort(404)
    return _ticket_page(booking, PhoneForm(formdata=None))


def _ticket_page(booking, phone_form, status=200):
    texted = request.args.get("texted") if booking.phone else None
    return render_template(
        "kiosk/ticket.html", booking=booking, position=bookings.waitlist_position(booking),
        booking_url=public_url("site.my_booking", ticket=booking.ticket),
        phone_form=phone_form,
        texted="".join(c for c in booking.phone if c.isdigit())[-3:] if texted else None,
    ), status


@bp.post("/<int:location_id>/<lang>/ticket/<ticket>/sms")
@ticket_lookup
def text_ticket(location_id, ticket):
    """"Text me my ticket": keep the phone on the booking and send the ticket."""
    try:
        booking = bookings.find_booking(ticket)
    except NotFound:
        abort(404)
    form = PhoneForm()
    if not form.validate_on_submit():
        return _ticket_page(booking, form, status=422)
    try:
        texting.text_ticket(booking.ticket, form.phone.data)
    except InvalidInput as error:
        return _message(explain(error), tone="warn", status=409)
    return redirect(url_for(".ticket", location_id=location_id, ticket=booking.ticket, texted=1))


@bp.route("/<int:location_id>/<lang>/check-in", methods=["GET", "POST"])
@ticket_lookup_sent
def check_in(location_id):
    form = CheckInForm()
    problem = None
    if form.validate_on_submit():
        try:
            booking = checkin.check_in_at(location_id, form.code.data)
        except NotFound:
            problem = _("We do not know this code. Look at your ticket and try again.")
        except checkin.WrongPlace as error:
            problem = _("This ticket is for another place: %(place)s.", place=error.place)
        except Conflict as error:
            problem = explain(error)
        else:
            return render_template("kiosk/checked_in.html", booking=booking)
    elif form.is_submitted():
        problem = _("Type the code of your ticket.")
    return render_template("kiosk/check_in.html", form=form, problem=problem,
                           keys=bookings.TICKET_ALPHABET), (422 if problem else 200)


@bp.route("/<int:location_id>/<lang>/help", methods=["GET", "POST"])
@anonymous_form
def help_desk(location_id):
    """Numbers only while a help hour runs here; otherwise when and where
    the next help hour is."""
    form = TopicForm()
    if form.validate_on_submit():
        try:
            number = dropin.take_number(location_id, form.topic.data, language=g.lang)
        except dropin.NoHelpHour:
            pass  # it ended while the person chose a topic: show the next one
        else:
            return redirect(url_for(".queue_number", location_id=location_id,
                                    number_id=number.id))
    help_hour = dropin.running_help_hour(location_id)
    if help_hour is None:
        return render_template("kiosk/no_help_hour.html",
                               next_help_hour=dropin.next_help_hour(location_id))
    return render_template("kiosk/help.html", topics=DROPIN_TOPICS, form=form,
                           help_hour=help_hour)


@bp.get("/<int:location_id>/<lang>/help/<int:number_id>")
def queue_number(location_id, number_id):
    try:
        number = dropin.get_ticket(location_id, number_id)
    except NotFound:
        abort(404)
    return render_template("kiosk/queue_number.html", number=number,
                           place=dropin.place_in_queue(number))


@bp.get("/<int:location_id>/<lang>/feedback")
def feedback_sessions(location_id):
    found = feedback.sessions_to_rate(location_id)
    if len(found) == 1:
        return redirect(url_for(".rate", location_id=location_id, session_id=found[0].id))
    return render_template("kiosk/feedback_sessions.html", sessions=found)


@bp.route("/<int:location_id>/<lang>/feedback/<int:session_id>", methods=["GET", "POST"])
@anonymous_form
def rate(location_id, session_id):
    session = _session_here(session_id)
    form = SmileyForm()
    if form.validate_on_submit():
        try:
            feedback.record(session.id, form.score.data, language=g.lang)
        except (Conflict, InvalidInput) as error:
            return _message(explain(error), tone="warn", status=409)
        return _message(_("Thank you! You helped us."), tone="ok", icon="happy")
    return render_template("kiosk/rate.html", session=session, form=form)


@bp.post("/<int:location_id>/<lang>/call-staff")
@anonymous_form
def call_staff(location_id):
    form = TapForm()
    if form.validate_on_submit():
        dropin.call_staff(location_id, language=g.lang)
    return _message(_("A staff member is coming to help you. Please wait here."),
                    tone="ok", icon="staff")


# Screens for the staff and the waiting room (in the location's own language
# choice: ?lang= or the browser's). The staff screen calls people's numbers
# and sees their topics: the location's own organisation's staff, a
# coordinator or an admin only (not any trainer of any place). The
# display shows numbers only, so it needs none.
STAFF_SCREEN_ROLES = ("partner_staff", "admin", "coordinator")

@bp.route("/<int:location_id>/staff", methods=["GET", "POST"])
@role_required(*STAFF_SCREEN_ROLES)
def staff(location_id):
    if current_user.role == "partner_staff" and (
        current_user.organisation_id != g.location.organisation_id
    ):
        abort(404)
    form = TapForm()
    just_called = None
    if form.validate_on_submit():
        if request.form.get("action") == "answer":
            dropin.answer_staff_calls(location_id)
        else:
            just_called = dropin.call_next(location_id)
            if just_called is None:
                just_called = False
    return render_template(
        "kiosk/staff.html", form=form, waiting=dropin.waiting(location_id),
        called=dropin.called(location_id, limit=1), calls=dropin.open_staff_calls(location_id),
        just_called=just_called,
    )


@bp.get("/<int:location_id>/display")
def display(location_id):
    return render_template("kiosk/display.html", called=dropin.called(location_id),
                           waiting=len(dropin.waiting(location_id)))


def in_language_first(sessions, language):
    """Sessions given in the visitor's chosen language first, each group in
    the order it came (soonest first)."""
    return sorted(sessions, key=lambda session: language not in (session.languages or []))


def _session_here(session_id):
    try:
        session = agenda.get_public_session(session_id)
    except NotFound:
        abort(404)
    if session.location.id != g.location.id:
        abort(404)
    return session


def _message(message, *, tone="ok", icon=None, status=200):
    return render_template("kiosk/message.html", title=message, message=message,
                           tone=tone, icon=icon), status
