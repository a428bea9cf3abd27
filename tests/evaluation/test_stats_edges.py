"""The edges of the evaluation statistics: bounds, thresholds, exact wording and Annex A's scales.

Every expected figure is worked out by hand in a comment or taken from scipy directly
(``binomtest(...).proportion_ci(method="wilson")``, ``wilcoxon``), never from the module itself.
"""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest
from scipy import stats as scipy_stats

from eventapp.evaluation.stats import (
    DONT_KNOW,
    MIN_PAIRS,
    ZERO_DIFFERENCES_NOTE,
    Measure,
    Proportion,
    differences,
    paired_change,
    percent_text,
    rank_biserial,
    wilcoxon,
    wilson_interval,
)
from eventapp.feedback import annex_a


def scipy_wilson(count: int, base: int) -> tuple[float, float]:
    ci = scipy_stats.binomtest(count, base).proportion_ci(confidence_level=0.95, method="wilson")
    return float(ci.low), float(ci.high)


def scipy_p(joint: dict[tuple[int, int], int]) -> float:
    diffs = [a - b for (b, a), n in joint.items() for _ in range(n)]
    return float(scipy_stats.wilcoxon(diffs, zero_method="wilcox").pvalue)


# --- percentages and Wilson intervals ------------------------------------------------------


def test_percent_of_a_base_of_one() -> None:
    assert percent_text(1, 1) == "100%"
    assert percent_text(0, 1) == "0%"


def test_wilson_interval_is_clamped_to_exactly_0_and_1() -> None:
    # Worked in floating point, 0 of 21 gives a lower bound of about -1.4e-17 and 16 of 16 an
    # upper bound of 1.0000000000000002: a proportion cannot go below 0 or above 1.
    assert wilson_interval(0, 21)[0] == 0.0
    assert wilson_interval(16, 16)[1] == 1.0
    assert wilson_interval(0, 21)[1] == pytest.approx(scipy_wilson(0, 21)[1])


def test_wilson_interval_refuses_a_count_outside_the_base_with_its_own_message() -> None:
    for count, base in ((11, 10), (-1, 10), (-1, 100), (1, -5)):
        if base <= 0:
            assert wilson_interval(count, base) == (0.0, 1.0)
            continue
        with pytest.raises(ValueError, match=r"^count must be between 0 and base$"):
            wilson_interval(count, base)


def test_interval_text_of_one_in_nine() -> None:
    # scipy: 0.019890… to 0.434999…, so 1.99% and 43.49997%, which round to 2% and 43%.
    low, high = scipy_wilson(1, 9)
    assert round(low * 100, 3) == 1.989 and round(high * 100, 5) == 43.49997
    assert Proportion(1, 9).interval_text == "95% confidence interval 2% to 43%"


def whole_percent(fraction: float) -> int:
    return math.floor(fraction * 100 + 0.5)


def test_wilson_interval_and_its_text_agree_with_scipy_for_bases_up_to_40() -> None:
    for base in range(1, 41):
        for count in range(base + 1):
            low, high = scipy_wilson(count, base)
            proportion = Proportion(count, base)
            assert proportion.interval == (
                pytest.approx(low, abs=1e-12),
                pytest.approx(high, abs=1e-12),
            )
            assert 0.0 <= proportion.interval[0] < proportion.interval[1] <= 1.0
            # No bound sits on a half per cent, so rounding half up is unambiguous here; each
            # bound is rounded once, from its own value.
            assert abs(low * 100 % 1 - 0.5) > 1e-9 and abs(high * 100 % 1 - 0.5) > 1e-9
            assert proportion.interval_text == (
                f"95% confidence interval {whole_percent(low)}% to {whole_percent(high)}%"
            )


def test_a_proportion_of_one_meets_a_100_percent_target() -> None:
    assert Proportion(1, 1).meets(Decimal(100))
    assert Proportion(1, 2).meets(Decimal(50)) and not Proportion(1, 2).meets(Decimal("50.01"))


# --- Annex A's before/after scales -------------------------------------------------------------


@pytest.mark.parametrize("measure", list(Measure))
def test_each_measure_is_an_annex_a_before_after_pair(measure: Measure) -> None:
    assert (f"{measure}_before", f"{measure}_after") in annex_a.PAIRS
    assert {f"{m}_before" for m in Measure} == {before for before, _ in annex_a.PAIRS}


@pytest.mark.parametrize("measure", list(Measure))
def test_every_annex_a_score_is_paired_and_nothing_beyond(measure: Measure) -> None:
    before_scores = {s for s in annex_a.SCORES[f"{measure}_before"].values() if s is not None}
    after_scores = {s for s in annex_a.SCORES[f"{measure}_after"].values() if s is not None}
    joint = {(b, a): 1 for b in before_scores for a in after_scores}
    change = paired_change(measure, joint)
    assert change.pairs == len(before_scores) * len(after_scores)
    top = max(before_scores)
    assert paired_change(measure, {(1, top + 1): 3, (top + 1, 1): 4, (0, 1): 5}).pairs == 0


def test_opinion_goes_from_1_to_5() -> None:
    # Very negative 1 … Very positive 5: 5 -> 1 is a fall of 4, and 6 is not a score.
    change = paired_change(Measure.OPINION, {(5, 1): 2, (6, 1): 3})
    assert (change.pairs, change.worse, change.mean_change) == (2, 2, -4)


# --- Wilcoxon and the effect size ----------------------------------------------------------


