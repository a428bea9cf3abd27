"""Security fixtures: two councils with one of everything, a route walker and a table snapshot.

The walker reads the URL map, so routes added later are checked without editing these tests.
When a route takes an argument the resolver does not know, the test fails and names the rule:
extend ``ids_of`` (or give the new table an ``event_id`` column, which the fallback understands).
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field
from datetime import time, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.routing import Rule
from werkzeug.routing.converters import AnyConverter

from config import TestConfig
from eventapp import create_app, tokens
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
from eventapp.invitations.models import ChannelKind, Invitee, InviteeImport
from eventapp.mail.models import Channel, MessageState, OutboxMessage
from eventapp.models.base import utcnow
from eventapp.objectives import services as objective_services
from eventapp.objectives.models import Objective
from eventapp.tokens import TokenPurpose
from tests.conftest import PASSWORD, future_day

# Who each route is for. A new route must fall in exactly one group (a test checks this).
PUBLIC_ENDPOINTS = frozenset(
    {
        "static", "main.healthz", "accounts.sign_in", "calendars.task_feed",
        "password_reset.request_link", "password_reset.sent", "password_reset.choose",
        "public.event", "public.channel", "public.invitation",
    }
)
ANY_ROLE_ENDPOINTS = frozenset(
    {"main.index", "accounts.sign_out", "accounts.change_password", "calendars.feed_settings"}
)
ADMIN_PREFIXES = ("/users", "/admin")
PLANNER_PREFIXES = ("/events", "/my-tasks")
EVENT_PREFIX = "/events/<int:event_id>"
CSRF_EXPIRED = "This form expired"
# GET routes that record something on purpose (never a change the person asked for): opening
# a link is counted, and an export is audited. Any other table changing on GET fails.
GET_RECORDS = {
    "public.channel": {"invitation_channel"},
    "public.invitation": {"invitee"},
    "invitations.export": {"audit_entry"},
}


# Two councils ------------------------------------------------------------


@dataclass
class Side:
    """One council with an organiser, an administrator and an event with one of everything."""

    council: Council
    organiser: User
    admin: User
    event: Event
    objective: Objective
    organisation: TargetOrganisation
    feed_token: str
    # Secret links of other purposes, by the endpoint that takes them as <token>.
    tokens: dict[str, str] = field(default_factory=dict)
    # Public identifiers (<slug>, <code>) of the side's event in planning.
    public: dict[str, str] = field(default_factory=dict)

    def user_for(self, rule: Rule) -> User:
        """The user whose role the route is for."""
        return self.admin if is_admin_route(rule) else self.organiser


@dataclass
class World:
    a: Side
    b: Side


@pytest.fixture
def world(app: Flask) -> World:
    """Councils A and B, each with one of everything, written in a single commit (it is fast)."""
    sides = []
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
        db.session.add(failed_message(council, event))
        organisation = audience_services.organisations(event)[0]
        side = Side(council, organiser, admin, event, objective, organisation, feed_token)
        side.tokens["password_reset.choose"] = tokens.issue(
            TokenPurpose.PASSWORD_RESET, organiser.id, ttl=timedelta(hours=1)
        ).raw
        _invitations(side, letter)
        sides.append(side)
    db.session.commit()
    return World(*sides)


def _invitations(side: Side, letter: str) -> None:
    """An invitee, a channel and a checked upload on the event, and a second event in
    planning (public pages show no drafts) with its channel and an invitee's link."""
    event, organiser = side.event, side.organiser
    db.session.add(Invitee(event_id=event.id, name=f"Invitee {letter}", email="i@example.org"))
    db.session.add(InviteeImport(event_id=event.id, rows=[], rejected=[], merged=[], lines=1))
    channels.add_channel(event=event, actor=organiser, kind=ChannelKind.FLYER, label="Flyers")
    public = event_services.create_event(
        council_id=side.council.id,
        actor=organiser,
        details=event_services.EventDetails(
            title=f"Council {letter} public roundtable", aims=[Aim.AWARENESS],
            day=future_day(), start=time(18, 0), end=time(20, 0), public_location="Grays",
            venue_address="1 Secret Street",
        ),
    )
    event_services.change_status(event=public, to=EventStatus.PLANNING, actor=organiser)
    channel = channels.add_channel(event=public, actor=organiser, kind=ChannelKind.WEBSITE, label="")
    invitee = Invitee(event_id=public.id, name=f"Public invitee {letter}", email="p@example.org")
    db.session.add(invitee)
    db.session.flush()
    side.public.update(slug=public.public_slug, code=channel.code)
    side.tokens["public.invitation"] = tokens.issue(TokenPurpose.INVITATION, invitee.id).raw


