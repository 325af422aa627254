"""Clients referred to the organisation's sessions."""
from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from booking.extensions import db
from booking.models import Location, Referral, Room, Session
from booking.partner import bp
from booking.partner.common import scoped


@bp.get("/referrals")
def referrals_list():
    """Clients referred to the organisation's sessions, feedback still to give first."""
    statement = (
        select(Referral).join(Session, Session.id == Referral.session_id).join(Room).join(Location)
        .options(selectinload(Referral.session).selectinload(Session.theme))
        .order_by(Referral.feedback_at.is_not(None), Session.starts_at.desc())
    )
    found = db.session.scalars(scoped(statement).limit(500)).all()
    return render_template("partner/partner_referrals.html", referrals=found)
