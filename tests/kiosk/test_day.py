"""A real day at a location, as the kiosk tells it: the time rules, the
help hour's queue and the languages. The service's clock is frozen (the
`clock` fixture) and moved by each test."""
import re
from datetime import timedelta

import pytest

from booking.extensions import db
from booking.models import Booking, QueueTicket
from tests.conftest import brussels
from tests.kiosk.conftest import add_help_hour


def kiosk(place, lang="en", rest=""):
    return f"/kiosk/{place['location'].id}/{lang}{rest}"


def card_of(page, session):
    """The kiosk card (the <li>) linking to this session."""
    for card in re.findall(r'<li class="card.*?</li>', page, re.S):
        if f"/sessions/{session.id}\"" in card:
            return card
    raise AssertionError(f"no card for session {session.id}")


def visible_text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def book(client, place, session, lang="en", attempt="tap"):
    return client.post(kiosk(place, lang, f"/sessions/{session.id}"), data={"attempt": attempt})


# Walk in today, book ahead for a later day ---------------------------------

def test_a_later_day_is_booked_ahead_and_leaves_the_walk_in_seats(client, make, place, clock):
    """Capacity 3 with 2 walk-in seats: on Tuesday, Thursday's session has
    one seat to book ahead; the two at the door stay for Thursday's walk-ins."""
    thursday = make.session(room=place["room"], theme=place["theme"], capacity=3,
                            walk_in_seats=2, starts_at=brussels("2027-03-11 14:00"))
    page = client.get(kiosk(place, "en", f"/sessions/{thursday.id}")).get_data(as_text=True)
    assert "On another day: you book a seat ahead." in page
    assert "1 seat free" in page and "Book my seat" in page
    assert book(client, place, thursday, attempt="a").status_code == 302
    assert book(client, place, thursday, attempt="b").status_code == 302
    kinds = [(b.kind, b.status) for b in db.session.query(Booking).order_by(Booking.id)]
    assert kinds == [("pre_registered", "confirmed"), ("pre_registered", "waitlisted")]
    clock.set("2027-03-11 13:30")  # Thursday: now the kiosk takes walk-ins
    assert book(client, place, thursday, attempt="c").status_code == 302
    newest = db.session.query(Booking).order_by(Booking.id.desc()).first()
    assert (newest.kind, newest.status) == ("walk_in", "attended")  # standing at the kiosk


def test_the_ticket_for_a_later_day_says_when_to_come_not_welcome(client, make, place):
    thursday = make.session(room=place["room"], theme=place["theme"],
                            starts_at=brussels("2027-03-11 14:00"))
    ticket = client.get(book(client, place, thursday).headers["Location"]).get_data(as_text=True)
    assert "You are in! Welcome." not in ticket
    assert "You have a seat. Come back on Thursday 11 March at 14:00." in ticket


# The session's state before, during and after its start --------------------

@pytest.mark.parametrize("moment, words, picture, joinable", [
    ("2027-03-09 07:30", "Today. It starts at 10:00.", "state-soon", True),
    ("2027-03-09 09:00", "Starts soon, at 10:00.", "state-soon", True),
    ("2027-03-09 10:05", "Started. You can still join until 10:15.", "state-started", True),
    ("2027-03-09 10:20", "Started. It ends at 12:00. No more places.", "state-closed", False),
])
def test_each_session_shows_its_state_in_words_and_pictogram(client, place, clock, moment,
                                                             words, picture, joinable):
    clock.set(moment)
    session = place["session"]
    card = card_of(client.get(kiosk(place, "en", "/sessions")).get_data(as_text=True), session)
    assert words in visible_text(card)
    assert f"pictograms/{picture}.svg" in card
    page = client.get(kiosk(place, "en", f"/sessions/{session.id}")).get_data(as_text=True)
    assert words in visible_text(page)
    assert ('class="join-form"' in page) is joinable
    if not joinable:
        assert "This session no longer takes people." in page


def test_an_ended_session_leaves_the_list_and_its_page_says_it_is_over(client, place, clock):
    clock.set("2027-03-09 12:00")
    assert f"/sessions/{place['session'].id}" not in client.get(
        kiosk(place, "en", "/sessions")).get_data(as_text=True)
    page = client.get(kiosk(place, "en", f"/sessions/{place['session'].id}")).get_data(
        as_text=True)
    assert "This session is over." in page and 'class="join-form"' not in page
    assert "pictograms/state-over.svg" in page


def test_a_walk_in_after_the_closing_minute_is_refused_in_plain_words(client, place, clock):
    """The join page was opened at 10:10; the tap comes at 10:16."""
    session = place["session"]
    clock.set("2027-03-09 10:10")
    assert 'class="join-form"' in client.get(
        kiosk(place, "ar", f"/sessions/{session.id}")).get_data(as_text=True)
    clock.set("2027-03-09 10:16")
    response = book(client, place, session, lang="en")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "This session started too long ago to join." in page
    assert "You are in! Welcome." not in page
    assert db.session.query(Booking).count() == 0


