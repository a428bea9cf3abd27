"""The handbook's example agenda, as data, fitted to an event's speakers and presentation."""

from __future__ import annotations

from dataclasses import dataclass, replace

from eventapp.agenda.models import AgendaPart
from eventapp.events.models import Event, PresentationType
from eventapp.handbook import Q_FEEDBACK_ITEM, VideoEdit

HOME_OFFICE = "Home Office Prevent"
LOCAL_SPEAKER = "Local speaker"
CHAIRPERSON = "Chairperson"


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
    # Who gives the slot instead, and whether that is still a speaker, when the Home Office
    # is not speaking (the chair's closing remarks add no speaker).
    local_introduced_by: str = LOCAL_SPEAKER
    local_is_speaker: bool = True
    # For the Home Office's thematic presentation ("Our offer to you"); {topic} is filled in.
    thematic_title: str = ""
    thematic_notes: str = ""
    thematic_part: AgendaPart | None = None


# "Setting the agenda": the example agenda, 10 + 20 + 10 + 70 + 5 + 5 minutes.
EXAMPLE: tuple[ExampleItem, ...] = (
    ExampleItem(
        ItemSpec(
            "Welcome and introductions",
            CHAIRPERSON,
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
            # The handbook lists the threat overview under "Setting the scene".
            AgendaPart.SCENE,
            is_speaker=True,
            notes="A general presentation introducing Prevent: the threat from terrorism, the "
            "narratives of different groups, the model of radicalisation and how Prevent works.",
        ),
        home_office=True,
        local_title="Local presentation: the terrorist threat and how Prevent responds",
        local_notes="Delivered locally, by a speaker your audience trusts and listens to.",
        thematic_title="Thematic presentation: {topic}",
        thematic_notes="Tailored to local risks or issues, as agreed with the Home Office.",
        thematic_part=AgendaPart.MESSAGES,
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
        local_introduced_by=CHAIRPERSON,
        local_is_speaker=False,
    ),
    ExampleItem(
        ItemSpec(
            "Expressions of thanks and next steps",
            CHAIRPERSON,
            5,
            AgendaPart.CLOSE,
            collects_feedback=True,
            notes=f"{Q_FEEDBACK_ITEM.text}.",
        )
    ),
)

# "Supplementary content": the five-minute "Introduction to Prevent" video, when it is
# played. The service's choice: it goes after the welcome, and the discussion gives up its
# five minutes so the agenda still fits the handbook's two hours.
VIDEO = ItemSpec(
    "Introduction to Prevent video",
    CHAIRPERSON,
    5,
    AgendaPart.SCENE,
    notes="The Home Office's five-minute video: what Prevent is and how the programme works.",
)
VIDEO_AFTER = 0  # after the welcome
DISCUSSION = 3  # the row that makes room for it


def _fit(row: ExampleItem, event: Event) -> ItemSpec:
    spec = row.spec
    if not row.home_office:
        return spec
    if not event.home_office_speaking:
        return replace(
            spec,
            title=row.local_title or spec.title,
            introduced_by=row.local_introduced_by,
            is_speaker=row.local_is_speaker,
            notes=row.local_notes,
        )
    if event.presentation is PresentationType.THEMATIC and row.thematic_title:
        topic = (event.topic or "").strip() or "a local risk or issue"
        return replace(
            spec,
            title=row.thematic_title.format(topic=topic),
            notes=row.thematic_notes,
            part=row.thematic_part or spec.part,
        )
    return spec


def example_items(event: Event) -> list[ItemSpec]:
    """The handbook's example, with the event's Home Office presentation or local speakers.

    With the introductory video on, a five-minute video item follows the welcome and the
    discussion is five minutes shorter, so the total stays at two hours.
    """
    specs = [_fit(row, event) for row in EXAMPLE]
    if event.intro_video:
        discussion = specs[DISCUSSION]
        specs[DISCUSSION] = replace(
            discussion, duration_minutes=discussion.duration_minutes - VIDEO.duration_minutes
        )
        specs.insert(VIDEO_AFTER + 1, video_item(event.video_edit))
    return specs


# The shorter edits the handbook names, as they read in an item title.
_EDIT_NAMES = {
    VideoEdit.EDUCATION: "education",
    VideoEdit.HEALTHCARE: "healthcare",
    VideoEdit.FRIENDS_FAMILY: "friends and family",
    VideoEdit.EXTREME_RIGHT_WING: "extreme right-wing terrorism",
}


def video_item(edit: VideoEdit | None) -> ItemSpec:
    """The video's agenda item: the full introduction, or the shorter edit chosen."""
    if edit is None or edit is VideoEdit.FULL:
        return VIDEO
    return replace(
        VIDEO,
        title=f"{VIDEO.title}: shorter edit on {_EDIT_NAMES[edit]}",
        notes="A shorter edit of the Home Office's introductory video. Change the time to "
        "the edit's length.",
    )
