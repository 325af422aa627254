"""The public site on a phone, as a visitor notices it."""
import re
from datetime import UTC, datetime, timedelta

from booking.extensions import db
from booking.models import Booking
from booking.services import booking as bookings
from tests.conftest import in_days


def session_links(page):
    return set(int(n) for n in re.findall(r'href="/sessions/(\d+)"', page))


def test_home_lists_upcoming_sessions_soonest_first(client, offer):
    page = client.get("/?lang=en").get_data(as_text=True)
    ids = [int(n) for n in re.findall(r'href="/sessions/(\d+)"', page)]
    assert ids == [offer["cv_ghent"].id, offer["apps_kortrijk"].id, offer["cv_kortrijk"].id]
    assert "Make your CV" in page and "pictograms/cv.svg" in page


def test_filter_by_place_theme_and_language(client, offer):
    by_place = client.get(f"/?location={offer['kortrijk'].id}").get_data(as_text=True)
    assert session_links(by_place) == {offer["apps_kortrijk"].id, offer["cv_kortrijk"].id}
    by_theme = client.get("/?theme=cv").get_data(as_text=True)
    assert session_links(by_theme) == {offer["cv_ghent"].id, offer["cv_kortrijk"].id}
    by_language = client.get("/?language=ar").get_data(as_text=True)
    assert session_links(by_language) == {offer["cv_ghent"].id}
    nothing = client.get("/?language=tr&theme=cv").get_data(as_text=True)
    assert session_links(nothing) == set()
    assert 'class="message"' in nothing


def test_past_draft_and_counsellor_sessions_are_not_listed(client, make, offer):
    past = make.session(starts_at=datetime.now(UTC) - timedelta(days=1))
    draft = make.session(status="draft")
    counsellors = make.session(theme=make.theme(audience="counsellors"))
    links = session_links(client.get("/").get_data(as_text=True))
    assert not links & {past.id, draft.id, counsellors.id}
    assert client.get(f"/sessions/{draft.id}").status_code == 404


def test_book_with_first_name_and_optional_phone(client, offer):
    response = client.post(f"/sessions/{offer['cv_ghent'].id}?lang=ar",
                           data={"name": " Fatima ", "phone": "0470 12 34 56"})
    assert response.status_code == 302
    booking = db.session.query(Booking).one()
    assert (booking.kind, booking.status, booking.name, booking.phone, booking.language) == (
        "pre_registered", "confirmed", "Fatima", "0470 12 34 56", "ar")
    assert response.headers["Location"].startswith(f"/booking/{booking.ticket}")


