"""Staff accounts: creation, the password policy, log-in with lock-out
against password guessing, ending every session of a user, and the demo
accounts. Participants never have an account."""
import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select, update
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from booking.extensions import db
from booking.models import (
    USER_ROLES, AuditEntry, LoginFailure, Organisation, Person, User, utcnow,
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
    """The one place a password changes (own change, reset by an admin, the
    command line). Refuses a weak password with InvalidInput; ends every
    session of that user, so a stolen cookie dies with the old password.
    The caller commits."""
    problem = password_problem(new_password, email=user.email, name=user.name)
    if problem:
        raise InvalidInput("The password is not accepted.", {"password": problem})
    user.set_password(new_password)
    end_sessions(user)
    db.session.add(AuditEntry(actor=actor[:200], action="password", object_type="user",
                              object_id=user.id, changes={}))


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
        int(config.get("LOGIN_MAX_FAILURES", 5)),
        timedelta(minutes=int(config.get("LOGIN_LOCKOUT_MINUTES", 15))),
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
