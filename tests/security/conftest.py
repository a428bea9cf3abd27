"""Security fixtures: two councils with one of everything, a route walker and a table snapshot.

The walker reads the URL map, and who may reach each route comes from the route's own
declaration (``@public``, ``@token_route``, ``@signed_in``, ``@planner_required``,
``@admin_required`` in ``eventapp.access``), so routes added later are checked without
editing these tests, and a route that declares nothing fails them (the app refuses to
build). When a route takes an argument the resolver does not know, the test fails and
names the rule: extend ``ids_of`` (or give the new table an ``event_id`` column, which the
fallback understands); a token route of a new purpose needs a token in ``TOKEN_SUBJECTS``.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event as sa_event
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule
from werkzeug.routing.converters import AnyConverter

from config import TestConfig
from eventapp import create_app, tokens
from eventapp.access import PUBLIC_FACING, Access, access_of
from eventapp.accounts import services as account_services
from eventapp.accounts.models import Council, Role, User
from eventapp.agenda import services as agenda_services
from eventapp.agenda.models import AgendaPart
from eventapp.audience import services as audience_services
from eventapp.audience.models import TargetOrganisation
from eventapp.calendars import services as calendar_services
from eventapp.events import services as event_services
from eventapp.events.models import Event, EventStatus
from eventapp.extensions import db
from eventapp.handbook import Aim
from eventapp.invitations import channels
from eventapp.invitations.models import ChannelKind, InvitationChannel, Invitee, InviteeImport
from eventapp.mail.delivery import JOB_SESSION
from eventapp.mail.models import Channel, MessageState, OutboxMessage
from eventapp.objectives import services as objective_services
from eventapp.objectives.models import Objective
from eventapp.questions import services as question_services
from eventapp.questions.models import Question, QuestionState, QuestionVote, WhoMayAsk
from eventapp.registration.models import Registration, RegistrationStatus
from eventapp.routing import TokenConverter
from eventapp.tokens import TokenPurpose
from tests.conftest import PASSWORD, future_day

CSRF_EXPIRED = "This form expired"
SIGNED_IN_ONLY = frozenset({Access.SIGNED_IN, Access.PLANNER, Access.ADMIN})
# Ids no other test reaches, given to each council's public event, so that finding one in a
# public page or URL can only mean the sequential id leaked (see public_page_problems).
PUBLIC_EVENT_IDS = {"A": 7_340_193, "B": 7_340_194}


# Two councils ------------------------------------------------------------


@dataclass
class Side:
    """One council with an organiser, an administrator and an event with one of everything,
    plus an event open to the public (for routes that take ``<slug:event_slug>``)."""

    council: Council
    organiser: User
    admin: User
    event: Event
    objective: Objective
    organisation: TargetOrganisation
    feed_token: str
    public_event: Event
    tokens: dict[TokenPurpose, str] = field(default_factory=dict)

    def user_for(self, rule: Rule) -> User | None:
        """The user whose role the route is for; None (nobody signed in) for public routes."""
        rule_access = access(rule)
        if rule_access is Access.ADMIN:
            return self.admin
        if rule_access in PUBLIC_FACING:
            return None
        return self.organiser


def act_as(client: FlaskClient, side: Side, rule: Rule) -> None:
    """Sign the client in as whoever the route is for (nobody, for public routes)."""
    from tests.conftest import login_as

    user = side.user_for(rule)
    if user is not None:
        login_as(client, user)


@dataclass
class World:
    a: Side
    b: Side

    @property
    def sides(self) -> tuple[Side, Side]:
        return (self.a, self.b)


# For each token purpose a route declares, how the world issues one of that council's
# tokens (returns the raw token). A token route of a new purpose needs an entry here.
TOKEN_SUBJECTS: dict[TokenPurpose, Callable[[Side], str]] = {
    TokenPurpose.CALENDAR_FEED: lambda side: side.feed_token,
    TokenPurpose.PASSWORD_RESET: lambda side: tokens.issue(
        TokenPurpose.PASSWORD_RESET, side.organiser.id, ttl=timedelta(hours=1)
    ).raw,
    TokenPurpose.INVITATION: lambda side: tokens.issue(
        TokenPurpose.INVITATION, _public_invitee(side).id
    ).raw,
    TokenPurpose.ACCOUNT_SETUP: lambda side: tokens.issue(
        TokenPurpose.ACCOUNT_SETUP, _new_colleague(side).id, ttl=timedelta(hours=72)
    ).raw,
    TokenPurpose.EMAIL_CONFIRMATION: lambda side: tokens.issue(
        TokenPurpose.EMAIL_CONFIRMATION, _registration(side, "unconfirmed").id,
        ttl=timedelta(hours=48),
    ).raw,
    TokenPurpose.FEEDBACK: lambda side: _feedback_link(side),
    TokenPurpose.REGISTRATION: lambda side: tokens.issue(
        TokenPurpose.REGISTRATION, _registration(side, "confirmed").id
    ).raw,
}

# GET routes that record something on purpose, never a change the person asked for: opening
# a link is counted, and an export is audited. Any other table changing on GET fails.
GET_RECORDS: dict[str, set[str]] = {
    "public.channel": {"invitation_channel"},
    "public.invitation": {"invitee"},
    "invitations.export": {"audit_entry"},
    # Exports of the evaluation are logged (who downloaded what, when).
    "evaluation.pdf": {"audit_entry"},
    "evaluation.tables_csv": {"audit_entry"},
    "evaluation.responses_csv": {"audit_entry"},
    "dashboard.tables_csv": {"audit_entry"},
    "questions.export_csv": {"audit_entry"},
    "registrations.export": {"audit_entry"},
}


def _staff_registration_id(side: Side) -> int:
    return int(db.session.scalar(
        select(Registration.id).where(Registration.event_id == side.event.id)
    ) or 0)


def _registration(side: Side, status: str) -> Registration:
    """A registration for the side's public event (and one on its private event, for the
    staff routes that take a ``registration_id``)."""
    now = datetime.now(UTC)
    row = Registration(
        event_id=side.public_event.id, name=f"Registrant of {side.council.name}",
        email=f"{status}.{side.council.id}@example.org", organisation="Grays Academy",
        status=RegistrationStatus(status), confirmed_at=now if status == "confirmed" else None,
    )
    db.session.add(row)
    if not db.session.scalar(select(Registration.id).where(
        Registration.event_id == side.event.id
    )):
        db.session.add(Registration(
            event_id=side.event.id, name="Staff-side registrant", email="r@example.org",
            status=RegistrationStatus.CONFIRMED, confirmed_at=now,
        ))
    db.session.flush()
    return row


def _feedback_link(side: Side) -> str:
    """An attendee of the public event holding an unused personal feedback link."""
    from eventapp.feedback.link_models import FeedbackLink
    from eventapp.feedback.links import hash_of

    now = datetime.now(UTC)
    person = Registration(
        event_id=side.public_event.id, name=f"Attendee of {side.council.name}",
        email=f"attendee.{side.council.id}@example.org", status=RegistrationStatus.CONFIRMED,
        confirmed_at=now, checked_in_at=now,
    )
    db.session.add(person)
    db.session.flush()
    raw = tokens.new_token()
    db.session.add(
        FeedbackLink(event_id=side.public_event.id, registration_id=person.id, token_hash=hash_of(raw))
    )
    db.session.flush()
    return raw


def _new_colleague(side: Side) -> User:
    """An account an administrator has just added: no password until its set-up link is used."""
    return account_services.create_user(
        council=side.council,
        email=f"new.colleague.{side.council.id}@example.gov.uk",
        role=Role.ORGANISER,
        password=None,
        name=f"New colleague at {side.council.name}",
    )


def _public_invitee(side: Side) -> Invitee:
    invitee = Invitee(
        event_id=side.public_event.id, name=f"Invitee of {side.council.name}",
        email="invitee@example.org",
    )
    db.session.add(invitee)
    db.session.flush()
    return invitee


def _mail_and_invitations(side: Side) -> None:
    """A refused message for the outbox page, and on the event an invitee, a channel and a
    checked upload; the public event gets a channel of its own."""
    now = datetime.now(UTC)
    db.session.add(
        OutboxMessage(
            channel=Channel.EMAIL, state=MessageState.FAILED, kind="invitation",
            council_id=side.council.id, event_id=side.event.id,
            recipient=f"invitee@{side.council.id}.example.org", sender="events@example.gov.uk",
            subject="Invitation", body_text="t", body_html="h",
            message_id=f"<{side.council.id}.{side.event.id}@example.gov.uk>", attempts=1,
            created_at=now, next_attempt_at=now, finished_at=now,
            last_error="550 No such mailbox",
        )
    )
    db.session.add(Invitee(event_id=side.event.id, name="Invitee", email="i@example.org"))
    db.session.add(
        InviteeImport(event_id=side.event.id, rows=[], rejected=[], merged=[], lines=1)
    )
    for event in (side.event, side.public_event):
        channels.add_channel(
            event=event, actor=side.organiser, kind=ChannelKind.FLYER, label="Flyers"
        )


def _questions(side: Side) -> None:
    """Questions open on the public event (one approved, one voted for); on the private
    event two questions (one to merge into the other), a vote and a follow-up action."""
    for event in (side.event, side.public_event):
        question_services.save_settings(
            event=event, actor=side.organiser, is_open=True, needs_approval=True,
            who_may_ask=WhoMayAsk.ANYONE,
        )
        for text in (f"Question about {event.title}?", f"Another question about {event.title}?"):
            question = question_services.ask(
                event=event,
                asker=question_services.Asker(f"browser:{side.council.name}"),
                details=question_services.NewQuestion(text=text, anonymous=True),
            )
            question.state = QuestionState.APPROVED
        db.session.add(QuestionVote(question_id=question.id, voter="0" * 64))
        db.session.flush()
        question_services.recount(question)
        question_services.add_action(
            question=question, actor=side.organiser,
            details=question_services.ActionDetails(what="Send the latest figures"),
        )


def _feedback(side: Side) -> None:
    """The public event's feedback form open now (it starts in the future: opened early),
    so the walker and the fuzzer reach the form itself, not the "not open yet" page."""
    from eventapp.feedback import services as feedback_services

    feedback_services.open_now(event=side.public_event, actor=side.organiser)


def _public_event(council: Council, organiser: User, letter: str) -> Event:
    """An event with registration open, under an id that cannot occur by chance."""
    starts = datetime.combine(future_day(), time(18, 0), tzinfo=UTC)
    event = Event(
        id=PUBLIC_EVENT_IDS[letter],
        council_id=council.id,
        created_by_id=organiser.id,
        title=f"Council {letter} public roundtable",
        status=EventStatus.OPEN,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        venue_name=f"Council {letter} secret venue",
        venue_address="2 Private Road",
        capacity=30,
    )
    db.session.add(event)
    db.session.flush()
    return event


@pytest.fixture
def world(app: Flask) -> World:
    """Councils A and B, each with one of everything, written in a single commit (it is fast)."""
    sides: list[tuple[Any, ...]] = []
    for letter in "AB":
        council = Council(name=f"Council {letter}", area_name=f"Area {letter}")
        db.session.add(council)
        organiser, admin = (
            account_services.create_user(
                council=council, email=f"{role}.{letter.lower()}@example.gov.uk", role=role,
                password=PASSWORD, name=f"{role} {letter}".title(),
            )
            for role in (Role.ORGANISER, Role.ADMIN)
        )
        event = event_services.create_event(
            council_id=council.id,
            actor=organiser,
            details=event_services.EventDetails(
                title=f"Council {letter} private roundtable", aims=[Aim.AWARENESS],
                day=future_day(), start=time(18, 0), end=time(20, 0),
                venue_name=f"Council {letter} venue", venue_address="1 High Street", capacity=40,
            ),
        )
        objective = objective_services.add_objective(
            event=event,
            actor=organiser,
            details=objective_services.ObjectiveDetails(statement=f"Council {letter} objective"),
        )
        audience_services.add_organisations(
            event=event,
            actor=organiser,
            items=[audience_services.ParsedOrganisation(f"Council {letter} school", 3)],
        )
        for title in ("Welcome", "Discussion"):
            agenda_services.add_item(
                event=event,
                actor=organiser,
                details=agenda_services.ItemDetails(
                    title=f"Council {letter} {title}", duration_minutes=10, part=AgendaPart.SCENE
                ),
            )
        feed_token = calendar_services.issue_feed_token(organiser)
        organisation = audience_services.organisations(event)[0]
        sides.append((council, organiser, admin, event, objective, organisation, feed_token))
    # Last, so that no event made above (SQLite numbers rows from the highest id) comes after.
    world = World(
        *(Side(*parts, _public_event(parts[0], parts[1], letter)) for parts, letter in zip(
            sides, "AB", strict=True
        ))
    )
    for side in world.sides:
        _mail_and_invitations(side)
        _questions(side)
        _feedback(side)
        side.tokens = {purpose: make(side) for purpose, make in TOKEN_SUBJECTS.items()}
    db.session.commit()
    return world


# The route walker ---------------------------------------------------------


@functools.cache
def fresh_app() -> Flask:
    """An app built only to read its routes (so test-only routes added elsewhere never appear).

    Building it fails, naming the route, if any route declares no access rule.
    """
    return create_app(TestConfig)


def all_rules() -> list[Rule]:
    return sorted(fresh_app().url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))


def view_of(rule: Rule) -> Any:
    return fresh_app().view_functions[rule.endpoint]


def access(rule: Rule) -> Access:
    """Who the route says may reach it (create_app refuses routes that say nothing)."""
    declared = access_of(view_of(rule), rule.endpoint)
    assert declared is not None, f"{rule_id(rule)} declares no access rule"
    return declared


def rules_for(*accesses: Access) -> list[Rule]:
    return [r for r in all_rules() if access(r) in accesses]


def keeps_input(rule: Rule) -> bool:
    """Whether the view re-renders its form, input kept, when the CSRF token is bad."""
    return bool(getattr(view_of(rule), "rerender_on_csrf_error", False))


def rule_id(rule: Rule) -> str:
    return f"{rule.endpoint} {rule.rule}"


def is_admin_route(rule: Rule) -> bool:
    return access(rule) is Access.ADMIN


def is_planner_route(rule: Rule) -> bool:
    return access(rule) is Access.PLANNER


def is_public(rule: Rule) -> bool:
    """Open without signing in: public pages and secret-link (token) pages."""
    return access(rule) in PUBLIC_FACING


def is_event_route(rule: Rule) -> bool:
    """A staff route about one event: its event is loaded with the council check."""
    return "event_id" in rule.arguments


def token_purpose(rule: Rule) -> TokenPurpose:
    return TokenPurpose(view_of(rule).token_purpose)


def post_rules() -> list[Rule]:
    return [r for r in all_rules() if "POST" in (r.methods or ()) and r.endpoint != "static"]


def get_rules() -> list[Rule]:
    return [r for r in all_rules() if "GET" in (r.methods or ()) and r.endpoint != "static"]


def methods_of(rule: Rule) -> list[str]:
    return [m for m in ("GET", "POST") if m in (rule.methods or ())]


def ids_of(side: Side) -> dict[str, int | str]:
    """Real values of one council's objects, by the name routes give the argument."""
    return {
        "event_id": side.event.id,
        "event_slug": side.public_event.public_slug,
        "objective_id": side.objective.id,
        "organisation_id": side.organisation.id,
        "user_id": side.organiser.id,
        "message_id": db.session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.council_id == side.council.id)
        )
        or 0,
        "code": db.session.scalar(
            select(InvitationChannel.code).where(
                InvitationChannel.event_id == side.public_event.id
            )
        )
        or "",
    }


