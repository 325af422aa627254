"""flask --app booking COMMAND: the commands an operator or coordinator runs."""
import os
import secrets

import click
from flask import current_app
from flask_migrate import upgrade

from booking.extensions import db
from booking.models import ApiToken, hash_token
from booking.services.organisations import find_organisation


def init_app(app):
    for command in (init_db, seed_demo, create_api_token, purge_command, backup, restore,
                    make_speech):
        app.cli.add_command(command)
    from booking.auth import cli as auth_cli

    auth_cli.init_app(app)
    from booking.planner import cli as planner_cli

    planner_cli.init_app(app)
    from booking.gateway import cli as gateway_cli

    gateway_cli.init_app(app)


@click.command("init-db")
def init_db():
    """Create or upgrade the database schema to the latest migration."""
    upgrade()
    click.echo("Database is up to date.")


@click.command("seed-demo")
@click.option("--reset/--keep", default=False, help="Delete all data first.")
def seed_demo(reset):
    """Fill the database with two cities of realistic demo data."""
    from flask import g

    from booking.services.accounts import seed_demo_users
    from booking.services.demo import seed

    g.audit_actor = None  # demo rows are not staff changes
    upgrade()
    click.echo(seed(reset=reset))
    click.echo("Demo log-ins (at /login):")
    for login in seed_demo_users():
        click.echo(f"  {login.email:<34} {login.password}  {login.role}"
                   + (f" ({login.organisation})" if login.organisation else ""))


@click.command("create-api-token")
@click.argument("organisation")
@click.option("--label", default="", help="What the token is for.")
def create_api_token(organisation, label):
    """Print a new API token for ORGANISATION (its slug or id)."""
    found = find_organisation(organisation)
    if found is None:
        raise click.ClickException(f"No organisation '{organisation}'.")
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(organisation=found, token_hash=hash_token(token), label=label))
    db.session.commit()
    click.echo(token)


@click.command("purge")
@click.option("--days", type=int, default=None,
              help="Keep this many days after a session ended (default: RETENTION_DAYS).")
def purge_command(days):
    """Remove names and phone numbers of sessions that ended long ago."""
    from booking.services.purge import purge

    click.echo(str(purge(retention_days=days)))


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True), required=False)
def backup(path):
    """Write the whole database to PATH (JSON; restores into SQLite or
    PostgreSQL), readable by its owner only. Without PATH: a dated file in
    BACKUP_DIR, which the purge removes after RETENTION_DAYS."""
    from booking.models import utcnow
    from booking.services.backup import backup_file_name, write_backup_file

    if path is None:
        folder = current_app.config.get("BACKUP_DIR")
        if not folder:
            raise click.ClickException("Give a PATH, or set BACKUP_DIR.")
        os.makedirs(folder, mode=0o700, exist_ok=True)
        path = os.path.join(folder, backup_file_name(utcnow()))
    counts = write_backup_file(path)
    click.echo(f"Backed up {sum(counts.values())} rows of {len(counts)} tables to {path}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def restore(path):
    """Load a backup from PATH into this (new, empty, migrated) database."""
    from booking.services.backup import read_backup, restore_backup
    from booking.services.errors import ServiceError

    try:
        with open(path, encoding="utf-8") as stream:
            document = read_backup(stream)
        upgrade()
        counts = restore_backup(document)
    except ServiceError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Restored {sum(counts.values())} rows of {len(counts)} tables from {path}.")


@click.command("make-speech")
@click.option("--numbers", type=int, default=99, show_default=True,
              help="Also make the display's called numbers 1..NUMBERS in every language.")
@click.option("--prune-days", type=int, default=None,
              help="First remove texts and audio made more than this many days ago.")
def make_speech(numbers, prune_days):
    """Make the audio of every kiosk screen and session now (run at install
    and nightly), so no visitor waits for espeak-ng."""
    from booking.services.speech import prune
    from booking.speech.install import make_all

    if prune_days is not None:
        click.echo(f"Removed {prune(prune_days)} old speech files.")
    for line in make_all(numbers=numbers):
        click.echo(line)
