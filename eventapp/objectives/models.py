"""SMART objectives of an event."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.extensions import Model
from eventapp.handbook import Aim
from eventapp.models.base import TimestampMixin
from eventapp.models.types import enum_column

if TYPE_CHECKING:
    from eventapp.events.models import Event


class Metric(enum.StrEnum):
    """How an objective is measured: computed by the app, or entered by hand."""

    ATTENDANCE = "attendance"
    ORGANISATIONS_REPRESENTED = "organisations_represented"
    REGISTRATIONS = "registrations"
    RESPONSE_RATE = "response_rate"
    INCREASED_UNDERSTANDING = "increased_understanding"
    MORE_POSITIVE_OPINION = "more_positive_opinion"
    WOULD_RECOMMEND = "would_recommend"
    MANUAL = "manual"


METRIC_LABELS = {
    Metric.ATTENDANCE: "Number of people who attended",
    Metric.ORGANISATIONS_REPRESENTED: "Number of target organisations represented",
    Metric.REGISTRATIONS: "Number of registrations",
    Metric.RESPONSE_RATE: "Feedback response rate",
    Metric.INCREASED_UNDERSTANDING: "Percentage of respondents reporting increased understanding",
    Metric.MORE_POSITIVE_OPINION: "Percentage of respondents reporting a more positive opinion",
    Metric.WOULD_RECOMMEND: "Percentage of respondents who would recommend the event",
    Metric.MANUAL: "Something else, which you will enter yourself at evaluation",
}

# The unit each computed metric is counted in; manual metrics carry their own.
METRIC_UNITS = {
    Metric.ATTENDANCE: "people",
    Metric.ORGANISATIONS_REPRESENTED: "organisations",
    Metric.REGISTRATIONS: "registrations",
    Metric.RESPONSE_RATE: "%",
    Metric.INCREASED_UNDERSTANDING: "%",
    Metric.MORE_POSITIVE_OPINION: "%",
    Metric.WOULD_RECOMMEND: "%",
}

PERCENT_METRICS = frozenset(m for m, unit in METRIC_UNITS.items() if unit == "%")


class Objective(TimestampMixin, Model):
    """One SMART objective: what should change, for whom, by how much and by when."""

    __tablename__ = "objective"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    statement: Mapped[str] = mapped_column(Text)
    specific_who: Mapped[str] = mapped_column(String(500), default="")
    specific_what: Mapped[str] = mapped_column(String(500), default="")
    metric: Mapped[Metric | None] = mapped_column(enum_column(Metric, "objective_metric"))
    manual_metric_name: Mapped[str] = mapped_column(String(200), default="")
    target_value: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    target_unit: Mapped[str] = mapped_column(String(50), default="")
    baseline_value: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    attainable_reason: Mapped[str] = mapped_column(Text, default="")
    relevant_aim: Mapped[Aim | None] = mapped_column(enum_column(Aim, "objective_aim"))
    # The handbook's question: how it fits the organiser's wider strategic objectives.
    relevant_reason: Mapped[str] = mapped_column(Text, default="")
    measure_by: Mapped[date | None]
    # For manual metrics: what the organiser reports at evaluation.
    actual_value: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))

    event: Mapped[Event] = relationship(back_populates="objectives")

    __table_args__ = (
        CheckConstraint("length(statement) > 0", name="statement_not_empty"),
        CheckConstraint("target_value IS NULL OR target_value > 0", name="target_positive"),
        CheckConstraint(
            "baseline_value IS NULL OR baseline_value >= 0", name="baseline_not_negative"
        ),
        CheckConstraint("position >= 1", name="position_positive"),
        UniqueConstraint("event_id", "position", name="uq_objective_event_position"),
    )

    @property
    def unit(self) -> str:
        if self.metric is None:
            return ""
        return METRIC_UNITS.get(self.metric, self.target_unit)

    @property
    def metric_label(self) -> str:
        if self.metric is Metric.MANUAL:
            return self.manual_metric_name or "A measure you enter yourself"
        return METRIC_LABELS[self.metric] if self.metric else "Not chosen"
