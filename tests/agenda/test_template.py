"""The handbook's example agenda, fitted to who is speaking and which presentation they give."""

from __future__ import annotations

import eventapp.models.registry  # noqa: F401  (every model mapped, so an Event can be built)
from eventapp.agenda.models import AgendaPart
from eventapp.agenda.template import HOME_OFFICE, LOCAL_SPEAKER, ItemSpec, example_items
from eventapp.agenda.timings import ItemFacts, guidance
from eventapp.events.models import Event, PresentationType

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
        (OVERVIEW, HOME_OFFICE, 20, AgendaPart.MESSAGES, True, False),
        ("Local risk and local delivery", "Prevent Coordinator", 10, AgendaPart.MESSAGES,
         True, False),
        ("Discussion and Q&A", "All, facilitated by the chairperson", 70, AgendaPart.ENGAGE,
         False, False),
        ("Closing remarks", HOME_OFFICE, 5, AgendaPart.CLOSE, True, False),
        ("Thanks and next steps, with time to fill in the feedback form", "Chairperson", 5,
         AgendaPart.CLOSE, False, True),
    ]
    assert "general presentation introducing Prevent" in specs[1].notes


def test_thematic_presentation_names_its_topic() -> None:
    specs = example_items(event(
        home_office_speaking=True, presentation_type=PresentationType.THEMATIC,
        presentation_topic="Mental health and radicalisation",
    ))

    assert specs[1].title == "Thematic presentation: Mental health and radicalisation"
    assert specs[1].introduced_by == HOME_OFFICE
    assert specs[1].notes == "Tailored to local risks or issues, as agreed with the Home Office."
    # Only the presentation changes.
    general = example_items(event(home_office_speaking=True))
    assert summary(specs)[:1] + summary(specs)[2:] == summary(general)[:1] + summary(general)[2:]


def test_thematic_presentation_without_a_topic_still_reads_well() -> None:
    specs = example_items(
        event(home_office_speaking=True, presentation_type=PresentationType.THEMATIC)
    )

    assert specs[1].title == "Thematic presentation: a local risk or issue"


def test_without_the_home_office_local_speakers_take_its_slots() -> None:
    specs = example_items(event(home_office_speaking=False))

    assert [s.introduced_by for s in specs] == [
        "Chairperson", LOCAL_SPEAKER, "Prevent Coordinator", "All, facilitated by the chairperson",
        LOCAL_SPEAKER, "Chairperson",
    ]
    assert specs[1].title == "Local presentation: the terrorist threat and how Prevent responds"
    assert "Home Office" not in " ".join(s.title + s.notes for s in specs)
    assert specs[4].title == "Closing remarks"
    # Same timings and shape either way.
    assert [s.duration_minutes for s in specs] == [10, 20, 10, 70, 5, 5]
    assert [s.is_speaker for s in specs] == [False, True, True, False, True, False]


def test_the_example_meets_the_handbook_apart_from_contingency() -> None:
    for speaking in (True, False):
        specs = example_items(event(home_office_speaking=speaking))
        facts = [
            ItemFacts(s.duration_minutes, s.part, s.is_speaker, s.collects_feedback) for s in specs
        ]

        assert sum(f.duration_minutes for f in facts) == 120
        assert [g.key for g in guidance(facts, 120)] == ["no_contingency"]
