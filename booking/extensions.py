"""The Flask extensions, created unbound so that models and blueprints can
import them without importing the application factory."""
import os
import sqlite3

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine

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


def init_app(app):
    engine_options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # Survive a database restart without restarting the app.
        engine_options.setdefault("pool_pre_ping", True)
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