def _event_table(argument: str) -> Any:
    """For a new ``<thing>_id``, the one table ``thing`` or ``*_thing`` with an event_id column."""
    stem = argument.removesuffix("_id")
    tables = [
        t for t in db.metadata.sorted_tables
        if (t.name == stem or t.name.endswith(f"_{stem}")) and "event_id" in t.c and "id" in t.c
    ]
    return tables[0] if len(tables) == 1 else None


def is_token_argument(rule: Rule, argument: str) -> bool:
    return isinstance(rule._converters[argument], TokenConverter)


def token_of(rule: Rule, side: Side) -> str:
    """One of the side's live tokens of the purpose the route declares."""
    purpose = token_purpose(rule)
    if purpose not in side.tokens:
        pytest.fail(
            f"Route {rule.rule} ({rule.endpoint}) takes a {purpose.value} token, which the "
            "security walker cannot issue: add the purpose to TOKEN_SUBJECTS in "
            "tests/security/conftest.py"
        )
    return side.tokens[purpose]


def value_of(rule: Rule, argument: str, side: Side) -> int | str:
    """The side's value for a route argument; fails the test, naming the rule, if unknown.

    Unknown ``<thing>_id`` arguments fall back to the event's first row in the matching table
    (``task_id`` finds ``checklist_task`` rows), if the event has one.
    """
    if is_token_argument(rule, argument):
        return token_of(rule, side)
    known = ids_of(side)
    if argument in known:
        return known[argument]
    table = _event_table(argument) if argument.endswith("_id") else None
    if table is not None:
        # A public route (by slug) reaches the public event's objects, a staff route its own.
        event = side.public_event if "event_slug" in rule.arguments else side.event
        query = select(table.c.id).where(table.c.event_id == event.id).order_by(table.c.id)
        row = db.session.scalar(query.limit(1))
        if row is not None:
            return int(row)
    where = f"no {table.name} row for the event" if table is not None else "no table matches"
    pytest.fail(
        f"Route {rule.rule} ({rule.endpoint}) takes <{argument}>, which the security walker "
        f"cannot resolve ({where}): create the object in the `world` fixture and map the "
        "argument in ids_of() in tests/security/conftest.py."
    )


