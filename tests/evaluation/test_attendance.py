"""Attendance recorded at check-in feeds the evaluation (issues 10 and 13): registrations,
confirmed places and check-ins in the Reach section; attendance by sector, protected like every
other table, on the page, in the PDF and in the tables CSV; target organisations represented
from check-ins as well as the organiser's ticks; the coordinators' dashboard's attendance."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader
from sqlalchemy import select

from eventapp.audience.models import TargetOrganisation
from eventapp.evaluation import dashboard, services
from eventapp.evaluation.models import Evaluation, RepresentedOrganisation
from eventapp.evaluation.report import SECTOR_NOT_GIVEN, attendance_by_sector
from eventapp.evaluation.suppression import THRESHOLD, State
from eventapp.events.models import Event, EventStatus
from eventapp.extensions import db
from eventapp.handbook import SECTOR_LABELS, Sector
from eventapp.models.base import utcnow
from eventapp.objectives.models import Metric, Objective
from eventapp.registration.models import Registration, RegistrationStatus
from tests.evaluation.conftest import PAST
from tests.evaluation.test_pages import add_responses, standard

S = RegistrationStatus


def add_registrations(
    event: Event,
    count: int,
    *,
    status: RegistrationStatus = S.CONFIRMED,
    checked_in: bool = False,
    organisation: str = "Some Charity",
    sector: Sector | None = Sector.CHARITY,
    start: int = 0,
    walk_in: bool = False,
) -> None:
    now = utcnow()
    for n in range(start, start + count):
        db.session.add(
            Registration(
                event_id=event.id,
                name=f"Person {n}",
                email=None if walk_in else f"person{n}.{status.value}@example.org",
                organisation=organisation,
                sector=sector,
                status=status,
                walk_in=walk_in,
                email_confirmed_at=now,
                confirmed_at=now if status is S.CONFIRMED else None,
                waitlisted_at=now if status is S.WAITING else None,
                checked_in_at=now if checked_in else None,
            )
        )
    db.session.commit()


def report_of(event: Event) -> services.Report:
    return services.build_report(event, today=utcnow().date())


# --- 1. registrations, confirmed, checked in ------------------------------------------------


def test_registration_counts_in_one_aggregate_query(held_event: Event, count_queries: Any) -> None:
    assert services.registration_counts(held_event) is None  # no registration: none shown
    add_registrations(held_event, 7, checked_in=True)
    add_registrations(held_event, 3, start=100)  # confirmed, did not come
    add_registrations(held_event, 2, status=S.WAITING, start=200)
    add_registrations(held_event, 1, status=S.CANCELLED, start=300)
    add_registrations(held_event, 1, status=S.UNCONFIRMED, start=400)  # email not confirmed
    add_registrations(held_event, 2, checked_in=True, walk_in=True, start=500)
    with count_queries() as counted:
        counts = services.registration_counts(held_event)
    assert counts == services.RegistrationCounts(registrations=13, confirmed=10, checked_in=9)
    # One aggregate (the other statement reloads the event, expired by count_queries).
    assert len([q for q in counted.statements if "FROM registration" in q]) == 1
    assert counted.count <= 2


def test_attended_comes_from_check_ins_and_the_page_says_so(
    signed_in: FlaskClient, held_event: Event
) -> None:
    db.session.add(
        Evaluation(event_id=held_event.id, attendance_entered=30, attendance_note="Head count")
    )
    db.session.commit()
    page = signed_in.get(f"/events/{held_event.id}/evaluation/").get_data(as_text=True)
    assert "entered by the organiser: Head count" in page  # no check-ins yet: the figure
    add_registrations(held_event, 12, checked_in=True)
    add_registrations(held_event, 4, start=100)
    page = signed_in.get(f"/events/{held_event.id}/evaluation/").get_data(as_text=True)
    assert '<dd class="govuk-summary-list__value" id="reach-registrations">16</dd>' in page
    assert '<dd class="govuk-summary-list__value" id="reach-confirmed">16</dd>' in page
    reach = report_of(held_event).reach
    assert (reach.attended, reach.attendance_source) == (12, services.CHECKED_IN)
    assert '12 <span class="govuk-hint app-inline-hint">(from check-in at the event)' in page
    assert "The figure entered by the organiser (30) is not used" in page


def test_response_rate_uses_the_check_ins(signed_in: FlaskClient, held_event: Event) -> None:
    add_registrations(held_event, 40, checked_in=True)
    add_responses(held_event, standard(10))
    assert report_of(held_event).reach.response_rate == "25%"
    text = signed_in.get(f"/events/{held_event.id}/evaluation/tables.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert ["Reach", "Attended (from check-in at the event)", "40", ""] in rows
    assert ["Reach", "Registrations", "40", ""] in rows
    assert ["Reach", "Response rate", "", "25%"] in rows


def test_attendance_objective_is_judged_on_check_ins(held_event: Event) -> None:
    db.session.add(
        Objective(
            event_id=held_event.id,
            position=3,
            statement="At least 20 people attend",
            metric=Metric.ATTENDANCE,
            target_value=Decimal(20),
            measure_by=PAST,
        )
    )
    db.session.commit()
    add_registrations(held_event, 21, checked_in=True)
    [result] = [r for r in report_of(held_event).objectives if r.objective.position == 3]
    assert result.actual.count == 21 and result.judgement.label == "Met"


# --- 2. attendance by sector ----------------------------------------------------------------


def _sector_mix(event: Event) -> None:
    add_registrations(event, 20, checked_in=True, sector=Sector.EDUCATION_SCHOOLS)
    add_registrations(event, 6, checked_in=True, sector=Sector.CHARITY, start=100)
    add_registrations(event, 9, checked_in=True, sector=Sector.HEALTH, start=200)
    add_registrations(event, 2, checked_in=True, sector=Sector.POLICE, start=300)
    add_registrations(event, 8, sector=Sector.FAITH, start=400)  # confirmed, never came


def test_attendance_by_sector_on_the_page_protected(
    signed_in: FlaskClient, held_event: Event
) -> None:
    _sector_mix(held_event)
    by_sector = report_of(held_event).reach.by_sector
    assert by_sector is not None and not by_sector.withheld
    cells = {row.label: row.cell for row in by_sector.rows}
    assert [row.label for row in by_sector.rows] == [
        *(SECTOR_LABELS[s] for s in Sector),
        SECTOR_NOT_GIVEN,
    ]
    assert cells["Education (Primary/ Secondary/ Further)"].text == "20"
    assert cells["Police and Crime"].text == "fewer than 5"
    assert cells["Charity"].text == "withheld"  # else 37 - 20 - 6 - 9 gives police away
    assert cells["Faith"].text == "0"  # confirmed but not checked in: not attended
    assert by_sector.total.text == "37"
    page = signed_in.get(f"/events/{held_event.id}/evaluation/").get_data(as_text=True)
    assert "Attendance by sector (from check-in)" in page
    assert "Total checked in" in page
    assert 'aria-label="Attendance by sector"' in page


def test_attendance_by_sector_in_the_csv_and_pdf(signed_in: FlaskClient, held_event: Event) -> None:
    _sector_mix(held_event)
    text = signed_in.get(f"/events/{held_event.id}/evaluation/tables.csv").get_data(as_text=True)
    rows = [
        r for r in csv.reader(io.StringIO(text)) if r[0] == "Attendance by sector (from check-in)"
    ]
    assert ["Attendance by sector (from check-in)", "Police and Crime", "fewer than 5", ""] in rows
    assert ["Attendance by sector (from check-in)", "Charity", "withheld", ""] in rows
    assert [
        "Attendance by sector (from check-in)",
        "Education (Primary/ Secondary/ Further)",
        "20",
        "54%",
    ] in rows
    assert ["Attendance by sector (from check-in)", "Total checked in", "37", ""] in rows
    pdf = signed_in.get(f"/events/{held_event.id}/evaluation/report.pdf").get_data()
    words = " ".join(
        " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages).split()
    )
    assert "Attendance by sector" in words and "Police and Crime fewer than 5" in words


def test_few_attendees_withhold_the_sector_table(signed_in: FlaskClient, held_event: Event) -> None:
    add_registrations(held_event, 3, checked_in=True)
    by_sector = report_of(held_event).reach.by_sector
    assert by_sector is not None and by_sector.withheld and by_sector.rows == ()
    page = signed_in.get(f"/events/{held_event.id}/evaluation/").get_data(as_text=True)
    assert "Attendance by sector is withheld" in page
    text = signed_in.get(f"/events/{held_event.id}/evaluation/tables.csv").get_data(as_text=True)
    assert "Charity" not in text.split("Attendance by sector")[-1]


def test_no_check_ins_no_sector_table(signed_in: FlaskClient, held_event: Event) -> None:
    add_registrations(held_event, 10)
    assert report_of(held_event).reach.by_sector is None
    page = signed_in.get(f"/events/{held_event.id}/evaluation/").get_data(as_text=True)
    assert "Attendance by sector" not in page


def _possible_values(rows: list[tuple[State, int]], total: int) -> list[tuple[int, int]]:
    """For each cell, the smallest and largest value consistent with what is published and the
    published total (a reader knows "fewer than 5" is 1-4 and "withheld" is 5 or more)."""
    bounds = []
    for state, value in rows:
        if state is State.SHOWN:
            bounds.append((value, value))
        elif state is State.FEWER_THAN_5:
            bounds.append((1, THRESHOLD - 1))
        else:
            bounds.append((THRESHOLD, total))
    ranges = []
    for i, (low, high) in enumerate(bounds):
        others_low = sum(b[0] for j, b in enumerate(bounds) if j != i)
        others_high = sum(b[1] for j, b in enumerate(bounds) if j != i)
        ranges.append((max(low, total - others_high), min(high, total - others_low)))
    return ranges


@given(
    counts=st.dictionaries(
        st.sampled_from([*(s.value for s in Sector), None]), st.integers(0, 12), max_size=6
    )
)
def test_no_hidden_sector_count_can_be_worked_out_from_the_attended_figure(
    counts: dict[str | None, int],
) -> None:
    """The attended figure is published in Reach: with it, no hidden cell can be pinned."""
    table = attendance_by_sector(counts)
    total = sum(counts.values())
    if table.withheld:
        assert table.rows == ()
        return
    assert table.total.shown and table.total.value == total  # the same as Reach's figure
    published = [(row.cell.state, row.cell.value) for row in table.rows]
    for (state, _), (low, high) in zip(published, _possible_values(published, total), strict=True):
        if state is not State.SHOWN:
            assert high > low


def test_a_sector_table_whose_total_would_be_hidden_is_withheld_whole() -> None:
    # 4 and 4: each can be worked out from a total of 8, and no larger cell can cover them.
    table = attendance_by_sector({"charity": 4, "health": 4})
    assert table.withheld
    assert not attendance_by_sector({"charity": 4, "health": 4, "faith": 7}).withheld
    assert attendance_by_sector({"charity": 2}).withheld  # fewer than 5 attended


# --- 3. target organisations represented ----------------------------------------------------


def test_target_organisations_represented_from_check_ins_and_ticks(
    signed_in: FlaskClient, held_event: Event
) -> None:
    """held_event targets Grays School and Tilbury Academy."""
    chafford = TargetOrganisation(event_id=held_event.id, name="Chafford Hundred Academy")
    db.session.add(chafford)
    db.session.flush()
    db.session.add(
        RepresentedOrganisation(event_id=held_event.id, target_organisation_id=chafford.id)
    )
    db.session.commit()
    # Spelt differently, matched the same way as the registration pages match them.
    add_registrations(held_event, 1, checked_in=True, organisation="  grays   SCHOOL ")
    add_registrations(held_event, 2, organisation="Tilbury Academy", start=10)  # did not come
    add_registrations(held_event, 6, checked_in=True, start=20)
    reach = report_of(held_event).reach
    assert (reach.represented, len(reach.organisations)) == (2, 3)
    assert reach.missing == ["Tilbury Academy"]
    page = signed_in.get(f"/events/{held_event.id}/evaluation/").get_data(as_text=True)
    assert "2 of 3" in page and "someone from the organisation was checked in" in page
    missing = page.split('id="reach-missing"')[1].split("</ul>")[0]
    assert "Tilbury Academy" in missing and "Grays School" not in missing
    text = signed_in.get(f"/events/{held_event.id}/evaluation/tables.csv").get_data(as_text=True)
    assert "Target organisations not represented,Tilbury Academy" in text
    # The registration pages' own count agrees.
    check_in = signed_in.get(f"/events/{held_event.id}/registrations/check-in")
    assert "1 of 3 target organisations represented" in check_in.get_data(as_text=True)


def test_without_check_ins_the_ticks_alone_count(held_event: Event) -> None:
    add_registrations(held_event, 3, organisation="Grays School")  # registered, none came
    reach = report_of(held_event).reach
    assert reach.represented == 0
    assert reach.organisations_source == services.REPRESENTED_BY_TICKS


# --- query counts -----------------------------------------------------------------------------


def test_report_queries_do_not_grow_with_registrations(
    signed_in: FlaskClient, held_event: Event, count_queries: Any
) -> None:
    add_responses(held_event, standard(6))
    sectors = list(Sector)

    def add(start: int, count: int) -> None:
        for n in range(start, start + count):
            add_registrations(
                held_event,
                1,
                checked_in=n % 3 != 0,
                sector=sectors[n % len(sectors)],
                organisation="Grays School" if n % 4 == 0 else f"Organisation {n}",
                start=n,
            )

    add(0, 10)
    pages = ("/", "/tables.csv", "/report.pdf")
    few = {}
    for page in pages:
        with count_queries() as counted:
            assert signed_in.get(f"/events/{held_event.id}/evaluation{page}").status_code == 200
        few[page] = counted.count
    add(10, 190)
    for page in pages:
        with count_queries() as counted:
            assert signed_in.get(f"/events/{held_event.id}/evaluation{page}").status_code == 200
        assert counted.count == few[page], page
    assert report_of(held_event).reach.attended == 133  # 200 less every third
    print(f"\nqueries per request, 10 or 200 registrations: {few}")


# --- 4. the coordinators' dashboard ---------------------------------------------------------


def test_dashboard_attendance_is_check_ins_where_any_else_entered(
    make_event: Callable[..., Event], organiser: Any
) -> None:
    def held(title: str, days_ago: int) -> Event:
        event = make_event(title=title)
        event.starts_at = datetime.combine(PAST - timedelta(days=days_ago), time(18), UTC)
        event.ends_at = event.starts_at + timedelta(hours=2)
        event.status = EventStatus.HELD
        db.session.commit()
        return event

    checked = held("Checked in", 0)
    entered = held("Entered", 1)
    neither = held("Neither", 2)
    add_registrations(checked, 12, checked_in=True)
    add_registrations(checked, 5, start=100)  # confirmed, did not come
    db.session.add(Evaluation(event_id=checked.id, attendance_entered=99))  # not used
    db.session.add(Evaluation(event_id=entered.id, attendance_entered=30))
    db.session.add(
        Objective(
            event_id=checked.id,
            position=1,
            statement="At least 10 attend",
            metric=Metric.ATTENDANCE,
            target_value=Decimal(10),
            measure_by=PAST,
        )
    )
    db.session.commit()
    board = dashboard.dashboard(organiser.council_id, dashboard.Filters())
    assert board.events == 3 and neither.id
    assert (board.attended, board.attendance_known) == (42, 2)
    assert dict(board.objectives)["Met"] == 1  # 12 checked in against 10, as on the report


def test_dashboard_counts_organisations_represented_as_the_report_does(
    held_event: Event, organiser: Any
) -> None:
    db.session.add(
        Objective(
            event_id=held_event.id,
            position=3,
            statement="Both target schools represented",
            metric=Metric.ORGANISATIONS_REPRESENTED,
            target_value=Decimal(2),
            measure_by=PAST,
        )
    )
    tilbury = db.session.scalar(
        select(TargetOrganisation).where(TargetOrganisation.name == "Tilbury Academy")
    )
    assert tilbury is not None
    db.session.add(
        RepresentedOrganisation(event_id=held_event.id, target_organisation_id=tilbury.id)
    )
    db.session.commit()
    add_registrations(held_event, 1, checked_in=True, organisation="Grays School")
    [result] = [r for r in report_of(held_event).objectives if r.objective.position == 3]
    assert result.judgement.label == "Met"
    board = dashboard.dashboard(organiser.council_id, dashboard.Filters(), today=utcnow().date())
    objectives = dict(board.objectives)
    # Objective 1 (understanding) has no responses: cannot be judged; objective 2 is ahead.
    assert objectives["Met"] == 1
