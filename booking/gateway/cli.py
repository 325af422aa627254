"""flask --app booking send-outbox | send-reminders (both for cron)."""
import click
from flask import current_app

from booking.services import delivery, texting


def init_app(app):
    app.cli.add_command(send_outbox)
    app.cli.add_command(send_reminders)


def _summary(counts: dict) -> str:
    text = (f"Sent {counts['sent'] + counts['accepted']}, failed {counts['failed']}, "
            f"to retry later {counts['retrying']}.")
    if counts["waiting"]:
        text += f" {counts['waiting']} SMS wait: no SMS gateway is set up (SMS_KANNEL_URL)."
    return text


@click.command("send-outbox")
@click.option("--retry-failed/--pending-only", default=False,
              help="Also send again messages that failed for good (default: pending only).")
@click.option("--limit", default=500, show_default=True)
def send_outbox(retry_failed, limit):
    """Send the outbox's pending messages that are due (cron: every minute)."""
    click.echo(_summary(delivery.deliver(retry_failed=retry_failed, limit=limit)))


@click.command("send-reminders")
@click.option("--hours", type=float, default=None,
              help="Remind sessions starting within this many hours (REMINDER_HOURS).")
def send_reminders(hours):
    """One SMS reminder per confirmed booking with a phone, however often it runs."""
    hours = current_app.config["REMINDER_HOURS"] if hours is None else hours
    with delivery.inline():
        queued = texting.send_reminders(hours=hours)
    click.echo(f"Queued {queued} reminder(s).")
