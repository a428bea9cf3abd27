"""The event's evaluation: the report from the database, and the organiser's entries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from eventapp import audit
from eventapp.accounts.models import User
from eventapp.audience.models import AudienceProfile, TargetOrganisation
from eventapp.errors import DomainError, NotFoundError
from eventapp.evaluation import queries
from eventapp.evaluation.models import (
    Evaluation,
    ObjectiveEvidence,
    PreventShare,
    RepresentedOrganisation,
)
from eventapp.evaluation.report import (
    FeedbackSections,
    FollowUpActions,
    SectorAttendance,
    attendance_by_sector,
    build_sections,
    follow_up_actions,
    proportion_of,
)
from eventapp.evaluation.stats import Measure, Proportion, paired_change
from eventapp.evaluation.suppression import THRESHOLD, Cell, State, is_small
from eventapp.evaluation.verdicts import Actual, Judgement, judge
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.feedback.annex_a import Condition
from eventapp.formatting import uk_today
from eventapp.handbook import SECTOR_LABELS, Sector
from eventapp.mail import outbox
from eventapp.mail.message import Attachment
from eventapp.objectives.models import Metric, Objective
from eventapp.questions import services as questions
from eventapp.registration import organiser as registration_organiser
from eventapp.registration import queries as registration_queries

ENTERED = "entered by the organiser"
CHECKED_IN = "from check-in at the event"
REPRESENTED_BY_TICKS = "ticked by the organiser"
REPRESENTED_BY_CHECK_IN = (
    "someone from the organisation was checked in, or the organiser ticked it as represented"
)


def applies(event: Event) -> set[Condition]:
    """What happened at the event, deciding which Annex A questions were asked."""
    happened = set()
    if event.intro_video:
        happened.add(Condition.VIDEO)
    if event.home_office_speaking:
        happened.add(Condition.HOME_OFFICE_QA)
    return happened


@dataclass(frozen=True)
class RegistrationCounts:
    registrations: int
    confirmed: int
    checked_in: int


def registration_counts(event: Event) -> RegistrationCounts | None:
    """Registrations, confirmed places and check-ins (walk-ins included), or None where the
    event took no registrations and checked nobody in: one aggregate query."""
    figures = registration_queries.attendance(event.id)
    if not figures.registered and not figures.attended:
        return None
    return RegistrationCounts(
        registrations=figures.registered,
        confirmed=figures.confirmed,
        checked_in=figures.attended,
    )


@dataclass(frozen=True)
class Reach:
    registrations: RegistrationCounts | None
    attended: int | None
    attendance_source: str
    attendance_note: str
    responses: Cell
    response_rate: str
    organisations: list[tuple[str, bool]]
    # How an organisation came to count as represented (see REPRESENTED_BY_*).
    organisations_source: str = REPRESENTED_BY_TICKS
    # Check-in attendance by sector (None: nobody was checked in).
    by_sector: SectorAttendance | None = None
    # The organiser's own figure when check-ins replace it (shown so nobody wonders).
    entered_not_used: int | None = None

    @property
    def represented(self) -> int:
        return sum(1 for _, present in self.organisations if present)

    @property
    def missing(self) -> list[str]:
        return [name for name, present in self.organisations if not present]


@dataclass(frozen=True)
class ObjectiveResult:
    objective: Objective
    actual: Actual
    judgement: Judgement
    note: str = ""


@dataclass(frozen=True)
class Report:
    event: Event
    reach: Reach
    feedback: FeedbackSections
    objectives: list[ObjectiveResult]
    evaluation: Evaluation | None
    shares: list[PreventShare] = field(default_factory=list)
    target_sector: Sector | None = None
    actions: FollowUpActions = field(default_factory=FollowUpActions)


def get_evaluation(event: Event) -> Evaluation | None:
    return db.session.scalar(select(Evaluation).where(Evaluation.event_id == event.id))


def _organisations(event: Event) -> list[tuple[int, str, bool]]:
    rows = db.session.execute(
        select(TargetOrganisation.id, TargetOrganisation.name, RepresentedOrganisation.id)
        .outerjoin(
            RepresentedOrganisation,
            RepresentedOrganisation.target_organisation_id == TargetOrganisation.id,
        )
        .where(TargetOrganisation.event_id == event.id)
        .order_by(TargetOrganisation.id)
    )
    return [(org_id, name, present is not None) for org_id, name, present in rows]


def _represented(event: Event, *, checked_in: bool) -> list[tuple[str, bool]]:
    """Each target organisation and whether it was represented: ticked by the organiser, or
    (where people were checked in) matched by a checked-in attendee's organisation, the same
    match as the registration pages make."""
    ticked = _organisations(event)
    if not checked_in or not ticked:
        return [(name, present) for _, name, present in ticked]
    matched = {
        t.id for t in registration_organiser.target_presence([event.id], attended=True) if t.present
    }
    return [(name, present or org_id in matched) for org_id, name, present in ticked]


def _responses_cell(responses: int) -> Cell:
    return Cell(responses, State.FEWER_THAN_5 if is_small(responses) else State.SHOWN)


def build_report(event: Event, *, today: date) -> Report:
    """Everything the report shows, in a fixed number of queries."""
    evaluation = get_evaluation(event)
    counts = queries.feedback_counts([event.id])
    sections = build_sections(
        responses=counts.responses,
        options=counts.options,
        joint=counts.joint,
        applies=applies(event),
    )
    registrations = registration_counts(event)
    entered = evaluation.attendance_entered if evaluation is not None else None
    checked_in = registrations is not None and registrations.checked_in > 0
    by_sector = None
    if checked_in:
        assert registrations is not None
        attended: int | None = registrations.checked_in
        source = CHECKED_IN
        by_sector = attendance_by_sector(dict(registration_queries.attended_by(event.id, "sector")))
    elif entered is not None:
        attended, source = entered, ENTERED
    else:
        attended, source = None, ""
    rate = ""
    if attended and counts.responses >= THRESHOLD:
        rate = Proportion(counts.responses, attended).percent
    reach = Reach(
        registrations=registrations,
        attended=attended,
        attendance_source=source,
        attendance_note=evaluation.attendance_note if evaluation and not checked_in else "",
        responses=_responses_cell(counts.responses),
        response_rate=rate,
        organisations=_represented(event, checked_in=checked_in),
        organisations_source=REPRESENTED_BY_CHECK_IN if checked_in else REPRESENTED_BY_TICKS,
        by_sector=by_sector,
        entered_not_used=entered if checked_in else None,
    )
    profile = db.session.scalar(select(AudienceProfile).where(AudienceProfile.event_id == event.id))
    target_sector = (
        profile.sector
        if profile and profile.sector not in (None, Sector.OTHER, Sector.PREFER_NOT)
        else None
    )
    understanding = _increased_understanding(event, sections, target_sector)
    evidence = {
        e.objective_id: e.source_note
        for e in db.session.scalars(
            select(ObjectiveEvidence)
            .join(Objective, Objective.id == ObjectiveEvidence.objective_id)
            .where(Objective.event_id == event.id)
        )
    }
    results = []
    for objective in event.objectives:
        actual = _actual(objective, reach, sections, understanding, registrations, counts.responses)
        note = evidence.get(objective.id, "")
        results.append(
            ObjectiveResult(
                objective,
                actual,
                judge(
                    metric=objective.metric,
                    target=objective.target_value,
                    actual=actual,
                    measure_by=objective.measure_by,
                    today=today,
                    responses=counts.responses,
                ),
                note,
            )
        )
    shares = list(
        db.session.scalars(
            select(PreventShare).where(PreventShare.event_id == event.id).order_by(PreventShare.id)
        )
    )
    actions = follow_up_actions(questions.follow_ups(event), today=today)
    return Report(event, reach, sections, results, evaluation, shares, target_sector, actions)


def open_actions(event: Event, *, today: date) -> FollowUpActions:
    """The event's open follow-up actions from questions (one query)."""
    return follow_up_actions(questions.follow_ups(event, open_only=True), today=today)


