"""Before/after: no sentence or p-value that could tell counts shown as "fewer than 5" apart.

With 10 pairs of which 6 stayed the same, improved and got worse both show as "fewer than 5"
(they add up to 4). "As many better as worse" would reveal 2 and 2, "more improved" 3 and 1,
and the p-value (1.000 against 0.625) the same; so neither is printed while a count is hidden.
"""

from __future__ import annotations

import pytest

from eventapp.evaluation import stats
from eventapp.evaluation.dashboard import pooled_change
from eventapp.evaluation.report import HIDDEN_DIRECTION, HIDDEN_TEST, HIDDEN_TEST_TAIL, change
from eventapp.evaluation.stats import Measure, p_value_text


def joint(improved: int, same: int, worse: int) -> dict[tuple[int | str, int | str], int]:
    """Knowledge answers: improved 2→3, same 2→2, worse 3→2."""
    return {(2, 3): improved, (2, 2): same, (3, 2): worse}


@pytest.mark.parametrize(("improved", "worse"), [(2, 2), (3, 1), (1, 3), (4, 0), (0, 4)])
def test_hidden_counts_get_no_direction_and_no_p_value(improved: int, worse: int) -> None:
    report_change = change(Measure.KNOWLEDGE, joint(improved, 6, worse), {})
    board_change = pooled_change(Measure.KNOWLEDGE, joint(improved, 6, worse))

    assert not report_change.numbers_shown
    assert report_change.sentence == board_change.sentence == HIDDEN_DIRECTION
    assert report_change.p_text == HIDDEN_TEST
    # Every case reads the same, whatever the hidden split.
    assert "fewer than 5" in HIDDEN_DIRECTION


def test_published_counts_keep_the_sentence_and_the_test() -> None:
    report_change = change(Measure.KNOWLEDGE, joint(30, 10, 5), {})
    board_change = pooled_change(Measure.KNOWLEDGE, joint(30, 10, 5))

    assert report_change.numbers_shown
    assert report_change.sentence == board_change.sentence == report_change.result.sentence
    assert report_change.sentence.startswith("Most respondents said")
    assert report_change.p_text == p_value_text(report_change.result.p_value)


def test_nobody_paired_still_says_there_is_nothing_to_compare() -> None:
    report_change = change(Measure.OPINION, {}, {})
    assert report_change.sentence == report_change.result.sentence
    assert report_change.sentence.startswith("No respondent gave a score both")


def test_a_direction_the_published_counts_prove_is_still_said() -> None:
    """The demo's shape: 24 of 40 improved, fewer than 5 got worse. "Most improved" follows
    from 24 and 40 alone, so it is said; the test, which could split the rest, is not."""
    report_change = change(Measure.KNOWLEDGE, joint(24, 12, 4), {})
    assert report_change.sentence == (
        "Most respondents said their understanding of Prevent improved; "
        "the test is not shown, as it could reveal counts of fewer than 5."
    )
    assert report_change.p_text == HIDDEN_TEST


def _published(c: object) -> tuple[str, ...]:
    return tuple(row.cell.text for row in c.shifts) + (c.pairs.text,)  # type: ignore[attr-defined]


def _fast_wilcoxon(diffs: dict[int, int]) -> tuple[float, float] | None:
    """A stand-in that, like the real test, gives a different p for each split (fast)."""
    up = sum(n for d, n in diffs.items() if d > 0)
    down = sum(n for d, n in diffs.items() if d < 0)
    if up + down == 0:
        return None
    return 0.0, (1 + up * 3 + down * 7) / 1000


@pytest.mark.parametrize("measure", list(Measure))
def test_what_is_printed_depends_only_on_the_published_counts(
    measure: Measure, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every table of up to 11 in each cell: tables that publish the same cells print the same
    sentence and the same test result, so neither can tell hidden counts apart. (The test's
    p-value is a fast stand-in that differs with every split, as the real one may.)"""
    monkeypatch.setattr(stats, "wilcoxon", _fast_wilcoxon)
    printed: dict[tuple[str, ...], set[tuple[str, str]]] = {}
    leads = 0
    for improved in range(12):
        for same in range(12):
            for worse in range(12):
                c = change(measure, joint(improved, same, worse), {})
                printed.setdefault(_published(c), set()).add((c.sentence, c.p_text))
                leads += c.sentence.endswith(HIDDEN_TEST_TAIL)
    assert all(len(texts) == 1 for texts in printed.values()), [
        (cells, texts) for cells, texts in printed.items() if len(texts) > 1
    ][:3]
    assert leads > 0  # some hidden tables still say which way answers moved
