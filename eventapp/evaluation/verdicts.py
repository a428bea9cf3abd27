"""Was each SMART objective met? (pure functions)

The handbook: "After you've held your event, it's important to measure it against the
objectives you set out at the very beginning" ("Evaluating your event"). Each objective names a
metric and a target; the report finds the metric's actual value (computed from the event's
data, or entered by the organiser for a manual metric) and judges it here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from eventapp.evaluation.stats import Proportion
from eventapp.evaluation.suppression import THRESHOLD
from eventapp.objectives.models import PERCENT_METRICS, Metric


class Verdict(enum.StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_YET = "not_yet"  # its measure-by date is still ahead
    CANNOT_JUDGE = "cannot_judge"  # no target, no measure or no value yet


VERDICT_LABELS = {
    Verdict.MET: "Met",
    Verdict.NOT_MET: "Not met",
    Verdict.NOT_YET: "Not yet measurable",
    Verdict.CANNOT_JUDGE: "Cannot be judged yet",
}

# Metrics computed from feedback responses: withheld with the feedback below 5 responses.
FEEDBACK_METRICS = frozenset(
    {
        Metric.INCREASED_UNDERSTANDING,
        Metric.MORE_POSITIVE_OPINION,
        Metric.WOULD_RECOMMEND,
    }
)


@dataclass(frozen=True)
class Actual:
    """A metric's value: a count (people, organisations) or a proportion for percentages."""

    count: Decimal | None = None
    proportion: Proportion | None = None
    source: str = ""  # where the number comes from, said in the report

    @property
    def known(self) -> bool:
        if self.proportion is not None:
            return self.proportion.base > 0
        return self.count is not None

    @property
    def text(self) -> str:
        if self.proportion is not None:
            p = self.proportion
            if not p.base:
                return "no answers"
            return f"{_percent_1dp(p)} ({p.count} of {p.base})"
        if self.count is None:
            return "not entered"
        return _number(self.count)


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    reason: str

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self.verdict]


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _percent_1dp(p: Proportion) -> str:
    """One decimal place, so 89.6% never reads as a 90% target met."""
    value = (Decimal(p.count) * 100 / Decimal(p.base)).quantize(Decimal("0.1"))
    text = f"{value:f}"
    return (text[:-2] if text.endswith(".0") else text) + "%"


def judge(
    *,
    metric: Metric | None,
    target: Decimal | None,
    actual: Actual,
    measure_by: date | None,
    today: date,
    responses: int | None = None,
) -> Judgement:
    """Met, not met, not yet measurable or cannot be judged, with the reason in words.

    `responses` is the event's number of feedback responses: a feedback metric is not judged
    on fewer than 5 (the same threshold as the report's suppression).
    """
    if metric is None:
        return Judgement(Verdict.CANNOT_JUDGE, "The objective does not say how it is measured.")
    if target is None:
        return Judgement(Verdict.CANNOT_JUDGE, "The objective has no target number.")
    if measure_by is not None and measure_by > today:
        return Judgement(
            Verdict.NOT_YET,
            f"It is to be measured by {measure_by.day} {measure_by:%B %Y}, which is still ahead.",
        )
    if metric in FEEDBACK_METRICS and responses is not None and responses < THRESHOLD:
        return Judgement(
            Verdict.CANNOT_JUDGE,
            "There are fewer than 5 feedback responses, so the feedback is withheld.",
        )
    if not actual.known:
        if metric is Metric.MANUAL:
            return Judgement(Verdict.CANNOT_JUDGE, "Enter the actual value to judge it.")
        return Judgement(Verdict.CANNOT_JUDGE, "There is no data for this measure yet.")
    unit = "%" if metric in PERCENT_METRICS else ""
    target_text = _number(target) + unit
    if actual.proportion is not None:
        met = actual.proportion.meets(target)
    else:
        assert actual.count is not None
        met = actual.count >= target
    if met:
        return Judgement(Verdict.MET, f"{actual.text} against a target of {target_text}.")
    return Judgement(Verdict.NOT_MET, f"{actual.text} against a target of {target_text}.")
