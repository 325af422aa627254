from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from booking.extensions import db
from booking.models import Demand
from booking.models.base import CLOCK

BRUSSELS = ZoneInfo("Europe/Brussels")


def next_monday(weeks_ahead=1) -> date:
    today = CLOCK.now().astimezone(BRUSSELS).date()
    return today + timedelta(days=7 * weeks_ahead - today.weekday())


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BRUSSELS)


@pytest.fixture
def city(make, clock):
    """A small city: one library with a PC room open on weekdays 9-17, one
    trainer who can teach 'cv' in Dutch and Arabic, and a demand for two cv
    sessions in the coming week. The clock is frozen, so that week is the
    same ordinary one (no public holiday) on whatever day the tests run."""
    monday = next_monday()
    organisation = make.organisation(slug="bib")
    location = make.location(
        organisation=organisation, name="Library", area="Centrum",
        opening_hours=[{"weekdays": [1, 2, 3, 4, 5], "start": "09:00", "end": "17:00"}],
    )
    room = make.room(location=location, name="PC room", capacity=6, features=["pc_room"])
    theme = make.theme(id="cv", needs=["pc_room"], seats=5, staff={"trainer": 1},
                       duration_minutes=120)
    trainer = make.person(name="Amina", roles=["trainer"], themes=["cv"], languages=["nl", "ar"],
                          cost_per_session=100)
    demand = Demand(theme_id="cv", sessions=2, areas=[location.area_id], priority=3,
                    window_start=monday, window_end=monday + timedelta(days=6))
    db.session.add(demand)
    db.session.commit()
    return {"monday": monday, "room": room, "theme": theme, "trainer": trainer,
            "location": location, "demand": demand, "organisation": organisation}


@pytest.fixture
def client(app):
    """Staff pages are translated (Dutch is the default); these tests read
    the English source texts, so the browser asks for English."""
    test_client = app.test_client()
    test_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return test_client
