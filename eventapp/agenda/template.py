"""The handbook's example agenda, as data, fitted to an event's speakers and presentation."""

from __future__ import annotations

from dataclasses import dataclass, replace

from eventapp.agenda.models import AgendaPart
from eventapp.events.models import Event, PresentationType

HOME_OFFICE = "Home Office Prevent"
LOCAL_SPEAKER = "Local speaker"


@dataclass(frozen=True)
class ItemSpec:
    """An agenda item to create: the same fields as an AgendaItem, without its place."""

    title: str
    introduced_by: str
    duration_minutes: int
    part: AgendaPart
    is_speaker: bool = False
    collects_feedback: bool = False
    notes: str = ""


@dataclass(frozen=True)
class ExampleItem:
    """One row of the example, with what changes when the Home Office speaks or does not."""

    spec: ItemSpec
    # A Home Office slot: given to a local speaker when the Home Office is not speaking.
    home_office: bool = False
    local_title: str = ""
    local_notes: str = ""
    # For the Home Office's thematic presentation ("Our offer to you"); {topic} is filled in.
    thematic_title: str = ""
    thematic_notes: str = ""


# "Setting the agenda": the example agenda, 10 + 20 + 10 + 70 + 5 + 5 minutes.
EXAMPLE: tuple[ExampleItem, ...] = (
    ExampleItem(
        ItemSpec(
            "Welcome and introductions",
            "Chairperson",
            10,
            AgendaPart.SCENE,
            notes="Welcome guests and set the strategic context.",
        )
    ),
    ExampleItem(
        ItemSpec(
            "Overview of the terrorist threat to the UK and the Prevent response",
            HOME_OFFICE,
            20,
            AgendaPart.MESSAGES,
            is_speaker=True,
            notes="A general presentation introducing Prevent: the threat from terrorism, the "
            "narratives of different groups, the model of radicalisation and how Prevent works.",
        ),
        home_office=True,
        local_title="Local presentation: the terrorist threat and how Prevent responds",
        local_notes="Delivered locally, by a speaker your audience trusts and listens to.",
        thematic_title="Thematic presentation: {topic}",
        thematic_notes="Tailored to local risks or issues, as agreed with the Home Office.",
    ),
    ExampleItem(
        ItemSpec(
            "Local risk and local delivery",
            "Prevent Coordinator",
            10,
            AgendaPart.MESSAGES,
            is_speaker=True,
            notes="Case studies and real-life examples make the messages relatable.",
        )
    ),
    ExampleItem(
        ItemSpec(
            "Discussion and Q&A",
            "All, facilitated by the chairperson",
            70,
            AgendaPart.ENGAGE,
            notes="The most important part: do not avoid difficult questions, answer fully and "
            "follow up any actions.",
        )
    ),
    ExampleItem(
        ItemSpec("Closing remarks", HOME_OFFICE, 5, AgendaPart.CLOSE, is_speaker=True),
        home_office=True,
    ),
    ExampleItem(
        ItemSpec(
            "Thanks and next steps, with time to fill in the feedback form",
            "Chairperson",
            5,
            AgendaPart.CLOSE,
            collects_feedback=True,
            notes="Ask attendees to fill in the feedback form before they leave.",
        )
    ),
)


def _fit(row: ExampleItem, event: Event) -> ItemSpec:
    spec = row.spec
    if not row.home_office:
        return spec
    if not event.home_office_speaking:
        return replace(
            spec,
            title=row.local_title or spec.title,
            introduced_by=LOCAL_SPEAKER,
            notes=row.local_notes,
        )
    if event.presentation is PresentationType.THEMATIC and row.thematic_title:
        topic = (event.topic or "").strip() or "a local risk or issue"
        return replace(spec, title=row.thematic_title.format(topic=topic), notes=row.thematic_notes)
    return spec


def example_items(event: Event) -> list[ItemSpec]:
    """The handbook's example, with the event's Home Office presentation or local speakers."""
    return [_fit(row, event) for row in EXAMPLE]