def _increased_understanding(
    event: Event, sections: FeedbackSections, sector: Sector | None
) -> tuple[Proportion | None, str]:
    """Q8's share who improved: among the target sector's respondents where one is set."""
    if sections.withheld or not sections.changes:
        return None, ""
    if sector is None:
        result = sections.changes[0].result
        return Proportion(result.improved, result.pairs), "among all respondents who answered both"
    joint = queries.knowledge_joint_in_sector([event.id], sector.value)
    result = paired_change(Measure.KNOWLEDGE, joint)
    if (
        is_small(result.pairs)
        or is_small(result.improved)
        or is_small(result.pairs - result.improved)
    ):
        return None, f"fewer than 5 respondents in {SECTOR_LABELS[sector]}"
    return (
        Proportion(result.improved, result.pairs),
        f"among respondents in the target sector, {SECTOR_LABELS[sector]}",
    )


def _actual(
    objective: Objective,
    reach: Reach,
    sections: FeedbackSections,
    understanding: tuple[Proportion | None, str],
    registrations: RegistrationCounts | None,
    responses: int,
) -> Actual:
    metric = objective.metric
    headlines = {h.label: h for h in sections.headlines}
    if metric is Metric.ATTENDANCE:
        if reach.attended is None:
            return Actual()
        return Actual(count=Decimal(reach.attended), source=reach.attendance_source)
    if metric is Metric.ORGANISATIONS_REPRESENTED:
        if not reach.organisations:
            return Actual()
        return Actual(
            count=Decimal(reach.represented),
            source=f"{reach.represented} of {len(reach.organisations)} target organisations",
        )
    if metric is Metric.REGISTRATIONS:
        if registrations is None:
            return Actual()
        return Actual(count=Decimal(registrations.registrations), source="registrations")
    if metric is Metric.RESPONSE_RATE:
        if not reach.attended or responses < THRESHOLD:
            return Actual()
        return Actual(
            proportion=Proportion(responses, reach.attended), source="responses / attended"
        )
    if metric is Metric.INCREASED_UNDERSTANDING:
        proportion, words = understanding
        return Actual(proportion=proportion, source=words) if proportion else Actual(source=words)
    if metric is Metric.MORE_POSITIVE_OPINION and not sections.withheld:
        p = proportion_of(sections.headlines[1])
        return Actual(proportion=p, source="question 9, before and after") if p else Actual()
    if metric is Metric.WOULD_RECOMMEND and not sections.withheld:
        p = proportion_of(sections.headlines[0])
        return Actual(proportion=p, source="question 6") if p else Actual()
    if metric is Metric.MANUAL and objective.actual_value is not None:
        return Actual(count=objective.actual_value)
    del headlines
    return Actual()


