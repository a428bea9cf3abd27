"""One unit of work per request: hooks run only after a commit, never after a rollback."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from eventapp import uow
from eventapp.accounts.models import Council
from eventapp.errors import DomainError
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.objectives import services as objective_services
from eventapp.objectives.models import Objective


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


def test_a_released_savepoint_does_not_run_hooks_before_the_outer_commit(app) -> None:
    ran: list[str] = []

    def service() -> None:
        with db.session.begin_nested():
            _add_council("Inner", ran)
        assert uow.pending_hooks(), "the hook waits for the outer transaction"
        raise ValueError("the outer unit of work fails after the savepoint was released")

    with pytest.raises(ValueError):
        uow.run(service)
    uow.commit()
    assert ran == []

    # Released and then committed: the hook runs once, after the commit.
    def saved() -> None:
        with db.session.begin_nested():
            _add_council("Kept", ran)

    uow.run(saved)
    assert ran == ["Kept"]


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


# Routes -----------------------------------------------------------------------------

# Only these may commit: the unit of work itself, command-line tools outside requests, and
# the mail worker (a job, not a request: each claim and each batch of outcomes is its own).
MAY_COMMIT = (
    "eventapp/uow.py", "eventapp/demo.py", "eventapp/*/cli.py", "eventapp/mail/delivery.py",
)
ROOT = Path(__file__).resolve().parents[1]


def _commits_in(path: Path) -> list[str]:
    """Every call that would end a transaction by hand: ``x.commit()`` or ``x.begin()``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("commit", "begin")
            and not (isinstance(node.func.value, ast.Name) and node.func.value.id == "uow")
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node)}")
    return found


def test_only_the_unit_of_work_commits() -> None:
    """Routes and services never commit by hand: a request commits once, through uow."""
    allowed = {p for pattern in MAY_COMMIT for p in ROOT.glob(pattern)}
    modules = sorted((ROOT / "eventapp").rglob("*.py"))
    assert len(modules) > 40
    offending = [line for path in modules if path not in allowed for line in _commits_in(path)]
    assert offending == [], "commit through eventapp.uow instead:\n" + "\n".join(offending)


def test_the_commit_check_can_fail(tmp_path: Path) -> None:
    module = tmp_path / "routes.py"
    module.write_text("def view():\n    db.session.commit()\n    uow.commit()\n")
    assert [line.split(" ", 1)[1] for line in _commits_in_any(module)] == ["db.session.commit()"]


def _commits_in_any(path: Path) -> list[str]:
    global ROOT
    saved, ROOT = ROOT, path.parent
    try:
        return _commits_in(path)
    finally:
        ROOT = saved


class _Hooked:
    """Wraps a service so that it registers an after-commit hook, then optionally fails."""

    def __init__(self, service: Callable[..., Objective], fail: Exception | None = None) -> None:
        self.service = service
        self.fail = fail
        self.seen: list[str | None] = []

    def __call__(self, **kwargs: object) -> Objective:
        objective = self.service(**kwargs)
        objective_id = objective.id

        def hook() -> None:
            # Read on another connection: the hook sees what the request has committed.
            with db.engine.connect() as conn:
                query = select(Objective.statement).where(Objective.id == objective_id)
                self.seen.append(conn.scalar(query))

        uow.after_commit(hook)
        if self.fail is not None:
            raise self.fail
        return objective


def _statements() -> list[str]:
    with db.engine.connect() as conn:
        return list(conn.scalars(select(Objective.statement)))


def test_a_services_hook_runs_once_the_request_has_committed(
    signed_in: FlaskClient, make_event: Callable[..., Event], monkeypatch: pytest.MonkeyPatch
) -> None:
    event = make_event()
    hooked = _Hooked(objective_services.add_objective)
    monkeypatch.setattr(objective_services, "add_objective", hooked)
    response = signed_in.post(
        f"/events/{event.id}/objectives/new", data={"statement": "Reach 15 schools"}
    )
    assert response.status_code == 302
    assert hooked.seen == ["Reach 15 schools"]


@pytest.mark.parametrize(
    ("failure", "status"),
    [
        (DomainError("Enter a clearer statement", field="statement"), 200),
        (RuntimeError("the service broke after writing"), 500),
    ],
    ids=["rule broken: form shown again", "unexpected error"],
)
def test_a_services_hook_does_not_run_when_the_request_fails(
    failure: Exception,
    status: int,
    signed_in: FlaskClient,
    make_event: Callable[..., Event],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    event = make_event()
    hooked = _Hooked(objective_services.add_objective, fail=failure)
    monkeypatch.setattr(objective_services, "add_objective", hooked)
    response = signed_in.post(
        f"/events/{event.id}/objectives/new", data={"statement": "Reach 15 schools"}
    )
    assert response.status_code == status
    assert hooked.seen == []
    assert _statements() == []
    if status == 200:
        assert "Enter a clearer statement" in response.get_data(as_text=True)
    # The next request's unit of work runs its own hook, never the failed request's.
    hooked.fail = None
    signed_in.post(f"/events/{event.id}/objectives/new", data={"statement": "Another"})
    assert hooked.seen == ["Another"]
    assert _statements() == ["Another"]
