"""The Prevent FAQs are the handbook's words (QUALITY 28), and suggestions match whole words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from eventapp.questions import faqs

HANDBOOK = (
    Path(__file__).resolve().parents[3] / "shared" / "handbook" / "community-events-handbook.md"
)


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def handbook() -> str:
    for candidate in (HANDBOOK, Path("/work/shared/handbook/community-events-handbook.md")):
        if candidate.exists():
            return _normalised(candidate.read_text(encoding="utf-8"))
    pytest.skip("the handbook's text is not next to this checkout")


def test_every_question_response_and_the_warning_are_in_the_handbook(handbook: str) -> None:
    assert _normalised(faqs.STATISTICS_WARNING) in handbook
    assert len(faqs.PREVENT_FAQS) == 12
    assert set(faqs.KEYWORDS) == set(faqs.FAQ_BY_KEY), "every FAQ has keywords, and no others"
    for faq in faqs.PREVENT_FAQS:
        assert faq.question in handbook, faq.key
        for paragraph in faq.response:
            assert _normalised(paragraph) in handbook, (faq.key, paragraph[:60])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Does Prevent target Muslims?", ["target_muslims"]),
        ("Will my son get a criminal record?", ["criminal_record"]),
        ("Is this spying?", ["spying"]),
        ("What about far-right groups?", ["far_right"]),
        ("The far right is growing", ["far_right"]),
        ("It was recorded on video", []),  # "record" is a whole word only
        ("", []),
    ],
)
def test_suggestions(text: str, expected: list[str]) -> None:
    assert [f.key for f in faqs.suggest(text)] == expected


def test_suggestions_rank_by_matches_then_handbook_order() -> None:
    keys = [f.key for f in faqs.suggest("spying at university on free speech", limit=5)]
    assert keys[0] == "free_speech"  # three keywords beat one
    assert "spying" in keys
    assert len(faqs.suggest("spy speech university mental criminal", limit=2)) == 2
