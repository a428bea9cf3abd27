"""The handbook's week-by-week planning schedule as data, and which tasks suit which event.

Paraphrases "Example schedule for organising an in-person event" (weeks 1 to 5), with the
changes the handbook asks for when the Home Office is not speaking ("please just notify us of
the time and date") and for online events ("Tips for running a virtual roundtable").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from eventapp.checklist.weeks import EVENT_WEEK, due_date
from eventapp.handbook import ALL_FORMAT_ACTION_KEYS, VIRTUAL_ACTIONS

if TYPE_CHECKING:
    from eventapp.events.models import Event


@dataclass(frozen=True)
class TemplateTask:
    """One step of the schedule.

    home_office: a step with Home Office Prevent, kept only when they are speaking.
    instead_of_home_office: kept only when they are not speaking.
    online_week: the week the step moves to for an online or hybrid event.
    online_only: kept only for an online or hybrid event.
    virtual_action: kept for an event whose organiser chose this action (a key of
    eventapp.handbook.VIRTUAL_ACTIONS): online or hybrid, or any format for the tips the
    handbook says apply to both.
    in_person_only: kept only when people meet in a room (in person or hybrid).
    online_format_only: kept only for an event held wholly online.
    days_before_event: in the event week, due this many days before the event day rather
    than on it.
    handbook: a step of the handbook's schedule; False for the service's own suggestion.
    """

    key: str
    week: int
    title: str
    description: str = ""
    optional: bool = False
    home_office: bool = False
    instead_of_home_office: bool = False
    online_week: int | None = None
    online_only: bool = False
    virtual_action: str | None = None
    in_person_only: bool = False
    online_format_only: bool = False
    days_before_event: int | None = None
    handbook: bool = True

    def applies(
        self,
        *,
        home_office_speaking: bool,
        online: bool,
        virtual_actions: Iterable[str] = (),
        in_person: bool = True,
    ) -> bool:
        if self.in_person_only and not in_person:
            return False
        if self.online_format_only and in_person:
            return False
        if self.home_office and not home_office_speaking:
            return False
        if self.instead_of_home_office and home_office_speaking:
            return False
        if self.online_only and not online:
            return False
        if self.virtual_action and not online and self.virtual_action not in ALL_FORMAT_ACTION_KEYS:
            return False
        return not (self.virtual_action and self.virtual_action not in set(virtual_actions))

    def week_for(self, *, online: bool) -> int:
        return self.online_week if online and self.online_week else self.week


_VIRTUAL = {c.key: c for c in VIRTUAL_ACTIONS}


def _virtual(action: str, week: int) -> TemplateTask:
    """A task for one of the virtual-roundtable tips an organiser chose to act on."""
    return TemplateTask(
        key=f"virtual_{action}",
        week=week,
        title=_VIRTUAL[action].label,
        description=_VIRTUAL[action].hint,
        virtual_action=action,
        # A tip, not a step of the schedule: its week is the service's suggestion.
        handbook=False,
    )


INVITATIONS = "invitations"
TECH_RUN = "virtual_tech_run"

SCHEDULE: tuple[TemplateTask, ...] = (
    # Week 1
    TemplateTask(
        "ho_date",
        1,
        "Agree the date and time with Home Office Prevent",
        "Get in touch with Home Office Prevent to find a date and time that suits. Events are "
        "usually held in the evening, from 6pm to 8pm, but a morning or lunchtime event may "
        "suit your audience better.",
        home_office=True,
    ),
    TemplateTask(
        "ho_draft_list",
        1,
        "Send Home Office Prevent a draft list of speakers and attendees",
        "Include each person's name and the organisation they come from.",
        home_office=True,
    ),
    TemplateTask(
        "ho_notify",
        1,
        "Tell Home Office Prevent the date and time of the event",
        "The Home Office is not speaking, so you only need to let Home Office Prevent know "
        "when the event is. The other steps that involve them do not apply.",
        instead_of_home_office=True,
    ),
    TemplateTask(
        "chair",
        1,
        "Identify and secure a chairperson",
        "Choose someone suited to the audience, for example the Prevent Coordinator or a "
        "senior figure in the council.",
    ),
    TemplateTask(
        "clearance",
        1,
        "Check the council's internal clearance process",
        "Make sure sign-off can be given in time for the event to go ahead on this schedule.",
    ),
    # Week 2
    TemplateTask(
        "venue",
        2,
        "Secure the venue and IT equipment, and book refreshments",
        "Refreshments only if you need them.",
        in_person_only=True,
    ),
    TemplateTask(
        "online_setup",
        2,
        "Set up the online meeting and the IT you need",
        "Book the meeting on the platform you chose, and check speakers and the chair have "
        "what they need to join and share slides.",
        online_format_only=True,
        handbook=False,
    ),
    TemplateTask(
        INVITATIONS,
        2,
        "Send the invitations, at least two weeks before the event",
        "Include a way for people to send in questions before the event, such as a Sli.do link.",
    ),
    TemplateTask(
        "questions_feedback",
        2,
        "Open advance questions and set up the feedback form",
        "Let people submit questions ahead of the event, and get the event's feedback form ready.",
    ),
    TemplateTask(
        "prevent_staff",
        2,
        "Secure the attendance of Prevent project providers or other local Prevent staff",
        "If required or desirable.",
        optional=True,
    ),
    # Week 3
    TemplateTask(
        "ho_numbers",
        3,
        "Update Home Office Prevent on the numbers attending",
        home_office=True,
    ),
    TemplateTask(
        "chase",
        3,
        "Chase responses and send any further invitations",
    ),
    TemplateTask(
        "brief_chair",
        3,
        "Brief the chairperson on who is attending and the final agenda",
        "If required or desirable, for example when the chairperson is not the Prevent "
        "Coordinator. The chair's briefing pack, with the attendees and the final agenda, is "
        "a good basis.",
        optional=True,
    ),
    TemplateTask(
        "ho_brief_officials",
        3,
        "Home Office Prevent briefs senior officials",
        "If required or desirable.",
        optional=True,
        home_office=True,
    ),
    TemplateTask(
        "brief_members",
        3,
        "Prevent Coordinator briefs senior council officers or elected members",
        "If required or desirable.",
        optional=True,
    ),
    # Week 4, the event week
    TemplateTask(
        "ho_slides",
        4,
        "Receive the slides and films from Home Office Prevent",
        "Home Office Prevent sends the PowerPoint slides and online films 24 hours before the "
        "event, so this is due the day before. For an online or hybrid event this happens in "
        "week 3 instead, to leave time to fix any technical problems.",
        home_office=True,
        online_week=3,
        # "24 hours prior to event".
        days_before_event=1,
    ),
    TemplateTask(
        TECH_RUN,
        4,
        "Hold a technical run-through with the chair and speakers",
        "On the day or in the days before. Check that videos play with sound and the slides "
        "have no delay, let the chair and speakers introduce themselves, and brief everyone "
        "on sensitivities such as recent incidents.",
        online_only=True,
        # From the tips for running a virtual roundtable, not the schedule.
        handbook=False,
    ),
    TemplateTask("event", 4, "Hold the roundtable"),
    # Week 5, after the event
    TemplateTask(
        "evaluate_feedback",
        5,
        "Collate and evaluate the feedback forms",
        "Measure the event against its objectives.",
    ),
    TemplateTask(
        "share_feedback",
        5,
        "Send copies of the feedback to Home Office Prevent",
        "Highlight anything that needs further action, such as follow-up meetings, and "
        "recommendations for the next event. Share it even if the Home Office did not speak: "
        "it shows your engagement and helps judge impact across the country.",
    ),
    # Tips for running a virtual roundtable. The "tech_run" tip is the run-through above.
    _virtual("platform", 2),
    _virtual("disruption", 3),
    _virtual("qa", 3),
    _virtual("evaluate", 4),
)


_BY_KEY = {t.key: t for t in SCHEDULE}

HANDBOOK_SOURCE = "The handbook’s schedule"
TIP_SOURCE = (
    "The service’s suggestion: the handbook gives this as a tip for running a virtual "
    "roundtable, and the service placed it in this week"
)
SERVICE_SOURCE = "The service’s suggestion: not a step of the handbook’s schedule"
OWN_SOURCE = "Your own task"


def source_of(template_key: str | None) -> str:
    """Where a task comes from, as the task page says it: the handbook, the service or you."""
    step = _BY_KEY.get(template_key or "")
    if step is None:
        return OWN_SOURCE
    if step.handbook:
        return HANDBOOK_SOURCE
    return TIP_SOURCE if step.virtual_action or step.online_only else SERVICE_SOURCE


def due_on(event_day: date, week: int, template_key: str | None = None) -> date:
    """When a task falls due: the end of its week, or a step's own day in the event week.

    The slides come "24 hours prior to event": the day before, not the event day.
    """
    step = _BY_KEY.get(template_key or "")
    if step is not None and step.days_before_event is not None and week == EVENT_WEEK:
        return event_day - timedelta(days=step.days_before_event)
    return due_date(event_day, week)


@dataclass(frozen=True)
class PlannedTask:
    """A schedule step as it applies to one event: in the week it falls in for that event."""

    key: str
    week: int
    title: str
    description: str
    optional: bool
    home_office: bool


def tasks_for(
    *,
    home_office_speaking: bool,
    online: bool,
    virtual_actions: Iterable[str] = (),
    in_person: bool = True,
) -> list[PlannedTask]:
    """The schedule's tasks for an event like this, ordered by week, then handbook order."""
    chosen = set(virtual_actions)
    wanted = {
        "home_office_speaking": home_office_speaking,
        "online": online,
        "in_person": in_person,
    }
    planned = [
        PlannedTask(
            key=t.key,
            week=t.week_for(online=online),
            title=t.title,
            description=t.description,
            optional=t.optional,
            home_office=t.home_office,
        )
        for t in SCHEDULE
        if t.applies(**wanted, virtual_actions=chosen)
    ]
    return sorted(planned, key=lambda p: p.week)


def tasks_for_event(event: Event) -> list[PlannedTask]:
    return tasks_for(
        home_office_speaking=event.home_office_speaking,
        online=event.is_online,
        virtual_actions=event.virtual_actions or (),
        in_person=event.is_in_person,
    )
