"""The organiser's registration list (issue 10): each filter (status, sector, organisation,
how they came) and the search box narrow it to exactly the right people, and each row shows
the delivery state of the latest email to that registrant."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urljoin

import pytest
from flask.testing import FlaskClient

from eventapp import uow
from eventapp.accounts.models import User
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.handbook import Sector
from eventapp.invitations import channels
from eventapp.invitations.models import ChannelKind, Invitee
from eventapp.mail.models import Channel, MessageState, OutboxMessage
from eventapp.registration import staff_routes
from eventapp.registration.models import Registration, RegistrationStatus

S = RegistrationStatus


@pytest.fixture
def people(
    open_event: Callable[..., Event], organiser: User
) -> tuple[Event, dict[str, int], dict[str, int]]:
    """Five registrations that differ in every filtered field; returns the event, their ids
    by first name, and the channel ids by label."""
    event = open_event(capacity=20)
    flyer = uow.run(
        channels.add_channel, event=event, actor=organiser, kind=ChannelKind.FLYER, label="Library"
    )
    news = uow.run(
        channels.add_channel, event=event, actor=organiser, kind=ChannelKind.NEWSLETTER, label=""
    )
    invitee = Invitee(event_id=event.id, name="Alice Archer", email="alice@example.org")
    db.session.add(invitee)
    db.session.flush()
    now = datetime.now(UTC)
    rows = {
        "Alice": dict(
            email="alice@example.org",
            organisation="Grays Academy",
            sector=Sector.EDUCATION_SCHOOLS,
            status=S.CONFIRMED,
            invitee_id=invitee.id,
        ),
        "Bob": dict(
            email="bob@example.org",
            organisation="GRAYS ACADEMY",
            sector=Sector.CHARITY,
            status=S.WAITING,
            channel_id=flyer.id,
        ),
        "Cara": dict(
            email="cara@council.example",
            organisation="Tilbury Youth Club",
            sector=Sector.CHARITY,
            status=S.PENDING,
        ),
        "Dan": dict(
            email="dan@example.org",
            organisation="Tilbury Youth Club",
            sector=Sector.HEALTH,
            status=S.CONFIRMED,
            walk_in=True,
        ),
        "Eve": dict(
            email="eve@example.org",
            organisation="Chafford Library",
            sector=Sector.EDUCATION_SCHOOLS,
            status=S.CANCELLED,
            channel_id=news.id,
        ),
    }
    surnames = {"Alice": "Archer", "Bob": "Baker", "Cara": "Cole", "Dan": "Dale", "Eve": "Evans"}
    ids = {}
    for first, fields in rows.items():
        row = Registration(
            event_id=event.id,
            name=f"{first} {surnames[first]}",
            confirmed_at=now,
            waitlisted_at=now,
            **fields,
        )
        db.session.add(row)
        db.session.flush()
        ids[first] = row.id
    db.session.commit()
    return event, ids, {"Library": flyer.id, "news": news.id}


def _listed(signed_in: FlaskClient, event: Event, query: str) -> set[int]:
    page = signed_in.get(f"/events/{event.id}/registrations/?{query}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    found = {int(i) for i in re.findall(r'name="ids" value="(\d+)"', text)}
    assert f">{len(found)} registration{'' if len(found) == 1 else 's'}" in text
    return found


def test_each_filter_and_the_search_narrow_the_list(
    signed_in: FlaskClient, people: tuple[Event, dict[str, int], dict[str, int]]
) -> None:
    event, ids, channel_ids = people

    def names(query: str) -> set[str]:
        by_id = {v: k for k, v in ids.items()}
        return {by_id[i] for i in _listed(signed_in, event, query)}

    everyone = set(ids)
    assert names("") == everyone
    assert names("status=confirmed") == {"Alice", "Dan"}
    assert names("status=waiting") == {"Bob"}
    assert names("status=nonsense") == everyone  # an unknown value filters nothing
    assert names("sector=charity") == {"Bob", "Cara"}
    assert names("sector=education_schools") == {"Alice", "Eve"}
    assert names("organisation=Grays+Academy") == {"Alice", "Bob"}  # case is ignored
    assert names("organisation=Tilbury+Youth+Club") == {"Cara", "Dan"}
    assert names("channel=invitation") == {"Alice"}
    assert names("channel=direct") == {"Cara"}
    assert names("channel=walk_in") == {"Dan"}
    assert names(f"channel={channel_ids['Library']}") == {"Bob"}
    assert names(f"channel={channel_ids['news']}") == {"Eve"}
    assert names("q=cole") == {"Cara"}  # by name
    assert names("q=COUNCIL.EXAMPLE") == {"Cara"}  # by email
    assert names("q=tilbury") == {"Cara", "Dan"}  # by organisation
    assert names("q=nobody") == set()
    # Filters combine.
    assert names("status=confirmed&sector=education_schools") == {"Alice"}
    assert names("sector=charity&q=baker") == {"Bob"}
    assert names("organisation=Tilbury+Youth+Club&channel=walk_in&status=confirmed") == {"Dan"}


def _mail(registration_id: int, state: MessageState, n: int) -> None:
    now = datetime.now(UTC)
    db.session.add(
        OutboxMessage(
            channel=Channel.EMAIL,
            state=state,
            kind="registration_status",
            related_type="registration",
            related_id=registration_id,
            recipient="someone@example.org",
            sender="events@example.gov.uk",
            subject="S",
            body_text="t",
            body_html="h",
            message_id=f"<list-{registration_id}-{n}@example>",
            created_at=now,
            next_attempt_at=now,
            sent_at=now if state is MessageState.SENT else None,
        )
    )
    db.session.flush()


def _last_email_cell(text: str, registration_id: int) -> str:
    row = re.search(
        rf'<tr class="govuk-table__row">(?:(?!</tr>).)*value="{registration_id}"'
        r"(?:(?!</tr>).)*</tr>",
        text,
        re.S,
    )
    assert row, registration_id
    cells = re.findall(r'<td class="govuk-table__cell">([^<]*)</td>', row.group(0))
    return cells[-1]


def test_each_row_shows_the_delivery_state_of_the_latest_email(
    signed_in: FlaskClient, people: tuple[Event, dict[str, int], dict[str, int]]
) -> None:
    event, ids, _ = people
    _mail(ids["Alice"], MessageState.FAILED, 1)
    _mail(ids["Alice"], MessageState.SENT, 2)  # the latest counts
    _mail(ids["Bob"], MessageState.SENT, 1)
    _mail(ids["Bob"], MessageState.FAILED, 2)
    _mail(ids["Dan"], MessageState.QUEUED, 1)
    _mail(ids["Eve"], MessageState.WITHHELD, 1)
    db.session.commit()
    text = signed_in.get(f"/events/{event.id}/registrations/").get_data(as_text=True)
    shown = {name: _last_email_cell(text, i) for name, i in ids.items()}
    assert shown == {
        "Alice": "Sent",
        "Bob": "Failed",
        "Cara": "None",
        "Dan": "Queued",
        "Eve": "Withheld",
    }


def test_the_next_page_keeps_the_filters(
    signed_in: FlaskClient,
    people: tuple[Event, dict[str, int], dict[str, int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    event, ids, _ = people
    monkeypatch.setattr(staff_routes, "PAGE_SIZE", 1)
    text = signed_in.get(f"/events/{event.id}/registrations/?status=confirmed&q=a").get_data(
        as_text=True
    )
    link = re.search(r'href="([^"]*)">Next page<', text)
    assert link, "no next page link"
    assert "2 registrations, page 1 of 2" in text
    href = urljoin(f"/events/{event.id}/registrations/", link.group(1).replace("&amp;", "&"))
    page_two = signed_in.get(href).get_data(as_text=True)
    assert "2 registrations, page 2 of 2" in page_two

    def listed(html: str) -> set[int]:
        return {int(i) for i in re.findall(r'name="ids" value="(\d+)"', html)}

    first, second = listed(text), listed(page_two)
    assert first | second == {ids["Alice"], ids["Dan"]} and not first & second