def failed_message(council: Council, event: Event) -> OutboxMessage:
    """A message the mail server refused, for the outbox's retry route."""
    now = utcnow()
    return OutboxMessage(
        channel=Channel.EMAIL, state=MessageState.FAILED, kind="invitation",
        council_id=council.id, event_id=event.id, recipient=f"invitee@{council.id}.example.org",
        sender="events@example.gov.uk", subject="Invitation", body_text="t", body_html="h",
        message_id=f"<{council.id}.{event.id}@example.gov.uk>", attempts=1, created_at=now,
        next_attempt_at=now, finished_at=now, last_error="550 No such mailbox",
    )


# The route walker ---------------------------------------------------------


@functools.cache
def fresh_app() -> Flask:
    """An app built only to read its routes (so test-only routes added elsewhere never appear)."""
    return create_app(TestConfig)


def all_rules() -> list[Rule]:
    return sorted(fresh_app().url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))


def keeps_input(rule: Rule) -> bool:
    """Whether the view re-renders its form, input kept, when the CSRF token is bad."""
    view = fresh_app().view_functions[rule.endpoint]
    return bool(getattr(view, "rerender_on_csrf_error", False))


def rule_id(rule: Rule) -> str:
    return f"{rule.endpoint} {rule.rule}"


def is_admin_route(rule: Rule) -> bool:
    return rule.rule.startswith(ADMIN_PREFIXES)


def is_planner_route(rule: Rule) -> bool:
    return rule.rule.startswith(PLANNER_PREFIXES)


def is_public(rule: Rule) -> bool:
    return rule.endpoint in PUBLIC_ENDPOINTS


def is_event_route(rule: Rule) -> bool:
    return rule.rule.startswith(EVENT_PREFIX)


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
        "objective_id": side.objective.id,
        "organisation_id": side.organisation.id,
        "user_id": side.organiser.id,
        "token": side.feed_token,
        "message_id": db.session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.council_id == side.council.id).limit(1)
        ) or 0,
    }


def _event_table(argument: str) -> Any:
    """For a new ``<thing>_id``, the one table ``thing`` or ``*_thing`` with an event_id column."""
    stem = argument.removesuffix("_id")
    tables = [
        t for t in db.metadata.sorted_tables
        if (t.name == stem or t.name.endswith(f"_{stem}")) and "event_id" in t.c and "id" in t.c
    ]
    return tables[0] if len(tables) == 1 else None


def value_of(rule: Rule, argument: str, side: Side) -> int | str:
    """The side's value for a route argument; fails the test, naming the rule, if unknown.

    Unknown ``<thing>_id`` arguments fall back to the event's first row in the matching table
    (``task_id`` finds ``checklist_task`` rows), if the event has one.
    """
    if argument == "token" and rule.endpoint in side.tokens:
        return side.tokens[rule.endpoint]
    if argument in side.public:
        return side.public[argument]
    known = ids_of(side)
    if argument in known:
        return known[argument]
    table = _event_table(argument) if argument.endswith("_id") else None
    if table is not None:
        query = select(table.c.id).where(table.c.event_id == side.event.id).order_by(table.c.id)
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
        "password_reset.request_link": {"email": side.organiser.email},
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
        "audience.add_organisation": {"add-name": "Another school"},
        "audience.paste_organisations": {"paste-names": "First club\nSecond club, 4"},
        "formats.decide": {"format": "online", "rationale": "Easier", "submit": "Save decision"},
        "calendars.feed_settings": {"action": "issue"},
        "agenda.new": agenda_item,
        "agenda.edit": agenda_item,
        "agenda.move": {"direction": "down"},
        "checklist.edit": {"status": "not_needed", "owner": "", "note": "Changed note"},
        "checklist.new": {"title": "Print name badges", "week": "2"},
        "invitations.edit_letter": {
            "subject": "Invitation ((area))", "body": "Dear ((name)), ((link))",
            "pre_registration": "yes", "version": "0",
        },
        "invitations.new_invitee": {"name": "New Invitee", "email": "new.invitee@example.org"},
        "invitations.channel_list": {"kind": "newsletter", "label": "Parish newsletter"},
        "digest.settings": {"wanted": "no"},
    }
    no_fields = {
        "accounts.sign_out", "accounts.set_active", "objectives.delete",
        "audience.remove_organisation", "agenda.delete", "checklist.done", "checklist.remove",
        "mail.retry", "invitations.remove_invitee",
    }
    if endpoint in no_fields:
        return {"submit": "Confirm"}
    if endpoint in forms:
        return {"submit": "Confirm", **forms[endpoint]}
    return None


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
    page = "/users" if is_admin_route(rule) else "/account/password"
    response = client.get(page)
    assert response.status_code == 200, page
    return csrf_token_from(response.get_data(as_text=True))


def location_path(response: Any) -> str:
    return urlsplit(response.headers.get("Location", "")).path
