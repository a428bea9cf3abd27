"""`flask users …`: manage accounts from the command line."""

from __future__ import annotations

import os

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from eventapp import uow
from eventapp.accounts import services
from eventapp.accounts.models import Role
from eventapp.errors import DomainError
from eventapp.extensions import db
from eventapp.password_reset import services as password_links

users_cli = AppGroup("users", help="Create, disable and reset council staff accounts.")


def _password() -> str:
    from_env = os.environ.get("EVENTAPP_PASSWORD")
    if from_env:
        return from_env
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--council", "council_name", required=True, help="Council name; created if new.")
@click.option("--area", default=None, help="Area name for a new council (default: from its name).")
@click.option("--name", default="", help="The person's full name.")
@click.option(
    "--email-link",
    is_flag=True,
    help="Email the person a link to set their own password instead of asking for one "
    "(needs PUBLIC_BASE_URL).",
)
def create(
    email: str, role: str, council_name: str, area: str | None, name: str, email_link: bool
) -> None:
    """Create a user (password from the prompt, or EVENTAPP_PASSWORD, or --email-link)."""
    if not council_name.strip():
        raise click.ClickException("Give the council's name with --council.")
    if area is not None and not area.strip():
        raise click.ClickException("Give the area name with --area, or leave it out.")
    if email_link and not current_app.config.get("PUBLIC_BASE_URL"):
        raise click.ClickException("Set PUBLIC_BASE_URL first: the emailed link needs it.")
    council = services.get_or_create_council(council_name, area)
    try:
        if email_link:
            user = password_links.add_user(
                council=council, email=email, role=Role(role), name=name, actor=None
            )
        else:
            user = services.create_user(
                council=council, email=email, role=Role(role), password=_password(), name=name
            )
    except DomainError as error:
        uow.rollback()
        raise click.ClickException(error.message) from None
    uow.commit()  # then the set-up email, if any, is sent
    sent = " A link to set their password has been emailed to them." if email_link else ""
    click.echo(f"Created {user.email} ({role}) at {council.name}.{sent}")


@users_cli.command("disable")
@click.argument("email")
def disable(email: str) -> None:
    """Disable an account and end its sessions."""
    user = services.find_user(email)
    if user is None:
        raise click.ClickException(f"No account has the email address {email}.")
    services.set_active(user=user, active=False)
    db.session.commit()
    click.echo(f"Disabled {user.email}.")


@users_cli.command("set-password")
@click.argument("email")
def set_password(email: str) -> None:
    """Set a new password for an account and end its sessions."""
    user = services.find_user(email)
    if user is None:
        raise click.ClickException(f"No account has the email address {email}.")
    try:
        services.set_password(user=user, password=_password())
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Password changed for {user.email}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(users_cli)
