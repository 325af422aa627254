"""The staff-side world of tests/partner (two organisations, one account per
role) is reused here to attack it, and other apps on the test's database
with other settings (rate limits on, a proxy, PUBLIC_URL)."""
import pytest

from booking import create_app
from booking.extensions import db
from tests.partner.conftest import login, login_as, world  # noqa: F401  (fixtures)


@pytest.fixture
def app_with(app):
    """app_with(**settings): another app on the same database; its
    connections are closed at the end of the test."""
    made = []

    def make_app(**settings):
        other = create_app({**app.config, **settings})
        made.append(other)
        return other

    yield make_app
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()
