"""The outbox (admins): every message, masked, and a button to send again."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from booking.auth.access import role_required
from booking.auth.forms import ActionForm
from booking.extensions import db
from booking.models import OutboxMessage
from booking.partner import bp
from booking.services import delivery


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
        counts = delivery.deliver(retry_failed=True)
        flash(_("Sent %(sent)d, failed %(failed)d.", sent=counts["sent"] + counts["accepted"],
                failed=counts["failed"] + counts["retrying"]), "info")
        return redirect(url_for(".outbox"))
    messages = db.session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(200)
    ).all()
    return render_template("partner/outbox.html", messages=messages, masked=_masked,
                           form=ActionForm(), sms_set_up=delivery.sms_set_up(),
                           status_labels={
                               "pending": _("waiting to be sent"), "sent": _("sent"),
                               "accepted": _("accepted by the SMS gateway"),
                               "delivered": _("delivered to the phone"), "failed": _("failed"),
                           })
