"""Staff accounts: creation, log-in with lock-out against password guessing,
and the demo accounts. Participants never have an account."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from booking.extensions import db
from booking.models import USER_ROLES, LoginFailure, Organisation, Person, User, utcnow
from booking.services.errors import Conflict, InvalidInput

DEMO_PASSWORD = "instap-demo-2027"
MIN_PASSWORD_LENGTH = 10


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
    if len(password or "") < MIN_PASSWORD_LENGTH:
        errors["password"] = f"at least {MIN_PASSWORD_LENGTH} characters"
    if errors:
        raise InvalidInput("The account is not valid.", errors)
    if db.session.scalar(select(func.count()).where(User.email == email)):
        raise Conflict("An account with this e-mail address exists.", {"email": "already taken"})
    user = User(email=email, role=role, organisation=organisation, person=person, name=name)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def _limits():
    config = current_app.config
    return (
        int(config["LOGIN_MAX_FAILURES"]),
        timedelta(minutes=int(config["LOGIN_LOCKOUT_MINUTES"])),
    )


def locked_until(email: str, address: str, *, now: datetime | None = None) -> datetime | None:
    """When too many log-ins for this account failed from this address
    lately, the moment the lock-out ends; otherwise None."""
    now = now or utcnow()
    max_failures, window = _limits()
    failures = db.session.scalars(
        select(LoginFailure.failed_at)
        .where(
            LoginFailure.email == normalise_email(email),
            LoginFailure.address == address,
            LoginFailure.failed_at > now - window,
        )
        .order_by(LoginFailure.failed_at.desc())
    ).all()
    if len(failures) < max_failures:
        return None
    return failures[max_failures - 1] + window


def authenticate(email: str, password: str, address: str, *, now: datetime | None = None):
    """The active account for these credentials, or None. Raises LockedOut
    after too many failures for this account from this address; the
    lock-out is checked first, so a correct guess during it does not count."""
    now = now or utcnow()
    email = normalise_email(email)
    address = (address or "unknown")[:64]
    until = locked_until(email, address, now=now)
    if until is not None:
        minutes = max(1, int((until - now).total_seconds() // 60) + 1)
        raise LockedOut(f"Too many failed log-ins. Try again in {minutes} minutes.")
    user = db.session.scalars(select(User).where(User.email == email)).one_or_none()
    if user is None or not user.active or not user.check_password(password):
        _, window = _limits()
        db.session.execute(delete(LoginFailure).where(LoginFailure.failed_at < now - window))
        db.session.add(LoginFailure(email=email, address=address, failed_at=now))
        db.session.commit()
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
