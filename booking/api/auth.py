"""Bearer tokens of partner organisations."""
from functools import wraps

from flask import g, request
from sqlalchemy import select

from booking.extensions import db
from booking.models import ApiToken, hash_token
from booking.services.errors import ServiceError


class Unauthorized(ServiceError):
    code = "unauthorized"
    status = 401


def organisation_from_request():
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    row = db.session.scalars(
        select(ApiToken).where(
            ApiToken.token_hash == hash_token(token.strip()), ApiToken.revoked_at.is_(None)
        )
    ).one_or_none()
    return row.organisation if row else None


def token_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        organisation = organisation_from_request()
        if organisation is None:
            raise Unauthorized("A valid bearer token of a partner organisation is needed.")
        g.organisation = organisation
        return view(*args, **kwargs)

    return wrapped
