"""Writing messages to the outbox, and what pages need to know about them.

Services call ``enqueue`` inside their unit of work; the message is sent after commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, Protocol

from flask import current_app, render_template
from sqlalchemy import Delete, Insert, Update, bindparam, delete, func, inspect, select, update
from sqlalchemy import event as sa_event
from sqlalchemy import insert as sa_insert
from sqlalchemy.orm import Session, SessionTransaction

from eventapp import pipeline, uow
from eventapp.extensions import db
from eventapp.mail.message import (
    MAX_NAME,
    MAX_SUBJECT,
    Attachment,
    check_attachments,
    clean_address,
    display_name,
    new_message_id,
    single_line,
    split_sender,
)
from eventapp.mail.models import (
    DUE_STATES,
    Channel,
    MessageState,
    OutboxAttachment,
    OutboxMessage,
)
from eventapp.models.base import table_of, utcnow

_PENDING = "eventapp.mail.pending"


class _HasId(Protocol):
    id: Any


@dataclass(frozen=True)
class Rendered:
    """A message's content: its subject, both parts and any files sent with it."""

    subject: str
    text: str
    html: str
    attachments: tuple[Attachment, ...] = ()


def render(
    template: str, *, subject: str, attachments: Sequence[Attachment] = (), **context: Any
) -> Rendered:
    """Render ``templates/mail/<template>.txt`` and ``.html`` (autoescaped) with the context."""
    return Rendered(
        subject=single_line(subject, limit=MAX_SUBJECT),
        text=render_template(f"mail/{template}.txt", **context),
        html=render_template(f"mail/{template}.html", subject=subject, **context),
        attachments=tuple(attachments),
    )


def default_sender() -> str:
    return str(current_app.config["MAIL_DEFAULT_SENDER"])


def message_id_domain() -> str:
    configured = current_app.config.get("MAIL_MESSAGE_ID_DOMAIN")
    if configured:
        return str(configured)
    return split_sender(default_sender())[1].rpartition("@")[2] or "eventapp.local"


def enqueue(
    *,
    to: str,
    content: Rendered,
    kind: str,
    channel: Channel = Channel.EMAIL,
    name: str = "",
    council_id: int | None = None,
    event_id: int | None = None,
    related: _HasId | None = None,
    reply_to: str = "",
    sender: str | None = None,
    not_before: datetime | None = None,
) -> OutboxMessage:
    """Add one message to the current transaction; it is sent once the transaction commits.

    ``to`` must be a usable address (``BadAddressError`` otherwise); ``name``, ``subject`` and
    ``reply_to`` are flattened to one line, so nothing typed by a person can add a header.
    ``related`` is the row the message is about (its delivery state is shown beside it).
    ``content.attachments`` are stored with the message (ValueError if together they are
    larger than a message can carry), so every try sends the same files.
    """
    if channel is not Channel.EMAIL:
        raise ValueError(f"No sender exists for the {channel} channel yet")
    check_attachments(content.attachments)
    row = OutboxMessage(
        **_values(
            to=to,
            content=content,
            kind=kind,
            channel=channel,
            name=name,
            council_id=council_id,
            event_id=event_id,
            related_type=type(related).__name__.lower() if related is not None else "",
            related_id=related.id if related is not None else None,
            reply_to=reply_to,
            sender=sender,
            not_before=not_before,
        ),
        attachments=[
            OutboxAttachment(
                position=position,
                filename=file.filename,
                content_type=file.content_type,
                data=file.data,
            )
            for position, file in enumerate(content.attachments)
        ],
    )
    db.session.add(row)
    _send_after_commit(db.session(), row)
    return row


def insert_step(
    *,
    to: str,
    content: Rendered,
    kind: str,
    name: str = "",
    council_id: int | None = None,
    event_id: int | None = None,
    related_type: str = "",
    related_id: int | None = None,
) -> pipeline.Step:
    """``enqueue`` for a request on a hot path: the same row, as one Core INSERT (no
    instance, no flush at commit), to run alone or with others in one round trip
    (``eventapp.pipeline.run``); the row it returns goes to ``inserted``, whose id
    ``rewrite`` and ``withdraw`` take as they take a row. No attachments (``enqueue``
    stores those)."""
    if content.attachments:
        raise ValueError("A message with files is queued with enqueue")
    return pipeline.Step(
        _insert_statement(),
        _values(
            to=to,
            content=content,
            kind=kind,
            channel=Channel.EMAIL,
            name=name,
            council_id=council_id,
            event_id=event_id,
            related_type=related_type,
            related_id=related_id,
        ),
    )


