"""Every participant SMS in each language: the day and time in that
language and the city's zone, and never more than two SMS."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from booking.extensions import db
from booking.models import OutboxMessage
from booking.services import booking as bookings
from booking.services import notify, sms
from booking.services import sessions as session_service

# Wednesday 2 December 2026, 14:00-16:00 in Brussels.
STARTS = datetime(2026, 12, 2, 13, 0, tzinfo=UTC)
MONTH = {"nl": "december", "fr": "décembre", "en": "December", "ar": "ديسمبر", "tr": "Aralık"}
TITLES = {"nl": "Digitaal werkzoeken met je smartphone en de VDAB-app",
          "fr": "Chercher un emploi en ligne avec son smartphone et l'appli",
          "en": "Looking for work online with your smartphone and the app",
          "ar": "البحث عن عمل عبر الإنترنت باستخدام الهاتف الذكي والتطبيق",
          "tr": "Akıllı telefon ve uygulama ile internette iş arama kursu"}
CHARSET = {"ar": "ي", "tr": "ı"}


@pytest.fixture
def long_names(make):
    location = make.location(name="Bibliotheek De Krook (Wijkcentrum Oost)",
                             address="Miriam Makebaplein 1, 9000 Gent")
    room = make.room(location=location, name="Leercentrum, tweede verdieping")
    theme = make.theme(id="long", titles=TITLES)
    return make.session(room=room, theme=theme, starts_at=STARTS, ends_at=STARTS + timedelta(hours=2),
                        capacity=1, walk_in_seats=0,
                        languages=["nl", "fr", "en", "ar", "tr"])


def every_text(session, language):
    """The texts of every event for one booking in `language`."""
    holder = bookings.book(session.id, kind="pre_registered", phone="0470000001",
                           language=language, now=STARTS - timedelta(days=3)).booking
    waiting = bookings.book(session.id, kind="pre_registered", phone="0470000002",
                            language=language, now=STARTS - timedelta(days=3)).booking
    notify.ticket_texted(holder)
    notify.ticket_texted(waiting)
    notify.reminder(holder)
    notify.cancelled_by_reply(holder)
    notify.seats_given([waiting])
    db.session.commit()
    session_service.cancel(session.id)  # tells both booked phones itself
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "sms")
                              .order_by(OutboxMessage.id)).all()


@pytest.mark.parametrize("language", ["nl", "fr", "en", "ar", "tr"])
def test_every_sms_is_in_the_language_and_fits_two_sms(app, long_names, language):
    app.config["NOTIFY_DELIVERY"] = "cron"
    texts = every_text(long_names, language)
    assert [m.event for m in texts] == ["ticket", "ticket", "reminder", "cancelled_by_reply",
                                        "seat_given", "session_cancelled", "session_cancelled"]
    for message in texts:
        assert sms.segments(message.body) <= 2, (sms.segments(message.body), message.body)
        assert MONTH[language] in message.body, message.body
        assert "14:00" in message.body or "2:00" in message.body or "٢:٠٠" in message.body
        if language in CHARSET:
            assert CHARSET[language] in message.body and not sms.is_gsm7(message.body)
        if language != "en":
            assert "Ticket %(" not in message.body and "reply" not in message.body
    assert notify.CANCEL_WORDS[language] in texts[2].body


def test_gsm7_and_ucs2_segments():
    assert sms.is_gsm7("Instap: é à ü Ç €") and not sms.is_gsm7("Ayşe")
    assert sms.segments("a" * 160) == 1 and sms.segments("a" * 161) == 2
    assert sms.segments("a" * 306) == 2 and sms.segments("a" * 307) == 3
    assert sms.segments("€" * 80) == 1 and sms.segments("€" * 81) == 2  # 2 septets each
    assert sms.segments("ş" * 70) == 1 and sms.segments("ş" * 71) == 2
    assert sms.segments("ş" * 134) == 2 and sms.segments("ş" * 135) == 3


def test_phone_numbers_go_to_the_gateway_in_international_form(app):
    assert sms.international("0470 12 34 56") == "+32470123456"
    assert sms.international("0032 470/12.34.56") == "+32470123456"
    assert sms.international("+90 532 123 45 67") == "+905321234567"
    assert sms.same_phone("+32470123456", "0470-12-34-56")


def test_cancel_words_are_recognised_without_case_or_accents():
    for word in ("annuleer", "ANNULER", "Cancel", "iptal", "İptal", "IPTAL", "إلغاء", "الغاء"):
        assert notify.plain_word(word) in notify.CANCEL_REPLIES, word
    assert notify.plain_word("dank") not in notify.CANCEL_REPLIES
