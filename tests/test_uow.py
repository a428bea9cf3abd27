"""One unit of work per request: hooks run only after a commit, never after a rollback."""

from __future__ import annotations

import pytest

from eventapp import uow
from eventapp.accounts.models import Council
from eventapp.extensions import db


def _add_council(name: str, ran: list[str]) -> Council:
    council = Council(name=name, area_name="Area")
    db.session.add(council)
    db.session.flush()
    uow.after_commit(lambda: ran.append(name))
    return council


def test_hooks_run_after_the_commit_in_order(app) -> None:
    ran: list[str] = []
    seen_in_hook: list[int] = []

    def service() -> Council:
        council = _add_council("One", ran)
        # A hook sees the committed row from a fresh transaction.
        uow.after_commit(lambda: seen_in_hook.append(db.session.get(Council, council.id).id))
        _add_council("Two", ran)
        return council

    council = uow.run(service)
    assert ran == ["One", "Two"]
    assert seen_in_hook == [council.id]
    assert uow.pending_hooks() == []


def test_a_service_that_raises_commits_nothing_and_runs_no_hook(app) -> None:
    ran: list[str] = []

    def service() -> None:
        _add_council("Broken", ran)
        raise ValueError("a rule was broken")

    with pytest.raises(ValueError):
        uow.run(service)
    assert ran == []
    assert db.session.scalar(db.select(Council).where(Council.name == "Broken")) is None
    uow.commit()
    assert ran == []


def test_a_rollback_drops_pending_hooks(app) -> None:
    ran: list[str] = []
    _add_council("Dropped", ran)
    db.session.rollback()
    uow.commit()
    assert ran == []


def test_a_savepoint_rollback_keeps_the_outer_transactions_hooks(app) -> None:
    ran: list[str] = []
    _add_council("Outer", ran)
    with db.session.begin_nested() as nested:
        db.session.add(Council(name="Inner", area_name="Area"))
        nested.rollback()
    uow.commit()
    assert ran == ["Outer"]


def test_a_failing_hook_does_not_stop_the_others(app, caplog) -> None:
    ran: list[str] = []

    def boom() -> None:
        raise RuntimeError("mail server down")

    def service() -> None:
        uow.after_commit(boom)
        _add_council("After", ran)

    uow.run(service)
    assert ran == ["After"]
    assert "after-commit hook failed" in caplog.text
