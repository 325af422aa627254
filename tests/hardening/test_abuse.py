"""Rate limits (issue 12): every anonymous form and lookup is limited per
real client, all ticket lookups share one budget, a kiosk network gets more,
the counts are shared through Redis and survive Redis going away; the
public booking form books once however often it is sent."""
import os
import re
import uuid

import pytest
from sqlalchemy import func, select

from booking.extensions import db
from booking.models import Booking
from tests.conftest import in_days

REDIS_URL = os.environ.get("INSTAP_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
NOBODY_LISTENS = "redis://127.0.0.1:9/0"  # port 9: refused at once, like a Redis restart


@pytest.fixture
def limited(app_with):
    """limited(**settings): another app on the same database, rate limits on."""
    return lambda **settings: app_with(RATELIMIT_ENABLED=True,
                                       RATELIMIT_KEY_PREFIX=uuid.uuid4().hex, **settings)


@pytest.fixture
def place(make, clock):
    # Today's session at the kiosk: on the frozen morning, not the wall clock's evening.
    location = make.location()
    session = make.session(room=make.room(location=location), starts_at=in_days(0.2, 12),
                           capacity=50, walk_in_seats=50)
    return {"location": location, "session": session}


def _join(client, place):
    url = f"/kiosk/{place['location'].id}/nl/sessions/{place['session'].id}"
    return client.post(url, data={"attempt": uuid.uuid4().hex})


def test_the_kiosk_join_form_is_limited_per_client(limited, place):
    client = limited(RATELIMIT_BOOKING="3 per minute").test_client()
    statuses = [_join(client, place).status_code for _ in range(5)]
    assert statuses[:3] == [302, 302, 302] and statuses[3:] == [429, 429]


@pytest.mark.parametrize("form", ["help", "feedback", "call-staff"])
def test_every_anonymous_kiosk_form_is_limited(limited, place, form):
    client = limited(RATELIMIT_BOOKING="2 per minute").test_client()
    base = f"/kiosk/{place['location'].id}/nl"
    url, data = {"help": (f"{base}/help", {"topic": "eid"}),
                 "feedback": (f"{base}/feedback/{place['session'].id}", {"score": "3"}),
                 "call-staff": (f"{base}/call-staff", {})}[form]
    statuses = [client.post(url, data=data).status_code for _ in range(4)]
    assert 429 not in statuses[:2] and statuses[2:] == [429, 429]


def test_the_kiosk_network_is_allowed_more_and_only_through_the_proxy(limited, place):
    settings = {"RATELIMIT_BOOKING": "2 per minute", "RATELIMIT_KIOSK_BOOKING": "50 per minute",
                "RATELIMIT_KIOSK_ADDRESSES": ["10.20.0.0/16"], "PROXY_HOPS": 1}
    client = limited(**settings).test_client()
    client.environ_base["HTTP_X_FORWARDED_FOR"] = "10.20.3.4"
    assert all(_join(client, place).status_code == 302 for _ in range(6))
    client.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.50"
    assert [_join(client, place).status_code for _ in range(3)] == [302, 302, 429]
    # Without a proxy the header is anybody's: it gives no kiosk budget.
    direct = limited(**settings | {"PROXY_HOPS": 0}).test_client()
    direct.environ_base["HTTP_X_FORWARDED_FOR"] = "10.20.3.4"
    assert [_join(direct, place).status_code for _ in range(3)] == [302, 302, 429]


def test_all_ticket_lookups_share_one_budget(limited, place):
    client = limited(RATELIMIT_LOOKUP="4 per minute").test_client()
    lookups = ["/api/v1/bookings/ABCDEFGH", "/booking/ABCDEFGH",
               f"/kiosk/{place['location'].id}/nl/ticket/ABCDEFGH",
               "/calendar/bookings/ABCDEFGH.ics"]
    assert [client.get(url).status_code for url in lookups] == [404] * 4
    for url in lookups:  # the budget is spent, whichever door is tried next
        assert client.get(url).status_code == 429
    assert client.post(f"/kiosk/{place['location'].id}/nl/check-in",
                       data={"code": "ABCDEFGH"}).status_code == 429


def test_the_count_is_shared_by_every_worker_through_redis(app_with, place):
    prefix = uuid.uuid4().hex
    settings = {"RATELIMIT_BOOKING": "3 per minute", "REDIS_URL": REDIS_URL,
                "RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": prefix}
    first, second = (app_with(RATELIMIT_ENABLED=True, **settings) for _ in range(2))
    url = f"/api/v1/sessions/{place['session'].id}/bookings"
    statuses = [(first if n % 2 else second).test_client().post(
        url, json={"kind": "walk_in"}).status_code for n in range(4)]
    assert statuses == [201, 201, 201, 429]
    assert first.test_client().get("/health").get_json()["redis"] == "ok"


def test_with_redis_away_booking_goes_on_limited_in_memory_and_health_says_degraded(limited, place):
    away = limited(RATELIMIT_BOOKING="2 per minute", REDIS_URL=NOBODY_LISTENS,
                   RATELIMIT_STORAGE_URI=NOBODY_LISTENS)
    client = away.test_client()
    url = f"/api/v1/sessions/{place['session'].id}/bookings"
    statuses = [client.post(url, json={"kind": "walk_in"}).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    health = client.get("/health")
    assert health.status_code == 200 and health.get_json()["status"] == "degraded"
    assert _join(client, place).status_code == 302  # the kiosk too
    assert client.get("/login").status_code == 200


def test_the_public_booking_form_sent_twice_books_once(client, place):
    page = client.get(f"/sessions/{place['session'].id}").get_data(as_text=True)
    key = re.search(r'name="attempt" type="hidden" value="([0-9a-f]+)"', page)
    key = key or re.search(r'id="attempt" name="attempt" type="hidden" value="([0-9a-f]+)"', page)
    assert key, "the form carries a hidden per-form key"
    form = {"name": "Samira", "phone": "0470 12 34 56", "attempt": key.group(1)}
    first = client.post(f"/sessions/{place['session'].id}", data=form)
    again = client.post(f"/sessions/{place['session'].id}", data=form)
    assert first.status_code == again.status_code == 302
    assert first.headers["Location"] == again.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Booking)) == 1
    other = client.get(f"/sessions/{place['session'].id}").get_data(as_text=True)
    assert key.group(1) not in other  # each form shown gets its own key
