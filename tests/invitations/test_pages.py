"""Invitation pages: upload then confirm, the letter, preview, numbers, export, query counts."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from eventapp.accounts.models import Role, User
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.invitations.models import InvitationLetter, Invitee, InviteeImport
from eventapp.models.base import utcnow
from tests.conftest import login_as

CSV = (
    "name,email,organisation,sector,role\n"
    "Ann Lee,ann@example.org,School A,Health,Lead\n"
    "Bob,not-an-email,,,\n"
    ",cat@example.org,,,\n"
    "Ann Again,ANN@example.org,,,Head\n"
    "=cmd|' /C calc'!A0,dan@example.org,+Org,,@role\n"
)


def upload(client: FlaskClient, event: Event, data: str | bytes, name: str = "list.csv") -> object:
    raw = data.encode() if isinstance(data, str) else data
    return client.post(
        f"/events/{event.id}/invitations/upload",
        data={"file": (io.BytesIO(raw), name)},
        content_type="multipart/form-data",
    )


def count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_upload_reports_every_bad_row_and_imports_nothing_until_confirmed(
    signed_in: FlaskClient, event: Event
) -> None:
    response = upload(signed_in, event, CSV)
    assert response.status_code == 302  # type: ignore[attr-defined]
    page = signed_in.get(response.location).get_data(as_text=True)  # type: ignore[attr-defined]
    assert "<strong>2</strong> people can be imported" in page
    assert "“not-an-email” is not an email address" in page and "There is no name" in page
    assert "Same email address as line 2: merged into it" in page
    assert count(Invitee) == 0
    (staged,) = db.session.scalars(select(InviteeImport))
    confirm = f"/events/{event.id}/invitations/upload/{staged.id}/confirm"
    done = signed_in.post(confirm, follow_redirects=True).get_data(as_text=True)
    assert "2 invitees imported." in done
    assert count(Invitee) == 2
    db.session.refresh(staged)
    assert staged.finished_at is not None and staged.rows == []  # no personal data kept
    ann = db.session.scalar(select(Invitee).where(Invitee.email == "ann@example.org"))
    assert ann is not None and ann.role == "Lead"
    # Confirming again (back button, double click) imports nothing more.
    again = signed_in.post(confirm, follow_redirects=True).get_data(as_text=True)
    assert "already been imported or cancelled" in again
    assert count(Invitee) == 2


def test_an_upload_merges_into_people_already_on_the_list(
    signed_in: FlaskClient, event: Event, add_invitees: Callable[..., list[Invitee]]
) -> None:
    (known,) = add_invitees(1, organisation="")
    upload(signed_in, event, f"name,email,organisation\nX,{known.email},Filled in\nNew,new@example.org,\n")
    staged = db.session.scalar(select(InviteeImport))
    assert staged is not None
    page = signed_in.post(
        f"/events/{event.id}/invitations/upload/{staged.id}/confirm", follow_redirects=True
    ).get_data(as_text=True)
    assert "1 invitee imported, 1 already on the list filled in." in page
    db.session.expire_all()
    assert db.session.get(Invitee, known.id).organisation == "Filled in"  # type: ignore[union-attr]


def test_cancelling_an_upload_imports_nobody(signed_in: FlaskClient, event: Event) -> None:
    upload(signed_in, event, CSV)
    staged = db.session.scalar(select(InviteeImport))
    assert staged is not None
    signed_in.post(f"/events/{event.id}/invitations/upload/{staged.id}/cancel")
    assert count(Invitee) == 0
    db.session.refresh(staged)
    assert staged.finished_at is not None and staged.rows == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "this file is not text"),
        (b"email\na@example.org\n", "The first row must name the columns"),
        (b"name,email\n", "The file has no invitees"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(
    signed_in: FlaskClient, event: Event, data: bytes, message: str
) -> None:
    response = upload(signed_in, event, data)
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert message in response.get_data(as_text=True)  # type: ignore[attr-defined]


def test_a_five_thousand_row_file_imports_in_one_go(signed_in: FlaskClient, event: Event) -> None:
    rows = ["name,email,organisation,sector,role"] + [
        f"Person {n},person{n}@example.org,Org {n % 40},Health,Role {n % 7}" for n in range(5000)
    ]
    response = upload(signed_in, event, "\n".join(rows))
    assert response.status_code == 302  # type: ignore[attr-defined]
    staged = db.session.scalar(select(InviteeImport))
    assert staged is not None and len(staged.rows) == 5000
    signed_in.post(f"/events/{event.id}/invitations/upload/{staged.id}/confirm")
    assert count(Invitee) == 5000


def test_the_letter_refuses_unknown_fields_and_keeps_the_text(
    signed_in: FlaskClient, event: Event
) -> None:
    body = "Dear ((nmae)),\n\nRegister: ((link))"
    page = signed_in.post(
        f"/events/{event.id}/invitations/letter",
        data={"subject": "Hi", "body": body, "pre_registration": "yes", "version": "0"},
    ).get_data(as_text=True)
    assert "Remove or correct ((nmae))" in page and "((organiser))" in page
    assert "Dear ((nmae))" in page
    assert count(InvitationLetter) == 0


def test_saving_over_a_newer_letter_shows_the_other_version(
    signed_in: FlaskClient, event: Event, make_user: Callable[..., User]
) -> None:
    url = f"/events/{event.id}/invitations/letter"
    form = {"subject": "Mine ((area))", "body": "Mine ((link))", "pre_registration": "yes", "version": "0"}
    assert signed_in.post(url, data=form).status_code == 302
    colleague = make_user(Role.ORGANISER, council=event.council)
    other = signed_in.application.test_client()
    login_as(other, colleague)
    page = other.post(url, data={**form, "body": "Theirs ((link))"}).get_data(as_text=True)
    assert "Someone else saved this letter after you opened it" in page
    assert "Theirs ((link))" in page and "Mine ((link))" in page
    saved = db.session.get(InvitationLetter, event.id)
    db.session.refresh(saved)
    assert saved is not None and saved.body == "Mine ((link))" and saved.version == 1


def test_preview_renders_for_a_chosen_invitee_without_issuing_a_link(
    signed_in: FlaskClient, event: Event, add_invitees: Callable[..., list[Invitee]]
) -> None:
    from eventapp.tokens import SecretToken

    (invitee,) = add_invitees(1)
    page = signed_in.get(
        f"/events/{event.id}/invitations/preview?invitee={invitee.id}"
    ).get_data(as_text=True)
    assert f"Dear {invitee.name}," in page
    assert event.council.area_name in page
    assert "Grays (details are sent to confirmed attendees before the event)" in page
    assert "1 High Street" not in page
    assert count(SecretToken) == 0
    # Odd values never fail.
    for value in ("abc", "-1", "99999999999999999999", ""):
        assert signed_in.get(f"/events/{event.id}/invitations/preview?invitee={value}").status_code == 200


def test_numbers_page_counts_by_sector_and_organisation(
    signed_in: FlaskClient, event: Event, add_invitees: Callable[..., list[Invitee]]
) -> None:
    from eventapp.handbook import Sector

    people = add_invitees(3, sector=Sector.HEALTH) + add_invitees(1)
    for person in people:
        person.invited_at = utcnow()
    people[0].opened_at = utcnow()
    db.session.commit()
    page = signed_in.get(f"/events/{event.id}/invitations/numbers").get_data(as_text=True)
    assert "Invited by email: 4" in page and "Opened their personal link: 1" in page
    none = "0 registered (0 confirmed, 0 waiting, 0 declined, 0 cancelled)"
    assert f"- Health: 3 invited, 1 opened the link; {none}" in page
    assert f"- Sector not given: 1 invited, 0 opened the link; {none}" in page


def test_the_export_neutralises_formulas(
    signed_in: FlaskClient, event: Event
) -> None:
    upload(signed_in, event, CSV)
    staged = db.session.scalar(select(InviteeImport))
    assert staged is not None
    signed_in.post(f"/events/{event.id}/invitations/upload/{staged.id}/confirm")
    response = signed_in.get(f"/events/{event.id}/invitations/invitees.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    dan = next(r for r in rows if r[1] == "dan@example.org")
    assert dan[0] == "'=cmd|' /C calc'!A0" and dan[2] == "'+Org" and dan[4] == "'@role"


def test_page_queries_do_not_grow_with_the_list(
    signed_in: FlaskClient, event: Event, add_invitees: Callable[..., list[Invitee]],
    count_queries: Callable[..., object],
) -> None:
    def queries(path: str) -> int:
        with count_queries() as counted:  # type: ignore[attr-defined]
            assert signed_in.get(path).status_code == 200
        return int(counted.count)

    pages = [f"/events/{event.id}/invitations/{p}" for p in ("", "numbers", "preview", "channels")]
    add_invitees(3)
    signed_in.post(f"/events/{event.id}/invitations/send", data={"scope": "everyone"})
    few = [queries(p) for p in pages]
    people = add_invitees(60, organisation="Another org")
    for person in people[::2]:
        person.invited_at = utcnow()
    db.session.commit()
    signed_in.post(f"/events/{event.id}/invitations/send", data={"scope": "everyone"})
    many = [queries(p) for p in pages]
    assert many == few


def test_another_councils_organiser_gets_404(
    client: FlaskClient, event: Event, make_user: Callable[..., User]
) -> None:
    login_as(client, make_user(Role.ORGANISER))
    for path in ("", "letter", "preview", "numbers", "channels", "invitees.csv"):
        assert client.get(f"/events/{event.id}/invitations/{path}").status_code == 404


def test_the_stage_shows_on_the_overview_registry(event: Event, app: Flask) -> None:
    from eventapp import stages

    with app.test_request_context():
        titles = [s.title for s in stages.stages_for(event)]
    assert "Invitations" in titles
