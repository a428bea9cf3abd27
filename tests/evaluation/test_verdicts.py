"""Objectives met or not: how each metric's actual value is judged against its target."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from eventapp.evaluation.stats import Proportion
from eventapp.evaluation.verdicts import VERDICT_LABELS, Actual, Verdict, judge
from eventapp.objectives.models import Metric

TODAY = date(2027, 7, 1)


def verdict(**overrides):
    args = {
        "metric": Metric.ATTENDANCE,
        "target": Decimal(15),
        "actual": Actual(count=Decimal(15)),
        "measure_by": date(2027, 6, 17),
        "today": TODAY,
        "responses": None,
    } | overrides
    return judge(**args)


def test_count_at_target_is_met_and_below_is_not():
    met = verdict()
    assert met.verdict is Verdict.MET and met.label == "Met"
    assert met.reason == "15 against a target of 15."
    below = verdict(actual=Actual(count=Decimal(14)))
    assert below.verdict is Verdict.NOT_MET and below.label == "Not met"
    assert below.reason == "14 against a target of 15."
    assert verdict(actual=Actual(count=Decimal("15.5"))).reason == "15.5 against a target of 15."


def test_percentages_are_judged_exactly_not_after_rounding():
    just_below = verdict(
        metric=Metric.INCREASED_UNDERSTANDING,
        target=Decimal(90),
        actual=Actual(proportion=Proportion(43, 48)),
        responses=48,
    )
    assert just_below.verdict is Verdict.NOT_MET
    assert just_below.reason == "89.6% (43 of 48) against a target of 90%."
    exactly = verdict(
        metric=Metric.WOULD_RECOMMEND,
        target=Decimal(90),
        actual=Actual(proportion=Proportion(45, 50)),
        responses=50,
    )
    assert exactly.verdict is Verdict.MET
    assert exactly.reason == "90% (45 of 50) against a target of 90%."


def test_date_still_ahead_is_not_yet_measurable():
    ahead = verdict(measure_by=date(2027, 7, 2))
    assert ahead.verdict is Verdict.NOT_YET
    assert ahead.reason == "It is to be measured by 2 July 2027, which is still ahead."
    assert verdict(measure_by=TODAY).verdict is Verdict.MET
    assert verdict(measure_by=None).verdict is Verdict.MET


def test_missing_pieces_cannot_be_judged():
    assert verdict(metric=None).reason == "The objective does not say how it is measured."
    assert verdict(target=None).reason == "The objective has no target number."
    manual = verdict(metric=Metric.MANUAL, actual=Actual())
    assert manual.verdict is Verdict.CANNOT_JUDGE
    assert manual.reason == "Enter the actual value to judge it."
    computed = verdict(actual=Actual())
    assert computed.reason == "There is no data for this measure yet."
    no_answers = verdict(
        metric=Metric.WOULD_RECOMMEND,
        target=Decimal(50),
        actual=Actual(proportion=Proportion(0, 0)),
    )
    assert no_answers.verdict is Verdict.CANNOT_JUDGE
    assert {verdict(metric=None).label, manual.label} == {"Cannot be judged yet"}


@pytest.mark.parametrize("responses", [0, 1, 4])
def test_feedback_metrics_are_not_judged_below_five_responses(responses):
    result = verdict(
        metric=Metric.WOULD_RECOMMEND,
        target=Decimal(50),
        actual=Actual(proportion=Proportion(responses, responses)),
        responses=responses,
    )
    assert result.verdict is Verdict.CANNOT_JUDGE
    assert (
        result.reason == "There are fewer than 5 feedback responses, so the feedback is withheld."
    )


def test_five_responses_are_enough_and_counts_metrics_ignore_responses():
    five = verdict(
        metric=Metric.MORE_POSITIVE_OPINION,
        target=Decimal(50),
        actual=Actual(proportion=Proportion(5, 5)),
        responses=5,
    )
    assert five.verdict is Verdict.MET
    assert verdict(responses=2).verdict is Verdict.MET


def test_actual_texts():
    assert Actual().text == "not entered" and not Actual().known
    assert Actual(count=Decimal(0)).known and Actual(count=Decimal(0)).text == "0"
    assert Actual(count=Decimal("12.50")).text == "12.5"
    assert Actual(count=Decimal("12.00")).text == "12"
    assert Actual(count=Decimal(100)).text == "100"
    assert Actual(proportion=Proportion(0, 0)).text == "no answers"
    assert Actual(proportion=Proportion(1, 3)).text == "33.3% (1 of 3)"
    assert Actual(proportion=Proportion(3, 3)).text == "100% (3 of 3)"


def test_every_verdict_has_a_label():
    assert set(VERDICT_LABELS) == set(Verdict)
