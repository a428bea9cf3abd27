"""The SMART check: guidance on each letter, never a blocker (pure functions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from eventapp.handbook import Aim
from eventapp.objectives.models import PERCENT_METRICS, Metric


class ObjectiveLike(Protocol):
    statement: str
    specific_who: str
    specific_what: str
    metric: Metric | None
    manual_metric_name: str
    target_value: Decimal | None
    target_unit: str
    attainable_reason: str
    relevant_aim: Aim | None
    relevant_reason: str
    measure_by: date | None


@dataclass(frozen=True)
class LetterCheck:
    letter: str
    name: str
    met: bool
    reasons: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        return f"{self.name}: " + ("met" if self.met else "; ".join(self.reasons))


@dataclass(frozen=True)
class SmartResult:
    checks: tuple[LetterCheck, ...]

    @property
    def passed(self) -> bool:
        return all(c.met for c in self.checks)

    @property
    def problems(self) -> list[str]:
        return [c.summary for c in self.checks if not c.met]


def _check(letter: str, name: str, reasons: list[str]) -> LetterCheck:
    return LetterCheck(letter, name, not reasons, tuple(reasons))


def smart_check(
    objective: ObjectiveLike, *, event_aims: list[Aim] | None = None, event_day: date | None = None
) -> SmartResult:
    """Say, for each SMART letter, whether the objective meets it and what is missing."""
    specific: list[str] = []
    if not objective.specific_who.strip():
        specific.append("say who it is for")
    if not objective.specific_what.strip():
        specific.append("say what should change")

    measurable: list[str] = []
    if objective.metric is None:
        measurable.append("choose how it will be measured")
    elif objective.metric is Metric.MANUAL:
        if not objective.manual_metric_name.strip():
            measurable.append("name what you will measure")
        if not objective.target_unit.strip():
            measurable.append("no unit for the target")
    if objective.target_value is None:
        measurable.append("no target number")
    elif objective.metric in PERCENT_METRICS and objective.target_value > 100:
        measurable.append("a percentage target cannot be more than 100")

    attainable: list[str] = []
    if not objective.attainable_reason.strip():
        attainable.append("say why it is achievable")

    # The handbook's question is how the objective fits the organiser's wider strategic
    # objectives; its three aims are examples. Saying how it fits is always enough.
    relevant: list[str] = []
    if not objective.relevant_reason.strip():
        if objective.relevant_aim is None:
            relevant.append("choose the aim it serves, or say how it fits your wider objectives")
        elif objective.relevant_aim is Aim.OTHER:
            relevant.append("say how it fits your wider strategic objectives")
        elif event_aims is not None and objective.relevant_aim not in event_aims:
            relevant.append(
                "the event does not list the aim it serves: say how it fits your wider objectives"
            )

    timebound: list[str] = []
    if objective.measure_by is None:
        timebound.append("no date")
    elif event_day is not None and objective.measure_by < event_day:
        timebound.append("the date is before the event")

    return SmartResult(
        (
            _check("S", "Specific", specific),
            _check("M", "Measurable", measurable),
            _check("A", "Attainable", attainable),
            _check("R", "Relevant", relevant),
            _check("T", "Time-bound", timebound),
        )
    )
