"""Declarative base and the column types every model shares."""
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import JSON, DateTime, Enum, MetaData
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """An aware datetime, stored in UTC. SQLite keeps no offset, so values
    come back naive there; they are UTC by construction and made aware again."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware one is required")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_column(enum: type[StrEnum], name: str, length: int = 30) -> Enum:
    """A column holding one of `enum`'s values as text, with a CHECK
    constraint named `name`: the database refuses any other value, on
    SQLite and PostgreSQL alike. Members are their own values (StrEnum),
    so code may compare and assign plain strings."""
    return Enum(enum, name=name, native_enum=False, create_constraint=True,
                values_callable=lambda members: [m.value for m in members], length=length,
                validate_strings=True)


class Clock:
    """The service's one idea of "now". Production reads the system clock;
    tests set and move it (`tests/conftest.py: clock`), so a rule that
    depends on the hour is tested at the hour it matters, not at whatever
    hour the test happens to run."""

    def __init__(self) -> None:
        self._fixed: datetime | None = None

    def now(self) -> datetime:
        return self._fixed if self._fixed is not None else datetime.now(UTC)

    def set(self, moment: datetime | None) -> None:
        if moment is not None and moment.tzinfo is None:
            raise ValueError("the clock needs an aware datetime")
        self._fixed = moment.astimezone(UTC) if moment is not None else None


CLOCK = Clock()


# Row ids are INTEGER columns: 32 bits on PostgreSQL. A larger number in a
# path, a query or a body is simply no such row, never an overflow in the driver.
LARGEST_ID = 2**31 - 1


def utcnow() -> datetime:
    return CLOCK.now()


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime, dict: JSON, list: JSON},
    )
