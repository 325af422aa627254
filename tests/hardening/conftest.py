"""The staff-side world of tests/partner (two organisations, one account per
role) is reused here to attack it."""
from tests.partner.conftest import login, login_as, world  # noqa: F401  (fixtures)
