"""Generating and keeping the checklist in step with its event; task changes; queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from eventapp.accounts import services as account_services
from eventapp.accounts.models import AuditEntry, Role, User
from eventapp.checklist import services
from eventapp.checklist.models import ChecklistTask, TaskStatus
from eventapp.checklist.template import TECH_RUN, due_on, tasks_for
from eventapp.checklist.weeks import due_date
from eventapp.errors import DomainError
from eventapp.events.models import Event, EventFormat
from eventapp.extensions import db
from eventapp.formats.services import record_decision
from tests.checklist.conftest import days_ahead, save, tasks_of

MakeEvent = Callable[..., Event]
NOW = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)


def audit_actions(event: Event) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.council_id == event.council_id, AuditEntry.action.like("checklist.%"))
            .order_by(AuditEntry.id)
        )
    )


# Generation -----------------------------------------------------------------------------


@pytest.mark.timezone_sensitive
def test_creating_an_event_with_a_date_generates_its_checklist(
    make_event: MakeEvent, organiser: User
) -> None:
    event = make_event()
    tasks = tasks_of(event)
    planned = tasks_for(home_office_speaking=False, online=False)
    assert set(tasks) == {p.key for p in planned}
    day = services.event_day(event)
    assert day is not None
    for p in planned:
        task = tasks[p.key]
        assert (task.week, task.title, task.optional) == (p.week, p.title, p.optional)
        assert task.due_on == due_on(day, p.week, p.key)
        assert task.status is TaskStatus.TODO and task.owner_id is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "checklist.sync"))
    assert entry is not None and entry.user_id == organiser.id and entry.object_id == event.id


def test_no_checklist_without_a_date_until_one_is_set(make_event: MakeEvent, organiser: User) -> None:
    event = make_event(day=None, start=None, end=None)
    assert tasks_of(event) == {}
    assert services.progress(event) == services.Progress(0, 0, 0)
    save(event, organiser, day=days_ahead(40), start=datetime.min.time().replace(hour=18),
         end=datetime.min.time().replace(hour=20))
    assert "invitations" in tasks_of(event)


def test_sync_is_idempotent(make_event: MakeEvent, organiser: User) -> None:
    event = make_event()
    before = {k: (t.id, t.due_on) for k, t in tasks_of(event).items()}
    assert not services.sync_checklist(event, organiser)
    save(event, organiser, title="A new title")
    assert {k: (t.id, t.due_on) for k, t in tasks_of(event).items()} == before
    assert audit_actions(event) == ["checklist.sync"]


@pytest.mark.timezone_sensitive
def test_moving_the_date_moves_only_unfinished_tasks(
    make_event: MakeEvent, organiser: User, colleague: User
) -> None:
    event = make_event(day=days_ahead(40))
    tasks = tasks_of(event)
    services.set_status(task=tasks["chair"], actor=colleague, status=TaskStatus.DONE, now=NOW)
    services.set_status(task=tasks["clearance"], actor=organiser, status=TaskStatus.NOT_NEEDED,
                        now=NOW)
    own = services.add_task(event=event, actor=organiser, title="Print badges", week=3)
    db.session.commit()
    old = {k: t.due_on for k, t in tasks_of(event).items()}

    save(event, organiser, day=days_ahead(47))

    moved = tasks_of(event)
    for key, task in moved.items():
        if key in ("chair", "clearance"):
            assert task.due_on == old[key]
        else:
            assert task.due_on == old[key] + timedelta(days=7), key
            assert task.due_on == due_on(services.event_day(event), task.week, key)
    assert moved["chair"].completed_by_id == colleague.id
    assert moved["chair"].completed_at == NOW
    assert moved["clearance"].status is TaskStatus.NOT_NEEDED
    assert moved["Print badges"].id == own.id


def test_home_office_speaking_swaps_the_notification_for_the_home_office_steps(
    make_event: MakeEvent, organiser: User
) -> None:
    event = make_event()
    assert "ho_notify" in tasks_of(event)

    save(event, organiser, home_office_speaking=True)
    tasks = tasks_of(event)
    assert {"ho_date", "ho_draft_list", "ho_numbers", "ho_brief_officials", "ho_slides"} <= set(tasks)
    removed = tasks_of(event, removed=True)
    assert set(removed) == {"ho_notify"}
    assert removed["ho_notify"].removed_by_id is None

    services.set_status(task=tasks["ho_date"], actor=organiser, status=TaskStatus.DONE)
    db.session.commit()
    save(event, organiser, home_office_speaking=False)
    tasks = tasks_of(event)
    # The notification comes back; the finished Home Office step keeps its history.
    assert "ho_notify" in tasks and tasks["ho_date"].status is TaskStatus.DONE
    assert set(tasks_of(event, removed=True)) == {
        "ho_draft_list", "ho_numbers", "ho_brief_officials", "ho_slides"
    }


def test_the_slides_stay_due_the_day_before_when_the_event_moves(
    make_event: MakeEvent, organiser: User
) -> None:
    event = make_event(home_office_speaking=True, day=days_ahead(40))

    save(event, organiser, day=days_ahead(47))

    task = tasks_of(event)["ho_slides"]
    assert task.due_on == days_ahead(46)
    services.set_status(task=task, actor=organiser, status=TaskStatus.DONE, now=NOW)
    services.set_status(task=task, actor=organiser, status=TaskStatus.TODO, now=NOW)
    assert task.due_on == days_ahead(46)


def test_deciding_online_moves_the_slides_and_adds_virtual_tasks(
    make_event: MakeEvent, organiser: User
) -> None:
    event = make_event(home_office_speaking=True)
    day = services.event_day(event)
    assert day is not None
    assert tasks_of(event)["ho_slides"].week == 4
    # "24 hours prior to event": the slides are due the day before, not on the day.
    assert tasks_of(event)["ho_slides"].due_on == day - timedelta(days=1)
    record_decision(event=event, actor=organiser, pros=[], chosen=EventFormat.ONLINE,
                    rationale="Reach", actions=["platform", "tech_run", "qa"])
    db.session.commit()
    tasks = tasks_of(event)
    assert (tasks["ho_slides"].week, tasks["ho_slides"].due_on) == (3, due_date(day, 3))
    assert tasks["event"].due_on == day
    assert {k for k in tasks if k.startswith("virtual_")} == {
        "virtual_platform", "virtual_qa", TECH_RUN
    }
    assert tasks[TECH_RUN].week == 4 and tasks["virtual_platform"].due_on == due_date(day, 2)

    record_decision(event=event, actor=organiser, pros=[], chosen=EventFormat.IN_PERSON,
                    rationale="Nuance", actions=[])
    db.session.commit()
    tasks = tasks_of(event)
    assert tasks["ho_slides"].week == 4
    assert not [k for k in tasks if k.startswith("virtual_")]


# Status, owner, note ------------------------------------------------------------------


def test_status_changes_record_who_and_when(
    make_event: MakeEvent, organiser: User, colleague: User
) -> None:
    task = tasks_of(make_event())["chair"]
    assert services.set_status(task=task, actor=organiser, status=TaskStatus.DONE, now=NOW)
    assert (task.status, task.completed_by_id, task.completed_at) == (
        TaskStatus.DONE, organiser.id, NOW
    )
    later = NOW + timedelta(hours=2)
    services.set_status(task=task, actor=colleague, status=TaskStatus.NOT_NEEDED, now=later)
    assert (task.completed_by_id, task.completed_at) == (colleague.id, later)
    assert not services.set_status(task=task, actor=organiser, status=TaskStatus.NOT_NEEDED)
    services.set_status(task=task, actor=organiser, status=TaskStatus.TODO)
    db.session.commit()
    assert (task.status, task.completed_by_id, task.completed_at) == (TaskStatus.TODO, None, None)
    assert audit_actions(task.event).count("checklist.status") == 3


def test_owner_must_be_an_active_planner_of_the_same_council(
    make_event: MakeEvent,
    organiser: User,
    colleague: User,
    outsider: User,
    make_user: Callable[..., User],
) -> None:
    task = tasks_of(make_event())["chair"]
    admin = make_user(Role.ADMIN, council=organiser.council)
    leaver = make_user(Role.ORGANISER, council=organiser.council)
    account_services.set_active(user=leaver, active=False)
    for stranger in (outsider, admin, leaver):
        with pytest.raises(DomainError) as error:
            services.set_owner(task=task, actor=organiser, owner_id=stranger.id)
        assert error.value.field == "owner"
        assert task.owner_id is None
    with pytest.raises(DomainError):
        services.set_owner(task=task, actor=organiser, owner_id=999_999)
    assert services.set_owner(task=task, actor=organiser, owner_id=colleague.id)
    assert task.owner_id == colleague.id
    assert services.set_owner(task=task, actor=organiser, owner_id=None)
    assert task.owner_id is None


def test_update_task_checks_the_owner_before_changing_anything(
    make_event: MakeEvent, organiser: User, outsider: User
) -> None:
    task = tasks_of(make_event())["chair"]
    with pytest.raises(DomainError):
        services.update_task(task=task, actor=organiser, status=TaskStatus.DONE,
                             owner_id=outsider.id, note="Asked the deputy leader")
    assert (task.status, task.note, task.owner_id) == (TaskStatus.TODO, "", None)
    services.update_task(task=task, actor=organiser, status=TaskStatus.DONE, owner_id=organiser.id,
                         note="  Asked the deputy leader ")
    assert (task.status, task.note, task.owner_id) == (TaskStatus.DONE, "Asked the deputy leader",
                                                       organiser.id)


def test_a_deactivated_owner_does_not_block_other_changes(
    make_event: MakeEvent, organiser: User, colleague: User
) -> None:
    task = tasks_of(make_event())["chair"]
    services.set_owner(task=task, actor=organiser, owner_id=colleague.id)
    account_services.set_active(user=colleague, active=False)
    services.update_task(task=task, actor=organiser, status=TaskStatus.DONE,
                         owner_id=colleague.id, note="")
    assert task.status is TaskStatus.DONE and task.owner_id == colleague.id


# Own tasks, remove and restore ---------------------------------------------------------


@pytest.mark.timezone_sensitive
def test_own_task_is_due_at_the_end_of_its_week(make_event: MakeEvent, organiser: User) -> None:
    event = make_event()
    day = services.event_day(event)
    assert day is not None
    task = services.add_task(event=event, actor=organiser, title="  Book a signer ", week=2,
                             description="BSL", owner_id=organiser.id)
    assert (task.template_key, task.title, task.week, task.due_on, task.owner_id) == (
        None, "Book a signer", 2, due_date(day, 2), organiser.id
    )
    assert "checklist.add" in audit_actions(event)


@pytest.mark.parametrize(
    ("title", "week", "field"),
    [("", 2, "title"), ("   ", 2, "title"), ("x" * 301, 2, "title"), ("Badges", 0, "week"),
     ("Badges", 6, "week"), ("Badges", None, "week")],
)
def test_own_task_rules(
    make_event: MakeEvent, organiser: User, title: str, week: int | None, field: str
) -> None:
    with pytest.raises(DomainError) as error:
        services.add_task(event=make_event(), actor=organiser, title=title, week=week)
    assert error.value.field == field


def test_no_own_task_without_a_date(make_event: MakeEvent, organiser: User) -> None:
    with pytest.raises(DomainError, match="Set the date"):
        services.add_task(event=make_event(day=None, start=None, end=None), actor=organiser,
                          title="Badges", week=2)


def test_remove_and_restore(make_event: MakeEvent, organiser: User) -> None:
    event = make_event()
    task = tasks_of(event)["prevent_staff"]
    total = services.progress(event).total
    assert services.remove_task(task=task, actor=organiser, now=NOW)
    assert (task.removed_at, task.removed_by_id) == (NOW, organiser.id)
    assert services.progress(event).total == total - 1
    # A person's removal stands when the event is saved again.
    db.session.commit()
    save(event, organiser, title="Renamed")
    assert "prevent_staff" in tasks_of(event, removed=True)
    assert services.restore_task(task=task, actor=organiser) is False
    assert task.removed_at is None and task.template_key == "prevent_staff"
    assert services.progress(event).total == total
    assert audit_actions(event)[-2:] == ["checklist.remove", "checklist.restore"]


def test_restoring_a_step_that_no_longer_applies_keeps_it_as_an_own_task(
    make_event: MakeEvent, organiser: User
) -> None:
    event = make_event(home_office_speaking=True)
    save(event, organiser, home_office_speaking=False)
    task = tasks_of(event, removed=True)["ho_numbers"]
    assert services.restore_task(task=task, actor=organiser) is True
    db.session.commit()
    assert task.template_key is None
    save(event, organiser, title="Saved again")
    assert task.removed_at is None
    # When the step applies again it is the same task, not a second copy.
    save(event, organiser, home_office_speaking=True)
    tasks = tasks_of(event)
    assert tasks["ho_numbers"].id == task.id
    assert sum(t.title == task.title for t in tasks.values()) == 1


# Progress and late starts ---------------------------------------------------------------


@pytest.mark.timezone_sensitive
def test_progress_counts_done_and_not_needed_and_overdue(
    make_event: MakeEvent, organiser: User
) -> None:
    event = make_event(day=days_ahead(40))
    tasks = tasks_of(event)
    total = len(tasks)
    services.set_status(task=tasks["chair"], actor=organiser, status=TaskStatus.DONE)
    services.set_status(task=tasks["venue"], actor=organiser, status=TaskStatus.NOT_NEEDED)
    services.remove_task(task=tasks["prevent_staff"], actor=organiser)
    services.remove_task(task=tasks["clearance"], actor=organiser)
    day = services.event_day(event)
    assert day is not None
    assert services.progress(event) == services.Progress(done=2, total=total - 2, overdue=0)
    # The day after week 2 ends, its unfinished tasks and week 1's are overdue: ho_notify,
    # invitations and questions_feedback; not chair (done), venue (not needed) or the removed.
    later = services.progress(event, today=due_date(day, 2) + timedelta(days=1))
    assert later.overdue == 3
    assert later.summary == f"2 of {total - 2} done, 3 overdue"
    assert services.Progress(7, 14, 0).summary == "7 of 14 done"


@pytest.mark.timezone_sensitive
def test_late_start_ten_days_ahead(make_event: MakeEvent, organiser: User) -> None:
    event = make_event(day=days_ahead(10))
    today = services.london_today()
    late = services.late_start_warnings(event, today)
    assert late.invitations_late and late.warning == services.INVITATIONS_LATE
    overdue = {t.template_key for t in late.overdue}
    tasks = tasks_of(event)
    assert overdue == {k for k, t in tasks.items() if t.week in (1, 2)}
    assert all(t.due_on < today for t in late.overdue)
    assert [t.due_on for t in late.overdue] == sorted(t.due_on for t in late.overdue)

    services.set_status(task=tasks["invitations"], actor=organiser, status=TaskStatus.DONE)
    late = services.late_start_warnings(event, today)
    assert not late.invitations_late
    assert "invitations" not in {t.template_key for t in late.overdue}


@pytest.mark.timezone_sensitive
@pytest.mark.parametrize(
    ("days_before", "late"),
    [(20, False), (14, False), (13, True), (1, True), (0, True), (-1, False)],
)
def test_invitations_warning_starts_the_day_after_two_weeks_before(
    make_event: MakeEvent, days_before: int, late: bool
) -> None:
    event = make_event(day=days_ahead(30))
    day = services.event_day(event)
    assert day is not None
    today = day - timedelta(days=days_before)
    assert services.late_start_warnings(event, today).invitations_late is late


def test_no_warnings_without_a_date(make_event: MakeEvent) -> None:
    assert not services.late_start_warnings(make_event(day=None, start=None, end=None))


# My tasks -------------------------------------------------------------------------------


@pytest.mark.timezone_sensitive
def test_my_tasks_orders_to_do_first_flags_overdue_and_stays_in_the_council(
    make_event: MakeEvent,
    organiser: User,
    colleague: User,
    outsider: User,
    make_user: Callable[..., User],
    count_queries: Callable,
) -> None:
    soon = make_event(day=days_ahead(10), title="Soon")
    later = make_event(day=days_ahead(60), title="Later")
    other_council = make_event(actor=outsider, title="Elsewhere")
    a, b = tasks_of(soon), tasks_of(later)
    for task in (a["chair"], a["chase"], b["invitations"], b["event"], a["venue"], a["event"]):
        services.set_owner(task=task, actor=organiser, owner_id=colleague.id)
    services.set_owner(task=b["chair"], actor=organiser, owner_id=organiser.id)
    services.set_status(task=a["venue"], actor=colleague, status=TaskStatus.DONE)
    services.remove_task(task=a["event"], actor=organiser)
    # Even a task wrongly given to someone outside its council never shows.
    tasks_of(other_council)["chair"].owner_id = colleague.id
    db.session.commit()

    user_id = colleague.id
    with count_queries() as counted:
        user = db.session.get(User, user_id)
        loaded = counted.count
        rows = services.my_tasks(user)
        titles = [(r.task.event.title, r.task.template_key, r.overdue) for r in rows]
    # One query for the tasks and their events, however many there are.
    assert counted.count - loaded == 1
    assert titles == [
        ("Soon", "chair", True),
        ("Soon", "chase", False),
        ("Later", "invitations", False),
        ("Later", "event", False),
        ("Soon", "venue", False),
    ]


def test_sync_leaves_other_events_alone(make_event: MakeEvent, organiser: User) -> None:
    first, second = make_event(), make_event()
    before = {t.id for t in tasks_of(second).values()}
    save(first, organiser, home_office_speaking=True)
    assert {t.id for t in tasks_of(second).values()} == before
    assert db.session.scalar(
        select(ChecklistTask.event_id).where(ChecklistTask.id.in_(before)).distinct()
    ) == second.id


def test_progress_unpacks_as_done_total_overdue(make_event: MakeEvent) -> None:
    event = make_event(day=days_ahead(10))
    done, total, overdue = services.progress(event)
    assert (done, total) == (0, len(tasks_of(event)))
    assert overdue == sum(t.week in (1, 2) for t in tasks_of(event).values())


@pytest.mark.timezone_sensitive
@pytest.mark.parametrize(
    ("now", "today"),
    [
        # 23:30 UTC on 30 June is already 1 July in the UK; on 31 December it is not.
        (datetime(2027, 6, 30, 23, 30, tzinfo=UTC), "2027-07-01"),
        (datetime(2027, 12, 31, 23, 30, tzinfo=UTC), "2027-12-31"),
    ],
)
def test_today_is_the_uk_date(now: datetime, today: str) -> None:
    assert services.london_today(now).isoformat() == today
