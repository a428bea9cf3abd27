"""Annex A's wording, checked against the handbook itself: every stem and option, in order,
and nothing more (the count of tick boxes of each question)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from eventapp.feedback import annex_a
from eventapp.handbook import SECTOR_LABELS

# The repository's copy of the handbook; tests/handbook checks it is the shared one, word for
# word, wherever the shared handbook sits beside the clone. So this test runs in every clone.
HANDBOOK = Path(__file__).resolve().parents[1] / "handbook" / "community-events-handbook.md"
BOX = "☐"
CHECKBOX = '<input type="checkbox"/>'


def annex_text() -> str:
    text = HANDBOOK.read_text(encoding="utf-8")
    start = text.rindex("Annex A: Community Feedback Form")
    return text[start : text.index("Annex B: Useful Resources", start)]


def plain(text: str) -> str:
    """The handbook's text without its markup: underline tags gone, white space single."""
    return " ".join(re.sub(r"</?u>", "", text).replace("*", "").split())


def segments() -> dict[int, str]:
    """Each question's text, from its number to the next question's."""
    text = annex_text()
    starts = [m.start() for m in re.finditer(r"^\d+\. ", text, flags=re.M)]
    assert len(starts) == 10
    return {
        number: text[start : (starts[number] if number < 10 else len(text))]
        for number, start in enumerate(starts, start=1)
    }


def test_introduction_is_annex_a_word_for_word() -> None:
    assert annex_a.INTRODUCTION in plain(annex_text())
    assert annex_a.TITLE == "Community Feedback Form"


@pytest.mark.parametrize("question", annex_a.QUESTIONS, ids=lambda q: f"Q{q.number}-{q.key}")
def test_stem_and_options_in_order_and_complete(question: annex_a.Question) -> None:
    raw = segments()[question.number]
    text = plain(raw)
    prefix = f"{question.number}. {question.note + ' ' if question.note else ''}{question.stem}"
    assert text.startswith(prefix), (text[:120], prefix)
    assert (
        (question.instruction in text) if question.instruction else (annex_a.TICK_ONE not in text)
    )
    position = len(prefix)
    labels = [o.label for o in question.items[0].options]
    for label in labels:
        found = text.find(label, position)
        assert found >= 0, f"{label!r} not after position {position} in {text!r}"
        position = found + len(label)
    if question.pair:
        for item in question.items:
            assert item.options == question.items[0].options
            line = f"{item.letter}. {item.text}"
            found = text.find(line, position)
            assert found >= 0, line
            position = found + len(line)
            assert f"<u>{item.emphasis}</u>" in raw
        assert raw.count(CHECKBOX) == len(labels) * len(question.items)
    else:
        assert raw.count(BOX) == len(labels)


def test_numbers_keys_and_items_are_stable() -> None:
    assert [q.number for q in annex_a.QUESTIONS] == list(range(1, 11))
    assert annex_a.ITEM_KEYS == (
        "gender",
        "age",
        "sector",
        "heard",
        "interest",
        "recommend",
        "video",
        "knowledge_before",
        "knowledge_after",
        "opinion_before",
        "opinion_after",
        "element",
    )
    assert annex_a.OTHER_ITEMS == ("sector", "heard")
    for item in annex_a.ITEMS:
        keys = [o.key for o in item.options]
        assert len(keys) == len(set(keys)), item.key
        assert all(re.fullmatch(r"[a-z0-9_]{1,32}", k) for k in keys)


def test_sector_options_are_the_shared_sector_list() -> None:
    assert [o.label for o in annex_a.ITEM_BY_KEY["sector"].options] == list(SECTOR_LABELS.values())


def test_conditional_question_and_options() -> None:
    none = annex_a.questions_for([])
    assert "video" not in [q.key for q in none]
    element = annex_a.QUESTIONS[-1]
    assert [o.key for o in element.options_for(element.items[0], [])] == [
        "presentation",
        "networking",
        "meeting_local",
        "group_discussion",
    ]
    both = [annex_a.Condition.VIDEO, annex_a.Condition.HOME_OFFICE_QA]
    assert len(element.options_for(element.items[0], both)) == 6
    assert [q.number for q in annex_a.questions_for(both)] == list(range(1, 11))


def test_scores_cover_the_scales() -> None:
    assert annex_a.SCORES["knowledge_before"]["very_good"] == 4
    assert annex_a.SCORES["opinion_after"]["very_negative"] == 1
    assert annex_a.SCORES["opinion_after"]["dont_know"] is None
    for before, after in annex_a.PAIRS:
        assert set(annex_a.SCORES[before]) == {o.key for o in annex_a.ITEM_BY_KEY[before].options}
        assert annex_a.SCORES[before] == annex_a.SCORES[after]


def test_label_of_stored_answers() -> None:
    assert annex_a.label("age", "0_14") == "0 – 14 years"
    assert annex_a.label("age", None) == "Not answered"
