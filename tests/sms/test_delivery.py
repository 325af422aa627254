"""Delivery happens after the commit and outside the request: the hooks
only queue, a rolled-back change sends nothing, and a gateway that hangs
never holds up the page that caused the message."""
import threading
import time

from sqlalchemy import select

from booking.extensions import db
from booking.models import OutboxMessage
from booking.services import booking as bookings
from booking.services import notify


class Gate:
    """A sender that waits until the test opens it: a gateway that hangs."""

    def __init__(self):
        self.open, self.sent = threading.Event(), []

    def send(self, message):
        self.open.wait(30)
        self.sent.append(message.recipient)
        return "accepted"


def wait_until(check, timeout=15.0):
    deadline = time.monotonic() + timeout
    while not check() and time.monotonic() < deadline:
        time.sleep(0.02)
    return check()


def test_hooks_only_queue_and_a_rollback_sends_nothing(app, world):
    gate = Gate()
    gate.open.set()
    app.config["NOTIFY_SENDER"] = gate
    booking = bookings.book(world.session.id, kind="pre_registered", phone="0470000001").booking
    message = notify.ticket_texted(booking)
    assert message in db.session.new and gate.sent == []  # queued, not sent, not committed
    db.session.rollback()
    assert db.session.scalars(select(OutboxMessage)).all() == [] and gate.sent == []
    notify.ticket_texted(db.session.get(type(booking), booking.id))
    db.session.commit()
    assert gate.sent == ["0470000001"]


def test_a_hanging_gateway_never_holds_up_the_request(app, client, world):
    app.config.update(NOTIFY_SENDER=(gate := Gate()), NOTIFY_DELIVERY="thread")
    first = bookings.book(world.session.id, kind="pre_registered", phone="0470000001").booking
    bookings.book(world.session.id, kind="pre_registered", phone="0470000002")
    started = time.monotonic()
    assert client.post(f"/booking/{first.ticket}/cancel").status_code == 302
    assert time.monotonic() - started < 5  # the gateway is still hanging
    db.session.expire_all()
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert message.event == "seat_given" and message.status == "pending"
    gate.open.set()
    assert wait_until(lambda: gate.sent == ["0470000002"])

    def accepted():
        db.session.expire_all()
        return db.session.get(OutboxMessage, message.id).status == "accepted"

    assert wait_until(accepted)