# --- the organiser's entries ----------------------------------------------------------------


@dataclass(frozen=True)
class Conclusions:
    attendance_entered: int | None
    attendance_note: str
    further_action: str
    behaviour_change: str
    local_delivery: str
    recommendations: str
    represented: list[int]


def _evaluation_for_update(event: Event) -> Evaluation:
    evaluation = get_evaluation(event)
    if evaluation is None:
        evaluation = Evaluation(event_id=event.id)
        db.session.add(evaluation)
    return evaluation


def save_conclusions(*, event: Event, actor: User, conclusions: Conclusions) -> Evaluation:
    """Record the organiser's attendance figure, organisations reached and conclusions."""
    evaluation = _evaluation_for_update(event)
    evaluation.attendance_entered = conclusions.attendance_entered
    evaluation.attendance_note = conclusions.attendance_note
    evaluation.further_action = conclusions.further_action
    evaluation.behaviour_change = conclusions.behaviour_change
    evaluation.local_delivery = conclusions.local_delivery
    evaluation.recommendations = conclusions.recommendations
    known = {org_id for org_id, _, _ in _organisations(event)}
    wanted = set(conclusions.represented)
    if not wanted <= known:
        raise DomainError("Choose organisations from this event's list", field="represented")
    existing = {
        r.target_organisation_id: r
        for r in db.session.scalars(
            select(RepresentedOrganisation).where(RepresentedOrganisation.event_id == event.id)
        )
    }
    for org_id, row in existing.items():
        if org_id not in wanted:
            db.session.delete(row)
    for org_id in wanted - set(existing):
        db.session.add(RepresentedOrganisation(event_id=event.id, target_organisation_id=org_id))
    db.session.flush()
    audit.record(
        actor=actor, council_id=event.council_id, action="evaluation.update", obj=evaluation
    )
    return evaluation


