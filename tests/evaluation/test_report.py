"""The report's sections from counts: headline figures, before/after, tables, withholding."""

from __future__ import annotations

from eventapp.evaluation.report import (
    NATIONAL_MORE_POSITIVE,
    NATIONAL_RECOMMEND,
    build_sections,
    headline,
    proportion_of,
    question_tables,
)
from eventapp.evaluation.stats import DONT_KNOW, UNANSWERED, Measure
from eventapp.evaluation.suppression import FEWER_THAN_TEXT, WITHHELD_TEXT
from eventapp.feedback.annex_a import Condition

# Exactly 90 of 100 would recommend, and 84 of 100 pairs became more positive.
OPTIONS_90 = {
    "recommend": {"yes": 90, "no": 6, "dont_know": 4, None: 3},
    "video": {"yes": 70, "no": 20, "dont_know": 10},
    "gender": {"male": 40, "female": 57, "prefer_not": 3, None: 3},
    "opinion_before": {
        "very_negative": 14,
        "negative": 40,
        "neutral": 40,
        "positive": 6,
        "dont_know": 3,
    },
}
JOINT_84 = {
    "opinion": {(2, 4): 40, (3, 4): 30, (1, 2): 14, (3, 3): 10, (4, 3): 6, (DONT_KNOW, 4): 3},
    "knowledge": {(1, 3): 60, (2, 2): 30, (3, 2): 10, (UNANSWERED, UNANSWERED): 3},
}


def sections(**overrides):
    args = {
        "responses": 103,
        "options": OPTIONS_90,
        "joint": JOINT_84,
        "applies": {Condition.VIDEO},
    } | overrides
    return build_sections(**args)


def test_the_handbook_national_figures_come_out_exactly():
    built = sections()
    recommend, positive, video = built.headlines
    assert (recommend.percent, recommend.count_text, recommend.national) == (
        "90%",
        "90 of 100",
        "90%",
    )
    assert (positive.percent, positive.count_text, positive.national) == ("84%", "84 of 100", "84%")
    assert (video.percent, video.count_text, video.national) == ("70%", "70 of 100", "")
    assert (NATIONAL_RECOMMEND, NATIONAL_MORE_POSITIVE) == ("90%", "84%")


def test_video_headline_only_when_the_video_was_played():
    assert len(sections(applies=set()).headlines) == 2
    keys = [t.key for t in sections(applies=set()).tables]
    assert "video" not in keys and "recommend" in keys


def test_below_five_responses_the_feedback_is_withheld():
    for responses in (0, 1, 4):
        built = sections(responses=responses)
        assert built.withheld and not built.tables and not built.headlines and not built.changes
    assert not sections(responses=5).withheld


def test_before_after_tables_and_shifts():
    built = sections()
    knowledge, opinion = built.changes
    assert knowledge.measure is Measure.KNOWLEDGE and opinion.measure is Measure.OPINION
    assert [(r.label, r.cell.text, r.percent) for r in opinion.shifts] == [
        ("Improved", "84", "84%"),
        ("Stayed the same", "10", "10%"),
        ("Got worse", "6", "6%"),
    ]
    assert opinion.pairs.text == "100" and opinion.numbers_shown
    assert opinion.mean_change_text == "+1.18"
    assert opinion.p_text == "p < 0.001"
    assert opinion.effect_text.endswith("(large)")
    # The before and after tables use Annex A's wording, Don't know included.
    assert [r.label for r in opinion.before.rows] == [
        "Very negative",
        "Negative",
        "Neutral",
        "Positive",
        "Very positive",
        "Don't know",
    ]
    assert opinion.before.rows[-1].cell.text == FEWER_THAN_TEXT  # 3 said Don't know before
    assert opinion.before.total.text == "103"
    assert knowledge.before.total.text == "0"  # no option counts given for question 8


def test_small_shifts_hide_the_numbers_that_could_give_them_away():
    built = sections(joint={"opinion": {(2, 4): 20, (4, 3): 2, (3, 3): 8}})
    opinion = built.changes[1]
    texts = [r.cell.text for r in opinion.shifts]
    assert texts[2] == FEWER_THAN_TEXT and WITHHELD_TEXT in texts
    assert not opinion.numbers_shown
    assert proportion_of(built.headlines[1]) is None or opinion.pairs.shown


def test_question_tables_protect_small_counts_and_keep_not_answered():
    tables = {t.key: t for t in question_tables(OPTIONS_90, {Condition.VIDEO})}
    gender = tables["gender"]
    assert [(r.label, r.cell.text, r.percent) for r in gender.rows] == [
        ("Male", WITHHELD_TEXT, ""),
        ("Female", "57", "57%"),
        ("Prefer not to say", FEWER_THAN_TEXT, ""),
    ]
    assert gender.total.text == "100" and gender.not_answered == 3
    assert gender.title == "1. What is your gender?"
    assert gender.any_hidden
    assert "<title" in gender.chart and "fewer than 5" in gender.chart
    # Q10 offers the Home Office and video options only where they applied.
    element = tables["element"]
    assert [r.label for r in element.rows] == [
        "Presentation",
        "Networking",
        "Meeting local Prevent Co-ordinator or local authority representative",
        "Video (if applicable)",
        "Group discussion",
    ]
    knowledge_after = tables["knowledge_after"]
    assert knowledge_after.title.startswith("8. How would you rate your knowledge")


def test_headline_is_protected_like_a_table():
    small = headline("x", 3, 20)
    assert small.yes.text == FEWER_THAN_TEXT and small.percent == ""
    assert proportion_of(small) is None
    whole = headline("x", 20, 20)
    assert whole.percent == "100%" and proportion_of(whole).count == 20
    none = headline("x", 0, 0)
    assert none.percent == "" and none.count_text == "0 of 0"
