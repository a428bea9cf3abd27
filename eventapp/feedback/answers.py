"""Checking a filled-in Annex A form: pure functions, the one place its rules live.

Every item may be left unanswered (stored as "not answered"); a chosen option must be one
Annex A offers at this event; "Other (please state)" needs its text, at most
``annex_a.OTHER_MAX`` characters on one line; text typed without choosing "Other" is dropped.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from eventapp.feedback.annex_a import (
    OTHER,
    OTHER_MAX,
    Condition,
    Item,
    questions_for,
)

OTHER_SUFFIX = "_other"

# What "Other (please state)" asks for, in the error messages: one for each item with "Other".
OTHER_WHAT = {
    "sector": "the sector you work in",
    "heard": "how you heard about the event",
}


@dataclass(frozen=True)
class Answer:
    option: str | None = None
    other_text: str | None = None


Answers = dict[str, Answer]


def items_for(applies: Iterable[Condition]) -> list[tuple[Item, tuple[str, ...]]]:
    """Each item asked at an event where ``applies`` happened, with its option keys."""
    happened = frozenset(applies)
    return [
        (item, tuple(o.key for o in question.options_for(item, happened)))
        for question in questions_for(happened)
        for item in question.items
    ]


def tidy_text(value: str) -> str:
    """One line, surrounding spaces trimmed, runs of white space made one space."""
    return " ".join(value.split())


def _hidden_character(value: str) -> bool:
    return any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in value)


def clean(raw: Mapping[str, str], applies: Iterable[Condition]) -> tuple[Answers, dict[str, str]]:
    """The answers in ``raw`` (item key -> option key, ``<item>_other`` -> text), and the
    errors by field name. Keys that are not items asked at this event are ignored."""
    answers: Answers = {}
    errors: dict[str, str] = {}
    for item, allowed in items_for(applies):
        value = raw.get(item.key)
        if not isinstance(value, str):
            value = ""
        option = value.strip() or None
        if option is not None and option not in allowed:
            errors[item.key] = "Select one of the answers, or leave the question blank"
            continue
        text = None
        if option == OTHER:
            typed = raw.get(item.key + OTHER_SUFFIX)
            text = tidy_text(typed) if isinstance(typed, str) else ""
            field = item.key + OTHER_SUFFIX
            what = OTHER_WHAT[item.key]
            if not text:
                errors[field] = f"Enter {what}, or choose another answer"
                continue
            if len(text) > OTHER_MAX:
                errors[field] = (
                    f"{what[0].upper()}{what[1:]} must be {OTHER_MAX} characters or fewer"
                )
                continue
            if _hidden_character(text):
                errors[field] = (
                    "Your answer contains a hidden character that cannot be saved. Type it again instead of pasting it"
                )
                continue
        answers[item.key] = Answer(option, text)
    return answers, errors


def valid(answers: Mapping[str, Answer], applies: Iterable[Condition]) -> bool:
    """Whether stored-to-be answers are exactly the items asked, each with an allowed value."""
    keys = {item.key: options for item, options in items_for(applies)}
    if set(answers) != set(keys):
        return False
    for key, answer in answers.items():
        if answer.option is not None and answer.option not in keys[key]:
            return False
        if answer.option == OTHER:
            if not answer.other_text or len(answer.other_text) > OTHER_MAX:
                return False
        elif answer.other_text is not None:
            return False
    return True
