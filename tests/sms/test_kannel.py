"""Every event reaches the phone, through a real Kannel: the assertions are
on what the fake operator received."""
import time
from datetime import timedelta

from sqlalchemy import select

from booking.extensions import db
from booking.models import Booking, OutboxMessage, utcnow
from booking.services import booking as bookings
from booking.services import delivery
from booking.services.booking import format_ticket
from tests.sms.conftest import GATEWAY_SECRET


def wait_until(check, timeout=15.0):
    deadline = time.monotonic() + timeout
    while True:
        db.session.expire_all()
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def messages(event=None):
    statement = select(OutboxMessage).order_by(OutboxMessage.id)
    if event:
        statement = statement.where(OutboxMessage.event == event)
    return db.session.scalars(statement).all()


def fill_then_wait(world, waiting_phone="0470 00 00 02", language="nl"):
    """One seat for pre-registrations: the first books it, the second waits."""
    first = bookings.book(world.session.id, kind="pre_registered", name="Eerste",
                          phone="0470 00 00 01", language="nl").booking
    second = bookings.book(world.session.id, kind="pre_registered", name="Tweede",
                           phone=waiting_phone, language=language).booking
    assert (first.status, second.status) == ("confirmed", "waitlisted")
    return first, second


def assert_seat_sms(kannel, booking, phone):
    [sms] = kannel.wait_for(1)
    assert sms.to == phone and sms.sender == "Instap"
    assert booking.ticket in sms.text and "Werken met je smartphone" in sms.text
    assert "ANNULEER" in sms.text and "De Krook" in sms.text


def test_promotion_after_a_cancel_on_the_site(kannel, client, world):
    first, second = fill_then_wait(world)
    response = client.post(f"/booking/{first.ticket}/cancel")
    assert response.status_code == 302
    assert_seat_sms(kannel, second, "+32470000002")
    [message] = messages("seat_given")
    assert message.status in ("accepted", "delivered")


def test_promotion_after_a_cancel_through_the_api(kannel, client, world):
    first, second = fill_then_wait(world)
    assert client.delete(f"/api/v1/bookings/{first.ticket}").status_code == 200
    assert_seat_sms(kannel, second, "+32470000002")


def test_promotion_after_a_cancel_in_the_staff_portal(kannel, client, world, login_as):
    first, second = fill_then_wait(world)
    login_as(world.users.partner)
    response = client.post(f"/partner/sessions/{world.session.id}/bookings/{first.ticket}/cancel")
    assert response.status_code == 302
    assert_seat_sms(kannel, second, "+32470000002")


