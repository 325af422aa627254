"""Lock, then check: every rule that counts seats or room time runs inside
a transaction that holds the lock first.

PostgreSQL: a row lock (SELECT ... FOR UPDATE) on the session or room row,
so bookings for other sessions go on in parallel. SQLite has no row locks:
the transaction starts as BEGIN IMMEDIATE, which takes the database's one
write lock before anything is read, so no two writers ever check the same
counts."""
from sqlalchemy import select

from booking.extensions import db


def begin_write_transaction():
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        raw = connection.connection.dbapi_connection
        if not raw.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def lock_row(model, row_id):
    """Return the row, locked for the rest of the transaction, or None."""
    begin_write_transaction()
    statement = (
        select(model).where(model.id == row_id).execution_options(populate_existing=True)
    )
    if db.session.connection().dialect.name == "postgresql":
        statement = statement.with_for_update()
    return db.session.scalars(statement).one_or_none()
