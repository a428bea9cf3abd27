"""`flask data purge`, `flask data forget-order` and `flask registration send-instructions`,
and their scheduled jobs."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from eventapp import arrival, uow
from eventapp.registration import instructions, purge

data_cli = AppGroup(
    "data",
    help="Personal data: remove it when its retention period ends; forget arrival order.",
)
registration_cli = AppGroup("registration", help="Registration: joining instructions.")


@data_cli.command("purge")
def purge_command() -> None:
    """Remove attendees' and invitees' personal data of every event past its retention."""
    done = uow.run(purge.purge_due)
    for event, result in done:
        click.echo(
            f"Event {event.id}: {result.registrations} registrations and {result.invitees} "
            "invitees purged."
        )
    click.echo(f"{len(done)} event(s) purged.")


@registration_cli.command("send-instructions")
def send_instructions_command() -> None:
    """Email confirmed attendees the joining instructions now due."""
    sent = uow.run(instructions.send_due)
    click.echo(f"Joining instructions sent to {sent} attendee(s).")


@data_cli.command("forget-order")
def forget_order_command() -> None:
    """Rewrite the anonymous tables so that storage no longer keeps the order rows came in."""
    done = arrival.forget_arrival_order()
    if done:
        click.echo(f"Rewritten in key order: {', '.join(done)}.")
    else:
        click.echo("Nothing to do: this database stores those tables by key already.")


def forget_order_job() -> int:
    """RQ job (nightly): forget the arrival order of anonymous rows."""
    from eventapp.mail.jobs import _in_app

    return int(_in_app(lambda: len(arrival.forget_arrival_order())))


def purge_job() -> int:
    """RQ job (daily): the purge, as one unit of work."""
    from eventapp.mail.jobs import _in_app

    return int(_in_app(lambda: len(uow.run(purge.purge_due))))


def instructions_job() -> int:
    """RQ job (every few minutes): joining instructions that are due."""
    from eventapp.mail.jobs import _in_app

    return int(_in_app(lambda: uow.run(instructions.send_due)))


def init_app(app: Flask) -> None:
    app.cli.add_command(data_cli)
    app.cli.add_command(registration_cli)
