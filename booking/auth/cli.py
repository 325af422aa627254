"""flask --app booking create-user EMAIL --role ROLE [--organisation SLUG]"""
import click

from booking.extensions import db
from booking.models import USER_ROLES, Person
from booking.services import accounts
from booking.services.organisations import find_organisation
from booking.services.errors import ServiceError


def init_app(app):
    app.cli.add_command(create_user)
    app.cli.add_command(seed_demo_users)


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(USER_ROLES), required=True)
@click.option("--organisation", default=None, help="Slug or id (partner staff).")
@click.option("--person", "person_id", type=int, default=None,
              help="Id of the Person a trainer account schedules.")
@click.option("--name", default="")
@click.password_option(help="Asked for when not given.")
def create_user(email, role, organisation, person_id, name, password):
    """Create a staff account."""
    found = None
    if organisation:
        found = find_organisation(organisation)
        if found is None:
            raise click.ClickException(f"No organisation '{organisation}'.")
    person = None
    if person_id is not None:
        person = db.session.get(Person, person_id)
        if person is None:
            raise click.ClickException(f"No person {person_id}.")
    try:
        user = accounts.create_user(email, role=role, password=password, organisation=found,
                                    person=person, name=name)
    except ServiceError as error:
        details = "; ".join(f"{k}: {v}" for k, v in error.fields.items())
        raise click.ClickException(f"{error.message} {details}".strip()) from None
    click.echo(f"Created {user.role} account {user.email}.")


@click.command("seed-demo-users")
def seed_demo_users():
    """Create the demo staff accounts (one per role) and print their log-ins."""
    from booking.services import accounts

    for login in accounts.seed_demo_users():
        where = f" ({login.organisation})" if login.organisation else ""
        click.echo(f"{login.role:14} {login.email}{where}  password: {login.password}")
