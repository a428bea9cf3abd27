"""`flask mail send-due` and `flask mail status` for operators."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from eventapp.mail import delivery, outbox
from eventapp.mail.models import STATE_LABELS

mail_cli = AppGroup("mail", help="The outbox: send due mail and see its state.")


@mail_cli.command("send-due")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Send at most this many.")
def send_due(limit: int | None) -> None:
    """Recover messages stuck in sending, then send every message that is due."""
    recovered, report = delivery.send_due(limit=limit)
    click.echo(
        f"Recovered {recovered}; sent {report.sent}, retrying {report.retrying}, "
        f"failed {report.failed}."
    )


@mail_cli.command("status")
def status() -> None:
    """Counts of messages by state, and the latest failures (without addresses)."""
    counts = outbox.counts_by_state()
    for state, count in counts.items():
        click.echo(f"{STATE_LABELS[state]:<10} {count}")
    click.echo(f"Recovered after a crash (may have been sent twice): {outbox.recovered_count()}")
    failures = outbox.latest_failures(limit=10)
    if failures:
        click.echo("Latest failures:")
        for message in failures:
            when = message.finished_at.strftime("%Y-%m-%d %H:%M") if message.finished_at else ""
            click.echo(f"  #{message.id} {message.kind} {when} {message.last_error}")


@mail_cli.command("task-digest")
def task_digest() -> None:
    """Send this week's task digest to every task owner who wants it (the cron does weekly)."""
    from eventapp import uow
    from eventapp.checklist.digest import send_digests

    click.echo(f"Task digests queued: {uow.run(send_digests)}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(mail_cli)
