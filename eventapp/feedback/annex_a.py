"""Annex A of the handbook, "Community Feedback Form", as data: every question, in order,
with its exact wording, its answer options, and the keys under which answers are stored.

This module is the single source of the form's wording (the public form, the paper form,
paper entry, the demo data and the evaluation all read it). Stems and option labels are
Annex A's own text, character for character (its capitals, spacing and en dashes: "Very
Good", "Education (Primary/ Secondary/ Further)", "0 – 14 years"); a test compares them
with ``../shared/handbook/community-events-handbook.md``.

Storage keys (``eventapp.feedback.models``): one answer per *item* of a response:

====================  ============================================================
``gender``            Q1  MALE … (see ``QUESTIONS``)
``age``               Q2
``sector``            Q3  (keys are ``eventapp.handbook.Sector`` values; "other" has text)
``heard``             Q4  ("other" has text)
``interest``          Q5
``recommend``         Q6
``video``             Q7  only asked when the event played the video
``knowledge_before``  Q8a  the Prevent programme BEFORE today's event
``knowledge_after``   Q8b  … AFTER today's event
``opinion_before``    Q9a
``opinion_after``     Q9b
``element``           Q10 ("home_office_qa" and "video" only offered when they applied)
====================  ============================================================

``ITEM_KEYS`` lists them in order; ``SCORES`` gives the ordinal score of the before/after
scales (Don't know scores None) for the evaluation's paired comparison.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

from eventapp.handbook import SECTOR_LABELS, Sector

INTRODUCTION = (
    "Thank you for participating in the event and evaluation survey, your participation is "
    "both valued and important. These questions are to help us understand the usefulness of "
    "this event workshop so that we can improve the content and structure for future events. "
    "Please do not include your name in the survey, your responses are and will remain "
    "anonymous and confidential."
)
TITLE = "Community Feedback Form"
TICK_ONE = "Please tick one box."

# The most characters kept from an "Other (please state)" answer.
OTHER_MAX = 200
OTHER = "other"


class Condition(enum.StrEnum):
    """What must have happened at the event for a question or option to be shown."""

    VIDEO = "video"  # the event played the video (Event.intro_video)
    HOME_OFFICE_QA = "home_office_qa"  # a Home Office representative spoke (home_office_speaking)


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    condition: Condition | None = None


@dataclass(frozen=True)
class Item:
    """Something answered with one option: a whole question, or one line of a pair."""

    key: str
    options: tuple[Option, ...]
    # For the lines of Q8 and Q9: "a" / "b", the line's text and the word printed underlined.
    letter: str = ""
    text: str = ""
    emphasis: str = ""

    @property
    def has_other(self) -> bool:
        return any(o.key == OTHER for o in self.options)

    def option(self, key: str) -> Option | None:
        return next((o for o in self.options if o.key == key), None)


@dataclass(frozen=True)
class Question:
    number: int  # Annex A's number
    key: str
    stem: str  # Annex A's wording, without the "Please tick one box." instruction
    items: tuple[Item, ...]
    condition: Condition | None = None
    # Annex A's own routing note printed before the stem on paper ("(If video was played)").
    note: str = ""
    instruction: str = TICK_ONE  # Annex A prints none on the grids of Q8 and Q9
    pair: bool = field(default=False)

    def options_for(self, item: Item, applies: Iterable[Condition]) -> tuple[Option, ...]:
        """The item's options shown for an event where ``applies`` happened."""
        happened = set(applies)
        return tuple(o for o in item.options if o.condition is None or o.condition in happened)


def _options(*pairs: tuple[str, str]) -> tuple[Option, ...]:
    return tuple(Option(key, label) for key, label in pairs)


YES_NO = _options(("yes", "Yes"), ("no", "No"), ("dont_know", "Don't know"))

KNOWLEDGE_SCALE = _options(
    ("very_poor", "Very poor"),
    ("poor", "Poor"),
    ("good", "Good"),
    ("very_good", "Very Good"),
    ("dont_know", "Don't know"),
)
OPINION_SCALE = _options(
    ("very_negative", "Very negative"),
    ("negative", "Negative"),
    ("neutral", "Neutral"),
    ("positive", "Positive"),
    ("very_positive", "Very positive"),
    ("dont_know", "Don't know"),
)

BEFORE_TEXT = "The Prevent programme BEFORE today's event?"
AFTER_TEXT = "The Prevent programme AFTER today's event?"


def _pair(key: str, scale: tuple[Option, ...]) -> tuple[Item, ...]:
    return (
        Item(f"{key}_before", scale, letter="a", text=BEFORE_TEXT, emphasis="BEFORE"),
        Item(f"{key}_after", scale, letter="b", text=AFTER_TEXT, emphasis="AFTER"),
    )


def _single(key: str, options: tuple[Option, ...]) -> tuple[Item, ...]:
    return (Item(key, options),)


