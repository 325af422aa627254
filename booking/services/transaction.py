"""One transaction per rule, holding its locks: lock, then check, then write.

Every rule that counts seats, uses a room or assigns a person runs as

    with write_transaction(actor=actor) as tx:
        session = tx.lock(Session, session_id)
        ...                                     # check, then write

The transaction commits when the block ends and rolls back (releasing the
locks) when it raises. A service called inside another service's block
joins that transaction, so a composite operation (refer = book + referral,
a staff walk-in = book + check in, publish a plan = sessions + staff) is one
transaction and commits once.

Locks are always taken in one fixed order, by kind and then by id, so two
transactions never wait for each other in a circle:

    Location < Session < Room < Person < User

Take the locks a rule needs up front with `tx.lock_all(...)` when it needs
several; asking for a lock that sorts before one already held is a
programming error. A lock not granted within LOCK_TIMEOUT_SECONDS raises
`Busy` (the views answer 503 with Retry-After) instead of hanging.

PostgreSQL takes row locks (SELECT ... FOR UPDATE) under a lock_timeout
that each connection gets once, when it connects (a booking is a handful of
round trips; one more per transaction is a fifth of them); SQLite has no row
locks, so the transaction starts as BEGIN IMMEDIATE, which takes the
database's one write lock before anything is read, waiting at most the busy
timeout.

`write_transaction(keep_loaded=True)` leaves what the block read and wrote
loaded after the commit: a caller that answers with it right away (the
booking API) then needs no second transaction to read it again."""
import functools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from flask import current_app, has_app_context
from sqlalchemy import bindparam, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from booking.audit import AUDIT_ACTOR_KEY
from booking.extensions import db
from booking.models import Location, Person, Room, Session, User
from booking.services.errors import Busy

LOCK_ORDER = {Location: 0, Session: 1, Room: 2, Person: 3, User: 4}
_ACTIVE = "instap_write_transaction"
_NOT_LOADED = object()  # locked by lock_values(): held, but no ORM object loaded


class LockOrderError(RuntimeError):
    """A lock was asked for out of the fixed order: a bug in the caller."""


class WriteTransaction:
    def __init__(self, actor: str | None):
        self.actor = actor
        self._held: dict[tuple[int, int], object] = {}
        self._highest: tuple[int, int] | None = None
        self._after_commit: list = []

    def after_commit(self, callback) -> None:
        """Run `callback()` once the transaction has committed (never if it
        rolls back): deliveries that must not happen for a change that did
        not happen."""
        self._after_commit.append(callback)

    def lock(self, model, row_id, *, options=()):
        """The row, locked until the transaction ends, or None if it does not exist.
        `options` load related rows in the same statement (they are not locked)."""
        key = self._next_lock(model, row_id)
        if self._held.get(key, _NOT_LOADED) is not _NOT_LOADED:
            return self._held[key]
        statement = _lock_statement(model, tuple(options), _row_locks())
        row = _lock_errors_as_busy(
            lambda: db.session.scalars(statement, {"row_id": int(row_id)}).one_or_none())
        self._hold(key, row)
        return row

    def lock_values(self, model, row_id, columns):
        """Lock the row as `lock` does, but read the values of `columns` (a
        Core select from `model` and what it joins, with a `row_id`
        parameter) instead of loading ORM objects: the booking path needs a
        handful of values, and loading four objects cost more than the rest
        of a booking. Returns a Row, or None if the row does not exist."""
        key = self._next_lock(model, row_id)
        statement = _locking_select(model, columns, _row_locks())
        row = _lock_errors_as_busy(lambda: db.session.connection().execute(
            statement, {"row_id": int(row_id)}).one_or_none())
        if key not in self._held:
            self._hold(key, _NOT_LOADED if row is not None else None)
        return row

    def _next_lock(self, model, row_id) -> tuple[int, int]:
        key = (LOCK_ORDER[model], int(row_id))
        if key not in self._held and self._highest is not None and key < self._highest:
            raise LockOrderError(f"{model.__name__} {row_id} asked for after a later lock")
        return key

    def _hold(self, key, row) -> None:
        self._held[key] = row
        self._highest = max(key, self._highest or key)

    def lock_all(self, rows: Iterable[tuple[type, int]]) -> dict[tuple[type, int], object]:
        """Lock several rows at once, in the fixed order; returns {(model, id): row}."""
        wanted = sorted({(model, int(row_id)) for model, row_id in rows},
                        key=lambda pair: (LOCK_ORDER[pair[0]], pair[1]))
        return {(model, row_id): self.lock(model, row_id) for model, row_id in wanted}


