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


# The handbook's words for its three examples (checked by tests/handbook/test_quotes.py).
AIM_LABELS: dict[Aim, str] = {
    Aim.AWARENESS: "Increase awareness of how Prevent works in the community or increase "
    "understanding of specific counter-terrorism related topics, such as extremists' use of the "
    "internet",
    Aim.ADVOCACY: "Engage influencers to advocate more vocally for Prevent within the community",
    Aim.DEESCALATE: "Myth-bust or de-escalate tensions following an incident",
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
    # A virtual-roundtable tip the handbook says applies to events in a room too.
    all_formats: bool = False


# "Virtual or in-person?": the handbook's pros of each, in its order and its words (each is
# checked against its text, caveats and all: "Higher reach (but can exclude some
# demographics)").
VIRTUAL_PROS: tuple[Consideration, ...] = (
    Consideration("reach", "Higher reach (but can exclude some demographics)"),
    Consideration("speaker", "Easier to secure a speaker"),
    Consideration("travel", "No travel time required"),
    Consideration("cost", "Less resource intensive and less cost implications"),
    Consideration("frequency", "Potential for greater frequency"),
    Consideration("control", "Easier to manage conversations and control the dialogue"),
    Consideration("daunting", "Less daunting for some"),
)

IN_PERSON_PROS: tuple[Consideration, ...] = (
    Consideration("engaging", "More engaging (and empowering)"),
    Consideration("body_language", "Body language cues (reading the room)"),
    Consideration("distractions", "Fewer distractions"),
    Consideration("nuance", "More nuance to the conversation"),
    Consideration("value", "Higher 'value' to the viewer (and the speaker)"),
    Consideration("margins", "Conversations 'in the margins'"),
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
        all_formats=True,
    ),
    Consideration(
        "evaluate",
        "Collect feedback during the meeting",
        "Share the feedback form while the meeting runs and allow five minutes to fill it in.",
        all_formats=True,
    ),
)

VIRTUAL_PRO_KEYS = frozenset(c.key for c in VIRTUAL_PROS)
IN_PERSON_PRO_KEYS = frozenset(c.key for c in IN_PERSON_PROS)
VIRTUAL_ACTION_KEYS = frozenset(c.key for c in VIRTUAL_ACTIONS)
# "Establish expectations for the different roles – most of these points apply to both online
# and offline events": the Q&A and the evaluation.
ALL_FORMAT_ACTION_KEYS = frozenset(c.key for c in VIRTUAL_ACTIONS if c.all_formats)

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


# Quotations ------------------------------------------------------------------------------
#
# Everything the service puts in the handbook's mouth comes from here, word for word, so one
# test (tests/handbook/test_quotes.py) can check each against the handbook's text. The
# service's own advice is never a Quote: it is shown as "the service's suggestion".

SERVICE_SUGGESTION = "The service’s suggestion"


@dataclass(frozen=True)
class Quote:
    """Words from the handbook, with the section they come from."""

    key: str
    section: str
    text: str

    def __str__(self) -> str:
        return self.text


QUOTES: dict[str, Quote] = {}


def quotation(key: str, section: str, text: str) -> Quote:
    """Register a quotation; every key is unique."""
    if key in QUOTES:
        raise ValueError(f"quotation {key!r} registered twice")
    found = QUOTES[key] = Quote(key, section, text)
    return found


def quote(key: str) -> Quote:
    """A registered quotation, for code and templates (an unknown key is a bug: KeyError)."""
    return QUOTES[key]


AGENDA = "Setting the agenda"
SCHEDULE = "Example schedule for organising an in-person event"
VIRTUAL_TIPS = "Tips for running a virtual roundtable"

