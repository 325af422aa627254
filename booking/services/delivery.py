"""Delivery of the outbox: after the commit, outside the request.

The notify hooks only add OutboxMessage rows to the service's transaction.
When that transaction commits, SQLAlchemy's after_commit event hands the new
message ids to the dispatcher, chosen by NOTIFY_DELIVERY:

- "rq": an RQ job on the `outbox` queue (`rq worker outbox`);
- "thread": one background thread of this process;
- "inline": right away in the committing thread (tests, commands);
- "cron": nothing after the commit; `flask --app booking send-outbox` sends.
"auto" (the default) is "rq" with REDIS_URL set, "thread" otherwise.

Whatever the dispatcher, a slow or dead gateway never slows or breaks the
request, and nothing is lost: a message the transport refused stays pending
with a back-off and `send-outbox` (cron, every minute) takes it again."""
import contextlib
import contextvars
import logging
import queue as queue_module
import smtplib
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session as OrmSession

from booking.extensions import db
from booking.models import OutboxMessage, utcnow
from booking.services.sms import KannelSender

log = logging.getLogger("instap.outbox")

# Minutes to wait before the 2nd, 3rd, ... attempt; then the message is failed.
BACKOFF_MINUTES = (1, 5, 15, 60, 240)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
# A message being sent is claimed for this long, so that a second deliverer
# (the cron next to the thread) never sends it twice.
CLAIM_MINUTES = 5
NEW_IDS = "instap_new_outbox_ids"


# Senders ------------------------------------------------------------------

class LogSender:
    """Writes e-mails to the log: development without a mail server."""

    name = "log"

    def send(self, message: OutboxMessage) -> str:
        # Which message, never to whom or what it says: logs are kept and
        # copied where the purge does not reach (issue 12). The outbox page
        # shows the message itself to staff.
        log.info("%s message %s (%s) written to the log sender, not delivered",
                 message.channel, message.id, message.event)
        return "sent"


class SmtpSender:
    name = "smtp"

    def __init__(self, config):
        self.config = config

    def send(self, message: OutboxMessage) -> str:
        email = EmailMessage()
        email["From"] = self.config.get("MAIL_DEFAULT_SENDER", "instap@localhost")
        email["To"] = message.recipient
        email["Subject"] = message.subject
        email.set_content(message.body)
        if message.attachment:
            email.add_attachment(
                message.attachment.encode(), maintype="text", subtype="calendar",
                filename=message.attachment_name or "invite.ics",
            )
        port = int(self.config.get("MAIL_PORT", 25))
        timeout = float(self.config["MAIL_TIMEOUT_SECONDS"])
        with smtplib.SMTP(self.config["MAIL_SERVER"], port, timeout=timeout) as smtp:
            if self.config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if self.config.get("MAIL_USERNAME"):
                smtp.login(self.config["MAIL_USERNAME"], self.config.get("MAIL_PASSWORD", ""))
            smtp.send_message(email)
        return "sent"


def sender_for(channel: str):
    """NOTIFY_SENDER (an object with .send, for plug-ins and tests) wins; an
    SMS goes to Kannel when SMS_KANNEL_URL is set and waits otherwise (None);
    an e-mail goes to MAIL_SERVER, or to the log in development."""
    config = current_app.config
    if config.get("NOTIFY_SENDER") is not None:
        return config["NOTIFY_SENDER"]
    if channel == "sms":
        return KannelSender(config) if config.get("SMS_KANNEL_URL") else None
    if config.get("MAIL_SERVER"):
        return SmtpSender(config)
    return LogSender()


def sms_set_up() -> bool:
    config = current_app.config
    return bool(config.get("SMS_KANNEL_URL") or config.get("NOTIFY_SENDER") is not None)


# Sending ------------------------------------------------------------------

def deliver(ids=None, *, retry_failed: bool = False, limit: int = 500,
            now: datetime | None = None) -> dict:
    """Send the given messages (or every one that is due) and count the
    outcome. Messages are claimed in batches (one short transaction), sent
    by a few threads (the gateway's answer is most of the time), and their
    outcomes recorded together; two deliverers never send one twice, and a
    failure never loses another message."""
    now = now or utcnow()
    statuses = ("pending", "failed") if retry_failed else ("pending",)
    statement = select(OutboxMessage.id, OutboxMessage.channel).where(
        OutboxMessage.status.in_(statuses)).order_by(OutboxMessage.id).limit(limit)
    if ids is not None:
        statement = statement.where(OutboxMessage.id.in_(list(ids)))
    if not retry_failed:
        statement = statement.where(OutboxMessage.attempts < MAX_ATTEMPTS)
    counts = {"sent": 0, "accepted": 0, "retrying": 0, "failed": 0, "waiting": 0}
    senders, sendable = {}, []
    for message_id, channel in db.session.execute(statement).all():
        if channel not in senders:
            senders[channel] = sender_for(channel)
        if senders[channel] is None:  # no SMS gateway set up: the SMS waits for one
            counts["waiting"] += 1
        else:
            sendable.append(message_id)
    db.session.commit()
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy's app
    for start in range(0, len(sendable), BATCH):
        messages = _claim(sendable[start:start + BATCH], statuses, now, force=retry_failed)
        outcomes = _send_all(app, [(m, senders[m.channel]) for m in messages])
        for message, (status, error) in zip(messages, outcomes):
            _record(message, status, error, now, counts)
        db.session.commit()
    return counts


# Messages claimed (and committed) at once, and threads that send them.
BATCH = 50
SENDING_THREADS = 4


