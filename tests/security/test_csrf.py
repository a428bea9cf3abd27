"""Every non-GET route rejects a missing or wrong CSRF token and changes nothing (QUALITY 14)."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from tests.conftest import login_as
from tests.security.conftest import (
    CSRF_EXPIRED,
    GET_RECORDS,
    Commits,
    World,
    act_as,
    all_rules,
    changed_tables,
    fetch_token,
    get_rules,
    keeps_input,
    location_path,
    post_rules,
    rule_id,
    snapshot,
    urls_for,
    valid_form,
)

# The free text each re-rendered form must still show after a CSRF failure.
TYPED_FIELD = {
    "accounts.sign_in": "email",
    "password_reset.request_link": "email",
    "invitations.new_invitee": "name",
    "invitations.edit_letter": "subject",
    "invitations.channel_list": "label",
    "accounts.new_user": "name",
    "events.new": "title",
    "events.edit": "title",
    "objectives.new": "statement",
    "objectives.edit": "statement",
    "audience.organisations": "add-name",
    "audience.paste_organisations": "paste-names",
    "audience.edit_organisation": "name",
    "formats.decide": "rationale",
    "agenda.new": "title",
    "agenda.edit": "title",
    "checklist.new": "title",
    "checklist.edit": "note",
    "questions_public.ask": "text",
    "questions.hide": "reason",
    "questions.edit": "text",
    "questions.new_action": "what",
}


def field_value(page: str, name: str) -> str | None:
    """The value a text input or textarea called `name` shows, unescaped."""
    for tag in re.findall(r"<input\b[^>]*>", page):
        if f'name="{name}"' in tag:
            value = re.search(r'value="([^"]*)"', tag)
            return html.unescape(value.group(1)) if value else ""
    area = re.search(rf'<textarea\b[^>]*name="{re.escape(name)}"[^>]*>(.*?)</textarea>', page, re.S)
    return html.unescape(area.group(1)).strip("\n") if area else None


def test_the_walker_finds_the_routes_it_must_cover() -> None:
    """Guard against a walker that silently walks nothing."""
    endpoints = {r.endpoint for r in post_rules()}
    assert {
        "accounts.sign_in", "accounts.sign_out", "accounts.set_active", "events.new",
        "events.change_status", "objectives.delete", "audience.remove_organisation",
        "formats.decide",
    } <= endpoints
    assert "static" not in endpoints


@pytest.mark.parametrize("rule", post_rules(), ids=rule_id)
def test_post_without_a_valid_csrf_token_is_rejected_and_changes_nothing(
    rule: Rule, client: FlaskClient, csrf_on: Flask, world: World, commits: Commits
) -> None:
    side = world.a
    act_as(client, side, rule)
    form = valid_form(rule.endpoint, side)
    body = form or {"submit": "Confirm"}
    urls = urls_for(rule, side)
    for url in urls:
        for token in (None, "not-a-real-token"):
            before, committed = snapshot(), commits.count
            data = body if token is None else {**body, "csrf_token": token}
            response = client.post(url, data=data)
            assert response.status_code == 400, (
                f"POST {url} with csrf_token={token!r} gave {response.status_code}, not 400"
            )
            assert changed_tables(before, snapshot()) == [], f"POST {url} changed rows"
            assert commits.count == committed, f"POST {url} committed"

    if form is None:
        return
    # Control: the same request with the session's real token goes through and changes
    # something, so the assertions above are able to fail.
    for url in urls:
        token = fetch_token(client, rule)
        before, committed = snapshot(), commits.count
        response = client.post(url, data={**form, "csrf_token": token})
        status = response.status_code
        assert status in (200, 302), f"POST {url} with a valid token: {status}"
        assert changed_tables(before, snapshot()), f"POST {url} with a valid token changed nothing"
        # One unit of work per request: the change is committed once.
        assert commits.count == committed + 1, f"POST {url} committed {commits.count - committed}"


@pytest.mark.parametrize("rule", [r for r in post_rules() if keeps_input(r)], ids=rule_id)
def test_form_with_expired_token_is_shown_again_with_the_input_kept(
    rule: Rule, client: FlaskClient, csrf_on: Flask, world: World
) -> None:
    side = world.a
    act_as(client, side, rule)
    form = valid_form(rule.endpoint, side) or {}
    for url in urls_for(rule, side):
        before = snapshot()
        response = client.post(url, data={**form, "csrf_token": "expired-token"})
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert response.mimetype == "text/html"
        assert CSRF_EXPIRED in page, f"{url}: no 'form expired' message"
        assert changed_tables(before, snapshot()) == []
        field = TYPED_FIELD.get(rule.endpoint)
        if field:
            assert field_value(page, field) == form[field], f"{url}: {field} was not kept"


def test_new_event_with_expired_token_keeps_the_title(
    client: FlaskClient, csrf_on: Flask, world: World
) -> None:
    login_as(client, world.a.organiser)
    before = snapshot()
    typed = 'Roundtable on "online harms" <for> parents'
    response = client.post("/events/new", data={"title": typed, "csrf_token": "wrong"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<title>Error: Create an event" in page
    assert field_value(page, "title") == typed
    assert "This form expired. Check your answers and select the button again" in page
    assert changed_tables(before, snapshot()) == []


def test_password_is_not_echoed_back_after_csrf_failure(
    client: FlaskClient, csrf_on: Flask, world: World
) -> None:
    login_as(client, world.a.organiser)
    secret = "a very secret password 42"  # noqa: S105 - typed into the form
    response = client.post(
        "/account/password",
        data={"current_password": secret, "password": secret, "confirm": secret, "csrf_token": "x"},
    )
    assert response.status_code == 400
    assert secret not in response.get_data(as_text=True)


@pytest.mark.parametrize("rule", get_rules(), ids=rule_id)
def test_get_changes_nothing(
    rule: Rule, client: FlaskClient, world: World, commits: Commits
) -> None:
    """No state change on GET (ASVS 3.5.3), and nothing committed."""
    side = world.a
    act_as(client, side, rule)
    for url in urls_for(rule, side):
        before, committed = snapshot(), commits.count
        response = client.get(url)
        assert response.status_code in (200, 302), f"GET {url}: {response.status_code}"
        changed = set(changed_tables(before, snapshot()))
        recorded = GET_RECORDS.get(rule.endpoint, set())
        assert changed <= recorded, f"GET {url} changed {changed - recorded}"
        if not recorded:
            assert commits.count == committed, f"GET {url} committed"


def test_every_rule_is_get_or_post() -> None:
    """Other methods would need their own CSRF walk; fail loudly if one appears."""
    for rule in all_rules():
        extra = set(rule.methods or ()) - {"GET", "HEAD", "OPTIONS", "POST"}
        assert not extra, f"{rule_id(rule)} accepts {extra}: extend the CSRF walker"


def test_bad_token_does_not_revive_an_idle_session(
    client: FlaskClient, csrf_on: Flask, world: World
) -> None:
    """A form re-rendered after a CSRF failure must still respect the idle timeout."""
    login_as(client, world.a.organiser)
    idle = client.application.config["SESSION_IDLE_MINUTES"]
    with client.session_transaction() as session:
        session["seen_at"] -= (idle + 1) * 60
    event = world.a.event
    response = client.post(f"/events/{event.id}/edit", data={"title": "x", "csrf_token": "old"})
    assert event.title not in response.get_data(as_text=True)
    assert response.status_code == 302
    assert location_path(response) == "/sign-in"
