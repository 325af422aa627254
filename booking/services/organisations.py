"""Finding organisations the way operators name them."""
from sqlalchemy import or_, select

from booking.extensions import db
from booking.models import Organisation


def find_organisation(slug_or_id: str) -> Organisation | None:
    """By slug, or by id when the text is a number."""
    conditions = [Organisation.slug == slug_or_id]
    if slug_or_id.isascii() and slug_or_id.isdigit():
        conditions.append(Organisation.id == int(slug_or_id))
    return db.session.scalars(select(Organisation).where(or_(*conditions))).first()
