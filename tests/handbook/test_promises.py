"""Words that promise what the service will do are true, or wait for the feature that keeps them.

Each promise names the feature that fulfils it and how to tell the feature is there. While a
feature is missing, its words must not appear in the code or templates: reword them until
the issue that builds it lands, then they may come back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask

from tests.handbook.test_quotes import _shown_texts


def _has_blueprint(*names: str) -> Callable[[Flask], bool]:
    return lambda app: all(name in app.blueprints for name in names)


def _has_endpoint(endpoint: str) -> Callable[[Flask], bool]:
    return lambda app: endpoint in app.view_functions


@dataclass(frozen=True)
class Promise:
    words: str
    feature: str
    fulfilled: Callable[[Flask], bool]


PROMISES = (
    Promise(
        "confirmed attendees get it nearer the time",
        "registration: confirmed attendees are sent the venue address or joining link",
        _has_blueprint("registration"),
    ),
    Promise(
        "works out the first seven",
        "registration and feedback: the computed objective measures",
        _has_blueprint("registration", "feedback"),
    ),
    Promise(
        "after the event you can see which were",
        "registration: which target organisations attended",
        _has_blueprint("registration"),
    ),
    Promise(
        "the feedback form asks whether it helped",
        "the Annex A feedback form, question 7 (if video was played)",
        _has_blueprint("feedback"),
    ),
    Promise(
        "once people register, they will be listed here",
        "registration: the chair's pack lists registered attendees",
        _has_blueprint("registration"),
    ),
    Promise(
        "you can include any of these in an event’s chair’s briefing pack",
        "the briefing pack's choice of FAQs",
        _has_endpoint("briefing.faqs"),
    ),
)


def _normal(text: str) -> str:
    return " ".join(text.replace("'", "’").split()).casefold()


def places_saying(words: str, texts: list[tuple[str, str]]) -> list[str]:
    wanted = _normal(words)
    return sorted({where for where, text in texts if wanted in _normal(text)})


@pytest.mark.parametrize("promise", PROMISES, ids=[p.words for p in PROMISES])
def test_a_promise_is_only_made_when_its_feature_exists(promise: Promise, app: Flask) -> None:
    found = places_saying(promise.words, _shown_texts())
    if promise.fulfilled(app):
        return
    assert not found, (
        f"{found} promise “{promise.words}”, but {promise.feature} is not built yet: reword it "
        "until that feature lands"
    )


def test_a_promise_that_is_kept_can_be_found() -> None:
    # The briefing pack's FAQs exist, and the resources page says so: the scan finds it.
    assert places_saying(
        "You can include any of these in an event's chair's briefing pack", _shown_texts()
    ) == ["templates/resources/index.html"]


def test_the_check_fails_on_a_planted_broken_promise(app: Flask) -> None:
    planted = [("templates/planted.html", "Confirmed attendees get it nearer the time.")]
    promise = PROMISES[0]
    assert places_saying(promise.words, planted) == ["templates/planted.html"]
    # Without a registration blueprint the test above would fail on this page.
    assert not promise.fulfilled(app) or "registration" in app.blueprints


def test_the_words_are_written_as_people_read_them() -> None:
    for promise in PROMISES:
        assert promise.words == promise.words.strip()
        assert not re.search(r"\s{2}", promise.words)
