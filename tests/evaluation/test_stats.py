"""Before/after statistics and proportions, checked by hand and against scipy directly."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest
from scipy import stats as scipy_stats

from eventapp.evaluation.stats import (
    DONT_KNOW,
    MIN_PAIRS,
    UNANSWERED,
    ZERO_DIFFERENCES_NOTE,
    Measure,
    Proportion,
    differences,
    effect_size_words,
    p_value_text,
    paired_change,
    percent_text,
    rank_biserial,
    wilcoxon,
    wilson_interval,
)


@pytest.mark.parametrize(
    ("count", "base", "text"),
    [
        (90, 100, "90%"),
        (84, 100, "84%"),
        (1, 3, "33%"),
        (2, 3, "67%"),
        (1, 8, "13%"),
        (1, 200, "1%"),
        (0, 5, "0%"),
        (5, 5, "100%"),
        (0, 0, "–"),
        (167, 200, "84%"),
    ],
)
def test_percent_text_rounds_half_up(count, base, text):
    assert percent_text(count, base) == text


def test_wilson_interval_by_hand():
    # p = 0.9, n = 100, z = 1.96: centre (0.9 + 0.019208) / 1.038416, half as below.
    low, high = wilson_interval(90, 100)
    z = 1.959963984540054
    centre = (0.9 + z * z / 200) / (1 + z * z / 100)
    half = z * math.sqrt(0.9 * 0.1 / 100 + z * z / 40000) / (1 + z * z / 100)
    assert low == pytest.approx(centre - half) and high == pytest.approx(centre + half)
    assert (round(low, 4), round(high, 4)) == (0.8256, 0.9448)


def test_wilson_interval_edges():
    assert wilson_interval(0, 0) == (0.0, 1.0)
    low, high = wilson_interval(0, 10)
    assert low == 0.0 and high == pytest.approx(0.2775, abs=1e-4)
    low, high = wilson_interval(10, 10)
    assert high == pytest.approx(1.0) and low == pytest.approx(0.7225, abs=1e-4)
    with pytest.raises(ValueError):
        wilson_interval(11, 10)
    with pytest.raises(ValueError):
        wilson_interval(-1, 10)


def test_proportion():
    p = Proportion(90, 100)
    assert p.fraction == 0.9 and p.percent == "90%"
    assert p.interval_text == "95% confidence interval 83% to 94%"
    assert Proportion(0, 0).fraction is None and Proportion(0, 0).interval is None
    assert Proportion(0, 0).interval_text == "" and Proportion(0, 0).percent == "–"
    assert p.meets(Decimal(90)) and not p.meets(Decimal("90.1"))
    assert not Proportion(0, 0).meets(Decimal(0))
    # 43 of 48 is 89.58…%: rounds to 90% but does not meet a 90% target.
    assert Proportion(43, 48).percent == "90%" and not Proportion(43, 48).meets(Decimal(90))


# A dataset built so that exactly 84 of 100 pairs became more positive in opinion (Q9).
OPINION_84 = {
    (2, 4): 40,  # +2
    (3, 4): 30,  # +1
    (1, 2): 14,  # +1
    (3, 3): 10,  # same
    (4, 3): 6,  # -1
    (DONT_KNOW, 4): 3,  # not paired
    (4, UNANSWERED): 2,  # not paired
}


def expand(joint):
    before, after = [], []
    for (b, a), n in joint.items():
        if isinstance(b, int) and isinstance(a, int):
            before += [b] * n
            after += [a] * n
    return np.array(before), np.array(after)


def test_paired_change_counts_and_distributions():
    change = paired_change(Measure.OPINION, OPINION_84)
    assert (change.pairs, change.improved, change.same, change.worse) == (100, 84, 10, 6)
    assert change.improved_share.percent == "84%"
    assert change.same_share.percent == "10%" and change.worse_share.percent == "6%"
    assert change.before == {2: 40, 3: 40, 1: 14, 4: 8, DONT_KNOW: 3}
    assert change.after == {4: 73, 2: 14, 3: 16, UNANSWERED: 2}
    assert change.mean_change == pytest.approx((80 + 30 + 14 - 6) / 100)
    assert not change.too_few


def test_paired_change_matches_scipy_directly():
    change = paired_change(Measure.OPINION, OPINION_84)
    before, after = expand(OPINION_84)
    direct = scipy_stats.wilcoxon(after - before, zero_method="wilcox")
    assert change.statistic == pytest.approx(direct.statistic)
    assert change.p_value == pytest.approx(direct.pvalue)
    assert change.p_value < 0.001
    assert change.sentence == (
        "Most respondents said their opinion of Prevent became more positive; "
        "a change this large is unlikely to be chance."
    )


def test_rank_biserial_by_hand():
    # |d| = 1: 44 up, 6 down -> ranks 1..50, mean 25.5; |d| = 2: 40 up -> ranks 51..90, mean 70.5
    diffs = {2: 40, 1: 44, 0: 10, -1: 6}
    plus = 44 * 25.5 + 40 * 70.5
    minus = 6 * 25.5
    assert rank_biserial(diffs) == pytest.approx((plus - minus) / (plus + minus))
    # The smaller rank sum is Wilcoxon's W.
    assert wilcoxon(diffs)[0] == pytest.approx(minus)
    assert rank_biserial({0: 5}) is None
    assert rank_biserial({}) is None
    assert rank_biserial({1: 3}) == 1.0
    assert rank_biserial({-2: 3}) == -1.0
    assert rank_biserial({1: 1, -1: 1}) == 0.0


def test_rank_biserial_equals_the_formula_from_scipy_ranks():
    rng = np.random.default_rng(7)
    d = rng.integers(-3, 4, size=200)
    nz = d[d != 0]
    ranks = scipy_stats.rankdata(np.abs(nz))
    expected = (ranks[nz > 0].sum() - ranks[nz < 0].sum()) / ranks.sum()
    counts = {int(v): int((d == v).sum()) for v in np.unique(d)}
    assert rank_biserial(counts) == pytest.approx(expected)
    assert wilcoxon(counts)[1] == pytest.approx(scipy_stats.wilcoxon(d).pvalue)


def test_differences_only_pair_scores_on_the_scale():
    joint = {
        (1, 4): 2,
        (4, 4): 1,
        (DONT_KNOW, 3): 5,
        (3, UNANSWERED): 5,
        (5, 1): 7,  # 5 is off the knowledge scale (1–4)
        (0, 2): 7,
        (True, 2): 7,
        (2, 1): 0,
    }
    assert differences(joint, 4) == {3: 2, 0: 1}
    assert differences({(5, 1): 7}, 5) == {-4: 7}
    with pytest.raises(ValueError):
        differences({(1, 2): -1}, 4)


def test_no_pairs():
    change = paired_change(Measure.KNOWLEDGE, {(DONT_KNOW, DONT_KNOW): 6})
    assert change.pairs == 0 and change.mean_change is None and change.p_value is None
    assert change.effect_size is None and change.too_few
    assert change.sentence.startswith("No respondent gave a score both before and after")


def test_all_the_same_has_no_test():
    change = paired_change(Measure.KNOWLEDGE, {(3, 3): 20})
    assert change.p_value is None and change.statistic is None and change.mean_change == 0
    assert change.sentence == (
        "Every respondent gave the same answer before and after; there was no change to test."
    )


def test_too_few_pairs_warns():
    change = paired_change(Measure.KNOWLEDGE, {(1, 3): MIN_PAIRS - 1})
    assert change.too_few
    assert change.sentence == (
        "Most respondents said their understanding of Prevent improved; with fewer than 10 "
        "people answering both, the test cannot say much."
    )
    assert not paired_change(Measure.KNOWLEDGE, {(1, 3): MIN_PAIRS}).too_few


@pytest.mark.parametrize(
    ("joint", "lead"),
    [
        ({(4, 1): 8, (1, 1): 4}, "Most respondents said their understanding got worse"),
        (
            {(1, 2): 4, (2, 1): 2, (2, 2): 6},
            "More respondents said their understanding of Prevent improved than said their "
            "understanding got worse",
        ),
        (
            {(1, 2): 2, (2, 1): 4, (2, 2): 6},
            "More respondents said their understanding got worse than said their "
            "understanding of Prevent improved",
        ),
        (
            {(1, 2): 3, (2, 1): 3, (2, 2): 6},
            "As many respondents said things got better as said they got worse",
        ),
        # Exactly half improved is not "most".
        ({(1, 2): 6, (2, 2): 6}, "More respondents said their understanding of Prevent improved"),
        ({(2, 1): 6, (2, 2): 6}, "More respondents said their understanding got worse"),
    ],
)
def test_sentences(joint, lead):
    assert paired_change(Measure.KNOWLEDGE, joint).sentence.startswith(lead)


def test_a_change_that_could_be_chance():
    change = paired_change(Measure.KNOWLEDGE, {(1, 2): 7, (2, 1): 5, (2, 2): 10})
    assert change.p_value > 0.05
    assert change.sentence.endswith("; a change this size could be chance.")


def test_opinion_scale_goes_to_five():
    change = paired_change(Measure.OPINION, {(1, 5): 3})
    assert change.pairs == 3 and change.mean_change == 4
    assert paired_change(Measure.KNOWLEDGE, {(1, 5): 3}).pairs == 0


def test_p_value_and_effect_words():
    assert p_value_text(None) == "not tested"
    assert p_value_text(0.0009) == "p < 0.001"
    assert p_value_text(0.001) == "p = 0.001"
    assert p_value_text(0.0312) == "p = 0.031"
    assert [
        effect_size_words(r) for r in (None, 0.0, 0.0999, 0.1, -0.29, 0.3, 0.4999, 0.5, -1)
    ] == [
        "none",
        "negligible",
        "negligible",
        "small",
        "small",
        "medium",
        "medium",
        "large",
        "large",
    ]


def test_zero_handling_is_stated():
    assert "left out of the Wilcoxon signed-rank test" in ZERO_DIFFERENCES_NOTE
    assert "Don't know and unanswered are left out" in ZERO_DIFFERENCES_NOTE
