"""Printed posters: one session (A4, a big QR code) and a location's week
(A4, the week's sessions and one QR code to all of them). QR codes point to
PUBLIC_URL in the poster's language; the Print button is a static-script
listener (data-print), which the Content Security Policy allows."""
from datetime import date, datetime, timedelta

from flask import current_app, render_template, request
from sqlalchemy import select

from booking.extensions import db
from booking.models import Room, Session, utcnow
from booking.partner import bp, posters
from booking.partner.common import own_location, own_session
from booking.security import plausible_date
from booking.times import local, zone
from booking.urls import public_url


def _poster_language() -> str:
    code = request.args.get("poster_lang", "nl")
    return code if code in current_app.config["LANGUAGES"] else "nl"


@bp.get("/sessions/<int:session_id>/poster")
def session_poster(session_id):
    session = own_session(session_id)
    language = _poster_language()
    url = public_url("site.session_page", session_id=session.id, lang=language)
    return render_template("partner/poster_session.html", session=session, url=url,
                           qr=posters.qr_svg(url), posters=posters, poster_lang=language,
                           poster_langs=posters.poster_languages([session], language))


@bp.get("/locations/<int:location_id>/poster")
def location_poster(location_id):
    location = own_location(location_id)
    language = _poster_language()
    try:
        first = date.fromisoformat(request.args.get("week", ""))
    except ValueError:
        first = local(utcnow()).date()
    if not plausible_date(first):  # year 1 or 9999: no week to show, this week instead
        first = local(utcnow()).date()
    monday = first - timedelta(days=first.isoweekday() - 1)
    start = datetime.combine(monday, datetime.min.time(), tzinfo=zone())
    end = datetime.combine(monday + timedelta(days=7), datetime.min.time(), tzinfo=zone())
    found = db.session.scalars(
        select(Session).join(Room)
        .where(Room.location_id == location.id, Session.status == "published",
               Session.starts_at >= start, Session.starts_at < end)
        .order_by(Session.starts_at)
    ).all()
    url = public_url("site.index", location=location.id, lang=language)
    return render_template("partner/poster_week.html", location=location, sessions=found,
                           url=url, qr=posters.qr_svg(url), posters=posters,
                           poster_lang=language,
                           poster_langs=posters.poster_languages(found, language),
                           monday=monday, sunday=monday + timedelta(days=6),
                           previous=monday - timedelta(days=7), next=monday + timedelta(days=7))
