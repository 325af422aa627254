import uuid

from flask import (
    abort, current_app, g, redirect, render_template, request, session as cookie, url_for,
)
from flask_babel import get_locale, gettext as _, refresh

from flask_wtf.csrf import CSRFError

from booking.extensions import db
from booking.ratelimits import anonymous_form, ticket_lookup
from booking.services import agenda, notify
from booking.services import booking as bookings
from booking.services.checkin import ticket_from_scan
from booking.services.errors import Conflict, NotFound
from booking.site import bp
from booking.site.forms import BookForm, CancelForm, TicketForm
from booking.models import utcnow
from booking.security import safe_next
from booking.site.present import explain, time_of
from booking.urls import public_url


INDEX_LIMIT = 40  # a phone screen's worth of cards; filters show the rest


@bp.app_url_value_preprocessor
def _fresh_language(endpoint, values):
    """Every request chooses its language anew, also when an app context is
    reused across requests (the test client does that)."""
    g.pop("lang", None)
    g.pop("location", None)
    refresh()


@bp.before_request
def _remember_language():
    """A link with ?lang= (a poster, a counsellor's message) keeps its
    language on the next pages too."""
    asked = request.args.get("lang")
    if asked in current_app.config["LANGUAGES"] and cookie.get("lang") != asked:
        cookie["lang"] = asked


@bp.errorhandler(404)
def _not_found(error):
    return render_template("site/message.html", title=_("Page not found"),
                           message=_("This page does not exist.")), 404


@bp.errorhandler(CSRFError)
def _stale_form(error):
    return render_template("site/message.html", title=_("Please try again"),
                           message=_("This page was open for a long time. Please try again."),
                           back=request.path), 400


@bp.get("/")
def index():
    location = request.args.get("location", type=int)
    theme = request.args.get("theme") or None
    language = request.args.get("language") or None
    if language not in current_app.config["LANGUAGES"]:
        language = None
    found = agenda.upcoming_sessions(location_id=location, theme_id=theme, language=language,
                                     limit=INDEX_LIMIT + 1)
    more = len(found) > INDEX_LIMIT
    found = found[:INDEX_LIMIT]
    return render_template(
        "site/index.html", sessions=found, seats=bookings.availabilities(found),
        locations=agenda.locations(), themes=agenda.participant_themes(),
        chosen={"location": location, "theme": theme, "language": language}, more=more,
    )


@bp.route("/sessions/<int:session_id>", methods=["GET", "POST"])
@anonymous_form
def session_page(session_id):
    try:
        session = agenda.get_public_session(session_id)
    except NotFound:
        abort(404)
    form = BookForm()
    problem = None
    closed_because = why_booking_ahead_is_closed(session)
    if agenda.books_ahead(session) and not closed_because and form.validate_on_submit():
        try:
            outcome = bookings.book(
                session.id, kind="pre_registered", name=form.name.data.strip(),
                phone=(form.phone.data or "").strip() or None, language=str(get_locale()),
                age_group=form.age_group.data or None,
                idempotency_key=f"site-{form.attempt.data}" if form.attempt.data else None,
            )
        except Conflict as error:
            problem = explain(error)
        else:
            if outcome.created and outcome.booking.phone:
                notify.ticket_texted(outcome.booking)  # "text me my ticket"
                db.session.commit()
            return redirect(url_for(".my_booking", ticket=outcome.booking.ticket, new=1))
    if closed_because and request.method == "POST":
        problem = closed_because  # the form was open when the page was loaded
    if not form.is_submitted() or not form.attempt.data:
        form.attempt.data = uuid.uuid4().hex
    return render_template("site/session.html", session=session, form=form, problem=problem,
                           closed_because=closed_because, seats=bookings.availability(session)
                           ), (422 if form.errors or problem else 200)


def why_booking_ahead_is_closed(session) -> str | None:
    """None while the phone site may book a seat ahead; otherwise the
    reason, in words (pre-registration closes at the start)."""
    now = utcnow()
    refusal = bookings.booking_refusal(session, "pre_registered", now)
    if refusal is None or session.status == "cancelled":
        return None  # a cancelled session has its own message on the page
    if refusal.code == "booking_closed" and now < session.ends_at:
        walk_in_until = bookings.walk_in_closes_at(session)
        if now < walk_in_until:
            return _("This session has started: booking ahead is closed. You can still walk in "
                     "at the place until %(time)s.", time=time_of(walk_in_until))
        return _("This session has started and takes no more people.")
    return explain(refusal)


@bp.get("/booking")
def find():
    form = TicketForm(request.args)
    if request.args and form.validate():
        code = ticket_from_scan(form.ticket.data)
        return redirect(url_for(".my_booking", ticket=bookings.normalise_ticket(code) or "-"))
    return render_template("site/find.html", form=form)


@bp.get("/booking/<ticket>")
@ticket_lookup
def my_booking(ticket):
    try:
        booking = bookings.find_booking(ticket)
    except NotFound:
        return render_template("site/message.html", title=_("Ticket not found"),
                               message=_("We do not know this code. Look at your ticket and try again."),
                               back=url_for(".find")), 404
    if booking.ticket != ticket:
        return redirect(url_for(".my_booking", ticket=booking.ticket))
    return render_template(
        "site/booking.html", booking=booking, position=bookings.waitlist_position(booking),
        form=CancelForm(), new=request.args.get("new") == "1",
        booking_url=public_url("site.my_booking", ticket=booking.ticket),
    )


@bp.post("/booking/<ticket>/cancel")
@ticket_lookup
def cancel(ticket):
    form = CancelForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        bookings.cancel(ticket)  # tells whoever gets the seat
    except NotFound:
        abort(404)
    except Conflict as error:
        return render_template("site/message.html", title=explain(error), message=explain(error),
                               back=url_for(".my_booking", ticket=ticket)), 409
    return redirect(url_for(".my_booking", ticket=bookings.normalise_ticket(ticket)))


@bp.get("/language/<code>")
def choose_language(code):
    if code in current_app.config["LANGUAGES"]:
        cookie["lang"] = code
    return redirect(safe_next(request.args.get("next")) or url_for(".index"))


@bp.app_context_processor
def _site_helpers():
    return {"current_path": request.full_path.rstrip("?") if request else "/"}
