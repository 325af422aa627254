"""Scope and privacy (issue 12): staff-only events are not public anywhere;
nothing with names is cached; addresses that leave the site, hosts, proxies
and cookies follow the deployment settings, not the request."""
import pytest

from booking.site.present import qr_svg
from tests.conftest import in_days
from tests.partner.conftest import PASSWORD, login


@pytest.fixture
def staff_only(make, clock):
    """A counsellors' workshop, published, today and at a kiosk location."""
    location = make.location()
    theme = make.theme(id="counsellor-training", audience="counsellors",
                       titles={"nl": "Opleiding begeleiders", "en": "Counsellor training"})
    session = make.session(room=make.room(location=location), theme=theme,
                           starts_at=in_days(0.1, 12))
    return {"location": location, "session": session}


def test_staff_only_sessions_are_neither_listed_nor_bookable_by_the_public(client, staff_only):
    session, location = staff_only["session"], staff_only["location"]
    assert "Counsellor training" not in client.get("/?lang=en").get_data(as_text=True)
    assert client.get(f"/sessions/{session.id}").status_code == 404
    assert client.post(f"/sessions/{session.id}", data={"name": "Eve"}).status_code == 404
    listed = client.get("/api/v1/sessions").get_json()
    assert str(session.id) not in [s["id"] for s in listed]
    assert client.get(f"/api/v1/sessions/{session.id}").status_code == 404
    booked = client.post(f"/api/v1/sessions/{session.id}/bookings", json={"kind": "walk_in"})
    assert booked.status_code == 404
    kiosk = client.get(f"/kiosk/{location.id}/en/sessions").get_data(as_text=True)
    assert "Counsellor training" not in kiosk
    join = f"/kiosk/{location.id}/en/sessions/{session.id}"
    assert client.get(join).status_code == 404
    assert client.post(join, data={"attempt": "x1"}).status_code == 404
    feed = client.get(f"/calendar/locations/{location.id}.ics").get_data(as_text=True)
    assert "Counsellor training" not in feed and "Opleiding" not in feed
    assert client.get(f"/calendar/sessions/{session.id}.ics").status_code == 404


def test_pages_and_answers_with_personal_data_are_never_cached(client, make, world):
    session = make.session(room=world.own_room)
    ticket = client.post(f"/api/v1/sessions/{session.id}/bookings",
                         json={"kind": "pre_registered", "name": "Samira"}).get_json()["ticket"]
    staff = world.users.partner
    login(client, staff)
    for url in (f"/booking/{ticket}", f"/api/v1/bookings/{ticket}",
                f"/calendar/bookings/{ticket}.ics", f"/partner/sessions/{session.id}",
                "/partner/people"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.headers["Cache-Control"], url


def test_addresses_that_leave_the_site_use_public_url_not_the_host_header(app_with, make):
    public = app_with(**{"PUBLIC_URL": "https://instap.example",
                         "SERVER_NAME": None, "TRUSTED_HOSTS": None})
    location = make.location()
    session = make.session(room=make.room(location=location))
    client = public.test_client()
    ticket = client.post(f"/api/v1/sessions/{session.id}/bookings",
                         json={"kind": "pre_registered"},
                         headers={"Host": "instap.example"}).get_json()["ticket"]
    page = client.get(f"/kiosk/{location.id}/nl/ticket/{ticket}",
                      headers={"Host": "instap.example"}).get_data(as_text=True)
    # The ticket's QR code encodes the public address, whatever Host was sent.
    assert str(qr_svg(f"https://instap.example/booking/{ticket}")) in page
    feed = client.get(f"/calendar/locations/{location.id}.ics",
                      headers={"Host": "instap.example"}).get_data(as_text=True)
    assert f"https://instap.example/sessions/{session.id}" in feed.replace("\r\n ", "")


def test_another_host_header_is_refused_when_public_url_is_set(app_with):
    public = app_with(**{"PUBLIC_URL": "https://instap.example",
                         "SERVER_NAME": None, "TRUSTED_HOSTS": None})
    client = public.test_client()
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"Host": "instap.example"}).status_code == 200


def test_behind_https_cookies_are_secure_and_the_proxy_says_https(app_with, world):
    public = app_with(**{"PUBLIC_URL": "https://instap.example", "PROXY_HOPS": 1,
                         "SERVER_NAME": None, "TRUSTED_HOSTS": None,
                         "SESSION_COOKIE_SECURE": None, "REMEMBER_COOKIE_SECURE": None})
    client = public.test_client()
    headers = {"Host": "instap.example", "X-Forwarded-Proto": "https",
               "X-Forwarded-For": "198.51.100.20"}
    response = client.post("/login", headers=headers,
                           data={"email": world.users.partner.email, "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_without_a_proxy_forwarded_headers_are_ignored(app_with):
    direct = app_with(**{"PROXY_HOPS": 0})
    response = direct.test_client().get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers


def test_a_locations_staff_screen_is_for_its_own_organisations_staff_and_coordinators(
        app, world, login_as):
    url = f"/kiosk/{world.own_location.id}/staff"
    assert login_as(world.users.trainer).get(url).status_code == 403
    assert login_as(world.users.other_partner).get(url).status_code == 404
    assert login_as(world.users.coordinator).get(url).status_code == 200
    assert login_as(world.users.partner).get(url).status_code == 200