def inserted(row: Any) -> int:
    """The id of a message written by ``insert_step``'s statement (the row it returned),
    sent (or queued for a worker) once the transaction commits."""
    message_id = int(row.id)
    _send_after_commit(db.session(), message_id)
    return message_id


@cache
def _insert_statement() -> Insert:
    """Built once; every column is bound (the compiled form is cached by SQLAlchemy)."""
    table = table_of(OutboxMessage)
    return sa_insert(table).returning(table.c.id)


@cache
def _rewrite_statement() -> Update:
    table = table_of(OutboxMessage)
    return (
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(
            subject=bindparam("b_subject"),
            body_text=bindparam("b_body_text"),
            body_html=bindparam("b_body_html"),
        )
    )


@cache
def _withdraw_statement() -> Delete:
    table = table_of(OutboxMessage)
    return delete(table).where(table.c.id == bindparam("b_id"))


def _values(
    *,
    to: str,
    content: Rendered,
    kind: str,
    channel: Channel,
    name: str,
    council_id: int | None,
    event_id: int | None,
    related_type: str,
    related_id: int | None,
    reply_to: str = "",
    sender: str | None = None,
    not_before: datetime | None = None,
) -> dict[str, Any]:
    """The columns of a new message: every header value flattened to one line."""
    now = utcnow()
    return {
        "channel": channel,
        "state": MessageState.QUEUED,
        "kind": single_line(kind, limit=40),
        "council_id": council_id,
        "event_id": event_id,
        "related_type": related_type,
        "related_id": related_id,
        "recipient": clean_address(to),
        "recipient_name": display_name(name)[:MAX_NAME],
        "sender": sender or default_sender(),
        "reply_to": single_line(reply_to, limit=320),
        "subject": single_line(content.subject, limit=MAX_SUBJECT),
        "body_text": content.text,
        "body_html": content.html,
        "message_id": new_message_id(message_id_domain()),
        "attempts": 0,
        "recoveries": 0,
        "created_at": now,
        "next_attempt_at": not_before or now,
        "last_error": "",
    }


# A message queued in the current transaction: its instance (``enqueue``) or its id (``insert``).
Queued = OutboxMessage | int


def _send_after_commit(session: Session, row: Queued) -> None:
    """Collect the transaction's new messages and register one hook that sends them all."""
    pending: list[Queued] | None = session.info.get(_PENDING)
    if pending is None:
        pending = session.info[_PENDING] = []

        def dispatch_pending() -> None:
            rows: list[Queued] = session.info.pop(_PENDING, [])
            # The identity map key holds the id: no query per row, even after commit.
            found = [row if isinstance(row, int) else _identity(row) for row in rows]
            ids = [message_id for message_id in found if message_id is not None]
            if ids:
                from eventapp.mail import jobs

                jobs.dispatch(ids)

        uow.after_commit(dispatch_pending, session=session)
    pending.append(row)


def _identity(row: OutboxMessage) -> int | None:
    identity = inspect(row).identity
    return int(identity[0]) if identity else None


def _is(queued: Queued, row: Queued) -> bool:
    if isinstance(row, int):
        return isinstance(queued, int) and queued == row
    return queued is row


def _queued_here(row: Queued) -> list[Queued]:
    """This transaction's list of new messages, which must hold ``row``."""
    pending: list[Queued] = db.session().info.get(_PENDING) or []
    if not any(_is(queued, row) for queued in pending):
        raise ValueError("Only a message queued in the current transaction can change")
    return pending


def rewrite(row: Queued, content: Rendered) -> None:
    """Give a message queued in this transaction (not yet committed, so never sent) other
    content: a service that queues an email before it knows the outcome corrects it."""
    _queued_here(row)
    if isinstance(row, int):
        if content.attachments:  # a row written by ``insert`` has none
            raise ValueError("A message with files cannot be rewritten")
        db.session.execute(
            _rewrite_statement(),
            {
                "b_id": row,
                "b_subject": single_line(content.subject, limit=MAX_SUBJECT),
                "b_body_text": content.text,
                "b_body_html": content.html,
            },
        )
        return
    if content.attachments or row.attachments:
        raise ValueError("A message with files cannot be rewritten")
    row.subject = single_line(content.subject, limit=MAX_SUBJECT)
    row.body_text = content.text
    row.body_html = content.html


