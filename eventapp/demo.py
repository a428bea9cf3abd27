"""`flask demo load`: Thurrock Council and the handbook's worked example, loaded idempotently."""

from __future__ import annotations

import os
from datetime import time, timedelta
from decimal import Decimal

import click
from flask import Flask
from sqlalchemy import select

from eventapp.accounts import services as account_services
from eventapp.accounts.models import Role, User
from eventapp.agenda import services as agenda_services
from eventapp.audience import services as audience_services
from eventapp.briefing import faqs
from eventapp.briefing import services as briefing_services
from eventapp.checklist import services as checklist_services
from eventapp.checklist.models import ChecklistTask, TaskStatus
from eventapp.events import services as event_services
from eventapp.events.models import Event, EventFormat, EventStatus
from eventapp.extensions import db
from eventapp.formats import services as format_services
from eventapp.handbook import Aim, ReceptiveSlot, Sector
from eventapp.models.base import utcnow
from eventapp.objectives import services as objective_services
from eventapp.objectives.models import Metric

COUNCIL = "Thurrock Council"
AREA = "Thurrock"
EXAMPLE_TITLE = (
    "Mental health and vulnerability to radicalisation: a roundtable for school safeguarding leads"
)
DEMO_PASSWORD_DEFAULT = "demo-password-change-me"  # noqa: S105 (demo data, printed on purpose)

USERS = (
    ("organiser@thurrock.example", "Olivia Organiser", Role.ORGANISER),
    ("coordinator@thurrock.example", "Colin Coordinator", Role.COORDINATOR),
    ("admin@thurrock.example", "Ada Admin", Role.ADMIN),
)

SCHOOLS = (
    "Aveley Primary School",
    "Belmont Castle Academy",
    "Chafford Hundred Academy",
    "Corringham Primary School",
    "Deneholm Primary School",
    "East Tilbury Primary School",
    "Gable Hall School",
    "Grays Convent High School",
    "Harris Academy Chafford Hundred",
    "Hassenbrook Academy",
    "Orsett Heath Academy",
    "Ormiston Park Academy",
    "St Clere's School",
    "Stifford Clays Primary School",
    "William Edwards School",
)


def _password() -> str:
    return os.environ.get("EVENTAPP_DEMO_PASSWORD", DEMO_PASSWORD_DEFAULT)


def load() -> list[str]:
    """Create whatever of the demo data is missing; returns what was created."""
    created: list[str] = []
    council = account_services.get_or_create_council(COUNCIL, AREA)
    users: dict[Role, User] = {}
    for email, name, role in USERS:
        user = account_services.find_user(email)
        if user is None:
            user = account_services.create_user(
                council=council, email=email, role=role, password=_password(), name=name
            )
            created.append(f"user {email}")
        users[role] = user
    organiser = users[Role.ORGANISER]
    event = db.session.scalar(
        select(Event).where(Event.council_id == council.id, Event.title == EXAMPLE_TITLE)
    )
    new_event = event is None
    if event is None:
        event = _example_event(council.id, organiser)
        created.append("the handbook's example event")
    if not agenda_services.list_items(event):
        agenda_services.start_from_example(event=event, actor=organiser)
        if not new_event:
            created.append("its agenda")
    if not event.briefing_faqs:
        # The event is on mental health and radicalisation: the chair gets that FAQ.
        briefing_services.set_faqs(event=event, actor=organiser, keys=[faqs.MENTAL_HEALTH])
        if not new_event:
            created.append("the FAQ in its briefing pack")
    if not any(task.owner_id for task in _tasks(event)):
        checklist_services.sync_checklist(event, organiser)
        _start_checklist(event, users)
        if not new_event:
            created.append("its planning checklist")
    db.session.commit()
    from eventapp.registration import demo as registration_demo

    # First: sending its joining instructions delivers whatever mail is due, and the
    # invitations demo keeps one letter queued on purpose.
    created += registration_demo.load_online(council.id, organiser)
    from eventapp.invitations import demo as invitation_demo

    added = invitation_demo.load(event, organiser)
    from eventapp.questions import demo as question_demo

    added += question_demo.load(event, organiser)
    added += registration_demo.load(event, organiser)
    added += question_demo.load_registrant_question(event, organiser)
    if not new_event:
        created += added
    from eventapp.feedback import demo as feedback_demo

    created += feedback_demo.load(council.id, organiser)
    created += registration_demo.load_past(council.id, organiser)
    from eventapp.evaluation import demo as evaluation_demo

    created += evaluation_demo.load(council.id, organiser, users.get(Role.COORDINATOR))
    return created