Q_THREE_OBJECTIVES = quotation(
    "agenda_three_objectives",
    AGENDA,
    "There are three broad objectives the Communities & Engagement team find it useful to "
    "stick to when planning agendas",
)
Q_PLENTY_OF_TIME = quotation(
    "agenda_plenty_of_time",
    AGENDA,
    "you should be mindful of leaving plenty of time for discussion – and always expect to "
    "overrun, so don't overfill the agenda with too many speakers! Two or three speakers should "
    "be enough.",
)
Q_TWO_OR_THREE = quotation("agenda_speakers", AGENDA, "Two or three speakers should be enough.")
Q_AMENDED = quotation("agenda_amended", AGENDA, "This example agenda can be amended as appropriate")
Q_QA_MOST_IMPORTANT = quotation(
    "agenda_qa",
    AGENDA,
    "This is the most important part of the roundtable, and it's vital not to avoid difficult "
    "questions, to respond fully, and follow-up on any actions highlighted during the session.",
)
Q_COLLECT_FEEDBACK = quotation("agenda_feedback", AGENDA, "Collecting feedback")
Q_FEEDBACK_ITEM = quotation(
    "agenda_feedback_item",
    AGENDA,
    "This can also be an opportunity to ask attendees to fill in their feedback forms",
)
Q_FEEDBACK_SOON = quotation(
    "feedback_soon",
    "Collecting attendees' feedback",
    "It's always best to circulate the form as soon after the event as possible, or even while "
    "it's still running (e.g. by circulating it through Sli.do) – participants are more likely "
    "to fill it in that way.",
)
Q_SHARE_FEEDBACK = quotation(
    "feedback_shared",
    "Collecting attendees' feedback",
    "We encourage everyone to collect feedback from attendees after holding an event and ask "
    "that all feedback is shared with us – this is not used to judge individual events but "
    "rather to evaluate impact across the country and over time.",
)
Q_EVENING = quotation(
    "schedule_evening",
    SCHEDULE,
    "While events tend to take place in the evening (from 18:00-20:00), you should consider a "
    "morning or lunchtime event if your audience would be more receptive to this.",
)
Q_INVITES = quotation(
    "schedule_invites",
    SCHEDULE,
    "Send invites at least two weeks ahead of event, including a link to Sli.do to allow "
    "collection of questions.",
)
Q_NUMBERS = quotation(
    "schedule_numbers",
    SCHEDULE,
    "Local Prevent team updates HO Prevent on numbers for the event and chases up responses "
    "and/or sends additional invites.",
)
Q_SLIDES = quotation(
    "schedule_slides",
    SCHEDULE,
    "Home Office Prevent sends PowerPoint slides and online films 24 hours prior to event.",
)
Q_SLIDES_ONLINE = quotation(
    "schedule_slides_online",
    SCHEDULE,
    "for an online event, we would recommend doing this in Week 3 to ensure there is adequate "
    "time to fix any tech issues.",
)
Q_CHANNELS = quotation(
    "invitation_channels",
    "Invitations",
    "it may be easier to invite some attendees through different means, particularly if they "
    "are community members who may not have easy or regular access to the internet",
)
Q_PRE_REGISTRATION = quotation(
    "invitation_pre_registration",
    "Invitations",
    "One way to mitigate this could be through pre-registration, enabling you to keep track of "
    "who's planning to come along.",
)
Q_BOTH_FORMATS = quotation(
    "virtual_both_formats",
    VIRTUAL_TIPS,
    "Establish expectations for the different roles – most of these points apply to both "
    "online and offline events",
)

OBJECTIVES = "First, consider your objectives"
for _aim in (Aim.AWARENESS, Aim.ADVOCACY, Aim.DEESCALATE):
    quotation(f"aim_{_aim.value}", OBJECTIVES, AIM_LABELS[_aim])
for _pro in (*VIRTUAL_PROS, *IN_PERSON_PROS):
    quotation(f"pro_{_pro.key}", "Virtual or in-person?", _pro.label)