def withdraw(row: Queued) -> None:
    """Take back a message queued in this transaction: it is neither stored nor sent."""
    pending = _queued_here(row)
    pending[:] = [queued for queued in pending if not _is(queued, row)]
    if isinstance(row, int):
        db.session.execute(_withdraw_statement(), {"b_id": row})
    elif inspect(row).persistent:
        db.session.delete(row)
    else:
        db.session.expunge(row)


@sa_event.listens_for(Session, "after_soft_rollback")
def _discard_pending(session: Session, previous_transaction: SessionTransaction) -> None:
    """Forget the messages of a transaction that rolled back (uow drops its hook too)."""
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)


# Queries for pages ----------------------------------------------------------------


def latest_for(related_type: str, ids: Iterable[int]) -> dict[int, OutboxMessage]:
    """The newest message about each related row, in one query."""
    wanted = list(ids)
    if not wanted:
        return {}
    newest = (
        select(func.max(OutboxMessage.id))
        .where(OutboxMessage.related_type == related_type, OutboxMessage.related_id.in_(wanted))
        .group_by(OutboxMessage.related_id)
    )
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(newest)))
    return {row.related_id: row for row in rows if row.related_id is not None}


def counts_by_state(
    *,
    council_id: int | None = None,
    event_id: int | None = None,
    kinds: Sequence[str] | None = None,
) -> dict[MessageState, int]:
    """How many messages are in each state (every state present, zero if none)."""
    query = select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
    if council_id is not None:
        query = query.where(OutboxMessage.council_id == council_id)
    if event_id is not None:
        query = query.where(OutboxMessage.event_id == event_id)
    if kinds is not None:
        query = query.where(OutboxMessage.kind.in_(list(kinds)))
    counts = dict.fromkeys(MessageState, 0)
    for state, count in db.session.execute(query):
        counts[MessageState(state)] = int(count)
    return counts


def latest_failures(*, council_id: int | None = None, limit: int = 20) -> list[OutboxMessage]:
    """The most recent messages that failed for good."""
    query = select(OutboxMessage).where(OutboxMessage.state == MessageState.FAILED)
    if council_id is not None:
        query = query.where(OutboxMessage.council_id == council_id)
    return list(db.session.scalars(query.order_by(OutboxMessage.finished_at.desc()).limit(limit)))


def recovered_count(*, council_id: int | None = None) -> int:
    """Messages a sweeper took back from a sender that stopped mid-send (possible resends)."""
    query = select(func.coalesce(func.sum(OutboxMessage.recoveries), 0))
    if council_id is not None:
        query = query.where(OutboxMessage.council_id == council_id)
    return int(db.session.scalar(query) or 0)


# Changes ---------------------------------------------------------------------------


def retry(messages: Sequence[OutboxMessage]) -> int:
    """Queue failed messages again, with a fresh set of tries; returns how many."""
    now = utcnow()
    again = [m for m in messages if m.state is MessageState.FAILED and m.purged_at is None]
    for message in again:
        message.state = MessageState.QUEUED
        message.attempts = 0
        message.next_attempt_at = now
        message.finished_at = None
        _send_after_commit(db.session(), message)
    return len(again)


def purge_related(related_type: str, ids: Iterable[int], *, reason: str) -> int:
    """Blank the personal data in every message about these rows; messages not yet sent are
    withheld. Messages in the middle of sending are left for the next purge (a sweeper
    returns them if their sender died). Returns how many messages were changed."""
    wanted = list(ids)
    if not wanted:
        return 0
    now = utcnow()
    about = (OutboxMessage.related_type == related_type) & OutboxMessage.related_id.in_(wanted)
    withheld = db.session.execute(
        update(OutboxMessage)
        .where(about, OutboxMessage.state.in_(DUE_STATES))
        .values(state=MessageState.WITHHELD, finished_at=now, last_error=single_line(reason))
        .execution_options(synchronize_session=False)
    )
    blankable = (
        about & (OutboxMessage.state != MessageState.SENDING) & OutboxMessage.purged_at.is_(None)
    )
    # Files go with the personal data: a calendar invitation names its holder.
    db.session.execute(
        delete(OutboxAttachment)
        .where(OutboxAttachment.message_id.in_(select(OutboxMessage.id).where(blankable)))
        .execution_options(synchronize_session=False)
    )
    blanked = db.session.execute(
        update(OutboxMessage)
        .where(blankable)
        .values(recipient="", recipient_name="", body_text="", body_html="", purged_at=now)
        .execution_options(synchronize_session=False)
    )
    return max(int(withheld.rowcount), int(blanked.rowcount))  # type: ignore[attr-defined]
