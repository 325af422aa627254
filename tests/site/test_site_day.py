"""The phone site through a day: booking ahead closes at the start, and
says why; languages are named in the reader's own language."""
import re

from booking.extensions import db
from booking.models import Booking
from tests.conftest import brussels


def visible_text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_booking_form_is_there_until_the_start_then_the_page_says_why_not(
        client, make, clock):
    session = make.session(starts_at=brussels("2027-03-09 10:00"))
    url = f"/sessions/{session.id}?lang=en"
    clock.set("2027-03-09 09:59")
    assert 'name="name"' in client.get(url).get_data(as_text=True)
    clock.set("2027-03-09 10:00")
    page = client.get(url).get_data(as_text=True)
    assert 'name="name"' not in page
    assert ("This session has started: booking ahead is closed. You can still walk in at the "
            "place until 10:15.") in visible_text(page)
    clock.set("2027-03-09 10:15")
    page = client.get(url).get_data(as_text=True)
    assert 'name="name"' not in page
    assert "This session has started and takes no more people." in page


def test_a_form_sent_after_the_start_books_nothing_and_says_why(client, make, clock):
    session = make.session(starts_at=brussels("2027-03-09 10:00"))
    clock.set("2027-03-09 10:05")
    response = client.post(f"/sessions/{session.id}?lang=fr", data={"name": "Late"})
    assert response.status_code == 422
    assert "Cette séance a commencé : la réservation est fermée." in response.get_data(
        as_text=True)
    assert db.session.query(Booking).count() == 0


def test_an_arabic_reader_sees_session_languages_in_arabic_script(client, make, clock):
    make.session(starts_at=brussels("2027-03-10 10:00"), languages=["nl", "tr"])
    page = client.get("/?lang=ar").get_data(as_text=True)
    labels = re.findall(r'class="lang-label" data-lang="(\w+)">([^<]+)<', page)
    assert labels == [("nl", "الهولندية"), ("tr", "التركية")]
    options = dict(re.findall(r'<option value="(\w\w)"[^>]*>([^<]+)</option>', page))
    assert options["nl"] == "الهولندية" and options["fr"] == "الفرنسية"


def test_a_dutch_reader_sees_them_in_dutch(client, make, clock):
    make.session(starts_at=brussels("2027-03-10 10:00"), languages=["ar", "fr"])
    page = client.get("/?lang=nl").get_data(as_text=True)
    labels = re.findall(r'class="lang-label" data-lang="(\w+)">([^<]+)<', page)
    assert labels == [("ar", "Arabisch"), ("fr", "Frans")]


def test_the_list_shows_a_started_session_as_started_without_seats_to_book(client, make, clock):
    started = make.session(starts_at=brussels("2027-03-09 08:30"))
    later = make.session(starts_at=brussels("2027-03-09 14:00"))
    clock.set("2027-03-09 08:40")
    page = client.get("/?lang=en").get_data(as_text=True)
    cards = {int(n): card for card, n in re.findall(
        r'(<li class="card">\s*<a class="card-link" href="/sessions/(\d+)".*?</li>)', page, re.S)}
    assert "Started. You can still join until 08:45." in visible_text(cards[started.id])
    assert "seats free" not in cards[started.id]
    assert "Started" not in cards[later.id] and "3 seats free" in cards[later.id]
