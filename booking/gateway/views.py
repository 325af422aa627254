"""Kannel's calls. Delivery report: the dlr-url of each SMS,
/gateway/kannel/report/<id>/<token>?type=%d. Reply: the sms-service
get-url, /gateway/kannel/incoming?secret=...&from=%p&text=%a. Both answer
with an empty text body, so Kannel sends nothing back by itself (the
confirmation of a cancel goes through the outbox like every SMS)."""
import logging

from flask import abort, request
from sqlalchemy import update

from booking.extensions import db
from booking.gateway import bp
from booking.models import OutboxMessage, utcnow
from booking.services import sms, texting

log = logging.getLogger("instap.gateway")

# The final outcome of a report type; 4 (buffered) and 8 (taken by the
# operator's SMSC) keep the message accepted.
REPORTED = {sms.DLR_DELIVERED: "delivered", sms.DLR_FAILED: "failed",
            sms.DLR_SMSC_REJECTED: "failed"}


@bp.route("/kannel/report/<int:message_id>/<token>", methods=["GET", "POST"])
def kannel_report(message_id, token):
    if not sms.valid_report_token(message_id, token):
        abort(403)
    kind = request.values.get("type", type=int)
    if kind is None:
        abort(400)
    # Conditional updates, not read-modify-write: Kannel sends the reports of
    # one SMS at once, in any order, and "delivered" must win.
    outcome = REPORTED.get(kind)
    row = update(OutboxMessage).where(OutboxMessage.id == message_id)
    if outcome:
        values = {"status": outcome, "reported_at": utcnow()}
        if outcome == "failed":
            values["last_error"] = f"The operator reported the SMS as not delivered ({kind})."
        db.session.execute(row.where(OutboxMessage.status != "delivered").values(**values))
    elif kind in (sms.DLR_BUFFERED, sms.DLR_SMSC_ACCEPTED):
        # The report may come before the gateway's own answer was recorded.
        db.session.execute(row.where(OutboxMessage.status == "pending").values(status="accepted"))
    db.session.commit()
    return _empty()


@bp.route("/kannel/incoming", methods=["GET", "POST"])
def kannel_incoming():
    if not sms.valid_incoming_secret(request.values.get("secret", "")):
        abort(403)
    phone, text = request.values.get("from", ""), request.values.get("text", "")
    if not phone:
        abort(400)
    outcome = texting.handle_reply(phone, text)
    if outcome.understood and outcome.cancelled is None:
        log.info("cancel reply from a phone with no booking to cancel")
    return _empty()


def _empty():
    return "", 200, {"Content-Type": "text/plain; charset=utf-8"}