QUESTIONS: tuple[Question, ...] = (
    Question(
        1,
        "gender",
        "What is your gender?",
        _single(
            "gender",
            _options(("male", "Male"), ("female", "Female"), ("prefer_not", "Prefer not to say")),
        ),
    ),
    Question(
        2,
        "age",
        "What is your age?",
        _single(
            "age",
            _options(
                ("0_14", "0 – 14 years"),
                ("15_24", "15 – 24 years"),
                ("25_34", "25 – 34 years"),
                ("35_44", "35 – 44 years"),
                ("45_54", "45 – 54 years"),
                ("55_64", "55 – 64 years"),
                ("65_over", "65 years and over"),
                ("prefer_not", "Prefer not to say"),
            ),
        ),
    ),
    Question(
        3,
        "sector",
        "Which of the following best represents the sector you currently work in?",
        _single("sector", tuple(Option(s.value, SECTOR_LABELS[s]) for s in Sector)),
    ),
    Question(
        4,
        "heard",
        "How did you hear about today's event?",
        _single(
            "heard",
            _options(
                ("council_website", "Local authority/council website"),
                ("facebook_twitter", "Facebook or Twitter"),
                ("noticeboard", "Noticeboard"),
                ("leaflet", "Leaflet"),
                ("email", "Email"),
                ("phone_call", "Phone call"),
                ("word_of_mouth", "Word of mouth"),
                (OTHER, "Other (please state)"),
            ),
        ),
    ),
    Question(
        5,
        "interest",
        "How interesting did you find the event you just attended?",
        _single(
            "interest",
            _options(
                ("very_interesting", "Very interesting"),
                ("interesting", "Interesting"),
                ("uninteresting", "Uninteresting"),
                ("very_uninteresting", "Very uninteresting"),
                ("dont_know", "Don't know"),
            ),
        ),
    ),
    Question(
        6,
        "recommend",
        "Would you recommend attending this kind of event to a friend or family member?",
        _single("recommend", YES_NO),
    ),
    Question(
        7,
        "video",
        "Do you feel the video played during the session increased your understanding of Prevent?",
        _single("video", YES_NO),
        condition=Condition.VIDEO,
        note="(If video was played)",
    ),
    Question(
        8,
        "knowledge",
        "How would you rate your knowledge and understanding of:",
        _pair("knowledge", KNOWLEDGE_SCALE),
        instruction="",
        pair=True,
    ),
    Question(
        9,
        "opinion",
        "How would you describe your opinion of:",
        _pair("opinion", OPINION_SCALE),
        instruction="",
        pair=True,
    ),
    Question(
        10,
        "element",
        "Which element of the event did you find most interesting?",
        _single(
            "element",
            (
                Option("presentation", "Presentation"),
                Option("networking", "Networking"),
                Option(
                    "meeting_local",
                    "Meeting local Prevent Co-ordinator or local authority representative",
                ),
                Option(
                    "home_office_qa",
                    "Q&A with Home Office representative (if applicable)",
                    Condition.HOME_OFFICE_QA,
                ),
                Option("video", "Video (if applicable)", Condition.VIDEO),
                Option("group_discussion", "Group discussion"),
            ),
        ),
    ),
)

ITEMS: tuple[Item, ...] = tuple(item for q in QUESTIONS for item in q.items)
ITEM_KEYS: tuple[str, ...] = tuple(item.key for item in ITEMS)
ITEM_BY_KEY: dict[str, Item] = {item.key: item for item in ITEMS}
QUESTION_OF_ITEM: dict[str, Question] = {item.key: q for q in QUESTIONS for item in q.items}
# Items whose "Other (please state)" option carries the text the person wrote.
OTHER_ITEMS: tuple[str, ...] = tuple(item.key for item in ITEMS if item.has_other)
# The before/after pairs: (before item key, after item key).
PAIRS: tuple[tuple[str, str], ...] = (
    ("knowledge_before", "knowledge_after"),
    ("opinion_before", "opinion_after"),
)
# Ordinal scores of the before/after scales; "Don't know" is not on the scale (None).
SCORES: dict[str, dict[str, int | None]] = {
    **{
        key: {"very_poor": 1, "poor": 2, "good": 3, "very_good": 4, "dont_know": None}
        for key in ("knowledge_before", "knowledge_after")
    },
    **{
        key: {
            "very_negative": 1,
            "negative": 2,
            "neutral": 3,
            "positive": 4,
            "very_positive": 5,
            "dont_know": None,
        }
        for key in ("opinion_before", "opinion_after")
    },
}


def questions_for(applies: Iterable[Condition]) -> tuple[Question, ...]:
    """The questions asked at an event where ``applies`` happened (Q7 only after the video)."""
    happened = set(applies)
    return tuple(q for q in QUESTIONS if q.condition is None or q.condition in happened)


def label(item_key: str, option_key: str | None) -> str:
    """The Annex A wording of a stored answer ("Not answered" for none)."""
    if option_key is None:
        return "Not answered"
    item = ITEM_BY_KEY[item_key]
    option = item.option(option_key)
    return option.label if option else option_key
