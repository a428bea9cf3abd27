"""Statistics for the evaluation report (pure functions over counts from SQL).

Everything here takes counts, never responses: the database groups the answers (a handful of
rows per question however many people answered) and these functions turn the counts into
percentages, confidence intervals and the before/after comparison of Annex A questions 8 and 9.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from scipy import stats as scipy_stats

# Fewer pairs than this and the report says the test cannot mean much (the service's own
# threshold: with fewer than 10 changed answers even a unanimous shift is barely "significant").
MIN_PAIRS = 10
# The conventional level below which a change is called "unlikely to be chance".
SIGNIFICANCE = 0.05
Z_95 = 1.959963984540054


def _whole_percent(value: Decimal) -> str:
    """A percentage rounded half up to a whole number ("90%")."""
    return f"{value.quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"


def percent_text(count: int, base: int) -> str:
    """A whole-number percentage rounded half up ("90%"); a dash when there is no base."""
    if base <= 0:
        return "–"
    return _whole_percent(Decimal(count) * 100 / Decimal(base))


def wilson_interval(count: int, base: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for a proportion (95% by default), as fractions 0–1."""
    if base <= 0:
        return (0.0, 1.0)
    if not 0 <= count <= base:
        raise ValueError("count must be between 0 and base")
    p = count / base
    denominator = 1 + z * z / base
    centre = (p + z * z / (2 * base)) / denominator
    half = z * math.sqrt(p * (1 - p) / base + z * z / (4 * base * base)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Proportion:
    """How many of a base said something, with a 95% confidence interval."""

    count: int
    base: int

    @property
    def fraction(self) -> float | None:
        return self.count / self.base if self.base else None

    @property
    def percent(self) -> str:
        return percent_text(self.count, self.base)

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.count, self.base) if self.base else None

    @property
    def interval_text(self) -> str:
        """ "95% confidence interval 82% to 95%", or "" when there is no base."""
        if not self.base:
            return ""
        low, high = wilson_interval(self.count, self.base)
        # Decimal(float) is the float's exact value, so each bound is rounded once: 1 in 9 has an
        # upper bound of 43.49997%, which is 43% (rounded to 4 places first it became 44%).
        return (
            f"95% confidence interval {_whole_percent(Decimal(low) * 100)} "
            f"to {_whole_percent(Decimal(high) * 100)}"
        )

    def meets(self, target_percent: Decimal) -> bool:
        """Exactly (no rounding): is count/base at least target_percent per cent?"""
        return self.base > 0 and Decimal(self.count) * 100 >= target_percent * self.base


class Measure(enum.StrEnum):
    """The two before/after questions of Annex A."""

    KNOWLEDGE = "knowledge"  # question 8: Very poor 1 … Very Good 4
    OPINION = "opinion"  # question 9: Very negative 1 … Very positive 5


SCALE_MAX = {Measure.KNOWLEDGE: 4, Measure.OPINION: 5}
_IMPROVED_WORDS = {
    Measure.KNOWLEDGE: "their understanding of Prevent improved",
    Measure.OPINION: "their opinion of Prevent became more positive",
}
_WORSE_WORDS = {
    Measure.KNOWLEDGE: "their understanding got worse",
    Measure.OPINION: "their opinion became more negative",
}

# A score on the scale, or one of these for an answer that is not scored.
DONT_KNOW = "dont_know"
UNANSWERED = "unanswered"
Answer = int | str


@dataclass(frozen=True)
class PairedChange:
    """Before against after among respondents who gave a score both times."""

    measure: Measure
    before: dict[Answer, int]  # distribution before, Don't know and unanswered included
    after: dict[Answer, int]
    pairs: int
    improved: int
    same: int
    worse: int
    mean_change: float | None
    statistic: float | None  # Wilcoxon signed-rank W (the smaller rank sum)
    p_value: float | None
    effect_size: float | None  # matched-pairs rank-biserial correlation, -1 … 1
    too_few: bool
    sentence: str

    @property
    def improved_share(self) -> Proportion:
        return Proportion(self.improved, self.pairs)

    @property
    def same_share(self) -> Proportion:
        return Proportion(self.same, self.pairs)

    @property
    def worse_share(self) -> Proportion:
        return Proportion(self.worse, self.pairs)


ZERO_DIFFERENCES_NOTE = (
    "Respondents whose answer was the same before and after are counted as "
    '"stayed the same" and left out of the Wilcoxon signed-rank test, as the test '
    "usually does (zero_method='wilcox'). Don't know and unanswered are left out of every score."
)


def _is_score(answer: Answer, top: int) -> bool:
    return isinstance(answer, int) and not isinstance(answer, bool) and 1 <= answer <= top


def differences(joint: Mapping[tuple[Answer, Answer], int], top: int) -> dict[int, int]:
    """Counts of after − before among pairs where both answers are scores."""
    result: dict[int, int] = {}
    for (before, after), count in joint.items():
        if count < 0:
            raise ValueError("counts cannot be negative")
        if count and _is_score(before, top) and _is_score(after, top):
            diff = int(after) - int(before)
            result[diff] = result.get(diff, 0) + count
    return result


