"""A form shown again with errors commits nothing (one unit of work per request)."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from tests.security.conftest import (
    NEW_PASSWORD,
    Commits,
    Side,
    World,
    act_as,
    changed_tables,
    keeps_input,
    post_rules,
    rule_id,
    snapshot,
    urls_for,
)


def invalid_form(endpoint: str, side: Side) -> dict[str, Any]:
    """A body each form route refuses with an error message, some only after the service ran."""
    blank_title = {"title": "", "aims": ["awareness"], "format": "in_person"}
    forms: dict[str, dict[str, Any]] = {
        "accounts.sign_in": {"email": side.organiser.email, "password": "not the password"},
        "accounts.change_password": {
            "current_password": "not the password", "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
        # Refused by the service, after it has looked the address up.
        "accounts.new_user": {
            "name": "Copy", "email": side.admin.email, "role": "organiser",
            "password": NEW_PASSWORD,
        },
        "events.new": blank_title,
        "events.edit": blank_title,
        "objectives.new": {"statement": ""},
        "objectives.edit": {"statement": ""},
        "audience.edit": {"sector": "other", "sector_other": "", "receptive_slot": "evening"},
        # The service runs and adds nothing: the name is already on the list.
        "audience.organisations": {"add-name": side.organisation.name},
        "audience.paste_organisations": {"paste-names": " \n "},
        "formats.decide": {"format": "sideways", "submit": "Save decision"},
        "agenda.new": {"title": "", "duration_minutes": "10", "part": "engage"},
        "agenda.edit": {"title": "", "duration_minutes": "10", "part": "engage"},
        "checklist.new": {"title": "", "week": "2"},
        "checklist.edit": {"status": "finished-ish", "owner": "", "note": "kept"},
        "password_reset.request_link": {"email": ""},
        # Refused by the service: an unknown merge field.
        "invitations.edit_letter": {
            "subject": "Hi", "body": "((nmae)) ((link))", "pre_registration": "yes",
            "version": "0",
        },
        # Refused by the service, after it has looked the address up.
        "invitations.new_invitee": {"name": "Copy", "email": "i@example.org"},
        "invitations.upload": {},
        "briefing.faqs": {"faqs": ["no_such_question"]},
        # Refused by the service: the event already has a channel of this name.
        "invitations.channel_list": {"kind": "flyer", "label": "Flyers"},
        # Refused by the service: a named question needs a first name.
        "questions_public.ask": {"text": "Why?", "identity": "named", "name": ""},
        # Refused by the service: only a named question can ask to be told of follow-up.
        "questions_public.ask_mine": {"text": "Why?", "identity": "anonymous", "tell_asker": "y"},
        "questions.settings": {"is_open": "maybe", "needs_approval": "no", "who_may_ask": "anyone"},
        "questions.hide": {"reason": " "},
        # Refused by the service: the form was loaded before someone else's edit.
        "questions.edit": {"text": "Changed", "version": "99"},
        "questions.merge": {"into": "12345"},
        "questions.faq": {"faq": "not-a-faq"},
        "questions.new_action": {"what": ""},
        "registration.register": {"name": "", "email": "x@example.org"},
        "registration.needs": {"access_needs": "x" * 1001},
        "registrations.settings": {
            "mode": "sideways", "release_hours": "48", "retention_days": "90",
        },
        "registrations.walk_in": {"name": ""},
        "feedback.form": {"sector": "other", "sector_other": ""},
        "feedback.index": {"days_open": "91"},
        "evaluation.conclusions": {"attendance_entered": "lots"},
        "evaluation.measure": {"actual_value": "lots"},
        "evaluation.send": {"covering_note": "x" * 5001},
        "feedback.personal": {"heard": "other", "heard_other": ""},
        "audience.edit_organisation": {"name": "", "expected": "2"},
        "audience.remove_organisations": {"ids": []},
    }
    if endpoint not in forms:
        pytest.fail(f"{endpoint} shows a form: add a body it refuses to invalid_form()")
    return forms[endpoint]


FORM_RULES = [r for r in post_rules() if keeps_input(r)]


def test_every_form_route_is_tried() -> None:
    assert len(FORM_RULES) >= 15


@pytest.mark.parametrize("rule", FORM_RULES, ids=rule_id)
def test_a_form_shown_again_with_errors_commits_nothing(
    rule: Rule, client: FlaskClient, world: World, commits: Commits
) -> None:
    side = world.a
    act_as(client, side, rule)
    body = {"submit": "Confirm", **invalid_form(rule.endpoint, side)}
    for url in urls_for(rule, side):
        before, committed = snapshot(), commits.count
        response = client.post(url, data=body)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, f"POST {url}: {response.status_code}"
        assert "govuk-error-summary" in page, f"POST {url} showed no error"
        assert commits.count == committed, f"POST {url} committed a form it refused"
        assert changed_tables(before, snapshot()) == []
