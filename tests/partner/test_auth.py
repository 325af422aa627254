"""Log-in, log-out, roles, lock-out, CSRF, the create-user command and the demo accounts."""
import re

import pytest
from sqlalchemy import select

from booking.extensions import db
from booking.models import User
from booking.services import accounts
from tests.partner.conftest import PASSWORD, login


def test_login_redirects_by_role_and_logout(app, client, world):
    from flask import url_for

    from booking.auth.access import home_endpoint

    cases = [(world.users.partner, "/partner/"), (world.users.admin, "/partner/"),
             (world.users.counsellor, "/counsellor/"),
             (world.users.trainer, "/counsellor/my-sessions"), (world.users.coordinator, None)]
    for user, home in cases:
        if home is None:  # the coordinator's home is the planner's choice
            with app.test_request_context():
                home = url_for(home_endpoint(user))
        response = login(client, user)
        assert response.status_code == 302 and response.headers["Location"].endswith(home)
        assert client.get(home).status_code == 200
        assert client.post("/logout").status_code == 302
        assert client.get("/partner/").status_code == 302  # logged out again


def test_password_is_hashed_and_wrong_password_refused(client, world):
    user = world.users.partner
    assert PASSWORD not in user.password_hash and user.password_hash.startswith("pbkdf2")
    response = login(client, user, "wrong password!")
    assert response.status_code == 401
    assert "not right" in response.get_data(as_text=True)
    assert login(client, "nobody@test.test").status_code == 401
    assert client.get("/partner/").status_code == 302


def test_login_email_is_case_insensitive(client, world):
    assert login(client, "PARTNER@own.test").status_code == 302


