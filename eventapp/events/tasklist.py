"""The planning stages shown on an event's overview, with their status."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from eventapp.agenda import services as agenda_services
from eventapp.audience import services as audience_services
from eventapp.checklist import services as checklist_services
from eventapp.events.models import Event
from eventapp.objectives import services as objective_services

COMPLETED = "Completed"
IN_PROGRESS = "In progress"
NOT_STARTED = "Not started"
NOT_AVAILABLE = "Not yet available"

# Agenda guidance that means the agenda is not finished yet (the rest is advice).
UNFINISHED_AGENDA = frozenset({"overrun", "missing_scene", "missing_messages", "missing_engage"})

# Stages that later parts of the service will fill in: shown, but never as links.
LATER_STAGES = (
    ("Invitations and registration", "Invite people and let them register in advance."),
    ("Feedback", "The anonymous Annex A feedback form."),
    ("Evaluation", "Measure the event against its objectives."),
)


@dataclass(frozen=True)
class Task:
    title: str
    hint: str
    status: str
    href: str | None

    @property
    def tag_class(self) -> str:
        return {
            COMPLETED: "",
            IN_PROGRESS: "govuk-tag--light-blue",
            NOT_STARTED: "govuk-tag--blue",
        }.get(self.status, "govuk-tag--grey")


def task_list(event: Event) -> list[Task]:
    """Each planning stage of the event, in the handbook's order, with its status."""
    details_done = bool(event.starts_at and event.ends_at and event.aims)
    objectives = event.objectives
    checks = [objective_services.check(o, event) for o in objectives]
    if not objectives:
        objective_status, objective_hint = NOT_STARTED, "Set at least one SMART objective."
    elif all(c.passed for c in checks):
        objective_status = COMPLETED
        objective_hint = (
            f"{len(objectives)} objective{'s' if len(objectives) != 1 else ''}, all SMART."
        )
    else:
        objective_status = IN_PROGRESS
        attention = sum(1 for c in checks if not c.passed)
        objective_hint = f"{attention} of {len(objectives)} need attention to be SMART."
    profile = audience_services.get_profile(event)
    organisations = len(event.target_organisations)
    audience_status = {
        "completed": COMPLETED,
        "in progress": IN_PROGRESS,
        "not started": NOT_STARTED,
    }[audience_services.profile_status(profile, organisations)]
    tasks = [
        Task(
            "Event details",
            "Title, aims, date and time, venue or joining link, chairperson and speakers.",
            COMPLETED if details_done else IN_PROGRESS,
            url_for("events.edit", event_id=event.id),
        ),
        Task(
            "Objectives",
            objective_hint,
            objective_status,
            url_for("objectives.index", event_id=event.id),
        ),
        Task(
            "Audience",
            f"Who the event is for. {organisations} target organisation"
            f"{'s' if organisations != 1 else ''}.",
            audience_status,
            url_for("audience.edit", event_id=event.id),
        ),
        Task(
            "Virtual or in person",
            "Weigh the pros of each and record your choice.",
            COMPLETED if event.format_decided_at else NOT_STARTED,
            url_for("formats.decide", event_id=event.id),
        ),
    ]
    agenda = agenda_services.agenda_view(event)
    if not agenda.rows:
        agenda_status, agenda_hint = (
            NOT_STARTED,
            ("Set the scene, land the key messages and leave plenty of time for questions."),
        )
    else:
        # Guidance is advice: the handbook's own example leaves no time to spare, so only
        # an agenda that overruns the event or misses one of its three parts is unfinished.
        blocking = [g for g in agenda.guidance if g.key in UNFINISHED_AGENDA]
        agenda_status = IN_PROGRESS if blocking else COMPLETED
        agenda_hint = f"{len(agenda.rows)} items. {agenda.summary}."
        if agenda.guidance:
            count = len(agenda.guidance)
            agenda_hint += f" {count} point{'s' if count != 1 else ''} to consider."
    tasks.append(
        Task("Agenda", agenda_hint, agenda_status, url_for("agenda.index", event_id=event.id))
    )
    if event.starts_at is None:
        tasks.append(
            Task(
                "Planning checklist",
                "The handbook's week-by-week tasks appear once the event has a date.",
                NOT_STARTED,
                url_for("checklist.index", event_id=event.id),
            )
        )
    else:
        done = checklist_services.progress(event)
        tasks.append(
            Task(
                "Planning checklist",
                done.summary + ".",
                COMPLETED
                if done.total and done.done == done.total
                else (IN_PROGRESS if done.done else NOT_STARTED),
                url_for("checklist.index", event_id=event.id),
            )
        )
    tasks += [Task(title, hint, NOT_AVAILABLE, None) for title, hint in LATER_STAGES]
    return tasks
