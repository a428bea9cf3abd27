"""Before/after: no sentence or p-value that could tell counts shown as "fewer than 5" apart.

With 10 pairs of which 6 stayed the same, improved and got worse both show as "fewer than 5"
(they add up to 4). "As many better as worse" would reveal 2 and 2, "more improved" 3 and 1,
and the p-value (1.000 against 0.625) the same; so neither is printed while a count is hidden.
"""

from __future__ import annotations

import pytest

from eventapp.evaluation.dashboard import pooled_change
from eventapp.evaluation.report import HIDDEN_DIRECTION, HIDDEN_TEST, change
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