def id_arguments(rule: Rule) -> list[str]:
    """The rule's arguments that name an object (everything but any(...) choices)."""
    return sorted(
        a for a in rule.arguments if not isinstance(rule._converters[a], AnyConverter)
    )


def urls_for(rule: Rule, side: Side, **override: int | str) -> list[str]:
    """The rule built with the side's ids: one URL per choice of its any(...) arguments."""
    fixed = {
        a: override[a] if a in override else value_of(rule, a, side) for a in id_arguments(rule)
    }
    choices = {
        a: sorted(rule._converters[a].items)
        for a in sorted(rule.arguments)
        if isinstance(rule._converters[a], AnyConverter)
    }
    urls = []
    for combination in itertools.product(*choices.values()):
        values = fixed | dict(zip(choices, combination, strict=True))
        urls.append(rule.build(values, append_unknown=False)[1])
    return urls


# What the public may see ----------------------------------------------------------

_STAFF_EVENT_URL = re.compile(r"/events/\d")
_LINK = re.compile(r'\b(?:href|action|src|formaction)="([^"]*)"')


def public_page_problems(url: str, page: str, world: World) -> list[str]:
    """What a public page (or its URL) gives away: an event's sequential id, or a staff link.

    Every public event in the world has an id no other number on a page could match by
    chance, so finding it anywhere means the id leaked.
    """
    problems = []
    for side in world.sides:
        digits = re.compile(rf"(?<!\d){side.public_event.id}(?!\d)")
        if digits.search(url):
            problems.append(f"the URL {url} contains event id {side.public_event.id}")
        if digits.search(page):
            problems.append(f"the page contains event id {side.public_event.id}")
    if _STAFF_EVENT_URL.search(url):
        problems.append(f"the URL {url} is a staff event address")
    adapter = fresh_app().url_map.bind("localhost")
    for link in _LINK.findall(page):
        parts = urlsplit(link)
        if parts.netloc or not parts.path.startswith("/"):
            continue
        if _STAFF_EVENT_URL.search(parts.path):
            problems.append(f"the page links to the staff address {link}")
            continue
        try:
            endpoint, _ = adapter.match(parts.path, method="GET")
        except HTTPException:
            continue
        rule_access = access_of(fresh_app().view_functions[endpoint], endpoint)
        if rule_access not in PUBLIC_FACING:
            problems.append(f"the page links to {link}, which is for {rule_access} staff")
    return problems


