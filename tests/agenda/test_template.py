"""The handbook's example agenda, fitted to who is speaking and which presentation they give."""

from __future__ import annotations

import pytest

import eventapp.models.registry  # noqa: F401  (every model mapped, so an Event can be built)
from eventapp.agenda.models import AgendaPart
from eventapp.agenda.template import HOME_OFFICE, LOCAL_SPEAKER, ItemSpec, example_items
from eventapp.agenda.timings import ItemFacts, distinct_speakers, guidance
from eventapp.events.models import Event, PresentationType
from eventapp.handbook import VideoEdit

OVERVIEW = "Overview of the terrorist threat to the UK and the Prevent response"


def event(**fields: object) -> Event:
    """An unsaved event: the example needs only the speaker fields."""
    return Event(title="Roundtable", **fields)


def summary(specs: list[ItemSpec]) -> list[tuple[str, str, int, AgendaPart, bool, bool]]:
    return [
        (s.title, s.introduced_by, s.duration_minutes, s.part, s.is_speaker, s.collects_feedback)
        for s in specs
    ]


def test_home_office_general_presentation_is_the_handbook_example() -> None:
    specs = example_items(
        event(home_office_speaking=True, presentation_type=PresentationType.GENERAL)
    )

    assert summary(specs) == [
        ("Welcome and introductions", "Chairperson", 10, AgendaPart.SCENE, False, False),
        # The handbook lists the threat overview under "Setting the scene".
        (OVERVIEW, HOME_OFFICE, 20, AgendaPart.SCENE, True, False),
        ("Local risk and local delivery", "Prevent Coordinator", 10, AgendaPart.MESSAGES,
         True, False),
        ("Discussion and Q&A", "All, facilitated by the chairperson", 70, AgendaPart.ENGAGE,
         False, False),
        ("Closing remarks", HOME_OFFICE, 5, AgendaPart.CLOSE, True, False),
        ("Expressions of thanks and next steps", "Chairperson", 5, AgendaPart.CLOSE, False,
         True),
    ]
    # Item 6 keeps the handbook's sense: thanks and next steps, which can also be the moment
    # for the feedback forms.
    assert specs[5].notes == (
        "This can also be an opportunity to ask attendees to fill in their feedback forms."
    )
    assert "general presentation introducing Prevent" in specs[1].notes


def test_thematic_presentation_names_its_topic() -> None:
    specs = example_items(event(
        home_office_speaking=True, presentation_type=PresentationType.THEMATIC,
        presentation_topic="Mental health and radicalisation",
    ))

    assert specs[1].title == "Thematic presentation: Mental health and radicalisation"
    assert specs[1].introduced_by == HOME_OFFICE
    assert specs[1].notes == "Tailored to local risks or issues, as agreed with the Home Office."
    # A thematic talk lands the key messages; the threat overview sets the scene.
    assert specs[1].part is AgendaPart.MESSAGES
    # Only the presentation changes.
    general = example_items(event(home_office_speaking=True))
    assert summary(specs)[:1] + summary(specs)[2:] == summary(general)[:1] + summary(general)[2:]
    assert general[1].part is AgendaPart.SCENE


def test_thematic_presentation_without_a_topic_still_reads_well() -> None:
    specs = example_items(
        event(home_office_speaking=True, presentation_type=PresentationType.THEMATIC)
    )

    assert specs[1].title == "Thematic presentation: a local risk or issue"


def test_without_the_home_office_local_speakers_take_its_slots() -> None:
    specs = example_items(event(home_office_speaking=False))

    assert [s.introduced_by for s in specs] == [
        "Chairperson", LOCAL_SPEAKER, "Prevent Coordinator", "All, facilitated by the chairperson",
        "Chairperson", "Chairperson",
    ]
    assert specs[1].title == "Local presentation: the terrorist threat and how Prevent responds"
    assert "Home Office" not in " ".join(s.title + s.notes for s in specs)
    assert specs[4].title == "Closing remarks"
    # Same timings and shape either way.
    assert [s.duration_minutes for s in specs] == [10, 20, 10, 70, 5, 5]
    # The chair's closing remarks add no third speaker.
    assert [s.is_speaker for s in specs] == [False, True, True, False, False, False]


def facts_of(specs: list[ItemSpec]) -> list[ItemFacts]:
    return [
        ItemFacts(s.duration_minutes, s.part, s.is_speaker, s.collects_feedback, s.introduced_by)
        for s in specs
    ]


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"home_office_speaking": True}, id="home-office-general"),
        pytest.param(
            {"home_office_speaking": True, "presentation_type": PresentationType.THEMATIC},
            id="home-office-thematic",
        ),
        pytest.param({"home_office_speaking": False}, id="local-speakers"),
        pytest.param({"home_office_speaking": True, "intro_video": True}, id="with-video"),
        pytest.param({"home_office_speaking": False, "intro_video": True}, id="local-video"),
    ],
)
def test_the_handbook_example_loaded_unchanged_raises_no_guidance(fields: dict) -> None:
    facts = facts_of(example_items(event(**fields)))

    assert sum(f.duration_minutes for f in facts) == 120
    # Exactly full, two distinct speakers, 65-70 minutes of discussion: nothing to say.
    assert guidance(facts, 120) == []
    assert distinct_speakers(facts) == 2


def test_the_video_is_a_five_minute_scene_item_after_the_welcome() -> None:
    specs = example_items(event(home_office_speaking=True, intro_video=True))

    assert [(s.title, s.duration_minutes, s.part) for s in specs[:3]] == [
        ("Welcome and introductions", 10, AgendaPart.SCENE),
        ("Introduction to Prevent video", 5, AgendaPart.SCENE),
        (OVERVIEW, 20, AgendaPart.SCENE),
    ]
    assert specs[4].title == "Discussion and Q&A" and specs[4].duration_minutes == 65
    assert len(specs) == 7
    assert len(example_items(event(home_office_speaking=True, intro_video=False))) == 6


@pytest.mark.parametrize(
    ("edit", "title"),
    [
        (None, "Introduction to Prevent video"),
        (VideoEdit.FULL, "Introduction to Prevent video"),
        (VideoEdit.EDUCATION, "Introduction to Prevent video: shorter edit on education"),
        (VideoEdit.HEALTHCARE, "Introduction to Prevent video: shorter edit on healthcare"),
        (VideoEdit.FRIENDS_FAMILY,
         "Introduction to Prevent video: shorter edit on friends and family"),
        (VideoEdit.EXTREME_RIGHT_WING,
         "Introduction to Prevent video: shorter edit on extreme right-wing terrorism"),
    ],
)
def test_the_video_item_names_the_edit_chosen(edit: VideoEdit | None, title: str) -> None:
    specs = example_items(event(home_office_speaking=True, intro_video=True, video_edit=edit))

    assert specs[1].title == title
    assert (specs[1].duration_minutes, specs[1].part) == (5, AgendaPart.SCENE)
    if edit not in (None, VideoEdit.FULL):
        assert "shorter edit" in specs[1].notes
