"""Backup and restore of the whole database as one JSON document, table by
table in dependency order. The same file restores into SQLite or PostgreSQL,
so it also moves an installation from one to the other."""
import json
import os
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Date, DateTime, Integer, func, insert, select, text

from booking.extensions import db
from booking.models import Base
from booking.models.base import UTCDateTime
from booking.services.errors import Conflict, InvalidInput

FORMAT = "instap-backup"
VERSION = 1
# Backups named so in BACKUP_DIR are removed by the purge after RETENTION_DAYS.
BACKUP_PATTERN = "instap-backup-*.json"


def backup_file_name(now: datetime) -> str:
    return f"instap-backup-{now:%Y%m%d-%H%M%S}.json"


def write_backup_file(path) -> dict:
    """Write a backup to `path`, readable by its owner only (0600): it holds
    every name and phone number. An existing file is overwritten and made
    0600 too; the mode is set before a single byte is written."""
    path = Path(path)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with open(descriptor, "w", encoding="utf-8") as stream:
        return write_backup(stream)


def _revision(connection) -> str | None:
    try:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # no migrations table: a database made by create_all
        return None


def write_backup(stream) -> dict:
    """Write every table to `stream`; returns the row count per table."""
    counts = {}
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        else:
            connection.exec_driver_sql("BEGIN")  # one snapshot of the SQLite file
        tables = {}
        for table in Base.metadata.sorted_tables:
            rows = [
                {key: _dump(value) for key, value in row.items()}
                for row in connection.execute(select(table).order_by(*table.primary_key.columns)).mappings()
            ]
            tables[table.name] = rows
            counts[table.name] = len(rows)
        document = {"format": FORMAT, "version": VERSION, "revision": _revision(connection),
                    "tables": tables}
        connection.rollback()
    json.dump(document, stream, ensure_ascii=False)
    return counts


def read_backup(stream) -> dict:
    try:
        document = json.load(stream)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InvalidInput(f"This is not a backup file: {error}") from None
    if (not isinstance(document, dict) or document.get("format") != FORMAT
            or not isinstance(document.get("tables"), dict)):
        raise InvalidInput("This is not an Instap backup file.")
    return document


def restore_backup(document: dict) -> dict:
    """Load a backup into an empty database at the same schema revision."""
    counts = {}
    with db.engine.begin() as connection:
        revision = _revision(connection)
        if document.get("revision") != revision:
            raise Conflict(f"The backup is of schema {document.get('revision')}, the database is "
                           f"at {revision}: run `flask --app booking init-db` on the matching version.")
        for table in Base.metadata.sorted_tables:
            if connection.execute(select(func.count()).select_from(table)).scalar():
                raise Conflict(f"The database is not empty (table {table.name}); restore into a new one.")
        for table in Base.metadata.sorted_tables:
            rows = document["tables"].get(table.name, [])
            loaders = {column.name: _loader(column.type) for column in table.columns}
            for start in range(0, len(rows), 500):
                chunk = [{k: loaders[k](v) for k, v in row.items() if k in loaders}
                         for row in rows[start:start + 500]]
                connection.execute(insert(table), chunk)
            counts[table.name] = len(rows)
            if (connection.dialect.name == "postgresql" and rows and "id" in table.columns
                    and isinstance(table.c.id.type, Integer)):
                # Rows came with their ids: move the id sequence past them.
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                    f"(SELECT MAX(id) FROM \"{table.name}\"))"))
    return counts


def _dump(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _loader(column_type):
    if isinstance(column_type, UTCDateTime) or isinstance(column_type, DateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(column_type, Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    return lambda v: v