def test_welcome_only_while_the_session_takes_people(client, make, place, clock):
    """Booked at 08:00 for 16:00 the same day: a seat, to check in later;
    booked at 10:10 for the 10:00 session: checked in. Neither ticket says
    "You are in! Welcome." once the session stopped taking people."""
    afternoon = make.session(room=place["room"], theme=place["theme"],
                             starts_at=brussels("2027-03-09 16:00"))
    clock.set("2027-03-09 08:00")
    later_url = book(client, place, afternoon, attempt="early").headers["Location"]
    assert "You have a seat. Come back today at 16:00." in client.get(later_url).get_data(
        as_text=True)
    clock.set("2027-03-09 10:10")
    ticket_url = book(client, place, place["session"]).headers["Location"]
    page = client.get(ticket_url).get_data(as_text=True)
    assert "Welcome! You are checked in." in page
    clock.set("2027-03-09 16:20")  # the afternoon one no longer takes people
    page = client.get(later_url).get_data(as_text=True)
    assert "You are in! Welcome." not in page
    clock.set("2027-03-09 12:30")
    page = client.get(ticket_url).get_data(as_text=True)
    assert "You are in! Welcome." not in page and "You were there. Thank you!" in page


def test_a_kiosk_walk_in_sitting_in_the_room_is_never_a_no_show(client, place, clock):
    clock.set("2027-03-09 09:50")
    book(client, place, place["session"])
    clock.set("2027-03-09 10:30")  # past NO_SHOW_AFTER_MINUTES
    client.get(kiosk(place, "en", "/sessions"))  # reading the list settles no-shows
    assert db.session.query(Booking).one().status == "attended"


def test_check_in_outside_its_window_is_refused_and_changes_nothing(client, place, clock):
    from booking.services import booking as bookings

    booking = bookings.book(place["session"].id, kind="pre_registered", name="Amal").booking
    clock.set("2027-03-09 08:30")  # check-in opens at 09:00
    response = client.post(kiosk(place, "en", "/check-in"), data={"code": booking.ticket})
    assert response.status_code == 422
    assert "Check-in is not open now." in response.get_data(as_text=True)
    db.session.refresh(booking)
    assert booking.status == "confirmed"
    clock.set("2027-03-09 09:15")
    response = client.post(kiosk(place, "en", "/check-in"), data={"code": booking.ticket})
    assert "Welcome! You are checked in." in response.get_data(as_text=True)


@pytest.mark.parametrize("saturday_night, sunday_night, sunday", [
    # 28 March 2027: clocks go from 02:00 to 03:00 (winter +1 to summer +2).
    ("2027-03-27 23:30", "2027-03-28 00:30", "2027-03-28 10:00"),
    # 31 October 2027: clocks go from 03:00 back to 02:00 (summer +2 to winter +1).
    ("2027-10-30 23:30", "2027-10-31 00:30", "2027-10-31 10:00"),
])
def test_the_kiosk_day_is_the_local_day_across_daylight_saving(client, make, place, clock,
                                                                saturday_night, sunday_night,
                                                                sunday):
    """Half past midnight on the changing Sunday is still Saturday in UTC:
    the kiosk counts the local day all the same."""
    session = make.session(room=place["room"], theme=place["theme"], starts_at=brussels(sunday),
                           capacity=4, walk_in_seats=2)
    clock.set(saturday_night)
    book(client, place, session, attempt="saturday")
    clock.set(sunday_night)
    assert clock.now.date() < brussels(sunday_night).date()  # UTC is still on Saturday
    page = client.get(kiosk(place, "en", f"/sessions/{session.id}")).get_data(as_text=True)
    assert "Today. It starts at 10:00." in page
    book(client, place, session, attempt="sunday")
    clock.set(brussels(sunday) + timedelta(minutes=5))  # 10:05 on the new clock
    assert "Started. You can still join until 10:15." in client.get(
        kiosk(place, "en", f"/sessions/{session.id}")).get_data(as_text=True)
    kinds = [b.kind for b in db.session.query(Booking).order_by(Booking.id)]
    assert kinds == ["pre_registered", "walk_in"]


# The help hour's queue ----------------------------------------------------------

