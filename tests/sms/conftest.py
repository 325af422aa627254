"""Fixtures for the SMS tests: Instap served on a free port (Kannel calls
it back), a real Kannel in front of the fake operator, and a small world."""
import shutil
import threading
from types import SimpleNamespace

import pytest
from werkzeug.serving import make_server

from booking.services import accounts
from tests.conftest import in_days
from tests.sms.kannel import BEARERBOX, FAKESMSC, Kannel

GATEWAY_SECRET = "gateway-test-secret"
PASSWORD = "correct horse battery"


@pytest.fixture
def served(app):
    """The test's app on 127.0.0.1 at a free port, for Kannel's calls."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(10)
    server.server_close()


@pytest.fixture
def kannel(app, served, tmp_path):
    if not (shutil.which(BEARERBOX) and shutil.which(FAKESMSC)):
        pytest.fail("Kannel is missing: tests/run_all.sh installs kannel and kannel-extras")
    gateway = Kannel(tmp_path, instap_url=served, secret=GATEWAY_SECRET)
    app.config.update(
        SMS_KANNEL_URL=gateway.sendsms_url, SMS_KANNEL_USER=gateway.user,
        SMS_KANNEL_PASSWORD=gateway.password, SMS_SENDER="Instap",
        SMS_GATEWAY_SECRET=GATEWAY_SECRET, SMS_REPORT_BASE_URL=served,
        SMS_KANNEL_TIMEOUT_SECONDS=5,
    )
    gateway.start()
    yield gateway
    gateway.stop()


@pytest.fixture
def world(app, make):
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"  # fast, for tests only
    organisation = make.organisation(slug="bib-gent", name="Bibliotheek Gent")
    location = make.location(organisation=organisation, name="De Krook",
                             address="Miriam Makebaplein 1, Gent",
                             opening_hours=[{"weekdays": [1, 2, 3, 4, 5, 6, 7],
                                             "start": "08:00", "end": "20:00"}])
    room = make.room(location=location, name="Zaal 2", capacity=8)
    theme = make.theme(id="smartphone", titles={
        "nl": "Werken met je smartphone", "fr": "Utiliser son smartphone",
        "en": "Using your smartphone", "ar": "استخدام الهاتف الذكي",
        "tr": "Akıllı telefon kullanımı"})
    session = make.session(room=room, theme=theme, starts_at=in_days(3, 13),
                           capacity=2, walk_in_seats=1)
    users = SimpleNamespace(
        partner=accounts.create_user("partner@own.test", role="partner_staff",
                                     password=PASSWORD, organisation=organisation),
        admin=accounts.create_user("admin@test.test", role="admin", password=PASSWORD),
    )
    return SimpleNamespace(organisation=organisation, location=location, room=room,
                           theme=theme, session=session, users=users)


@pytest.fixture
def login_as(client):
    def do(user):
        client.post("/logout")
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302
        return client

    return do
