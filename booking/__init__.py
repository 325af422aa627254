"""Instap's booking site: the application factory."""
import os
import secrets

from flask import Flask

from booking.settings import LANGUAGES  # noqa: F401  (kept importable from here)


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True, template_folder="../templates")
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_object("booking.settings")
    app.config.from_mapping(
        SECRET_KEY=_instance_secret(app.instance_path),
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "instap.sqlite"),
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env()
    if test_config is not None:
        app.config.from_mapping(test_config)
    # Flask-Babel's date formatting would show UTC otherwise.
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", app.config["TIMEZONE"])
    if app.config["REDIS_URL"] and app.config["RATELIMIT_STORAGE_URI"] == "memory://":
        # Several gunicorn workers must share one count per client address.
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]

    from booking import audit, cli, extensions, security
    from booking.i18n import compile_translations

    compile_translations()
    extensions.init_app(app)
    security.init_app(app)
    audit.init_app(app)
    _register_blueprints(app)
    cli.init_app(app)
    return app


def _register_blueprints(app):
    from werkzeug.exceptions import HTTPException

    from booking.api import api_http_error
    from booking.api import bp as api_bp

    app.register_blueprint(api_bp, url_prefix="/api/v1")

    from booking.kiosk import bp as kiosk_bp
    from booking.site import bp as site_bp

    app.register_blueprint(site_bp)
    app.register_blueprint(kiosk_bp, url_prefix="/kiosk")
    app.register_error_handler(HTTPException, api_http_error)
    from booking import portal

    portal.register(app)
    from booking.reports import bp as reports_bp

    app.register_blueprint(reports_bp, url_prefix="/reports")
    from booking.planner import bp as planner_bp

    app.register_blueprint(planner_bp, url_prefix="/planner")
    from booking.gateway import bp as gateway_bp

    app.register_blueprint(gateway_bp, url_prefix="/gateway")
    from booking.speech import bp as speech_bp

    app.register_blueprint(speech_bp, url_prefix="/speech")


def _instance_secret(instance_path):
    """A random secret kept in the instance folder, so that a fresh clone
    never runs with a well-known key and sessions survive restarts."""
    path = os.path.join(instance_path, "secret_key")
    if not os.path.exists(path):
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
            f.write(secrets.token_hex(32))
    with open(path) as f:
        return f.read().strip()