def _claim(message_ids, statuses, now: datetime, *, force: bool) -> list[OutboxMessage]:
    """Take the messages for one attempt each, except those another
    deliverer has: the lease in next_attempt_at keeps them ours."""
    due = or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now)
    if force:  # staff asked for it now: the back-off and the failed state give way
        due = or_(due, OutboxMessage.status == "failed", OutboxMessage.last_error.is_not(None))
    claimed = db.session.scalars(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(message_ids), OutboxMessage.status.in_(statuses), due)
        .values(status="pending", attempts=OutboxMessage.attempts + 1,
                next_attempt_at=now + timedelta(minutes=CLAIM_MINUTES))
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    if not claimed:
        return []
    return list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.id.in_(claimed)).order_by(OutboxMessage.id)
        .execution_options(populate_existing=True)
    ).all())


def _send_all(app, pairs):
    """(status, error) per message; the senders touch no database."""
    def attempt(pair):
        message, sender = pair
        with app.app_context():
            try:
                return sender.send(message) or "sent", None
            except Exception as error:  # any transport error: keep the message, try later
                return None, f"{type(error).__name__}: {error}"[:500]

    if len(pairs) <= 1:
        return [attempt(pair) for pair in pairs]
    with ThreadPoolExecutor(max_workers=SENDING_THREADS) as pool:
        return list(pool.map(attempt, pairs))


def _record(message: OutboxMessage, status, error, now, counts):
    if error is not None:
        message.last_error = error
        if message.attempts >= MAX_ATTEMPTS:
            message.status, message.next_attempt_at = "failed", None
            counts["failed"] += 1
        else:
            message.status = "pending"
            message.next_attempt_at = now + timedelta(minutes=BACKOFF_MINUTES[message.attempts - 1])
            counts["retrying"] += 1
        log.warning("outbox message %s not sent (attempt %s): %s", message.id,
                    message.attempts, error)
        return
    # Only while still pending: Kannel's delivery report may have come (and
    # said delivered) before the gateway's own answer was recorded.
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.status == "pending")
        .values(status=status, sent_at=utcnow(), next_attempt_at=None, last_error=None)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(message)
    counts[status if status in counts else "sent"] += 1


# After the commit -----------------------------------------------------------

_inline_here = contextvars.ContextVar("instap_deliver_inline", default=False)


@contextlib.contextmanager
def inline():
    """Deliver what commits in this block right away, in this thread: a
    command that ends when it is done cannot leave it to a thread."""
    token = _inline_here.set(True)
    try:
        yield
    finally:
        _inline_here.reset(token)


@event.listens_for(OrmSession, "after_flush")
def _collect_new_messages(session, _flush_context):
    new = [o.id for o in session.new if isinstance(o, OutboxMessage)]
    if new:
        session.info.setdefault(NEW_IDS, []).extend(new)


@event.listens_for(OrmSession, "after_rollback")
def _forget_new_messages(session):
    session.info.pop(NEW_IDS, None)


@event.listens_for(OrmSession, "after_commit")
def _dispatch_new_messages(session):
    ids = session.info.pop(NEW_IDS, None)
    if not ids:
        return
    try:
        app = current_app._get_current_object()
    except RuntimeError:  # a session outside the app: send-outbox takes them later
        return
    mode = dispatch_mode(app)
    if _inline_here.get():
        mode = "inline"
    if mode == "inline":
        _deliver_in_fresh_context(app, ids)
    elif mode == "thread":
        _thread_for(app).submit(ids)
    elif mode == "rq":
        _enqueue(app, ids)


def dispatch_mode(app) -> str:
    mode = app.config["NOTIFY_DELIVERY"]
    if mode == "auto":
        return "rq" if app.config.get("REDIS_URL") else "thread"
    if mode not in ("rq", "thread", "inline", "cron"):
        raise ValueError(f"NOTIFY_DELIVERY must be auto, rq, thread, inline or cron, not {mode!r}")
    return mode


def _deliver_in_fresh_context(app, ids):
    """A new application context has a database session of its own: the
    committing session cannot run SQL inside its own after_commit."""
    with app.app_context():
        try:
            deliver(ids)
        except Exception:  # the messages stay pending; send-outbox takes them
            log.exception("delivering outbox messages %s failed", ids)
            db.session.rollback()
        finally:
            db.session.remove()


class _DeliveryThread:
    """One background thread per process that delivers what was committed."""

    def __init__(self, app):
        self.app = app
        self.ids = queue_module.SimpleQueue()
        self.thread = threading.Thread(target=self._run, name="instap-outbox", daemon=True)
        self.thread.start()

    def submit(self, ids):
        self.ids.put(list(ids))

    def _run(self):
        while True:
            ids = self.ids.get()
            _deliver_in_fresh_context(self.app, ids)


_threads_lock = threading.Lock()


def _thread_for(app) -> _DeliveryThread:
    with _threads_lock:
        thread = app.extensions.get("instap_outbox_thread")
        if thread is None:
            thread = app.extensions["instap_outbox_thread"] = _DeliveryThread(app)
        return thread


def _enqueue(app, ids):
    from redis import Redis
    from redis.exceptions import RedisError
    from rq import Queue

    try:
        Queue("outbox", connection=Redis.from_url(app.config["REDIS_URL"])).enqueue(
            "booking.services.delivery.run_delivery_job", list(ids))
    except RedisError as error:  # the messages stay pending; send-outbox takes them
        log.warning("could not queue outbox messages %s: %s", ids, error)


def run_delivery_job(ids):
    """The RQ job: `rq worker outbox` with the site's FLASK_* environment."""
    from booking import create_app

    app = create_app()
    with app.app_context():
        try:
            return deliver(ids)
        finally:
            db.session.remove()
            db.engine.dispose()