@functools.cache
def _lock_statement(model, options: tuple, row_locks: bool):
    """Built once per kind of lock: building a statement costs more than
    running it on a busy booking path."""
    statement = (
        select(model).where(model.id == bindparam("row_id")).options(*options)
        .execution_options(populate_existing=True)
    )
    return statement.with_for_update(of=model) if row_locks else statement


@functools.cache
def _locking_select(model, columns, row_locks: bool):
    """`columns` locking the row of `model` they are read from (built once)."""
    return columns.with_for_update(of=model) if row_locks else columns


def _row_locks() -> bool:
    """PostgreSQL locks rows; SQLite's BEGIN IMMEDIATE already holds the
    database's one write lock."""
    return db.session.connection().dialect.name == "postgresql"


@contextmanager
def write_transaction(*, actor: str | None = None,
                      keep_loaded: bool = False) -> Iterator[WriteTransaction]:
    """Run the block in one locked transaction; join the caller's if one is open
    (whose commit then decides what stays loaded)."""
    outer = db.session.info.get(_ACTIVE)
    if outer is not None:
        if actor is not None and outer.actor is None:
            outer.actor = actor
            db.session.info[AUDIT_ACTOR_KEY] = actor
        yield outer
        return
    transaction = WriteTransaction(actor)
    db.session.info[_ACTIVE] = transaction
    db.session.info[AUDIT_ACTOR_KEY] = actor
    try:
        _begin()
        yield transaction
        _lock_errors_as_busy(lambda: _commit(keep_loaded))
    except BaseException:
        db.session.rollback()
        raise
    finally:
        db.session.info.pop(_ACTIVE, None)
        db.session.info.pop(AUDIT_ACTOR_KEY, None)
    for callback in transaction._after_commit:
        callback()


def current_transaction() -> WriteTransaction | None:
    """The write transaction this code runs in, if any."""
    return db.session.info.get(_ACTIVE)


def _commit(keep_loaded: bool) -> None:
    session = db.session()
    if not keep_loaded:
        session.commit()
        return
    # What this transaction read under its locks and wrote is what it commits.
    expires = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expires


_LOCK_TIMEOUT_KEY = "instap_lock_timeout_ms"


def _lock_timeout_ms() -> int:
    return int(float(current_app.config["LOCK_TIMEOUT_SECONDS"]) * 1000)


@event.listens_for(Engine, "connect")
def _set_lock_timeout(dbapi_connection, record):
    """Each PostgreSQL connection waits at most LOCK_TIMEOUT_SECONDS for a
    lock, set once for its lifetime (committed, so no rollback undoes it)."""
    if not has_app_context() or not hasattr(dbapi_connection, "pgconn"):
        return
    milliseconds = _lock_timeout_ms()
    dbapi_connection.execute(f"SET lock_timeout = {milliseconds}")
    dbapi_connection.commit()
    record.info[_LOCK_TIMEOUT_KEY] = milliseconds


def _begin() -> None:
    connection = db.session.connection()
    milliseconds = _lock_timeout_ms()
    if connection.dialect.name == "sqlite":
        raw = connection.connection.dbapi_connection
        raw.execute(f"PRAGMA busy_timeout={milliseconds}")
        if not raw.in_transaction:
            _lock_errors_as_busy(lambda: connection.exec_driver_sql("BEGIN IMMEDIATE"))
    elif connection.dialect.name == "postgresql":
        if connection.connection.info.get(_LOCK_TIMEOUT_KEY) != milliseconds:
            # the setting changed since this connection was made
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = {milliseconds}")


def _lock_errors_as_busy(operation):
    try:
        return operation()
    except OperationalError as error:
        if _is_lock_timeout(error):
            db.session.rollback()
            raise Busy("Someone else is changing this right now; try again in a moment.") from error
        raise


def _is_lock_timeout(error: OperationalError) -> bool:
    original = error.orig
    if getattr(original, "sqlstate", None) == "55P03":  # lock_not_available
        return True
    return "database is locked" in str(original)