def test_next_is_followed_only_inside_the_site(client, world):
    response = client.post("/login?next=/partner/people",
                           data={"email": world.users.partner.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/partner/people")
    client.post("/logout")
    response = client.post("/login?next=//evil.example/x",
                           data={"email": world.users.partner.email, "password": PASSWORD})
    assert "evil" not in response.headers["Location"]


def test_anonymous_is_sent_to_login(client, world):
    for path in ["/partner/", "/partner/locations", f"/partner/sessions/{world.own_session.id}",
                 "/counsellor/", "/counsellor/referrals/new", "/account"]:
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path


@pytest.mark.parametrize("role", ["counsellor", "trainer", "coordinator"])
def test_other_roles_cannot_use_the_partner_portal(client, world, login_as, role):
    login_as(getattr(world.users, role))
    for path in ["/partner/", "/partner/locations", "/partner/tokens",
                 f"/partner/sessions/{world.own_session.id}"]:
        assert client.get(path).status_code == 403, path
    response = client.post(f"/partner/sessions/{world.own_session.id}/cancel")
    assert response.status_code == 403
    assert world.own_session.status == "published"


@pytest.mark.parametrize("role", ["partner", "trainer", "coordinator"])
def test_only_counsellors_refer(client, world, login_as, role):
    login_as(getattr(world.users, role))
    assert client.get("/counsellor/").status_code == 403
    assert client.get("/counsellor/referrals/new").status_code == 403


def test_lockout_after_repeated_failures(app, client, world):
    user = world.users.partner
    for _ in range(5):
        assert login(client, user, "guess " * 3).status_code == 401
    # Locked now, even with the right password.
    response = login(client, user)
    assert response.status_code == 429
    assert "Too many" in response.get_data(as_text=True)
    # Another address is not locked out, nor is another account from here.
    other = app.test_client()
    response = other.post("/login", data={"email": user.email, "password": PASSWORD},
                          environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert response.status_code == 302
    assert login(client, world.users.counsellor).status_code == 302


def test_lockout_ends_after_the_window(app, world):
    from datetime import timedelta

    from booking.models import utcnow

    now = utcnow()
    for _ in range(5):
        assert accounts.authenticate(world.users.partner.email, "nope", "1.2.3.4", now=now) is None
    with pytest.raises(accounts.LockedOut):
        accounts.authenticate(world.users.partner.email, PASSWORD, "1.2.3.4", now=now)
    later = now + timedelta(minutes=16)
    assert accounts.authenticate(world.users.partner.email, PASSWORD, "1.2.3.4", now=later)


def test_inactive_account_cannot_log_in(client, world):
    world.users.partner.active = False
    db.session.commit()
    assert login(client, world.users.partner).status_code == 401


def test_csrf_refuses_a_form_without_token(app, client, world):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/login", data={"email": world.users.partner.email,
                                           "password": PASSWORD})
    assert response.status_code == 400
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": world.users.partner.email,
                                           "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    # Logged in, a state-changing button without its token is refused too.
    response = client.post(f"/partner/sessions/{world.own_session.id}/cancel")
    assert response.status_code == 400
    assert world.own_session.status == "published"


def test_create_user_command(runner, world):
    result = runner.invoke(args=["create-user", "new@bib.test", "--role", "partner_staff",
                                 "--organisation", "bib-gent", "--password", "a long password"])
    assert result.exit_code == 0, result.output
    user = db.session.scalars(select(User).where(User.email == "new@bib.test")).one()
    assert user.organisation_id == world.own_org.id and user.check_password("a long password")
    result = runner.invoke(args=["create-user", "x@bib.test", "--role", "partner_staff",
                                 "--organisation", "nope", "--password", "a long password"])
    assert result.exit_code != 0 and "No organisation" in result.output
    result = runner.invoke(args=["create-user", "y@bib.test", "--role", "partner_staff",
                                 "--password", "a long password"])
    assert result.exit_code != 0 and "organisation" in result.output
    result = runner.invoke(args=["create-user", "new@bib.test", "--role", "counsellor",
                                 "--password", "a long password"])
    assert result.exit_code != 0 and "exists" in result.output
    result = runner.invoke(args=["create-user", "z@bib.test", "--role", "counsellor",
                                 "--password", "short"])
    assert result.exit_code != 0 and "password" in result.output


def test_seed_demo_users_on_demo_data(app, client):
    from booking.services.demo import seed

    seed()
    logins = accounts.seed_demo_users()
    roles = {login.role for login in logins}
    assert roles == {"partner_staff", "counsellor", "coordinator", "admin", "trainer"}
    assert any(login.email == "partner@bib-gent.demo" and login.organisation == "bib-gent"
               for login in logins)
    assert accounts.seed_demo_users() == logins  # idempotent
    response = client.post("/login", data={"email": "partner@bib-gent.demo",
                                           "password": accounts.DEMO_PASSWORD})
    assert response.status_code == 302
    page = client.get("/partner/").get_data(as_text=True)
    assert "Bibliotheek" in page or "table" in page


def test_trainer_sees_and_replaces_their_own_feed(client, world, login_as):
    login_as(world.users.trainer)
    old = world.trainer_person.feed_token
    page = client.get("/account").get_data(as_text=True)
    assert f"/calendar/people/{old}.ics" in page
    assert client.post("/account/feed-token").status_code == 302
    db.session.expire_all()
    assert world.trainer_person.feed_token != old
    assert client.get(f"/calendar/people/{old}.ics").status_code == 404
    # Someone without a person has no feed on their account page.
    login_as(world.users.counsellor)
    assert "/calendar/people/" not in client.get("/account").get_data(as_text=True)


def test_login_posts_are_rate_limited_per_address(app, world):
    from booking.extensions import limiter

    app.config.update(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute")
    limiter.init_app(app)  # the limiter reads RATELIMIT_ENABLED when it starts
    client = app.test_client()
    statuses = [login(client, f"user{n}@nowhere.test").status_code for n in range(4)]
    assert statuses == [401, 401, 401, 429]
    assert client.get("/login").status_code == 200  # only posts count
    other = client.post("/login", data={"email": world.users.partner.email, "password": PASSWORD},
                        environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert other.status_code == 302


def test_seed_demo_users_command(runner, world):
    result = runner.invoke(args=["seed-demo-users"])
    assert result.exit_code == 0, result.output
    assert "partner@bib-gent.demo (bib-gent)" in result.output
    assert accounts.DEMO_PASSWORD in result.output
    assert accounts.authenticate("admin@instap.demo", accounts.DEMO_PASSWORD, "127.0.0.1")
