"""A small, hand-counted world for the report tests.

Period 1 March - 30 April 2025 (Europe/Brussels); "now" is 20 April 2025 noon.

  S1  cv     Library (Gent)     10 Mar 10:00  cap 5  published  staff P1 (250)
      b1 pre attended nl 25-29 | b2 pre attended ar 30-39 | b3 walk attended nl 30-39
      b4 referred no_show tr 65+ | b5 pre cancelled nl 00-24
  S2  forms  Centre (Kortrijk)   1 Apr 00:30 local (31 Mar 22:30 UTC: April, not March)
             cap 5  published  staff P1 + P2 (350)
      b6 walk attended fr 40-49 | b7 walk no_show fr 40-49
      b8 pre attended (no language, no age group) | b9 pre waitlisted nl 50-54
  S3  cv     Centre             25 Apr 10:00  cap 5  published (upcoming)  staff P2 (100)
      b10 pre confirmed nl 25-29 | b11 referred confirmed ar 60-64 | b12 pre confirmed tr 55-59
  S4  cv     Library            20 Mar  cancelled  staff P1: b13 pre cancelled nl 00-24
  S5  cv     Library            15 Mar  draft: b14 confirmed - never counted
  S6  cv     Library            10 May  outside the period: b15 attended - never counted

Feedback: S1 3, 3, 2; S2 1.  Queue: Library 12 Mar email done, cv gone;
Centre 2 Apr email done; Library 1 May email done (outside)."""
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from booking.extensions import db
from booking.models import (
    Booking,
    Feedback,
    OutboxMessage,
    QueueTicket,
    Referral,
    StaffAssignment,
)
from booking.services import accounts
from tests.conftest import STAFF_PASSWORD
from tests.conftest import log_in as login  # noqa: F401  (tests import it from here)

PASSWORD = STAFF_PASSWORD
START, END = date(2025, 3, 1), date(2025, 4, 30)
NOW = datetime(2025, 4, 20, 12, 0, tzinfo=UTC)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def known(app, make):
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    org_a = make.organisation(slug="bib", name="Bib")
    org_b = make.organisation(slug="centre", name="Centre org", city="Kortrijk")
    library = make.location(organisation=org_a, name="Library", city="Gent")
    centre = make.location(organisation=org_b, name="Centre", city="Kortrijk")
    room_a = make.room(location=library, capacity=8)
    room_b = make.room(location=centre, capacity=8)
    cv = make.theme(id="cv", titles={"nl": "Maak je cv", "en": "Make your CV"})
    forms = make.theme(id="forms", titles={"nl": "Formulieren", "en": "Forms"})
    p1 = make.person(name="Trainer One", cost_per_session=250)
    p2 = make.person(name="Trainer Two", cost_per_session=100)

    def session(theme, room, starts_at, **fields):
        return make.session(room=room, theme=theme, starts_at=starts_at, capacity=5,
                            walk_in_seats=2, **fields)

    s1 = session(cv, room_a, utc(2025, 3, 10, 9))
    s2 = session(forms, room_b, utc(2025, 3, 31, 22, 30))
    s3 = session(cv, room_b, utc(2025, 4, 25, 8))
    s4 = session(cv, room_a, utc(2025, 3, 20, 9), status="cancelled")
    s5 = session(cv, room_a, utc(2025, 3, 15, 9), status="draft")
    s6 = session(cv, room_a, utc(2025, 5, 10, 8))
    for s, people in ((s1, [p1]), (s2, [p1, p2]), (s3, [p2]), (s4, [p1]), (s6, [p1])):
        for person in people:
            db.session.add(StaffAssignment(session=s, person=person, role="trainer"))

    rows = [
        (s1, "pre_registered", "attended", "nl", "25-29"),
        (s1, "pre_registered", "attended", "ar", "30-39"),
        (s1, "walk_in", "attended", "nl", "30-39"),
        (s1, "referred", "no_show", "tr", "65+"),
        (s1, "pre_registered", "cancelled", "nl", "00-24"),
        (s2, "walk_in", "attended", "fr", "40-49"),
        (s2, "walk_in", "no_show", "fr", "40-49"),
        (s2, "pre_registered", "attended", None, None),
        (s2, "pre_registered", "waitlisted", "nl", "50-54"),
        (s3, "pre_registered", "confirmed", "nl", "25-29"),
        (s3, "referred", "confirmed", "ar", "60-64"),
        (s3, "pre_registered", "confirmed", "tr", "55-59"),
        (s4, "pre_registered", "cancelled", "nl", "00-24"),
        (s5, "pre_registered", "confirmed", "nl", "25-29"),
        (s6, "pre_registered", "attended", "nl", "25-29"),
    ]
    bookings = []
    for n, (s, kind, status, language, age_group) in enumerate(rows, start=1):
        booking = Booking(session=s, ticket=f"T{n:05d}", kind=kind, status=status,
                          name=f"Name{n}", phone=f"+3247000{n:04d}", language=language,
                          age_group=age_group, created_at=s.starts_at)
        db.session.add(booking)
        bookings.append(booking)
    for s, score in ((s1, 3), (s1, 3), (s1, 2), (s2, 1)):
        db.session.add(Feedback(session=s, score=score, language="nl",
                                created_at=s.ends_at))
    for location, day, number, topic, status in (
        (library, date(2025, 3, 12), 1, "email", "done"),
        (library, date(2025, 3, 12), 2, "cv", "gone"),
        (centre, date(2025, 4, 2), 1, "email", "done"),
        (library, date(2025, 5, 1), 1, "email", "done"),
    ):
        db.session.add(QueueTicket(location=location, day=day, number=number, topic=topic,
                                   status=status))
    db.session.commit()

    users = SimpleNamespace(
        coordinator=accounts.create_user("coordinator@test.test", role="coordinator",
                                         password=PASSWORD),
        admin=accounts.create_user("admin@test.test", role="admin", password=PASSWORD),
        partner=accounts.create_user("partner@test.test", role="partner_staff",
                                     password=PASSWORD, organisation=org_a),
        counsellor=accounts.create_user("counsellor@test.test", role="counsellor",
                                        password=PASSWORD),
    )
    referral = Referral(counsellor_id=users.counsellor.id, session_id=s1.id,
                        booking_id=bookings[3].id, client_name="Mo", phone="+32470999999",
                        need="Wants to make a CV", language="tr",
                        consent_recorded_at=utc(2025, 3, 1), came=False,
                        learned="Did not come", next_step="Call again",
                        feedback_at=utc(2025, 3, 11))
    db.session.add(referral)
    for session_id, status, created in ((s1.id, "sent", utc(2025, 3, 8)),
                                        (s1.id, "pending", utc(2025, 3, 8)),
                                        (s3.id, "sent", utc(2025, 4, 19)),
                                        (None, "sent", utc(2025, 1, 2))):
        db.session.add(OutboxMessage(event="booked", channel="sms", recipient="+32470000001",
                                     body="Name1, see you", session_id=session_id,
                                     status=status, created_at=created))
    db.session.commit()
    return SimpleNamespace(
        org_a=org_a, org_b=org_b, library=library, centre=centre, cv=cv, forms=forms,
        sessions=[s1, s2, s3, s4, s5, s6], bookings=bookings, referral=referral, users=users,
    )
