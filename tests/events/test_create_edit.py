"""Creating and editing an event through its form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from eventapp.accounts.models import AuditEntry, User
from eventapp.events.models import Event, EventFormat, EventStatus, PresentationType
from eventapp.extensions import db
from eventapp.handbook import VIDEO_EDIT_LABELS, Aim, VideoEdit
from tests.conftest import future_day
from tests.events.formdata import event_form
from tests.events.pages import banners, checked_values, input_value, parse


def only_event() -> Event:
    db.session.expire_all()
    events = db.session.scalars(select(Event)).all()
    assert len(events) == 1
    return events[0]


def audit_actions(event_id: int) -> list[tuple[str, int | None]]:
    return [
        (entry.action, entry.user_id)
        for entry in db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.object_type == "event", AuditEntry.object_id == event_id,
                   AuditEntry.action.startswith("event."))
            .order_by(AuditEntry.id)
        )
    ]


def test_new_event_form_suggests_the_usual_evening_slot(signed_in: FlaskClient) -> None:
    html = signed_in.get("/events/new").text
    assert input_value(html, "start") == "18:00"
    assert input_value(html, "end") == "20:00"
    assert checked_values(html, "format") == ["in_person"]


def test_creating_an_event_makes_a_draft_and_records_who_and_when(
    signed_in: FlaskClient, organiser: User
) -> None:
    before = datetime.now(UTC)
    response = signed_in.post("/events/new", data=event_form(future_day()))
    after = datetime.now(UTC)

    event = only_event()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/events/{event.id}"
    assert event.status is EventStatus.DRAFT
    assert event.council_id == organiser.council_id
    assert event.created_by_id == organiser.id
    assert event.title == "Mental health and radicalisation"
    assert event.aim_values == [Aim.AWARENESS]
    assert event.capacity == 40

    [change] = event.status_changes
    assert (change.from_status, change.to_status) == (None, EventStatus.DRAFT)
    assert change.changed_by_id == organiser.id
    assert before - timedelta(seconds=1) <= change.changed_at <= after + timedelta(seconds=1)
    assert audit_actions(event.id) == [("event.create", organiser.id)]

    overview = signed_in.get(response.headers["Location"]).text
    assert any("Event created as a draft" in text for text in banners(overview))


def test_an_event_can_be_created_without_a_date_while_a_draft(signed_in: FlaskClient) -> None:
    response = signed_in.post("/events/new", data=event_form(None))
    assert response.status_code == 302
    event = only_event()
    assert (event.starts_at, event.ends_at) == (None, None)
    assert event.status is EventStatus.DRAFT


def test_edit_form_shows_the_saved_details(
    signed_in: FlaskClient, make_event: Callable[..., Event]
) -> None:
    day = future_day(40)
    event = make_event(title="Schools roundtable", day=day, capacity=25)
    html = signed_in.get(f"/events/{event.id}/edit").text
    assert input_value(html, "title") == "Schools roundtable"
    assert [n.attrs["value"] for n in parse(html).find_all("input", name="day")] == [
        f"{day:%d}", f"{day:%m}", f"{day:%Y}",
    ]
    assert input_value(html, "capacity") == "25"
    assert checked_values(html, "aims") == ["awareness"]


def test_editing_saves_the_changes_and_audits_them(
    signed_in: FlaskClient, make_event: Callable[..., Event], organiser: User
) -> None:
    event = make_event()
    data = event_form(future_day(50), title="Renamed roundtable", capacity="60",
                      aims=["awareness", "advocacy"])
    response = signed_in.post(f"/events/{event.id}/edit", data=data)

    assert response.status_code == 302
    assert response.headers["Location"] == f"/events/{event.id}"
    saved = only_event()
    assert saved.title == "Renamed roundtable"
    assert saved.capacity == 60
    assert set(saved.aim_values) == {Aim.AWARENESS, Aim.ADVOCACY}
    assert saved.status is EventStatus.DRAFT
    assert audit_actions(event.id) == [
        ("event.create", organiser.id), ("event.update", organiser.id),
    ]


def test_unticking_other_aim_clears_its_description(
    signed_in: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event(aims=[Aim.AWARENESS, Aim.OTHER], other_aim="Build links with mosques")
    assert event.other_aim == "Build links with mosques"
    signed_in.post(f"/events/{event.id}/edit",
                   data=event_form(future_day(), other_aim="Build links with mosques"))
    saved = only_event()
    assert saved.aim_values == [Aim.AWARENESS]
    assert saved.other_aim == ""


@pytest.mark.parametrize(
    ("chosen", "keeps_venue", "keeps_link"),
    [
        (EventFormat.IN_PERSON, True, False),
        (EventFormat.ONLINE, False, True),
        (EventFormat.HYBRID, True, True),
    ],
    ids=lambda v: v.value if isinstance(v, EventFormat) else None,
)
def test_venue_and_joining_link_are_kept_only_when_the_format_uses_them(
    signed_in: FlaskClient,
    make_event: Callable[..., Event],
    chosen: EventFormat,
    keeps_venue: bool,
    keeps_link: bool,
) -> None:
    event = make_event(format=EventFormat.HYBRID, online_platform="Teams",
                       joining_link="https://teams.example.com/old")
    data = event_form(
        future_day(), format=chosen.value, venue_name="Civic Hall", venue_address="1 High Street",
        online_platform="Teams", joining_link="https://teams.example.com/meet/1",
    )
    assert signed_in.post(f"/events/{event.id}/edit", data=data).status_code == 302

    saved = only_event()
    assert saved.format is chosen
    expected_venue = ("Civic Hall", "1 High Street") if keeps_venue else ("", "")
    expected_online = ("Teams", "https://teams.example.com/meet/1") if keeps_link else ("", "")
    assert (saved.venue_name, saved.venue_address) == expected_venue
    assert (saved.online_platform, saved.joining_link) == expected_online


@pytest.mark.parametrize(
    ("speaking", "kind", "topic", "stored_kind", "stored_topic"),
    [
        ("no", "thematic", "Mental health", None, ""),
        ("no", "general", "", None, ""),
        ("yes", "general", "Mental health", PresentationType.GENERAL, ""),
        ("yes", "thematic", "Mental health", PresentationType.THEMATIC, "Mental health"),
        ("yes", "", "Mental health", None, ""),
    ],
)
def test_presentation_details_are_kept_only_when_the_home_office_speaks(
    signed_in: FlaskClient,
    speaking: str,
    kind: str,
    topic: str,
    stored_kind: PresentationType | None,
    stored_topic: str,
) -> None:
    data = event_form(future_day(), home_office_speaking=speaking, presentation_type=kind,
                      presentation_topic=topic)
    assert signed_in.post("/events/new", data=data).status_code == 302
    saved = only_event()
    assert saved.home_office_speaking is (speaking == "yes")
    assert saved.presentation_type is stored_kind
    assert saved.presentation_topic == stored_topic


@pytest.mark.parametrize(
    ("video", "edit", "stored"),
    [
        ("yes", "healthcare", VideoEdit.HEALTHCARE),
        ("yes", "full", VideoEdit.FULL),
        ("yes", "", None),
        # Without the video there is no edit to keep.
        ("no", "education", None),
        # Whitespace alone is no choice.
        ("yes", "\r", None),
    ],
)
def test_the_video_edit_is_kept_only_when_the_video_is_played(
    signed_in: FlaskClient, video: str, edit: str, stored: VideoEdit | None
) -> None:
    data = event_form(future_day(), intro_video=video, video_edit=edit)
    assert signed_in.post("/events/new", data=data).status_code == 302
    saved = only_event()
    assert saved.intro_video is (video == "yes")
    assert saved.video_edit is stored


def test_the_form_offers_the_handbook_s_video_edits_and_presentations(
    signed_in: FlaskClient,
) -> None:
    html = signed_in.get("/events/new").text
    text = " ".join(parse(html).text.split())

    assert [v.value for v in VideoEdit] == [
        "full", "education", "healthcare", "friends_family", "extreme_right_wing"
    ]
    for label in VIDEO_EDIT_LABELS.values():
        assert label.replace("'", "&#39;") in html or label in html
    assert "There are also shorter edits of the Prevent introductory video" in text
    # "Our offer to you": which presentation suits which audience, and local first.
    assert "most appropriate for events where attendees are less familiar with the realities" in text
    assert "with a base understanding of Prevent" in text
    assert "should be delivered locally as much as possible" in text
    assert (
        "This could cover topics such as extremist right-wing terrorism, mental health, local "
        "project providers or the role of friends and family in Prevent." in text
    )
    # A promise the feedback form keeps (Annex A, question 7; tests/handbook/test_promises.py).
    assert "If you play it, the feedback form asks whether it helped." in text