def test_a_kiosk_walk_in_on_the_waiting_list_is_texted_then_promoted(kannel, client, world):
    first = bookings.book(world.session.id, kind="pre_registered", name="A",
                          phone="0470000001").booking
    on_the_day = world.session.starts_at - timedelta(minutes=30)
    bookings.book(world.session.id, kind="walk_in", now=on_the_day)
    walk_in = bookings.book(world.session.id, kind="walk_in", language="nl",
                            now=on_the_day).booking
    assert walk_in.status == "waitlisted" and walk_in.phone is None
    location = world.location.id
    page = client.get(f"/kiosk/{location}/nl/ticket/{walk_in.ticket}").get_data(as_text=True)
    assert "data-phone-keypad" in page and "Je gsm-nummer" in page
    response = client.post(f"/kiosk/{location}/nl/ticket/{walk_in.ticket}/sms",
                           data={"phone": "0470 99 88 77"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "877" in page and "0470 99 88 77" not in page
    [ticket_sms] = kannel.wait_for(1)
    assert ticket_sms.to == "+32470998877" and walk_in.ticket in ticket_sms.text
    assert "wachtlijst" in ticket_sms.text  # "number 1 on the waiting list"
    assert client.post(f"/booking/{first.ticket}/cancel").status_code == 302
    texts = kannel.wait_for(2)
    assert len(texts) == 2 and texts[1].to == "+32470998877"
    assert walk_in.ticket in texts[1].text and "plaats" in texts[1].text
    db.session.expire_all()
    assert db.session.get(Booking, walk_in.id).phone == "0470 99 88 77"


def test_a_bad_phone_number_at_the_kiosk_is_explained_and_nothing_sent(kannel, client, world):
    walk_in = bookings.book(world.session.id, kind="walk_in",
                            now=world.session.starts_at - timedelta(minutes=30)).booking
    response = client.post(f"/kiosk/{world.location.id}/en/ticket/{walk_in.ticket}/sms",
                           data={"phone": "12ab"})
    assert response.status_code == 422
    assert "Write only digits" in response.get_data(as_text=True)
    assert messages() == []


def test_a_cancelled_session_reaches_every_booked_phone(kannel, client, world, login_as):
    fill_then_wait(world)
    bookings.book(world.session.id, kind="walk_in", phone="+32 470 00 00 03", language="fr",
                  now=world.session.starts_at - timedelta(minutes=30))
    bookings.book(world.session.id, kind="walk_in", name="No phone",
                  now=world.session.starts_at - timedelta(minutes=30))
    login_as(world.users.partner)
    assert client.post(f"/partner/sessions/{world.session.id}/cancel").status_code == 302
    texts = kannel.wait_for(3)
    assert sorted(t.to for t in texts) == ["+32470000001", "+32470000002", "+32470000003"]
    french = next(t for t in texts if t.to == "+32470000003")
    assert "Utiliser son smartphone" in french.text and "annul" in french.text


def test_a_change_of_time_reaches_every_booked_phone_in_its_language(kannel, client, world):
    first, second = fill_then_wait(world, waiting_phone="0470000005", language="tr")
    token = _api_token(world)
    new_start = world.session.starts_at + timedelta(days=1, hours=2)
    response = client.patch(
        f"/api/v1/sessions/{world.session.id}", headers={"Authorization": f"Bearer {token}"},
        json={"starts_at": new_start.isoformat(),
              "ends_at": (new_start + timedelta(hours=2)).isoformat()})
    assert response.status_code == 200, response.get_data(as_text=True)
    texts = kannel.wait_for(2)
    by_phone = {t.to: t for t in texts}
    assert set(by_phone) == {"+32470000001", "+32470000005"}
    local_hour = new_start.astimezone(_brussels()).strftime("%H:%M")
    assert local_hour in by_phone["+32470000001"].text
    turkish = by_phone["+32470000005"]
    assert "Akıllı telefon kullanımı" in turkish.text and turkish.coding == "ucs2"
    assert local_hour in turkish.text


def test_one_reminder_per_booking_however_often_the_command_runs(kannel, runner, world, make):
    soon = make.session(room=world.room, theme=world.theme,
                        starts_at=utcnow().replace(microsecond=0) + timedelta(hours=5))
    for phone, language in (("0470000001", "nl"), ("0470000002", "ar")):
        bookings.book(soon.id, kind="pre_registered", phone=phone, language=language)
    bookings.book(soon.id, kind="pre_registered", name="No phone")
    bookings.book(world.session.id, kind="pre_registered", phone="0470000009")  # in 3 days
    first = runner.invoke(args=["send-reminders"])
    assert first.exit_code == 0 and "Queued 2 reminder(s)." in first.output
    for _run in range(3):
        assert "Queued 0 reminder(s)." in runner.invoke(args=["send-reminders"]).output
    assert len(messages("reminder")) == 2  # one row, so one SMS, per booking
    # Every SMS the runs handed to Kannel was accepted before the command
    # returned; once both reports say delivered, the operator has them all.
    assert wait_until(lambda: [m.status for m in messages("reminder")] == ["delivered"] * 2)
    texts = kannel.wait_for(2)
    assert sorted(t.to for t in texts) == ["+32470000001", "+32470000002"]
    arabic = next(t for t in texts if t.to == "+32470000002")
    assert "استخدام الهاتف الذكي" in arabic.text and "إلغاء" in arabic.text
    assert arabic.coding == "ucs2" and arabic.parts <= 2


def test_a_gateway_outage_loses_nothing(kannel, client, world, login_as):
    fill_then_wait(world)
    kannel.stop()
    login_as(world.users.partner)
    started = time.monotonic()
    assert client.post(f"/partner/sessions/{world.session.id}/cancel").status_code == 302
    assert time.monotonic() - started < 5  # the request never waits for a dead gateway
    waiting = messages("session_cancelled")
    assert len(waiting) == 2
    assert all(m.status == "pending" and m.last_error for m in waiting)
    kannel.start()
    counts = delivery.deliver(now=utcnow() + timedelta(minutes=2))
    assert counts["accepted"] == 2
    texts = kannel.wait_for(2)
    assert sorted(t.to for t in texts) == ["+32470000001", "+32470000002"]


def test_delivery_reports_move_the_message_to_delivered(kannel, client, world):
    first, second = fill_then_wait(world)
    client.post(f"/booking/{first.ticket}/cancel")
    kannel.wait_for(1)
    delivered = wait_until(lambda: [m for m in messages("seat_given")
                                    if m.status == "delivered" and m.reported_at])
    assert delivered, [(m.status, m.last_error) for m in messages()]


def test_a_forged_delivery_report_is_refused(app, client, world):
    first, second = fill_then_wait(world)
    bookings.cancel(first.ticket)
    response = client.get("/gateway/kannel/report/1/not-the-token?type=2")
    assert response.status_code == 403
    assert client.get("/gateway/kannel/incoming?secret=wrong&from=%2B32470000002"
                      "&text=ANNULEER").status_code == 403


def test_a_reply_with_the_cancel_word_cancels_and_frees_the_seat(kannel, world):
    first, second = fill_then_wait(world)
    kannel.phone_sends("+32470000001", "annuleer")
    texts = kannel.wait_for(2)
    assert {t.to for t in texts} == {"+32470000001", "+32470000002"}, kannel.smsc_log.read_bytes()
    assert {t.to for t in texts} == {"+32470000001", "+32470000002"}
    db.session.expire_all()
    assert db.session.get(Booking, first.id).status == "cancelled"
    assert db.session.get(Booking, second.id).status == "confirmed"
    told = next(t for t in texts if t.to == "+32470000001")
    assert first.ticket in told.text and "geannuleerd" in told.text


def test_a_reply_without_the_cancel_word_changes_nothing(kannel, world, client):
    first, _second = fill_then_wait(world)
    response = client.get("/gateway/kannel/incoming", query_string={
        "secret": GATEWAY_SECRET, "from": "+32470000001", "text": "dank je"})
    assert response.status_code == 200 and response.get_data() == b""
    db.session.expire_all()
    assert db.session.get(Booking, first.id).status == "confirmed"
    assert messages() == []


def test_without_a_gateway_sms_stay_pending_and_staff_are_told(app, client, world, login_as):
    first, second = fill_then_wait(world)
    assert client.post(f"/booking/{first.ticket}/cancel").status_code == 302
    [message] = messages("seat_given")
    assert message.status == "pending" and message.attempts == 0
    login_as(world.users.admin)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get("/partner/outbox").get_data(as_text=True)
    assert "SMS are not set up" in page and "waiting to be sent" in page
    assert format_ticket(second.ticket)  # the waiting booking kept its ticket


def _api_token(world):
    from tests.conftest import Factory

    return Factory().api_token(world.organisation)


def _brussels():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/Brussels")
