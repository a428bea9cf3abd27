"""The overview's stages come from the areas that register them (eventapp.stages)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient

from eventapp import stages
from eventapp.events.models import Event
from tests.events.test_tasklist import shown_tasks


@pytest.fixture
def registry() -> Iterator[None]:
    """Put the registry back as it was after a test registers stages of its own."""
    saved = dict(stages._registry)
    yield
    stages._registry.clear()
    stages._registry.update(saved)


def test_each_built_area_registers_its_own_stage(app: Flask) -> None:
    """Building the app imports each area, which registers its stage."""
    assert stages.registered() == [
        "details", "objectives", "audience", "format", "agenda", "checklist",
        "invitations", "registration", "questions", "feedback", "evaluation",
    ]
    assert stages.placeholders() == ["evaluation"]
    providers = {key: stages._registry[key].provider.__module__ for key in stages.registered()}
    assert providers["feedback"] == "eventapp.feedback.stage"
    assert providers["objectives"] == "eventapp.objectives.stage"
    assert providers["checklist"] == "eventapp.checklist.stage"
    assert providers["invitations"] == "eventapp.invitations.stage"
    assert providers["questions"] == "eventapp.questions.stage"


def test_a_new_area_replaces_its_placeholder_by_registering_the_same_key(
    registry: None, signed_in: FlaskClient, make_event: Callable[..., Event]
) -> None:
    # Feedback is built now: put its placeholder back (the fixture restores the registry).
    stages._registry.pop("feedback")
    stages.placeholder("feedback", order=stages.Order.FEEDBACK, title="Feedback", hint="Later")
    event = make_event()
    before = {t.title: t for t in shown_tasks(signed_in.get(f"/events/{event.id}").text)}
    assert before["Feedback"].status == stages.NOT_AVAILABLE
    assert before["Feedback"].href is None

    @stages.register("feedback", order=stages.Order.FEEDBACK)
    def feedback_stage(event: Event) -> stages.Stage:
        return stages.Stage(
            "Feedback", "3 responses so far.", stages.IN_PROGRESS,
            url_for("events.overview", event_id=event.id, _anchor="feedback"),
        )

    after = shown_tasks(signed_in.get(f"/events/{event.id}").text)
    feedback = [t for t in after if t.title == "Feedback"]
    assert len(feedback) == 1
    assert feedback[0].status == stages.IN_PROGRESS
    assert feedback[0].hint == "3 responses so far."
    assert feedback[0].href == f"/events/{event.id}#feedback"
    assert "feedback" not in stages.placeholders()
    # A placeholder declared again (say, on re-import) does not hide the real stage.
    stages.placeholder("feedback", order=stages.Order.FEEDBACK, title="Feedback", hint="Later")
    assert "feedback" not in stages.placeholders()


def test_two_areas_cannot_claim_one_stage(registry: None) -> None:
    def agenda_again(event: Event) -> None:
        return None

    with pytest.raises(ValueError, match="already registered by eventapp.agenda.stage"):
        stages.register("agenda", order=stages.Order.AGENDA)(agenda_again)


def test_a_stage_can_leave_itself_out_for_an_event(
    registry: None, signed_in: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event()

    @stages.register("evaluation", order=stages.Order.EVALUATION)
    def evaluation_stage(event: Event) -> stages.Stage | None:
        return None

    titles = [t.title for t in shown_tasks(signed_in.get(f"/events/{event.id}").text)]
    assert "Evaluation" not in titles
    assert "Feedback" in titles
