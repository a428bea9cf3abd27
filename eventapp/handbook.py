"""Reference content from the Home Office Community Events Handbook, in one place.

Annex A wording (the sector list) is reproduced exactly; guidance elsewhere is paraphrased.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Aim(enum.StrEnum):
    """The broad aims of "First, consider your objectives"."""

    AWARENESS = "awareness"
    ADVOCACY = "advocacy"
    DEESCALATE = "deescalate"
    OTHER = "other"


AIM_LABELS: dict[Aim, str] = {
    Aim.AWARENESS: "Increase awareness of how Prevent works, or understanding of a specific topic",
    Aim.ADVOCACY: "Engage influencers to advocate for Prevent in the community",
    Aim.DEESCALATE: "Myth-bust or de-escalate tensions after an incident",
    Aim.OTHER: "Another aim",
}


class Sector(enum.StrEnum):
    """Annex A question 3: "Which of the following best represents the sector you currently work in?"."""

    CHARITY = "charity"
    EDUCATION_SCHOOLS = "education_schools"
    EDUCATION_ACADEMIC = "education_academic"
    SOCIAL_CARE = "social_care"
    GOVERNMENT = "government"
    HEALTH = "health"
    STUDENT = "student"
    RETIRED = "retired"
    HOMEMAKER = "homemaker"
    POLICE = "police"
    FAITH = "faith"
    PRIVATE = "private"
    UNEMPLOYED = "unemployed"
    PREFER_NOT = "prefer_not"
    OTHER = "other"


# Exactly as printed in Annex A, question 3.
SECTOR_LABELS: dict[Sector, str] = {
    Sector.CHARITY: "Charity",
    Sector.EDUCATION_SCHOOLS: "Education (Primary/ Secondary/ Further)",
    Sector.EDUCATION_ACADEMIC: "Education (Academic / Lecturer)",
    Sector.SOCIAL_CARE: "Social Care",
    Sector.GOVERNMENT: "Government and Public Administration",
    Sector.HEALTH: "Health",
    Sector.STUDENT: "Student",
    Sector.RETIRED: "Retired",
    Sector.HOMEMAKER: "Homemaker",
    Sector.POLICE: "Police and Crime",
    Sector.FAITH: "Faith",
    Sector.PRIVATE: "Private Sector",
    Sector.UNEMPLOYED: "Unemployed",
    Sector.PREFER_NOT: "Prefer not to say",
    Sector.OTHER: "Other (please state)",
}


@dataclass(frozen=True)
class Consideration:
    """One item an organiser can tick, with a stable key for storage."""

    key: str
    label: str
    hint: str = ""


# "Virtual or in-person?": the handbook's pros of each, in its order.
VIRTUAL_PROS: tuple[Consideration, ...] = (
    Consideration("reach", "Reaches more people", "Though some groups may be left out"),
    Consideration("speaker", "A speaker is easier to secure"),
    Consideration("travel", "Nobody has to travel"),
    Consideration("cost", "Needs fewer resources and costs less"),
    Consideration("frequency", "Could be held more often"),
    Consideration("control", "Conversations are easier to manage and keep on track"),
    Consideration("daunting", "Feels less daunting for some people"),
)

IN_PERSON_PROS: tuple[Consideration, ...] = (
    Consideration("engaging", "More engaging and empowering"),
    Consideration("body_language", "You can read the room from body language"),
    Consideration("distractions", "Fewer distractions"),
    Consideration("nuance", "Conversations can be more nuanced"),
    Consideration("value", "Attendees and speakers value it more"),
    Consideration("margins", "Conversations happen in the margins"),
    Consideration("secure", "More secure"),
)

# "Tips for running a virtual roundtable": what to act on for an online or hybrid event.
VIRTUAL_ACTIONS: tuple[Consideration, ...] = (
    Consideration(
        "platform",
        "Choose the platform and check its security with the council's IT team",
        "Teams, Zoom, Webex and others each have their own benefits and risks.",
    ),
    Consideration(
        "disruption",
        "Agree who removes offensive or disruptive participants, and prepare back-up links",
        "A back-up link lets you pause and restart if the meeting has to stop.",
    ),
    Consideration(
        "tech_run",
        "Hold a technical run-through with the chair and speakers",
        "Check that videos play with sound and slides have no delay; brief everyone on "
        "sensitivities such as recent incidents.",
    ),
    Consideration(
        "qa",
        "Decide how the Q&A will run",
        "A busy chat is hard for the chair to follow; consider a tool that allows "
        "anonymous, upvoted questions, and post reminders during the meeting.",
    ),
    Consideration(
        "evaluate",
        "Collect feedback during the meeting",
        "Share the feedback form while the meeting runs and allow five minutes to fill it in.",
    ),
)

VIRTUAL_PRO_KEYS = frozenset(c.key for c in VIRTUAL_PROS)
IN_PERSON_PRO_KEYS = frozenset(c.key for c in IN_PERSON_PROS)
VIRTUAL_ACTION_KEYS = frozenset(c.key for c in VIRTUAL_ACTIONS)

# The handbook's usual evening slot, and the alternatives it suggests for some audiences.
USUAL_SLOT = ("18:00", "20:00")


class ReceptiveSlot(enum.StrEnum):
    """When an audience is most receptive ("Delivery" prompts)."""

    MORNING = "morning"
    LUNCHTIME = "lunchtime"
    AFTERNOON = "afternoon"
    EVENING = "evening"
    UNKNOWN = "unknown"


RECEPTIVE_LABELS: dict[ReceptiveSlot, str] = {
    ReceptiveSlot.MORNING: "Mornings",
    ReceptiveSlot.LUNCHTIME: "Lunchtime",
    ReceptiveSlot.AFTERNOON: "Afternoons",
    ReceptiveSlot.EVENING: "Evenings",
    ReceptiveSlot.UNKNOWN: "Not known yet",
}

SUGGESTED_SLOTS: dict[ReceptiveSlot, tuple[str, str]] = {
    ReceptiveSlot.MORNING: ("09:30", "11:30"),
    ReceptiveSlot.LUNCHTIME: ("12:00", "14:00"),
    ReceptiveSlot.AFTERNOON: ("14:00", "16:00"),
    ReceptiveSlot.EVENING: USUAL_SLOT,
    ReceptiveSlot.UNKNOWN: USUAL_SLOT,
}
