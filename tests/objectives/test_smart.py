"""The SMART check (pure function): what each letter needs, and what it says is missing."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from eventapp.handbook import Aim
from eventapp.objectives.models import Metric
from eventapp.objectives.smart import smart_check

EVENT_DAY = date(2027, 6, 17)
EVENT_AIMS = [Aim.AWARENESS, Aim.ADVOCACY]


@dataclass(frozen=True)
class Obj:
    statement: str = "An objective"
    specific_who: str = "Safeguarding leads in 15 local schools"
    specific_what: str = "Increased understanding of mental health and radicalisation"
    metric: Metric | None = Metric.ORGANISATIONS_REPRESENTED
    manual_metric_name: str = ""
    target_value: Decimal | None = Decimal(15)
    target_unit: str = "organisations"
    attainable_reason: str = "The schools' safeguarding network will promote the event"
    relevant_aim: Aim | None = Aim.AWARENESS
    measure_by: date | None = EVENT_DAY
    relevant_reason: str = ""


# The handbook's three examples ("First, consider your objectives").
HANDBOOK_EXAMPLES = {
    "15 schools": Obj(
        statement="Raise awareness of the links between mental health and vulnerability to "
        "radicalisation amongst safeguarding leads in 15 local schools, leading to an "
        "increased understanding by the end of the event.",
    ),
    "referrals up 5% in two years": Obj(
        statement="Support an increase in the number of Prevent referrals coming from community "
        "and family members by 5% over the next two years.",
        specific_who="Community and family members",
        specific_what="More Prevent referrals, through improved trust and understanding",
        metric=Metric.MANUAL,
        manual_metric_name="Prevent referrals from community and family members",
        target_value=Decimal(5),
        target_unit="% increase",
        attainable_reason="Referral data is reported quarterly by the Prevent team",
        relevant_aim=Aim.AWARENESS,
        measure_by=EVENT_DAY + timedelta(days=730),
    ),
    "advisory group of 5": Obj(
        statement="Recruit 5 members of a new Prevent Advisory Group, to be set up in the next "
        "month.",
        specific_who="Community influencers at the roundtable",
        specific_what="Join a new Prevent Advisory Group",
        metric=Metric.MANUAL,
        manual_metric_name="Prevent Advisory Group members recruited",
        target_value=Decimal(5),
        target_unit="members",
        attainable_reason="Several attendees have already offered to help",
        relevant_aim=Aim.ADVOCACY,
        measure_by=EVENT_DAY + timedelta(days=30),
    ),
}


@pytest.mark.parametrize("example", HANDBOOK_EXAMPLES.values(), ids=HANDBOOK_EXAMPLES.keys())
def test_the_handbooks_examples_are_smart(example: Obj) -> None:
    result = smart_check(example, event_aims=EVENT_AIMS, event_day=EVENT_DAY)
    assert [(c.letter, c.met) for c in result.checks] == [
        ("S", True), ("M", True), ("A", True), ("R", True), ("T", True),
    ]
    assert result.passed
    assert result.problems == []


GOOD = HANDBOOK_EXAMPLES["15 schools"]
MANUAL = HANDBOOK_EXAMPLES["advisory group of 5"]

# (objective, what the check says is missing: one summary per letter not met)
FAILURES: dict[str, tuple[Obj, list[str]]] = {
    "no target": (replace(GOOD, target_value=None), ["Measurable: no target number"]),
    "no date": (replace(GOOD, measure_by=None), ["Time-bound: no date"]),
    "date before the event": (
        replace(GOOD, measure_by=EVENT_DAY - timedelta(days=1)),
        ["Time-bound: the date is before the event"],
    ),
    "no who": (replace(GOOD, specific_who=""), ["Specific: say who it is for"]),
    "who is only spaces": (replace(GOOD, specific_who="   "), ["Specific: say who it is for"]),
    "no what": (replace(GOOD, specific_what=""), ["Specific: say what should change"]),
    "what is only spaces": (
        replace(GOOD, specific_what=" \t "), ["Specific: say what should change"]
    ),
    "neither who nor what": (
        replace(GOOD, specific_who="", specific_what=""),
        ["Specific: say who it is for; say what should change"],
    ),
    "not attainable": (
        replace(GOOD, attainable_reason=""), ["Attainable: say why it is achievable"]
    ),
    "attainable only spaces": (
        replace(GOOD, attainable_reason="  "), ["Attainable: say why it is achievable"]
    ),
    "no aim": (
        replace(GOOD, relevant_aim=None),
        ["Relevant: choose the aim it serves, or say how it fits your wider objectives"],
    ),
    "aim the event does not have": (
        replace(GOOD, relevant_aim=Aim.DEESCALATE),
        ["Relevant: the event does not list the aim it serves: say how it fits your wider "
         "objectives"],
    ),
    "another aim, unexplained": (
        replace(GOOD, relevant_aim=Aim.OTHER),
        ["Relevant: say how it fits your wider strategic objectives"],
    ),
    "another aim, explained only with spaces": (
        replace(GOOD, relevant_aim=Aim.OTHER, relevant_reason="   "),
        ["Relevant: say how it fits your wider strategic objectives"],
    ),
    "percentage over 100": (
        replace(GOOD, metric=Metric.WOULD_RECOMMEND, target_value=Decimal("100.5")),
        ["Measurable: a percentage target cannot be more than 100"],
    ),
    "no measure": (replace(GOOD, metric=None), ["Measurable: choose how it will be measured"]),
    "manual without a name": (
        replace(MANUAL, manual_metric_name=" "), ["Measurable: name what you will measure"]
    ),
    "manual without a unit": (
        replace(MANUAL, target_unit=""), ["Measurable: no unit for the target"]
    ),
    "manual unit only spaces": (
        replace(MANUAL, target_unit="   "), ["Measurable: no unit for the target"]
    ),
    "manual without anything": (
        replace(MANUAL, manual_metric_name="", target_unit="", target_value=None),
        ["Measurable: name what you will measure; no unit for the target; no target number"],
    ),
    "nothing at all": (
        Obj(specific_who="", specific_what="", metric=None, target_value=None, target_unit="",
            attainable_reason="", relevant_aim=None, measure_by=None),
        [
            "Specific: say who it is for; say what should change",
            "Measurable: choose how it will be measured; no target number",
            "Attainable: say why it is achievable",
            "Relevant: choose the aim it serves, or say how it fits your wider objectives",
            "Time-bound: no date",
        ],
    ),
}


@pytest.mark.parametrize(("objective", "problems"), FAILURES.values(), ids=FAILURES.keys())
def test_each_failure_says_what_is_missing(objective: Obj, problems: list[str]) -> None:
    result = smart_check(objective, event_aims=EVENT_AIMS, event_day=EVENT_DAY)
    assert not result.passed
    assert result.problems == problems
    failed_letters = {c.name for c in result.checks if not c.met}
    assert failed_letters == {p.split(":")[0] for p in problems}


# Edges that must still pass.
PASSES: dict[str, tuple[Obj, list[Aim] | None, date | None]] = {
    "measured on the day of the event": (GOOD, EVENT_AIMS, EVENT_DAY),
    "a percentage of exactly 100": (
        replace(GOOD, metric=Metric.INCREASED_UNDERSTANDING, target_value=Decimal(100)),
        EVENT_AIMS, EVENT_DAY,
    ),
    "a manual target over 100": (replace(MANUAL, target_value=Decimal(250)), EVENT_AIMS, EVENT_DAY),
    "event aims not known": (replace(GOOD, relevant_aim=Aim.DEESCALATE), None, EVENT_DAY),
    # The handbook's three aims are examples: saying how the objective fits the wider
    # strategic objectives makes any aim relevant (its question, not a list).
    "another aim, explained": (
        replace(GOOD, relevant_aim=Aim.OTHER, relevant_reason="Part of our cohesion strategy"),
        EVENT_AIMS, EVENT_DAY,
    ),
    "no aim, explained": (
        replace(GOOD, relevant_aim=None, relevant_reason="Our safeguarding board's priority"),
        EVENT_AIMS, EVENT_DAY,
    ),
    "an aim the event lacks, explained": (
        replace(GOOD, relevant_aim=Aim.DEESCALATE, relevant_reason="After last month's incident"),
        EVENT_AIMS, EVENT_DAY,
    ),
    "event date not set": (replace(GOOD, measure_by=date(2020, 1, 1)), EVENT_AIMS, None),
    "a computed metric needs no unit": (replace(GOOD, target_unit=""), EVENT_AIMS, EVENT_DAY),
}


@pytest.mark.parametrize(("objective", "aims", "day"), PASSES.values(), ids=PASSES.keys())
def test_edges_that_still_pass(objective: Obj, aims: list[Aim] | None, day: date | None) -> None:
    assert smart_check(objective, event_aims=aims, event_day=day).passed


def test_summary_reads_met_or_the_reasons() -> None:
    result = smart_check(replace(GOOD, measure_by=None), event_aims=EVENT_AIMS,
                         event_day=EVENT_DAY)
    assert [c.summary for c in result.checks] == [
        "Specific: met", "Measurable: met", "Attainable: met", "Relevant: met",
        "Time-bound: no date",
    ]