def rank_biserial(diffs: Mapping[int, int]) -> float | None:
    """Matched-pairs rank-biserial correlation: (R+ − R−) / (R+ + R−), zeros dropped.

    Ranks of |difference| are averaged over ties, as in the Wilcoxon test itself.
    """
    by_size: dict[int, list[int]] = {}
    for diff, count in diffs.items():
        if diff != 0 and count:
            by_size.setdefault(abs(diff), [0, 0])
            by_size[abs(diff)][0 if diff > 0 else 1] += count
    rank_start = 1
    plus = minus = 0.0
    for size in sorted(by_size):
        up, down = by_size[size]
        n = up + down
        mean_rank = rank_start + (n - 1) / 2
        plus += up * mean_rank
        minus += down * mean_rank
        rank_start += n
    total = plus + minus
    if total == 0:
        return None
    return (plus - minus) / total


def wilcoxon(diffs: Mapping[int, int]) -> tuple[float, float] | None:
    """scipy's two-sided Wilcoxon signed-rank test on the differences: (W, p), or None."""
    nonzero = {d: c for d, c in diffs.items() if d != 0 and c}
    if not nonzero:
        return None
    values = np.repeat(
        np.array(list(nonzero), dtype=np.int64), np.array(list(nonzero.values()), dtype=np.int64)
    )
    result = scipy_stats.wilcoxon(values, zero_method="wilcox", alternative="two-sided")
    return float(result.statistic), float(result.pvalue)


def improved_words(measure: Measure) -> str:
    """How the report says a score went up: "their understanding of Prevent improved"."""
    return _IMPROVED_WORDS[measure]


def worse_words(measure: Measure) -> str:
    """How the report says a score went down: "their understanding got worse"."""
    return _WORSE_WORDS[measure]


def _sentence(measure: Measure, pairs: int, improved: int, worse: int, p: float | None) -> str:
    if pairs == 0:
        return "No respondent gave a score both before and after, so there is nothing to compare."
    if improved * 2 > pairs:
        lead = f"Most respondents said {_IMPROVED_WORDS[measure]}"
    elif worse * 2 > pairs:
        lead = f"Most respondents said {_WORSE_WORDS[measure]}"
    elif improved > worse:
        lead = f"More respondents said {_IMPROVED_WORDS[measure]} than said {_WORSE_WORDS[measure]}"
    elif worse > improved:
        lead = f"More respondents said {_WORSE_WORDS[measure]} than said {_IMPROVED_WORDS[measure]}"
    elif improved == 0:
        lead = "Every respondent gave the same answer before and after"
    else:
        lead = "As many respondents said things got better as said they got worse"
    if pairs < MIN_PAIRS:
        # Not the number itself: the report shows a count of 1 to 4 as "fewer than 5".
        return (
            f"{lead}; with fewer than {MIN_PAIRS} people answering both, the test cannot say much."
        )
    if p is None:
        return f"{lead}; there was no change to test."
    if p < SIGNIFICANCE:
        return f"{lead}; a change this large is unlikely to be chance."
    return f"{lead}; a change this size could be chance."


def paired_change(measure: Measure, joint: Mapping[tuple[Answer, Answer], int]) -> PairedChange:
    """Compare before and after from the joint counts of (before, after) answers.

    `joint` maps each (before, after) combination to how many respondents gave it; answers are
    scores 1…top, DONT_KNOW or UNANSWERED. Only respondents with a score both times are paired.
    """
    top = SCALE_MAX[measure]
    before: dict[Answer, int] = {}
    after: dict[Answer, int] = {}
    for (b, a), count in joint.items():
        before[b] = before.get(b, 0) + count
        after[a] = after.get(a, 0) + count
    diffs = differences(joint, top)
    pairs = sum(diffs.values())
    improved = sum(c for d, c in diffs.items() if d > 0)
    worse = sum(c for d, c in diffs.items() if d < 0)
    same = diffs.get(0, 0)
    mean = sum(d * c for d, c in diffs.items()) / pairs if pairs else None
    test = wilcoxon(diffs)
    statistic, p_value = test if test else (None, None)
    return PairedChange(
        measure=measure,
        before=before,
        after=after,
        pairs=pairs,
        improved=improved,
        same=same,
        worse=worse,
        mean_change=mean,
        statistic=statistic,
        p_value=p_value,
        effect_size=rank_biserial(diffs),
        too_few=pairs < MIN_PAIRS,
        sentence=_sentence(measure, pairs, improved, worse, p_value),
    )


def p_value_text(p: float | None) -> str:
    """A p-value as a reader expects it: "p < 0.001", "p = 0.03", or "not tested"."""
    if p is None:
        return "not tested"
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}"


def effect_size_words(r: float | None) -> str:
    """Cohen's rough labels for the size of a correlation, as words."""
    if r is None:
        return "none"
    size = abs(r)
    if size < 0.1:
        return "negligible"
    if size < 0.3:
        return "small"
    if size < 0.5:
        return "medium"
    return "large"
