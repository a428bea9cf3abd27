"""Objective queries and writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from eventapp import audit
from eventapp.accounts.models import User
from eventapp.errors import DomainError, NotFoundError
from eventapp.events import services as event_services
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.formatting import LONDON
from eventapp.handbook import Aim
from eventapp.objectives.models import METRIC_UNITS, PERCENT_METRICS, Metric, Objective
from eventapp.objectives.smart import SmartResult, smart_check


@dataclass
class ObjectiveDetails:
    statement: str
    specific_who: str = ""
    specific_what: str = ""
    metric: Metric | None = None
    manual_metric_name: str = ""
    target_value: Decimal | None = None
    target_unit: str = ""
    baseline_value: Decimal | None = None
    attainable_reason: str = ""
    relevant_aim: Aim | None = None
    relevant_reason: str = ""
    measure_by: date | None = None


def event_day(event: Event) -> date | None:
    return event.starts_at.astimezone(LONDON).date() if event.starts_at else None


def check(objective: Objective, event: Event) -> SmartResult:
    return smart_check(objective, event_aims=event.aim_values, event_day=event_day(event))


def get_objective(event: Event, objective_id: int) -> Objective:
    objective = db.session.scalar(
        select(Objective).where(Objective.id == objective_id, Objective.event_id == event.id)
    )
    if objective is None:
        raise NotFoundError
    return objective


def _apply(objective: Objective, details: ObjectiveDetails) -> None:
    if not details.statement.strip():
        raise DomainError("Enter the objective", field="statement")
    for name, label in (("target_value", "target"), ("baseline_value", "baseline")):
        value = getattr(details, name)
        # Stored to 2 places: 0.001 would be saved as 0, which the database refuses.
        if value is not None and value != value.quantize(Decimal("0.01")):
            raise DomainError(f"Enter the {label} with no more than 2 decimal places", field=name)
    if details.target_value is not None and details.target_value <= 0:
        raise DomainError("Enter a target greater than 0", field="target_value")
    if details.baseline_value is not None and details.baseline_value < 0:
        raise DomainError("Enter a baseline of 0 or more", field="baseline_value")
    if details.metric in PERCENT_METRICS:
        for name in ("target_value", "baseline_value"):
            value = getattr(details, name)
            if value is not None and value > 100:
                raise DomainError("Enter a percentage of 100 or less", field=name)
    if details.metric is Metric.MANUAL and not details.manual_metric_name.strip():
        raise DomainError("Enter what you will measure", field="manual_metric_name")
    objective.statement = details.statement.strip()
    objective.specific_who = details.specific_who.strip()
    objective.specific_what = details.specific_what.strip()
    objective.metric = details.metric
    objective.manual_metric_name = (
        details.manual_metric_name.strip() if details.metric is Metric.MANUAL else ""
    )
    objective.target_value = details.target_value
    # Computed metrics have a fixed unit; only manual ones carry their own.
    objective.target_unit = (
        details.target_unit.strip()
        if details.metric is Metric.MANUAL or details.metric is None
        else METRIC_UNITS[details.metric]
    )
    objective.baseline_value = details.baseline_value
    objective.attainable_reason = details.attainable_reason.strip()
    objective.relevant_aim = details.relevant_aim
    objective.relevant_reason = details.relevant_reason.strip()
    objective.measure_by = details.measure_by


def _next_position(event: Event) -> int:
    """Take the event's lock, then read where a new objective goes.

    Without the lock, organisers adding objectives at the same moment all read the same last
    position and the database refuses all but one: their typing is lost.
    """
    event_services.lock_for_update(event)
    last = db.session.scalar(
        select(func.max(Objective.position)).where(Objective.event_id == event.id)
    )
    return (last or 0) + 1


def add_objective(*, event: Event, actor: User, details: ObjectiveDetails) -> Objective:
    objective = Objective(position=1, statement="")
    _apply(objective, details)
    objective.position = _next_position(event)
    # Attach only once the details pass: a refused objective must not linger in event.objectives.
    objective.event = event
    db.session.add(objective)
    db.session.flush()
    audit.record(actor=actor, council_id=event.council_id, action="objective.add", obj=objective)
    return objective


def update_objective(*, objective: Objective, actor: User, details: ObjectiveDetails) -> None:
    _apply(objective, details)
    audit.record(
        actor=actor, council_id=objective.event.council_id, action="objective.update", obj=objective
    )


def delete_objective(*, objective: Objective, actor: User) -> None:
    event = objective.event
    event_services.lock_for_update(event)
    audit.record(actor=actor, council_id=event.council_id, action="objective.delete", obj=objective)
    event.objectives.remove(objective)
    db.session.flush()
    # Close the gap so positions stay 1..n.
    for index, remaining in enumerate(sorted(event.objectives, key=lambda o: o.position), start=1):
        if remaining.position != index:
            remaining.position = index
            db.session.flush()


def details_of(objective: Objective) -> dict[str, object]:
    return {
        "statement": objective.statement,
        "specific_who": objective.specific_who,
        "specific_what": objective.specific_what,
        "metric": objective.metric.value if objective.metric else "",
        "manual_metric_name": objective.manual_metric_name,
        "target_value": objective.target_value,
        "target_unit": objective.target_unit if objective.metric is Metric.MANUAL else "",
        "baseline_value": objective.baseline_value,
        "attainable_reason": objective.attainable_reason,
        "relevant_aim": objective.relevant_aim.value if objective.relevant_aim else "",
        "relevant_reason": objective.relevant_reason,
        "measure_by": objective.measure_by,
    }
