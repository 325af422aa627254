"""The Flask extensions, created unbound so that models and blueprints can
import them without importing the application factory."""
import os
import sqlite3
import time

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import Pool

from booking.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, _record):
    """WAL lets kiosks read while one booking writes; the busy timeout makes
    concurrent writers queue instead of failing; SQLite only enforces
    foreign keys when asked."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


# A pooled connection that sat unused this long is checked before use (one
# SELECT 1), so a database restarted while the site was quiet costs no one an
# error. A busy site's connections are never idle that long: pinging each
# checkout was one round trip in seven of a booking. A restart under load
# fails the requests in flight with a 503 and empties the pool.
PING_AFTER_IDLE_SECONDS = 2.0


@event.listens_for(Pool, "checkin")
def _note_idle_since(_dbapi_connection, record):
    if record is not None:
        record.info["instap_idle_since"] = time.monotonic()


@event.listens_for(Pool, "checkout")
def _ping_if_idle(dbapi_connection, record, _proxy):
    idle_since = record.info.get("instap_idle_since")
    if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
        return
    if isinstance(dbapi_connection, sqlite3.Connection):
        return  # a file, not a server that can restart
    try:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
        dbapi_connection.rollback()
    except Exception as error:  # whatever the driver raises for a dead connection
        # The pool discards this connection and checks out another.
        raise DisconnectionError(str(error)) from error


def init_app(app):
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"))
    from booking.i18n import page_language, select_locale, translated

    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")
    app.context_processor(page_language)
    app.add_template_filter(translated)  # a service's Phrase in the page's language
    from booking import messages

    messages.init_app(app)  # service errors and role names in the page's language
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