Q_OBJECTIVES_WIDER = quotation(
    "objectives_wider",
    OBJECTIVES,
    "it's important to consider what you specifically want to achieve through this piece of "
    "engagement, and how it fits into your wider strategic objectives.",
)
Q_OBJECTIVE_SCHOOLS = quotation(
    "objective_example_schools",
    OBJECTIVES,
    "Raise awareness of the links between mental health and vulnerability to radicalisation "
    "amongst safeguarding leads in 15 local schools, leading to an increased understanding by "
    "the end of the event",
)
Q_OBJECTIVE_REFERRALS = quotation(
    "objective_example_referrals",
    OBJECTIVES,
    "Support an increase in the number of Prevent referrals coming from community and family "
    "members by 5% over the next two years, by measurably improving trust and understanding "
    "among these communities.",
)
Q_OBJECTIVE_PAG = quotation(
    "objective_example_pag",
    OBJECTIVES,
    "Recruit 5 members of a new Prevent Advisory Group, to be set up in the next month.",
)

# "Our offer to you" and "Supplementary content".
OFFER = "Our offer to you"
Q_LOCAL_FIRST = quotation(
    "offer_local",
    OFFER,
    "Community and Elected Member roundtables should be delivered locally as much as possible, "
    "with local experts and speakers presenting who will be tuned into the nuances of Prevent "
    "delivery in each area.",
)
Q_OFFER_SPEAKERS = quotation(
    "offer_speakers",
    OFFER,
    "Where there is a local need to do so, we are happy to field speakers from the Home Office "
    "to support local engagement events.",
)
Q_GENERAL_PRESENTATION = quotation(
    "offer_general",
    OFFER,
    "This covers the threat from terrorism, the narratives of different groups, the model of "
    "radicalisation and how Prevent works. The presentation focusses equally on Daesh/Al "
    "Qa'ida-inspired and extremist right-wing terrorism, as well as other emerging threats, and "
    "is most appropriate for events where attendees are less familiar with the realities of "
    "Prevent.",
)
Q_THEMATIC_PRESENTATION = quotation(
    "offer_thematic",
    OFFER,
    "This could cover topics such as extremist right-wing terrorism, mental health, local "
    "project providers or the role of friends and family in Prevent. This type of presentation "
    "may be more appropriate for a specific audience (such as local CSOs) with a base "
    "understanding of Prevent.",
)
# The thematic topics the handbook names, as suggestions for the topic field.
THEMATIC_TOPICS = (
    "extremist right-wing terrorism",
    "mental health",
    "local project providers",
    "the role of friends and family in Prevent",
)

VIDEOS = "Prevent videos"
Q_VIDEO = quotation(
    "video_intro",
    VIDEOS,
    "We have created a brief, five minute 'Introduction to Prevent' video that can be played at "
    "community roundtable events, which explains what the programme is and why it is so "
    "important through the voices of those that have come into contact with Prevent.",
)
Q_VIDEO_EDITS = quotation(
    "video_edits",
    VIDEOS,
    "There are also shorter edits of the Prevent introductory video, focussing on education, "
    "healthcare, friends and family and extreme right-wing terrorism.",
)


class VideoEdit(enum.StrEnum):
    """Which version of the introductory video is played ("Prevent videos")."""

    FULL = "full"
    EDUCATION = "education"
    HEALTHCARE = "healthcare"
    FRIENDS_FAMILY = "friends_family"
    EXTREME_RIGHT_WING = "extreme_right_wing"


VIDEO_EDIT_LABELS: dict[VideoEdit, str] = {
    VideoEdit.FULL: "The five-minute 'Introduction to Prevent'",
    VideoEdit.EDUCATION: "The shorter edit on education",
    VideoEdit.HEALTHCARE: "The shorter edit on healthcare",
    VideoEdit.FRIENDS_FAMILY: "The shorter edit on friends and family",
    VideoEdit.EXTREME_RIGHT_WING: "The shorter edit on extreme right-wing terrorism",
}
Q_THEMATIC_TOPICS = quotation(
    "offer_thematic_topics",
    OFFER,
    "This could cover topics such as extremist right-wing terrorism, mental health, local "
    "project providers or the role of friends and family in Prevent.",
)
