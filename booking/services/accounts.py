"""Staff accounts: creation, the password policy, log-in with lock-out
against password guessing, ending every session of a user, password reset
and invitation links, and the demo accounts. Participants never have an
account."""
import functools
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, func, select, update
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from booking.extensions import db
from booking.models import (
    USER_ROLES,
    AuditEntry,
    LoginFailure,
    Organisation,
    Person,
    User,
    utcnow,
)
from booking.services.errors import Conflict, InvalidInput

DEMO_PASSWORD = "instap-demo-2027"
MIN_PASSWORD_LENGTH = 12
# zxcvbn's score (0-4): 3 means "safely unguessable" against an online
# attack. zxcvbn ships Dropbox's list of 30 000 common passwords (and names,
# words, keyboard walks, repeats, l33t), so "aaaaaaaaaaaa" and
# "qwerty123456" are refused although they are long enough.
MIN_PASSWORD_SCORE = 3
# zxcvbn's time grows with the length; a passphrase this long is checked on
# its beginning, which is what an attacker's list would match anyway.
CHECKED_PASSWORD_PREFIX = 100


class LockedOut(Conflict):
    code = "locked_out"
    status = 429


@dataclass(frozen=True)
class Login:
    email: str
    role: str
    organisation: str | None
    password: str


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def create_user(
    email: str,
    *,
    role: str,
    password: str,
    organisation: Organisation | None = None,
    person: Person | None = None,
    name: str = "",
) -> User:
    email = normalise_email(email)
    errors = {}
    if "@" not in email or len(email) > 254:
        errors["email"] = "is not an e-mail address"
    if role not in USER_ROLES:
        errors["role"] = f"one of {', '.join(USER_ROLES)}"
    if role == "partner_staff" and organisation is None:
        errors["organisation"] = "partner staff belong to an organisation"
    if role == "trainer" and person is None:
        errors["person"] = "a trainer account is linked to the person it schedules"
    problem = password_problem(password, email=email, name=name)
    if problem:
        errors["password"] = problem
    if errors:
        raise InvalidInput("The account is not valid.", errors)
    if db.session.scalar(select(func.count()).where(User.email == email)):
        raise Conflict("An account with this e-mail address exists.", {"email": "already taken"})
    user = User(email=email, role=role, organisation=organisation, person=person, name=name)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def password_problem(password: str | None, *, email: str = "", name: str = "") -> str | None:
    """Why this password is refused, or None when it is good enough."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"at least {MIN_PASSWORD_LENGTH} characters"
    hints = [part for part in (email, email.split("@")[0], name, "instap") if part]
    if zxcvbn(password[:CHECKED_PASSWORD_PREFIX], user_inputs=hints)["score"] < MIN_PASSWORD_SCORE:
        return "too common or too easy to guess: use a few unrelated words"
    return None


def set_password(user: User, new_password: str, *, actor: str) -> None:
    """The one place a password changes (own change, reset link, invitation,
    the command line), recorded with who made it. Refuses a weak password
    with InvalidInput; ends every session of that user, so a stolen cookie
    dies with the old password (a view may start the current one anew:
    booking.auth.start_session). Commits."""
    problem = password_problem(new_password, email=user.email, name=user.name)
    if problem:
        raise InvalidInput("The password is not accepted.", {"password": problem})
    user.set_password(new_password)
    end_sessions(user)
    db.session.add(AuditEntry(actor=actor[:200], action="password", object_type="user",
                              object_id=user.id, changes={}))
    db.session.commit()


def end_sessions(user: User) -> None:
    """Every session cookie issued to this user so far stops working (log-out,
    password change): each request checks the user's session version
    (booking/auth). Done in SQL, so two log-outs at once both count. The
    caller commits."""
    db.session.execute(
        update(User).where(User.id == user.id)
        .values(session_version=User.session_version + 1)
        .execution_options(synchronize_session="fetch")
    )


def _limits():
    config = current_app.config
    return (
        int(config["LOGIN_MAX_FAILURES"]),
        timedelta(minutes=int(config["LOGIN_LOCKOUT_MINUTES"])),
    )


def _recent_failures(email: str, address: str, now: datetime):
    _, window = _limits()
    return db.session.scalars(
        select(LoginFailure.failed_at)
        .where(
            LoginFailure.email == normalise_email(email),
            LoginFailure.address == address,
            LoginFailure.failed_at > now - window,
        )
        .order_by(LoginFailure.failed_at.desc())
    ).all()


def locked_until(email: str, address: str, *, now: datetime | None = None) -> datetime | None:
    """When too many log-ins for this account failed from this address
    lately, the moment the lock-out ends; otherwise None."""
    now = now or utcnow()
    max_failures, window = _limits()
    failures = _recent_failures(email, address, now)
    if len(failures) < max_failures:
        return None
    return failures[max_failures - 1] + window


@functools.cache
def _decoy_hash(method: str | None) -> str:
    return generate_password_hash("no account has this password",
                                  **({"method": method} if method else {}))


def authenticate(email: str, password: str, address: str, *, now: datetime | None = None):
    """The active account for these credentials, or None. Raises LockedOut
    after too many failures for this account from this client (the real
    client: PROXY_HOPS), so a guesser elsewhere cannot lock the owner out.

    Each attempt is written down and committed BEFORE the password is
    checked, and the lock-out counts the rows then: twenty guesses sent at
    once are twenty rows, and only the first LOGIN_MAX_FAILURES of them ever
    reach the password check. An unknown e-mail costs the same hash check as
    a known one, so the answer's timing does not tell which accounts exist."""
    now = now or utcnow()
    email = normalise_email(email)[:254]
    address = (address or "unknown")[:64]
    max_failures, window = _limits()
    db.session.execute(delete(LoginFailure).where(LoginFailure.failed_at < now - window))
    db.session.add(LoginFailure(email=email, address=address, failed_at=now))
    db.session.commit()
    failures = _recent_failures(email, address, now)
    if len(failures) > max_failures:
        until = failures[max_failures] + window
        minutes = max(1, int((until - now).total_seconds() // 60) + 1)
        raise LockedOut(f"Too many failed log-ins. Try again in {minutes} minutes.")
    user = db.session.scalars(select(User).where(User.email == email)).one_or_none()
    if user is None:
        check_password_hash(_decoy_hash(current_app.config.get("PASSWORD_HASH_METHOD")), password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    db.session.execute(
        delete(LoginFailure).where(LoginFailure.email == email, LoginFailure.address == address)
    )
    user.last_login_at = now
    db.session.commit()
    return user


def seed_demo_users(password: str = DEMO_PASSWORD) -> list[Login]:
    """Demo accounts, one per role, on the demo data's organisations (or the
    first organisations present). Idempotent: existing accounts are kept."""
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.id)).all()
    by_slug = {o.slug: o for o in organisations}
    first = organisations[0] if organisations else None
    second = organisations[1] if len(organisations) > 1 else None
    library = by_slug.get("bib-gent", first)
    other = next((o for o in organisations if o is not library), second)
    steward = db.session.scalars(
        select(Person).where(Person.roles.is_not(None)).order_by(Person.id)
    ).all()
    steward = next((p for p in steward if "steward" in (p.roles or [])), steward[0] if steward else None)
    wanted = [
        ("partner@bib-gent.demo", "partner_staff", library, None, "Partner (library)"),
        ("counsellor@instap.demo", "counsellor", None, None, "Counsellor"),
        ("coordinator@instap.demo", "coordinator", None, None, "Coordinator"),
        ("admin@instap.demo", "admin", None, None, "Admin"),
    ]
    if other is not None:
        wanted.insert(1, (f"partner@{other.slug}.demo", "partner_staff", other, None,
                          f"Partner ({other.name})"))
    if steward is not None:
        wanted.append(("steward@instap.demo", "trainer", None, steward, steward.name))
    logins = []
    for email, role, organisation, person, name in wanted:
        if role == "partner_staff" and organisation is None:
            continue
        if not db.session.scalar(select(func.count()).where(User.email == email)):
            create_user(email, role=role, password=password, organisation=organisation,
                        person=person, name=name)
        logins.append(Login(email, role, organisation.slug if organisation else None, password))
    return logins


# Passwords, resets and invitations ------------------------------------------

RESET_SALT = "instap-password-reset"


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not user.check_password(current_password or ""):
        raise InvalidInput("The current password is not right.",
                           {"current_password": "not right"})
    set_password(user, new_password, actor=actor_of(user))


def actor_of(user: User) -> str:
    return f"user:{user.id} {user.email} ({user.role})"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _fingerprint(user: User) -> str:
    # Part of the password hash: a link stops working once it has been used.
    return user.password_hash[-12:]


def password_token(user: User) -> str:
    return _serializer().dumps({"user": user.id, "fp": _fingerprint(user)})


def user_for_token(token: str, *, max_age_seconds: int) -> User | None:
    """The active account a reset or invitation link is for, or None when
    the link is wrong, too old or already used."""
    try:
        data = _serializer().loads(token, max_age=max_age_seconds)
    except BadSignature:  # SignatureExpired is one
        return None
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or not user.active or data.get("fp") != _fingerprint(user):
        return None
    return user


def reset_link_hours() -> int:
    return int(current_app.config["PASSWORD_RESET_HOURS"])


def invitation_days() -> int:
    return int(current_app.config["INVITATION_DAYS"])


def send_reset_link(email: str, link_for) -> bool:
    """Queue a reset e-mail when an active account has this address.
    `link_for(token)` builds the absolute link. Says nothing about whether
    the address exists: the caller shows the same message either way."""
    user = db.session.scalars(
        select(User).where(User.email == normalise_email(email))
    ).one_or_none()
    if user is None or not user.active:
        return False
    from booking.services import notify

    language = current_app.config.get("BABEL_DEFAULT_LOCALE", "nl")
    with force_locale(language):
        subject = _("Choose a new Instap password")
        body = _("Someone asked for a new password for %(email)s. Open this link within "
                 "%(hours)d hours to choose one: %(link)s\n\nDid you not ask? Then ignore "
                 "this message; your password stays the same.", email=user.email,
                 hours=reset_link_hours(), link=link_for(password_token(user)))
    notify.queue("password_reset", "email", user.email, subject, body)
    db.session.commit()  # the message leaves once committed (services/delivery.py)
    return True


def invite(email: str, *, role: str, name: str, organisation: Organisation | None,
           person: Person | None, link_for, actor: str) -> User:
    """A new account whose owner chooses the password through an e-mailed link."""
    from booking.services import notify

    user = create_user(email, role=role, password=secrets.token_urlsafe(32),
                       organisation=organisation, person=person, name=name)
    db.session.add(AuditEntry(actor=actor[:200], action="invited", object_type="user",
                              object_id=user.id, changes={"role": user.role}))
    language = current_app.config.get("BABEL_DEFAULT_LOCALE", "nl")
    with force_locale(language):
        subject = _("Your Instap account")
        body = _("An account was made for you on Instap (%(email)s). Open this link within "
                 "%(days)d days to choose your password: %(link)s", email=user.email,
                 days=invitation_days(), link=link_for(password_token(user)))
    notify.queue("invitation", "email", user.email, subject, body)
    db.session.commit()  # the message leaves once committed (services/delivery.py)
    return user


def change_role(user: User, role: str, organisation: Organisation | None, *, actor: str,
                acting_user: User) -> None:
    if role not in USER_ROLES:
        raise InvalidInput("Unknown role.", {"role": f"one of {', '.join(USER_ROLES)}"})
    if role == "partner_staff" and organisation is None:
        raise InvalidInput("Partner staff belong to an organisation.",
                           {"organisation": "partner staff belong to an organisation"})
    if role == "trainer" and user.person is None:
        raise InvalidInput("A trainer account is linked to a person.",
                           {"role": "a trainer account is linked to the person it schedules"})
    if user.id == acting_user.id and role != user.role:
        raise Conflict("You cannot change your own role.", {"role": "not your own"})
    before = {"role": user.role, "organisation_id": user.organisation_id}
    user.role = role
    user.organisation = organisation if role == "partner_staff" else None
    db.session.add(AuditEntry(actor=actor[:200], action="role", object_type="user",
                              object_id=user.id, changes={
                                  "role": [before["role"], user.role],
                                  "organisation_id": [before["organisation_id"],
                                                      user.organisation_id]}))
    db.session.commit()


def set_active(user: User, active: bool, *, actor: str, acting_user: User) -> None:
    """Deactivate (log-in refused, sessions end at the next request) or reactivate."""
    if user.id == acting_user.id and not active:
        raise Conflict("You cannot deactivate your own account.")
    if user.active != active:
        user.active = active
        db.session.add(AuditEntry(actor=actor[:200],
                                  action="activated" if active else "deactivated",
                                  object_type="user", object_id=user.id, changes={}))
    db.session.commit()