def test_zero_counts_give_no_test() -> None:
    assert wilcoxon({1: 0, 0: 5}) is None
    assert wilcoxon({2: 0, -1: 0}) is None
    assert wilcoxon({}) is None


def test_wilcoxon_leaves_zeros_out() -> None:
    # 0 (x5) is dropped (zero_method="wilcox"): what is left is +1 x6 and -1 x2.
    w, p = wilcoxon({0: 5, 1: 6, -1: 2})
    direct = scipy_stats.wilcoxon([1] * 6 + [-1] * 2)
    assert (w, p) == (pytest.approx(direct.statistic), pytest.approx(direct.pvalue))
    # Ranks of |d| = 1 are all 4.5: W = 2 * 4.5.
    assert w == 9.0


def test_rank_biserial_of_a_single_pair() -> None:
    assert rank_biserial({1: 1}) == 1.0
    assert rank_biserial({-3: 1}) == -1.0
    assert rank_biserial({2: 0, 0: 4}) is None


def test_counts_cannot_be_negative_with_its_own_message() -> None:
    with pytest.raises(ValueError, match=r"^counts cannot be negative$"):
        differences({(1, 2): -1}, 4)


# --- the before/after comparison --------------------------------------------------------------


def test_same_is_zero_when_nobody_stayed_the_same() -> None:
    change = paired_change(Measure.KNOWLEDGE, {(1, 2): 3, (3, 1): 1})
    assert (change.improved, change.same, change.worse) == (3, 0, 1)
    assert change.same_share.percent == "0%"


def test_exactly_min_pairs_is_enough_to_test() -> None:
    joint = {(1, 3): MIN_PAIRS}
    change = paired_change(Measure.KNOWLEDGE, joint)
    assert not change.too_few
    # Ten +2s: the exact two-sided p-value is 2 / 2**10.
    assert change.p_value == pytest.approx(scipy_p(joint)) == 2 / 2**10
    assert change.sentence == (
        "Most respondents said their understanding of Prevent improved; "
        "a change this large is unlikely to be chance."
    )


def test_one_pair_is_compared_but_too_few() -> None:
    change = paired_change(Measure.KNOWLEDGE, {(1, 2): 1})
    assert change.pairs == 1
    assert change.sentence.startswith(
        "Most respondents said their understanding of Prevent improved"
    )
    assert change.sentence == (
        "Most respondents said their understanding of Prevent improved; with fewer than 10 "
        "people answering both, the test cannot say much."
    )


@pytest.mark.parametrize("pairs", range(1, MIN_PAIRS))
def test_the_sentence_does_not_give_away_a_small_number_of_pairs(pairs: int) -> None:
    # The report prints 1 to 4 pairs as "fewer than 5"; the sentence must not undo that.
    change = paired_change(Measure.OPINION, {(2, 3): pairs, (DONT_KNOW, 3): 20})
    assert change.pairs == pairs
    assert str(pairs) not in change.sentence.replace(f"fewer than {MIN_PAIRS}", "")
    assert change.sentence.endswith(
        f"; with fewer than {MIN_PAIRS} people answering both, the test cannot say much."
    )


def test_one_better_and_one_worse_is_as_many_each_way() -> None:
    change = paired_change(Measure.KNOWLEDGE, {(1, 2): 1, (2, 1): 1, (2, 2): 3})
    assert change.sentence == (
        "As many respondents said things got better as said they got worse; "
        "with fewer than 10 people answering both, the test cannot say much."
    )


def test_most_opinions_became_more_negative() -> None:
    joint = {(5, 1): 8, (3, 3): 4}
    change = paired_change(Measure.OPINION, joint)
    # Eight falls of 4, no rises: exact two-sided p = 2 / 2**8.
    assert change.p_value == pytest.approx(scipy_p(joint)) == 2 / 2**8
    assert change.sentence == (
        "Most respondents said their opinion became more negative; "
        "a change this large is unlikely to be chance."
    )


def test_more_opinions_became_more_negative_than_more_positive() -> None:
    joint = {(4, 2): 5, (2, 4): 3, (3, 3): 4}
    change = paired_change(Measure.OPINION, joint)
    assert change.p_value == pytest.approx(scipy_p(joint)) and change.p_value > 0.05
    assert change.sentence == (
        "More respondents said their opinion became more negative than said their opinion of "
        "Prevent became more positive; a change this size could be chance."
    )


def test_more_opinions_became_more_positive_than_more_negative() -> None:
    change = paired_change(Measure.OPINION, {(4, 2): 3, (2, 4): 5, (3, 3): 4})
    assert change.sentence == (
        "More respondents said their opinion of Prevent became more positive than said their "
        "opinion became more negative; a change this size could be chance."
    )


def test_zero_differences_note_names_what_the_test_does() -> None:
    assert ZERO_DIFFERENCES_NOTE == (
        "Respondents whose answer was the same before and after are counted as "
        '"stayed the same" and left out of the Wilcoxon signed-rank test, as the test '
        "usually does (zero_method='wilcox'). Don't know and unanswered are left out of every "
        "score."
    )
    # And that is what the test does: the zeros change nothing, W or p.
    with_zeros = wilcoxon({0: 7, 1: 6, -1: 2})
    assert with_zeros == wilcoxon({1: 6, -1: 2})
    assert with_zeros is not None
    assert np.isclose(with_zeros[1], scipy_stats.wilcoxon([1] * 6 + [-1] * 2).pvalue)
