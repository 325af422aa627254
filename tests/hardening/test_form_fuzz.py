"""Hypothesis sends arbitrary values to the portal, kiosk, site and planner
forms (issue 12): whatever arrives, the answer is never a server error.
Bounded in examples so the whole file takes a minute or two."""
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.conftest import in_days

# Values a careless user, a broken browser or an attacker sends.
NASTY = st.sampled_from([
    "", " ", "0", "-1", "1e9", "99999999999999999999999", str(2**63), "NaN", "02:30", "25:99",
    "0001-01-01", "9999-12-31", "2027-03-28", "\x00", "a" * 5000, "<script>", "%00",
    "../../etc/passwd", "ＡＢＣ", "١٢٣", "\r\nSet-Cookie: x=1",
])
VALUE = st.one_of(
    NASTY,
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
)
FUZZ = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=list(HealthCheck))


def form_of(*names):
    """A form body: each field present or not, once or several times."""
    return st.fixed_dictionaries({}, optional={
        name: st.one_of(VALUE, st.lists(VALUE, max_size=3)) for name in names})


def _post(client, url, data):
    response = client.post(url, data=data)
    assert response.status_code < 500, (url, data, response.status_code)


@pytest.fixture
def kiosk_place(make, clock):
    # Today's session at the kiosk: on the frozen morning, not the wall clock's evening.
    location = make.location()
    session = make.session(room=make.room(location=location), starts_at=in_days(0.1, 12))
    return location, session


def test_kiosk_and_site_forms_never_fail(client, kiosk_place):
    location, session = kiosk_place
    base = f"/kiosk/{location.id}/nl"
    forms = [
        (f"{base}/sessions/{session.id}", form_of("name", "attempt")),
        (f"{base}/check-in", form_of("code")),
        (f"{base}/help", form_of("topic")),
        (f"{base}/feedback/{session.id}", form_of("score")),
        (f"{base}/call-staff", form_of("x")),
        (f"/sessions/{session.id}", form_of("name", "phone", "age_group", "attempt")),
    ]

    @FUZZ
    @given(which=st.integers(0, len(forms) - 1), data=st.data())
    def check(which, data):
        url, strategy = forms[which]
        _post(client, url, data.draw(strategy))

    check()

    @FUZZ
    @given(ticket=VALUE, location_value=VALUE, theme=VALUE)
    def check_queries(ticket, location_value, theme):
        for url, query in (("/booking", {"ticket": ticket}),
                           ("/", {"location": location_value, "theme": theme}),
                           (f"/booking/{ticket.replace('/', '')}", {}),
                           ("/language/en", {"next": ticket})):
            response = client.get(url, query_string=query)
            assert response.status_code < 500, (url, query)

    check_queries()


def test_portal_forms_never_fail(client, world, login_as):
    partner = login_as(world.users.partner)
    session = world.own_session
    forms = [
        ("/partner/sessions/new", form_of("theme", "room", "day", "starts", "ends", "capacity",
                                          "walk_in_seats", "languages", "status")),
        (f"/partner/sessions/{session.id}/edit", form_of(
            "theme", "room", "day", "starts", "ends", "capacity", "walk_in_seats", "languages",
            "status")),
        (f"/partner/sessions/{session.id}/walk-in", form_of("name", "phone", "language",
                                                           "age_group")),
        (f"/partner/sessions/{session.id}/staff", form_of("person", "role")),
        ("/partner/locations/new", form_of("organisation", "name", "address", "city", "area", "new_area",
                                          "opening_hours")),
        (f"/partner/locations/{world.own_location.id}/rooms/new",
         form_of("name", "capacity", "features")),
        ("/partner/tokens", form_of("label")),
    ]

    @FUZZ
    @given(which=st.integers(0, len(forms) - 1), data=st.data())
    def check(which, data):
        url, strategy = forms[which]
        _post(partner, url, data.draw(strategy))

    check()

    @FUZZ
    @given(week=VALUE)
    def check_poster(week):
        response = partner.get(f"/partner/locations/{world.own_location.id}/poster",
                               query_string={"week": week})
        assert response.status_code < 500, week

    check_poster()


def test_planner_forms_never_fail(client, world, login_as):
    coordinator = login_as(world.users.coordinator)
    forms = [
        ("/planner/demand", form_of("theme", "sessions", "per_week", "same_slot_each_week",
                                    "locations", "areas", "language", "priority",
                                    "window_start", "window_end")),
        ("/planner/people", form_of("person", "first_day", "last_day")),
        ("/planner/people/new", form_of("name", "roles", "themes", "languages",
                                        "cost_per_session", "max_sessions", "locations",
                                        "availability")),
    ]

    @FUZZ
    @given(which=st.integers(0, len(forms) - 1), data=st.data())
    def check(which, data):
        url, strategy = forms[which]
        _post(coordinator, url, data.draw(strategy))

    check()