# What a valid form for each route looks like ------------------------------------

NEW_PASSWORD = "a brand new password 2"  # noqa: S105 - a test account's password


def valid_form(endpoint: str, side: Side) -> dict[str, Any] | None:
    """A body the route accepts (so a missing check would visibly change something), if known."""
    event = {
        "title": "Changed title",
        "aims": ["awareness"],
        "format": "in_person",
        "home_office_speaking": "no",
        "intro_video": "no",
    }
    agenda_item = {
        "title": "Changed item", "duration_minutes": "15", "part": "engage",
        "is_speaker": "no", "collects_feedback": "no",
    }
    forms: dict[str, dict[str, Any]] = {
        "accounts.sign_in": {"email": side.organiser.email, "password": PASSWORD},
        "accounts.change_password": {
            "current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
        },
        "accounts.new_user": {
            "name": "New Person", "email": "new.person@example.gov.uk", "role": "organiser",
            "password": NEW_PASSWORD,
        },
        "events.new": event,
        "events.edit": event,
        "events.change_status": {"to": "planning"},
        "objectives.new": {"statement": "Another objective"},
        "objectives.edit": {"statement": "Changed objective"},
        "audience.edit": {"sector": "education_schools", "receptive_slot": "evening"},
        "audience.organisations": {"add-name": "Another school"},
        "audience.paste_organisations": {"paste-names": "First club\nSecond club, 4"},
        "audience.edit_organisation": {"name": "Renamed school", "expected": "3"},
        "audience.remove_organisations": {"ids": [side.organisation.id]},
        "formats.decide": {"format": "online", "rationale": "Easier", "submit": "Save decision"},
        "calendars.feed_settings": {"action": "issue"},
        "briefing.faqs": {"faqs": ["spying", "ddp"]},
        "agenda.new": agenda_item,
        "agenda.edit": agenda_item,
        "agenda.move": {"direction": "down"},
        "checklist.edit": {"status": "not_needed", "owner": "", "note": "Changed note"},
        "checklist.new": {"title": "Print name badges", "week": "2"},
        "password_reset.request_link": {"email": side.organiser.email},
        "invitations.edit_letter": {
            "subject": "Invitation ((area))", "body": "Dear ((name)), ((link))",
            "pre_registration": "yes", "version": "0",
        },
        "invitations.new_invitee": {"name": "New Invitee", "email": "new.invitee@example.org"},
        "invitations.channel_list": {"kind": "newsletter", "label": "Parish newsletter"},
        "digest.settings": {"wanted": "no"},
        "questions_public.ask": {"text": "Is Channel voluntary?", "identity": "anonymous"},
        "questions_public.vote": {"vote": "up"},
        "questions.settings": {"is_open": "no", "needs_approval": "no", "who_may_ask": "anyone"},
        "questions.moderate": {"action": "star"},
        "questions.hide": {"reason": "A duplicate"},
        "questions.edit": {"text": "Corrected question?", "version": "1"},
        "questions.merge": {"into": str(_second_question(side))},
        "questions.faq": {"faq": "spying"},
        "questions.new_action": {"what": "Send the figures", "who": "Sam"},
        "registration.register": {
            "name": "New Registrant", "email": "new.registrant@example.org",
            "organisation": "Grays Academy", "sector": "charity", "consent": "y",
        },
        "registration.needs": {"access_needs": "Step-free access", "dietary_needs": ""},
        "registrations.index": {"ids": [_staff_registration_id(side)], "action": "cancel"},
        "registrations.settings": {
            "mode": "approval", "release_hours": "24", "retention_days": "30",
        },
        "registrations.tick": {"action": "arrived"},
        "registrations.walk_in": {
            "name": "Walk In", "organisation": "Grays Mosque", "sector": "faith",
        },
        "feedback.index": {"days_open": "10"},
    }
    no_fields = {
        "accounts.sign_out", "accounts.set_active", "objectives.delete",
        "audience.remove_organisation", "agenda.delete", "checklist.done", "checklist.remove",
        "mail.retry", "invitations.remove_invitee", "registration.confirm",
        "registration.cancel", "registrations.send_update", "registrations.purge_now",
        "questions.action_done",
        "feedback.close", "feedback.open_early",
    }
    if endpoint in no_fields:
        return {"submit": "Confirm"}
    if endpoint in forms:
        return {"submit": "Confirm", **forms[endpoint]}
    return None


