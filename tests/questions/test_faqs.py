"""The Prevent FAQs are the handbook's words (QUALITY 28), and suggestions match whole words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from eventapp.questions import faqs

# The repository's copy (tests/handbook checks it against the shared handbook).
HANDBOOK = Path(__file__).resolve().parents[1] / "handbook" / "community-events-handbook.md"


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def handbook() -> str:
    return _normalised(HANDBOOK.read_text(encoding="utf-8"))


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


@pytest.mark.parametrize("faq", faqs.PREVENT_FAQS, ids=lambda f: f.key)
def test_each_keyword_suggests_its_faq(faq: faqs.Faq) -> None:
    assert faq.keywords, faq.key
    for keyword in faq.keywords:
        assert faq.key in [f.key for f in faqs.suggest(f"What about {keyword}?", limit=12)], keyword
        assert faq.key in [f.key for f in faqs.suggest(keyword.upper(), limit=12)], keyword


def test_at_most_three_by_default_and_more_hits_rank_first() -> None:
    text = "spy speech university mental criminal rebrand"
    assert len(faqs.suggest(text)) == 3
    assert len(faqs.suggest(text, limit=12)) == 5
    # Two keywords of one FAQ beat one keyword of an FAQ the handbook lists earlier.
    assert [f.key for f in faqs.suggest("rebrand: mental health")][:2] == [
        "mental_health",
        "rebrand",
    ]
    assert [f.key for f in faqs.suggest("Can a university spy on free speech on campus?")][
        0
    ] == "free_speech"


# Every keyword, written out: a keyword dropped or changed by mistake fails here.
KEYWORD_TABLE = [
    ("toxic", "toxic_brand"),
    ("brand", "toxic_brand"),
    ("trust", "toxic_brand"),
    ("reputation", "toxic_brand"),
    ("muslim", "target_muslims"),
    ("muslims", "target_muslims"),
    ("islam", "target_muslims"),
    ("faith", "target_muslims"),
    ("religion", "target_muslims"),
    ("target", "target_muslims"),
    ("far-right", "far_right"),
    ("far right", "far_right"),
    ("right-wing", "far_right"),
    ("right wing", "far_right"),
    ("mixed", "mixed_ideology"),
    ("unclear", "mixed_ideology"),
    ("unstable", "mixed_ideology"),
    ("ideology", "mixed_ideology"),
    ("rebrand", "rebrand"),
    ("rename", "rebrand"),
    ("spy", "spying"),
    ("spying", "spying"),
    ("surveillance", "spying"),
    ("informant", "spying"),
    ("informer", "spying"),
    ("criminal", "criminal_record"),
    ("record", "criminal_record"),
    ("conviction", "criminal_record"),
    ("career", "criminal_record"),
    ("referral", "referral_numbers"),
    ("referrals", "referral_numbers"),
    ("cases", "referral_numbers"),
    ("outlier", "referral_numbers"),
    ("speech", "free_speech"),
    ("university", "free_speech"),
    ("universities", "free_speech"),
    ("campus", "free_speech"),
    ("academic", "free_speech"),
    ("effective", "projects_effective"),
    ("evaluation", "projects_effective"),
    ("evaluate", "projects_effective"),
    ("projects", "projects_effective"),
    ("mental", "mental_health"),
    ("health", "mental_health"),
    ("autism", "mental_health"),
    ("desistance", "ddp"),
    ("disengagement", "ddp"),
    ("ddp", "ddp"),
    ("prison", "ddp"),
    ("probation", "ddp"),
]


@pytest.mark.parametrize(("keyword", "key"), KEYWORD_TABLE)
def test_the_keyword_table(keyword: str, key: str) -> None:
    assert key in [f.key for f in faqs.suggest(f"A question on {keyword} here", limit=12)]


def test_no_keyword_is_left_out_of_the_table() -> None:
    assert sorted(KEYWORD_TABLE) == sorted(
        (k, key) for key, ks in faqs.KEYWORDS.items() for k in ks
    )
