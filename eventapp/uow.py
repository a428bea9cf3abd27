"""One unit of work per request: services flush, the caller commits once, then hooks run.

Services add rows and call ``after_commit(fn)`` for anything that must happen only once the
change is safely stored (queueing a job, sending the mail an outbox row describes). Routes
call ``run(service, ...)`` or ``commit()``; nothing else commits. A rolled-back transaction
drops its hooks, so a failed request never sends mail for a change that was not saved.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session, SessionTransaction

from eventapp.extensions import db

P = ParamSpec("P")
R = TypeVar("R")

_PENDING = "eventapp.uow.pending"
_COMMITTED = "eventapp.uow.committed"

log = logging.getLogger("eventapp.uow")

Hook = Callable[[], None]


def after_commit(hook: Hook, *, session: Session | None = None) -> None:
    """Run ``hook`` once the current transaction commits; it is dropped if it rolls back."""
    target = session if session is not None else db.session()
    target.info.setdefault(_PENDING, []).append(hook)


@sa_event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    # A savepoint's release also fires "after_commit", but the work is stored only when the
    # outermost transaction commits: until then a rollback must still drop the hooks.
    if session.in_nested_transaction():
        return
    pending = session.info.pop(_PENDING, [])
    if pending:
        session.info.setdefault(_COMMITTED, []).extend(pending)


@sa_event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    # Only the outermost transaction's rollback discards the work the hooks describe.
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)


def run_hooks(session: Session | None = None) -> int:
    """Run every hook whose transaction has committed, in the order they were added.

    A hook that fails is logged and does not stop the others: the change it follows is
    already stored, and whatever the hook does (a job, a message) must be retryable anyway.
    """
    target = session if session is not None else db.session()
    ran = 0
    while target.info.get(_COMMITTED):
        hook = target.info[_COMMITTED].pop(0)
        try:
            hook()
        except Exception:
            log.exception("An after-commit hook failed: %r", hook)
            target.rollback()
        ran += 1
    return ran


def commit() -> None:
    """Commit the unit of work, then run its after-commit hooks."""
    session = db.session()
    session.commit()
    run_hooks(session)


def run(service: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Call a service as the unit of work: commit once if it returns, roll back if it raises."""
    try:
        result = service(*args, **kwargs)
    except BaseException:
        db.session.rollback()
        raise
    commit()
    return result


def single_statement() -> None:
    """This request writes at most one statement, atomic on its own: on PostgreSQL its
    statements run without BEGIN and COMMIT (autocommit), two round trips fewer.

    Call it before the request's first query. Only for a request whose one write is a single
    statement on PostgreSQL (``commit`` then has nothing left to do): two writes would no
    longer be stored or dropped together. SQLite keeps its transaction (the same write may
    be two statements there), and so does a session already in one.
    """
    session = db.session()
    if session.in_transaction() or session.get_bind().dialect.name != "postgresql":
        return
    session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def rollback() -> None:
    """Give up the unit of work: nothing it wrote (or locked) is kept, its hooks are dropped."""
    db.session.rollback()


def pending_hooks() -> list[Any]:
    """The hooks waiting for the current transaction to commit (for tests)."""
    return list(db.session().info.get(_PENDING, []))


def expire_if_loaded(model: type[Any], ident: int) -> None:
    """A row this request changed by a Core statement: expire the session's copy, if it
    holds one, so whatever reads it next reads it as stored."""
    loaded = db.session.identity_map.get(db.session.identity_key(model, ident))
    if loaded is not None:
        db.session.expire(loaded)
