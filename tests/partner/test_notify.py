"""The outbox: every message is recorded, failures are kept and retried."""
from datetime import timedelta

from sqlalchemy import select

from booking.extensions import db
from booking.models import OutboxMessage, StaffAssignment, utcnow
from booking.services import booking as bookings
from booking.services import delivery, notify, referrals
from booking.services import sessions as session_service


class Broken:
    def send(self, message):
        raise ConnectionError("gateway down")


class Recorder:
    def __init__(self):
        self.sent = []

    def send(self, message):
        self.sent.append((message.channel, message.recipient, message.subject))


def test_cancel_reaches_participants_counsellors_and_staff(app, world):
    session = world.own_session
    bookings.book(session.id, kind="pre_registered", name="A", phone="0470000001")
    bookings.book(session.id, kind="pre_registered", name="No phone")
    referrals.refer(world.users.counsellor, session.id, client_name="F", need="cv",
                    phone="0470000002", consent=True)
    db.session.add(StaffAssignment(session=session, person=world.trainer_person, role="trainer"))
    db.session.commit()
    recorder = Recorder()
    app.config["NOTIFY_SENDER"] = recorder
    session_service.cancel(session.id)  # the service tells everyone itself
    recipients = sorted(r for _c, r, _s in recorder.sent)
    assert recipients == ["0470000001", "0470000002", "counsellor@test.test", "trainer@test.test"]
    rows = db.session.scalars(select(OutboxMessage)).all()
    assert {m.status for m in rows} == {"sent"} and len(rows) == 4
    assert all(m.event == "session_cancelled" for m in rows)


def test_failed_messages_are_kept_and_retried_with_back_off(app, world, runner):
    app.config["NOTIFY_SENDER"] = Broken()
    bookings.book(world.own_session.id, kind="pre_registered", phone="0470000001")
    session_service.cancel(world.own_session.id)
    [message] = db.session.scalars(select(OutboxMessage)).all()
    db.session.refresh(message)
    assert message.status == "pending" and "gateway down" in message.last_error
    assert message.attempts == 1 and message.next_attempt_at > utcnow()
    recorder = Recorder()
    app.config["NOTIFY_SENDER"] = recorder
    # Not due yet: the back-off holds it back.
    assert runner.invoke(args=["send-outbox"]).output.startswith("Sent 0, failed 0")
    later = utcnow() + timedelta(minutes=delivery.BACKOFF_MINUTES[0] + 1)
    assert delivery.deliver(now=later)["sent"] == 1
    db.session.expire_all()
    message = db.session.get(OutboxMessage, message.id)
    assert message.status == "sent" and message.attempts == 2 and message.sent_at
    assert runner.invoke(args=["send-outbox"]).output.startswith("Sent 0, failed 0")


def test_a_message_fails_for_good_after_the_last_attempt(app, world):
    app.config["NOTIFY_SENDER"] = Broken()
    bookings.book(world.own_session.id, kind="pre_registered", phone="0470000001")
    session_service.cancel(world.own_session.id)
    [message] = db.session.scalars(select(OutboxMessage)).all()
    moment = utcnow()
    for _attempt in range(delivery.MAX_ATTEMPTS):
        moment += timedelta(hours=5)
        delivery.deliver(now=moment)
    db.session.expire_all()
    message = db.session.get(OutboxMessage, message.id)
    assert message.status == "failed" and message.attempts == delivery.MAX_ATTEMPTS


def test_pending_messages_when_sending_later(app, world, runner):
    app.config["NOTIFY_DELIVERY"] = "cron"
    app.config["NOTIFY_SENDER"] = Recorder()
    bookings.book(world.own_session.id, kind="pre_registered", phone="0470000001")
    session_service.cancel(world.own_session.id)
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert db.session.get(OutboxMessage, message.id).status == "pending"
    assert "Sent 1" in runner.invoke(args=["send-outbox"]).output


def test_log_sender_is_the_default_and_smtp_when_configured(app, world, monkeypatch):
    assert isinstance(delivery.sender_for("email"), delivery.LogSender)
    assert delivery.sender_for("sms") is None  # no gateway: SMS wait
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append(("connect", host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, email):
            sent.append(("send", email["To"], email.get_content_type(),
                         [part.get_filename() for part in email.iter_attachments()]))

    monkeypatch.setattr(delivery.smtplib, "SMTP", FakeSMTP)
    app.config.update(MAIL_SERVER="mail.test", MAIL_PORT=2525)
    assert isinstance(delivery.sender_for("email"), delivery.SmtpSender)
    outcome = bookings.book(world.own_session.id, kind="pre_registered", name="A", language="en")
    message = notify.booking_confirmed(outcome.booking, "a@example.test")
    db.session.commit()
    db.session.refresh(message)
    assert message.status == "sent"
    assert "BEGIN:VCALENDAR" in message.attachment and "TZID=Europe/Brussels" in message.attachment
    assert sent[0] == ("connect", "mail.test", 2525)
    assert sent[1][0:3] == ("send", "a@example.test", "multipart/mixed")
    assert sent[1][3] == [f"instap-{outcome.booking.ticket}.ics"]
    assert notify.booking_confirmed(outcome.booking, "") is None


def test_session_changed_without_move_sends_nothing(app, world):
    bookings.book(world.own_session.id, kind="pre_registered", phone="0470000001")
    change = session_service.update(world.own_session.id, {"capacity": 6})
    assert not change.moved
    assert notify.session_changed(change) == []
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_admin_sees_masked_outbox_and_retries(app, client, world, login_as):
    app.config["NOTIFY_SENDER"] = Broken()
    bookings.book(world.own_session.id, kind="pre_registered", phone="0470123456")
    session_service.cancel(world.own_session.id)
    login_as(world.users.partner)
    assert client.get("/partner/outbox").status_code == 403
    login_as(world.users.admin)
    text = client.get("/partner/outbox").get_data(as_text=True)
    assert "…456" in text and "0470123456" not in text and "gateway down" in text
    app.config["NOTIFY_SENDER"] = Recorder()
    assert client.post("/partner/outbox").status_code == 302
    db.session.expire_all()
    assert {m.status for m in db.session.scalars(select(OutboxMessage))} == {"sent"}