def _second_question(side: Side) -> int:
    """The private event's question that the walker's <question_id> (the lowest id) is not."""
    ids = db.session.scalars(
        select(Question.id).where(Question.event_id == side.event.id).order_by(Question.id)
    ).all()
    return ids[1] if len(ids) > 1 else 0


# Snapshots -------------------------------------------------------------------


Snapshot = dict[str, list[str]]


def snapshot() -> Snapshot:
    """Every committed row of every table, read on a separate connection."""
    with db.engine.connect() as conn:
        return {
            table.name: sorted(repr(tuple(row)) for row in conn.execute(table.select()))
            for table in db.metadata.sorted_tables
        }


def changed_tables(before: Snapshot, after: Snapshot) -> list[str]:
    names = sorted(before.keys() | after.keys())
    return [name for name in names if before.get(name) != after.get(name)]


# Pages ----------------------------------------------------------------------------

_CSRF_INPUT = re.compile(
    r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"'
)


def csrf_token_from(html: str) -> str:
    match = _CSRF_INPUT.search(html)
    assert match, "no csrf_token input on the page"
    return match.group(1) or match.group(2)


def fetch_token(client: FlaskClient, rule: Rule) -> str:
    """A valid CSRF token for the client's session, read from a page it may see."""
    page = {Access.ADMIN: "/users", Access.PUBLIC: "/sign-in", Access.TOKEN: "/sign-in"}.get(
        access(rule), "/account/password"
    )
    response = client.get(page)
    assert response.status_code == 200, page
    return csrf_token_from(response.get_data(as_text=True))


def location_path(response: Any) -> str:
    return urlsplit(response.headers.get("Location", "")).path


# Units of work ----------------------------------------------------------------------


@dataclass
class Commits:
    count: int = 0


@pytest.fixture
def commits(app: Flask) -> Any:
    """Counts the transactions committed (on any session) while the test runs."""
    counted = Commits()

    def committed(session: Session) -> None:
        # A job's own session (the mail worker, run inline after the request's commit in
        # the embedded mode) is not the request's unit of work.
        if not session.info.get(JOB_SESSION):
            counted.count += 1

    sa_event.listen(Session, "after_commit", committed)
    yield counted
    sa_event.remove(Session, "after_commit", committed)
