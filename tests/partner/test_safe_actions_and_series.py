"""Safe actions (a confirmation naming who is told, undo for a while, no
session in the past) and weekly series, through the portal and the services."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from booking.extensions import db
from booking.models import Booking, OutboxMessage, Referral, Session
from booking.services import booking as bookings
from booking.services import series, undo
from booking.services.errors import Conflict, InvalidInput
from tests.partner.test_sessions import BRUSSELS, next_monday, session_data


@pytest.fixture
def partner(client, world, login_as):
    return login_as(world.users.partner)


def _book(session, name, phone=None, kind="pre_registered"):
    return bookings.book(session.id, kind=kind, name=name, phone=phone, language="ar").booking


def test_cancel_asks_first_and_names_who_is_told(partner, world):
    session = world.own_session
    _book(session, "Amina", phone="0470000001")
    _book(session, "Bart")  # no phone: cannot be told
    db.session.add(Referral(session_id=session.id, counsellor_id=world.users.counsellor.id,
                            client_name="Fatima", need="CV",
                            consent_recorded_at=datetime.now(BRUSSELS)))
    db.session.commit()
    page = partner.get(f"/partner/sessions/{session.id}/cancel")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "By text message: 1 participants" in text and "Amina" in text
    assert "Without a phone number, not told: 1 participants" in text
    assert "counsellors of referred clients: 1" in text
    db.session.refresh(session)
    assert session.status == "published"  # asking changes nothing
    partner.post(f"/partner/sessions/{session.id}/cancel")
    db.session.refresh(session)
    assert session.status == "cancelled"


def test_undo_gives_everyone_back_their_place_and_tells_them(app, partner, world):
    session = world.own_session
    session.capacity, session.walk_in_seats = 2, 0
    db.session.commit()
    seated = [_book(session, "Amina", phone="0470000001"), _book(session, "Bart")]
    waiting = _book(session, "Chris", phone="0470000003")
    assert waiting.status == "waitlisted"
    partner.post(f"/partner/sessions/{session.id}/cancel")
    page = partner.get(f"/partner/sessions/{session.id}").get_data(as_text=True)
    assert "Undo the cancellation" in page
    response = partner.post(f"/partner/sessions/{session.id}/restore")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Session, session.id).status == "published"
    assert [db.session.get(Booking, b.id).status for b in seated] == ["confirmed", "confirmed"]
    assert db.session.get(Booking, waiting.id).status == "waitlisted"
    told = db.session.scalars(select(OutboxMessage.recipient).where(
        OutboxMessage.event == "session_restored")).all()
    assert sorted(told) == ["0470000001", "0470000003"]


def test_undo_window_closes(app, world):
    session = world.own_session
    cancelled_at = datetime.now(BRUSSELS)
    undo.cancel(session.id, now=cancelled_at)
    later = cancelled_at + timedelta(minutes=app.config["UNDO_CANCEL_MINUTES"] + 1)
    assert not undo.can_undo(session, now=later)
    with pytest.raises(Conflict):
        undo.restore(session.id, now=later)
    assert undo.can_undo(session, now=cancelled_at + timedelta(minutes=1))


def test_no_session_in_the_past(partner, world):
    yesterday = (datetime.now(BRUSSELS) - timedelta(days=1)).date().isoformat()
    response = partner.post("/partner/sessions/new", data=session_data(world, day=yesterday))
    assert response.status_code == 422
    assert "this moment has passed" in response.get_data(as_text=True)
    session = world.own_session
    response = partner.post(f"/partner/sessions/{session.id}/edit",
                            data=session_data(world, day=yesterday))
    assert response.status_code == 422
    db.session.refresh(session)
    assert session.starts_at > datetime.now(BRUSSELS)


def test_publish_a_weekly_series_then_change_and_cancel_the_rest(partner, world):
    response = partner.post("/partner/sessions/new",
                            data=session_data(world, weeks=4, starts="14:00", ends="15:30"))
    assert response.status_code == 302
    found = db.session.scalars(select(Session).where(Session.series_id.is_not(None))
                               .order_by(Session.starts_at)).all()
    assert len(found) == 4 and len({s.series_id for s in found}) == 1
    days = [s.starts_at.astimezone(BRUSSELS) for s in found]
    assert all(d.hour == 14 and d.weekday() == 0 for d in days)  # 14:00 each Monday, DST or not
    assert [(b - a).days for a, b in zip(days, days[1:])] == [7, 7, 7]
    # Change the second and the later ones: half an hour later, 4 seats.
    second = found[1]
    response = partner.post(f"/partner/sessions/{second.id}/edit", data=session_data(
        world, day=days[1].date().isoformat(), starts="14:30", ends="16:00", capacity=4,
        rest_of_series="y"))
    assert response.status_code == 302
    db.session.expire_all()
    after = [db.session.get(Session, s.id) for s in found]
    assert after[0].starts_at.astimezone(BRUSSELS).minute == 0 and after[0].capacity == 5
    assert all(s.starts_at.astimezone(BRUSSELS).strftime("%H:%M") == "14:30" and s.capacity == 4
               for s in after[1:])
    # Cancel the third and later ones, after the confirmation.
    assert "This cancels 2 sessions" in partner.get(
        f"/partner/sessions/{found[2].id}/cancel?series=1").get_data(as_text=True)
    partner.post(f"/partner/sessions/{found[2].id}/cancel", data={"series": "1"})
    db.session.expire_all()
    assert [db.session.get(Session, s.id).status for s in found] == [
        "published", "published", "cancelled", "cancelled"]


def test_a_series_with_a_taken_week_is_refused_whole(app, world, make):
    monday = next_monday()
    start = datetime.combine(monday + timedelta(weeks=2), datetime.min.time(),
                             tzinfo=BRUSSELS).replace(hour=10)
    make.session(room=world.own_room, theme=world.theme, starts_at=start,
                 ends_at=start + timedelta(hours=2))
    first = datetime.combine(monday, datetime.min.time(), tzinfo=BRUSSELS).replace(hour=10)
    before = db.session.scalar(select(db.func.count()).select_from(Session))
    with pytest.raises(Conflict) as raised:
        series.publish(weeks=4, theme_id=world.theme.id, room_id=world.own_room.id,
                       starts_at=first, ends_at=first + timedelta(hours=2), capacity=5)
    assert raised.value.message.startswith("Week 3")
    assert db.session.scalar(select(db.func.count()).select_from(Session)) == before
    with pytest.raises(InvalidInput):
        series.publish(weeks=app.config["SERIES_MAX_WEEKS"] + 1, theme_id=world.theme.id,
                       room_id=world.own_room.id, starts_at=first,
                       ends_at=first + timedelta(hours=2), capacity=5)


def test_removing_demand_asks_first(client, world, login_as):
    from booking.models import Demand

    demand = Demand(theme_id=world.theme.id, sessions=4)
    db.session.add(demand)
    db.session.commit()
    coordinator = login_as(world.users.coordinator)
    page = coordinator.get(f"/planner/demand/{demand.id}/delete")
    assert page.status_code == 200 and "Remove this demand?" in page.get_data(as_text=True)
    assert db.session.get(Demand, demand.id) is not None  # asking removes nothing
    assert coordinator.post(f"/planner/demand/{demand.id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(Demand, demand.id) is None