def test_name_is_needed_and_phone_must_look_like_a_number(client, offer):
    response = client.post(f"/sessions/{offer['cv_ghent'].id}?lang=en", data={"name": "", "phone": "call me"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Please write your first name." in page
    assert "Write only digits" in page
    assert 'aria-invalid="true"' in page
    assert db.session.query(Booking).count() == 0


def test_pre_registrations_leave_walk_in_seats_free_then_waiting_list(client, offer):
    session = offer["cv_ghent"]  # capacity 4, walk-in seats 2
    for name in ("A", "B"):
        client.post(f"/sessions/{session.id}", data={"name": name})
    page = client.get(f"/sessions/{session.id}?lang=en").get_data(as_text=True)
    assert "Join the waiting list" in page
    client.get("/language/en")
    response = client.post(f"/sessions/{session.id}", data={"name": "C"}, follow_redirects=True)
    assert "You are on the waiting list. You are number 1." in response.get_data(as_text=True)


def test_my_booking_shows_code_qr_calendar_and_cancel(client, offer):
    ticket = bookings.book(offer["cv_ghent"].id, kind="pre_registered", name="Sara").booking.ticket
    page = client.get(f"/booking/{ticket}?lang=en").get_data(as_text=True)
    assert bookings.format_ticket(ticket) in page
    assert f'href="/calendar/bookings/{ticket}.ics"' in page
    feed = client.get(f"/calendar/bookings/{ticket}.ics")
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    assert "<svg" in page
    assert f'action="/booking/{ticket}/cancel"' in page
    assert "You have a seat." in page


def test_cancel_frees_the_seat_for_the_waiting_list(client, offer):
    session = offer["cv_ghent"]
    first, second = (
        bookings.book(session.id, kind="pre_registered", name=n).booking.ticket for n in "AB")
    waiting = bookings.book(session.id, kind="pre_registered", name="C").booking
    assert waiting.status == "waitlisted"
    response = client.post(f"/booking/{first}/cancel")
    assert response.status_code == 302
    page = client.get(response.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "This booking is cancelled." in page
    assert "Cancel my booking" not in page
    db.session.expire_all()
    assert waiting.status == "confirmed"


def test_find_a_booking_by_code_in_any_spelling(client, offer):
    ticket = bookings.book(offer["cv_ghent"].id, kind="pre_registered", name="Sara").booking.ticket
    spelled = bookings.format_ticket(ticket).lower()
    response = client.get(f"/booking?ticket={spelled}")
    assert response.headers["Location"] == f"/booking/{ticket}"
    assert client.get(f"/booking/{spelled}").headers["Location"] == f"/booking/{ticket}"
    missing = client.get("/booking/ZZZZZZZZ?lang=en")
    assert missing.status_code == 404 and "We do not know this code" in missing.get_data(as_text=True)


def test_booking_a_started_session_explains_walking_in(client, make, clock):
    started = make.session(starts_at=clock.now - timedelta(minutes=10))
    response = client.post(f"/sessions/{started.id}?lang=en", data={"name": "Late"})
    assert response.status_code == 422
    assert "You can still walk in" in response.get_data(as_text=True)


def test_language_chooser_names_each_language_in_its_own_script(client, offer):
    page = client.get("/").get_data(as_text=True)
    for code, name in [("nl", "Nederlands"), ("fr", "Français"), ("en", "English"),
                       ("ar", "العربية"), ("tr", "Türkçe")]:
        assert re.search(rf'lang="{code}" hreflang="{code}"[^>]*>{name}</a>', page)
    response = client.get("/language/ar?next=/booking")
    assert response.headers["Location"] == "/booking"
    assert '<html lang="ar" dir="rtl">' in client.get("/").get_data(as_text=True)


def test_language_chooser_never_sends_you_elsewhere(client):
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.get("/language/nl", query_string={"next": target})
        assert response.headers["Location"] == "/"


def test_a_form_left_open_too_long_asks_to_try_again(app, client, offer):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(f"/sessions/{offer['cv_ghent'].id}?lang=en", data={"name": "Late"})
    assert response.status_code == 400
    assert "This page was open for a long time. Please try again." in response.get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in response.get_data(as_text=True)
    assert db.session.query(Booking).count() == 0


def test_a_drop_in_help_hour_takes_no_bookings(client, make):
    dropin = make.session(theme=make.theme(kind="drop_in", pictogram="help"), kind="drop_in")
    index = client.get("/?lang=en").get_data(as_text=True)
    assert "No booking needed: come by and take a number at the screen." in index
    page = client.get(f"/sessions/{dropin.id}?lang=en").get_data(as_text=True)
    assert "No booking needed" in page and 'name="name"' not in page
    client.post(f"/sessions/{dropin.id}", data={"name": "Ali"})
    assert db.session.query(Booking).count() == 0


def test_a_long_list_asks_to_choose_a_place_or_topic(client, make):
    room = make.room()
    for day in range(42):
        make.session(room=room, starts_at=in_days(1 + day))
    page = client.get("/?lang=en").get_data(as_text=True)
    assert len(session_links(page)) == 40
    assert "Choose a place or a topic to see them." in page


def test_times_are_the_citys_local_time_winter_and_summer(client, make):
    winter = make.session(starts_at=datetime(2027, 1, 15, 9, 0, tzinfo=UTC))
    summer = make.session(starts_at=datetime(2027, 7, 15, 9, 0, tzinfo=UTC))
    page = client.get(f"/sessions/{winter.id}?lang=nl").get_data(as_text=True)
    assert "10:00 – 12:00" in page and "vrijdag 15 januari" in page
    assert 'rotate(300.0 32 32)' in page  # the clock's hour hand at 10
    page = client.get(f"/sessions/{summer.id}?lang=nl").get_data(as_text=True)
    assert "11:00 – 13:00" in page
