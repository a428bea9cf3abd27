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
def test_venue_and_joining_link_are_shown_only_when_the_format_uses_them(
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
    overview = signed_in.get(f"/events/{event.id}").text
    calendar = signed_in.get(f"/events/{event.id}/calendar.ics").get_data(as_text=True)
    for page in (overview, calendar):
        assert ("Civic Hall" in page) is keeps_venue
        assert ("teams.example.com/meet/1" in page) is keeps_link
    # Kept, hidden while the format does not use them (regression: a format change wiped them).
    assert (saved.venue_name, saved.venue_address) == ("Civic Hall", "1 High Street")
    assert (saved.online_platform, saved.joining_link) == ("Teams", "https://teams.example.com/meet/1")


@pytest.mark.parametrize(
    ("speaking", "kind", "topic", "shown_kind", "shown_topic"),
    [
        ("no", "thematic", "Mental health", None, ""),
        ("no", "general", "", None, ""),
        ("yes", "general", "Mental health", PresentationType.GENERAL, ""),
        ("yes", "thematic", "Mental health", PresentationType.THEMATIC, "Mental health"),
        ("yes", "", "Mental health", None, ""),
    ],
)
def test_presentation_details_apply_only_when_the_home_office_speaks(
    signed_in: FlaskClient,
    speaking: str,
    kind: str,
    topic: str,
    shown_kind: PresentationType | None,
    shown_topic: str,
) -> None:
    data = event_form(future_day(), home_office_speaking=speaking, presentation_type=kind,
                      presentation_topic=topic)
    assert signed_in.post("/events/new", data=data).status_code == 302
    saved = only_event()
    assert saved.home_office_speaking is (speaking == "yes")
    assert saved.presentation is shown_kind
    assert saved.topic == shown_topic
    # What was typed is kept, hidden while it does not apply.
    assert saved.presentation_topic == topic


def test_home_office_speaking_yes_no_yes_keeps_the_presentation(
    signed_in: FlaskClient,
) -> None:
    # Regression: saying No cleared the presentation type and topic for good.
    data = event_form(future_day(), home_office_speaking="yes", presentation_type="thematic",
                      presentation_topic="Friends and family")
    signed_in.post("/events/new", data=data)
    event = only_event()
    for speaking in ("no", "yes"):
        form = signed_in.get(f"/events/{event.id}/edit").text
        assert checked_values(form, "presentation_type") == ["thematic"]
        assert input_value(form, "presentation_topic") == "Friends and family"
        signed_in.post(f"/events/{event.id}/edit", data={**data, "home_office_speaking": speaking})
        overview = signed_in.get(f"/events/{event.id}").text
        assert ("Friends and family" in overview) is (speaking == "yes")
    saved = only_event()
    assert (saved.presentation, saved.topic) == (PresentationType.THEMATIC, "Friends and family")


def test_a_draft_can_be_saved_without_a_date_although_the_times_are_suggested(
    signed_in: FlaskClient,
) -> None:
    # Regression: the form suggests 18:00 to 20:00, and a blank date was then refused
    # ("Enter the date of the event") although the hint says it may be left blank.
    form = signed_in.get("/events/new").text
    assert input_value(form, "start") == "18:00"
    data = event_form(None, start="18:00", end="20:00")
    response = signed_in.post("/events/new", data=data, follow_redirects=True)
    assert response.status_code == 200
    event = only_event()
    assert event.status is EventStatus.DRAFT
    assert event.starts_at is None and event.ends_at is None
    assert "It has no date yet, so no times were saved" in response.text


def test_a_date_in_the_past_is_saved_with_a_warning(
    signed_in: FlaskClient, make_event: Callable[..., Event]
) -> None:
    past = datetime.now(UTC).date() - timedelta(days=30)
    response = signed_in.post("/events/new", data=event_form(past), follow_redirects=True)
    assert response.status_code == 200
    assert "The date is in the past" in response.text
    event = only_event()
    # Moving it to another past date warns again; saving without moving it does not.
    moved = signed_in.post(
        f"/events/{event.id}/edit", data=event_form(past - timedelta(days=1)), follow_redirects=True
    )
    assert "The date is in the past" in moved.text
    again = signed_in.post(
        f"/events/{event.id}/edit",
        data=event_form(past - timedelta(days=1), capacity="41"),
        follow_redirects=True,
    )
    assert "Event details saved." in again.text
    assert "The date is in the past" not in again.text


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