def _example_event(council_id: int, organiser: User) -> Event:
    # Five weeks ahead, on a Wednesday, so the whole planning schedule lies in the future.
    today = utcnow().date()
    day = today + timedelta(days=35)
    day += timedelta(days=(2 - day.weekday()) % 7)
    event = event_services.create_event(
        council_id=council_id,
        actor=organiser,
        details=event_services.EventDetails(
            title=EXAMPLE_TITLE,
            aims=[Aim.AWARENESS],
            day=day,
            start=time(18, 0),
            end=time(20, 0),
            format=EventFormat.IN_PERSON,
            venue_name="Thameside Theatre, Studio 2",
            venue_address="Orsett Road\nGrays\nRM17 5DX",
            capacity=40,
            chair_name="Sam Patel",
            chair_role="Prevent Coordinator, Thurrock Council",
            home_office_speaking=True,
            presentation_type=event_services.PresentationType.THEMATIC,
            presentation_topic="Mental health and vulnerability to radicalisation",
            intro_video=True,
        ),
    )
    objective_services.add_objective(
        event=event,
        actor=organiser,
        details=objective_services.ObjectiveDetails(
            statement="Raise awareness of the links between mental health and vulnerability to "
            "radicalisation amongst safeguarding leads in 15 local schools, leading to an "
            "increased understanding by the end of the event.",
            specific_who="Safeguarding leads in 15 local schools",
            specific_what="Increased understanding of the links between mental health and "
            "vulnerability to radicalisation",
            metric=Metric.ORGANISATIONS_REPRESENTED,
            target_value=Decimal(15),
            attainable_reason="The schools' safeguarding network meets termly and has agreed "
            "to promote the roundtable to its members.",
            relevant_aim=Aim.AWARENESS,
            measure_by=day,
        ),
    )
    audience_services.save_profile(
        event=event,
        actor=organiser,
        values={
            "sector": Sector.EDUCATION_SCHOOLS,
            "profession": "Teachers and safeguarding leads",
            "vital_statistics": "One designated safeguarding lead in each of 15 primary and "
            "secondary schools.",
            "characteristics": "Experienced in child protection; varied familiarity with Prevent.",
            "location_lifestyle": "Across Thurrock; busy during the school day.",
            "barriers": "Time pressure during term; worry about stigmatising pupils with poor "
            "mental health.",
            "motivations_needs": "Confidence to recognise concerns and know when to refer.",
            "information_sources": "The local safeguarding partnership newsletter and email "
            "from the education team.",
            "receptive_slot": ReceptiveSlot.EVENING,
            "receptive_notes": "After school, once pupils have gone home.",
            "influencers": "The local safeguarding partnership and head teachers.",
        },
    )
    audience_services.add_organisations(
        event=event,
        actor=organiser,
        items=[audience_services.ParsedOrganisation(name, 1) for name in SCHOOLS],
    )
    format_services.record_decision(
        event=event,
        actor=organiser,
        pros=["engaging", "body_language", "nuance", "margins", "secure"],
        chosen=EventFormat.IN_PERSON,
        rationale="A sensitive topic: safeguarding leads will talk more openly in a room than "
        "online, and the schools are all within a short drive.",
        actions=[],
    )
    event_services.change_status(event=event, to=EventStatus.PLANNING, actor=organiser)
    return event


def _tasks(event: Event) -> list[ChecklistTask]:
    return list(
        db.session.scalars(
            select(ChecklistTask)
            .where(ChecklistTask.event_id == event.id)
            .order_by(ChecklistTask.id)
        )
    )


def _start_checklist(event: Event, users: dict[Role, User]) -> None:
    """Share out the tasks and tick off the first one, as a team getting started would."""
    organiser, coordinator = users[Role.ORGANISER], users[Role.COORDINATOR]
    tasks = _tasks(event)
    for task in tasks:
        owner = coordinator if task.week == 5 else organiser
        checklist_services.set_owner(task=task, actor=organiser, owner_id=owner.id)
    for task in tasks:
        if task.week == 1 and task.template_key is not None and not task.optional:
            checklist_services.set_status(task=task, actor=organiser, status=TaskStatus.DONE)
            break


@click.command("load")
@click.option(
    "--port",
    default=5000,
    show_default=True,
    help="The port `make run` serves on, for the sign-in address printed.",
)
def load_command(port: int) -> None:
    """Load the demo council, users and example event (safe to run again)."""
    created = load()
    click.echo("Demo data: " + (", ".join(created) + " created." if created else "already loaded."))
    click.echo("")
    click.echo(f"Sign in at http://127.0.0.1:{port}/sign-in with any of these:")
    for email, _name, role in USERS:
        click.echo(f"  {role.value:<12} {email}")
    click.echo(f"  password     {_password()}")


def init_app(app: Flask) -> None:
    from flask.cli import AppGroup

    group = AppGroup("demo", help="Demonstration data.")
    group.add_command(load_command)
    app.cli.add_command(group)