def test_at_night_with_no_help_hour_the_kiosk_gives_no_number_and_names_the_next(
        client, make, place, clock):
    add_help_hour(make, place["location"], "2027-03-09 09:00")  # over by the evening
    nearby = make.location(name="Buurtcentrum Ledeberg", area="Ledeberg", city="Gent",
                           address="Bevrijdingslaan 2")
    add_help_hour(make, nearby, "2027-03-10 13:00")
    clock.set("2027-03-09 23:00")
    page = client.get(kiosk(place, "en", "/help")).get_data(as_text=True)
    text = visible_text(page)
    assert "There is no help hour here now." in text
    assert "The next help hour" in text and "Tomorrow" in text and "13:00" in text
    assert "At another place: Buurtcentrum Ledeberg , Bevrijdingslaan 2" in text
    assert 'name="topic"' not in page
    response = client.post(kiosk(place, "en", "/help"), data={"topic": "email"})
    assert "There is no help hour here now." in response.get_data(as_text=True)
    assert db.session.query(QueueTicket).count() == 0
    # A help hour of its own comes first, even if later.
    add_help_hour(make, place["location"], "2027-03-12 09:00")
    text = visible_text(client.get(kiosk(place, "en", "/help")).get_data(as_text=True))
    assert "Here: Bibliotheek Ledeberg" in text and "Friday 12 March" in text


def test_numbers_restart_for_each_help_hour_and_show_an_estimated_wait(
        app, client, make, place, clock):
    app.config["DROPIN_MINUTES_PER_PERSON"] = 15
    add_help_hour(make, place["location"], "2027-03-09 09:00")
    add_help_hour(make, place["location"], "2027-03-09 14:00")
    numbers = []
    for topic in ("email", "cv", "eid"):
        response = client.post(kiosk(place, "en", "/help"), data={"topic": topic})
        numbers.append(client.get(response.headers["Location"]).get_data(as_text=True))
    assert 'class="queue-number" dir="ltr">3<' in numbers[2]
    assert "There are 2 people before you." in numbers[2]
    assert "You wait about 30 minutes." in numbers[2]
    assert "You are next." in numbers[0] and "You wait about" not in numbers[0]
    clock.set("2027-03-09 14:05")
    response = client.post(kiosk(place, "en", "/help"), data={"topic": "apps"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'class="queue-number" dir="ltr">1<' in page
    assert "The help hour is on until 16:00." in visible_text(
        client.get(kiosk(place, "en", "/help")).get_data(as_text=True))


@pytest.mark.parametrize("moment", ["2027-03-09 08:40", "2027-03-09 10:00"])
def test_a_running_help_hour_says_take_a_number_until_its_end(client, place, help_hour, clock,
                                                              moment):
    clock.set(moment)  # also after WALK_IN_CLOSES_MINUTES: nobody books a help hour
    page = client.get(kiosk(place, "en", "/sessions")).get_data(as_text=True)
    card = next(c for c in re.findall(r'<li class="card.*?</li>', page, re.S)
                if "/en/help\"" in c)
    assert "On now, until 10:30: take a number." in visible_text(card)
    assert "pictograms/state-started.svg" in card


def test_the_staff_screen_names_each_callers_language(client, place, help_hour, staff_login):
    client.post(kiosk(place, "ar", "/help"), data={"topic": "email"})
    client.post(kiosk(place, "tr", "/help"), data={"topic": "cv"})
    client.post(kiosk(place, "fr", "/call-staff"))
    staff_login(place["location"])
    location_id = place["location"].id
    staff = visible_text(client.get(f"/kiosk/{location_id}/staff?lang=nl").get_data(as_text=True))
    assert "spreekt Arabisch" in staff and "spreekt Turks" in staff
    assert "Ze spreken: Frans" in staff
    client.post(f"/kiosk/{location_id}/staff", data={"action": "next"})
    staff = visible_text(client.get(f"/kiosk/{location_id}/staff?lang=en").get_data(as_text=True))
    assert "Now at the desk: number 1 (E-mail · speaks Arabic )" in staff


# Languages ---------------------------------------------------------------------

def test_session_languages_are_named_in_the_readers_language_and_script(client, place):
    page = client.get(kiosk(place, "ar", "/sessions")).get_data(as_text=True)
    card = card_of(page, place["session"])
    assert '<html lang="ar" dir="rtl">' in page
    assert "الهولندية" in card and "العربية" in card
    assert "Nederlands" not in card
    card = card_of(client.get(kiosk(place, "fr", "/sessions")).get_data(as_text=True),
                   place["session"])
    assert "Néerlandais" in card and "Arabe" in card


def test_sessions_in_the_chosen_language_come_first(client, make, place):
    first_in_time = make.session(room=place["room"], theme=place["theme"], languages=["fr"],
                                 starts_at=place["session"].starts_at - timedelta(minutes=30))
    later_turkish = make.session(room=place["room"], theme=place["theme"], languages=["tr"],
                                 starts_at=place["session"].starts_at + timedelta(hours=3))
    page = client.get(kiosk(place, "tr", "/sessions")).get_data(as_text=True)
    order = [int(n) for n in re.findall(r'/tr/sessions/(\d+)"', page)]
    assert order == [later_turkish.id, first_in_time.id, place["session"].id]
    page = client.get(kiosk(place, "ar", "/sessions")).get_data(as_text=True)
    order = [int(n) for n in re.findall(r'/ar/sessions/(\d+)"', page)]
    assert order == [place["session"].id, first_in_time.id, later_turkish.id]