def conclusions_of(event: Event) -> dict[str, object]:
    evaluation = get_evaluation(event)
    represented = [str(org_id) for org_id, _, present in _organisations(event) if present]
    # Every field, blank before the first save: the edit form remembers each one it shows.
    return {
        "attendance_entered": evaluation.attendance_entered if evaluation else None,
        "attendance_note": evaluation.attendance_note if evaluation else "",
        "further_action": evaluation.further_action if evaluation else "",
        "behaviour_change": evaluation.behaviour_change if evaluation else "",
        "local_delivery": evaluation.local_delivery if evaluation else "",
        "recommendations": evaluation.recommendations if evaluation else "",
        "represented": represented,
    }


def organisation_choices(event: Event) -> list[tuple[str, str]]:
    return [(str(org_id), name) for org_id, name, _ in _organisations(event)]


def get_objective(event: Event, objective_id: int) -> Objective:
    objective = next((o for o in event.objectives if o.id == objective_id), None)
    if objective is None:
        raise NotFoundError()
    return objective


def evidence_of(objective: Objective) -> str:
    return (
        db.session.scalar(
            select(ObjectiveEvidence.source_note).where(
                ObjectiveEvidence.objective_id == objective.id
            )
        )
        or ""
    )


def record_measure(
    *, objective: Objective, actor: User, value: Decimal | None, source_note: str
) -> None:
    """Where an objective's figure comes from, and its value if the organiser measures it."""
    if objective.metric is Metric.MANUAL:
        objective.actual_value = value
    evidence = db.session.scalar(
        select(ObjectiveEvidence).where(ObjectiveEvidence.objective_id == objective.id)
    )
    if evidence is None:
        evidence = ObjectiveEvidence(objective_id=objective.id)
        db.session.add(evidence)
    evidence.source_note = source_note
    db.session.flush()
    audit.record(
        actor=actor,
        council_id=objective.event.council_id,
        action="objective.measure",
        obj=objective,
    )


# --- sharing with Home Office Prevent -------------------------------------------------------


def suggested_note(event: Event) -> str:
    """A covering note drafted from the organiser's conclusions, for them to edit."""
    evaluation = get_evaluation(event)
    parts = [f"Please find attached the evaluation of {event.title}."]
    if evaluation is not None and evaluation.further_action:
        parts.append(f"Needs further action: {evaluation.further_action}")
    if evaluation is not None and evaluation.recommendations:
        parts.append(f"Recommendations for the next event: {evaluation.recommendations}")
    return "\n\n".join(parts)


def send_to_prevent(
    *,
    event: Event,
    actor: User,
    to: str,
    covering_note: str,
    attachments: tuple[Attachment, ...],
    now: datetime,
) -> PreventShare:
    """Queue the report and responses to Home Office Prevent, and record who sent them when."""
    if not to:
        raise DomainError(
            "Sending to Home Office Prevent is not set up: ask your administrator to set "
            "PREVENT_SHARE_TO",
            field="covering_note",
        )
    actions = open_actions(event, today=uk_today(now))
    share = PreventShare(
        event_id=event.id,
        sent_by_id=actor.id,
        sent_at=now,
        to_address=to,
        covering_note=covering_note,
    )
    db.session.add(share)
    db.session.flush()
    content = outbox.render(
        "prevent_share",
        subject=f"Community event evaluation: {event.title} ({event.council.name})",
        attachments=attachments,
        event=event,
        note=covering_note,
        actions=actions,
        sender=actor,
    )
    outbox.enqueue(
        to=to,
        content=content,
        kind="prevent_share",
        council_id=event.council_id,
        event_id=event.id,
        related=share,
        reply_to=actor.email,
    )
    audit.record(
        actor=actor,
        council_id=event.council_id,
        action="evaluation.share",
        obj=share,
        summary="Sent to Home Office Prevent",
    )
    return share
