"""The coordinators' dashboard: a council's events pooled, by quarter and by format.

The handbook: feedback "ensures events are captured if the Home Office are not present,
demonstrating a commitment to engagement which will be reflected in quarterly performance
monitoring" ("Collecting attendees' feedback"). Every figure is aggregated in SQL over the
selected events; the page sends the same number of queries for 1 event as for 2,000.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup
from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import ColumnElement

from eventapp.audience.models import AudienceProfile
from eventapp.evaluation.charts import Bar, bar_chart, share_bar, share_chart
from eventapp.evaluation.models import Evaluation
from eventapp.evaluation.queries import quarter_label, uk_quarter
from eventapp.evaluation.report import (
    NATIONAL_MORE_POSITIVE,
    NATIONAL_RECOMMEND,
    Headline,
    guarded_sentence,
    headline,
)
from eventapp.evaluation.stats import (
    DONT_KNOW,
    UNANSWERED,
    Measure,
    PairedChange,
    paired_change,
)
from eventapp.evaluation.suppression import Cell, Protected, percent_of, protect, protect_counts
from eventapp.evaluation.verdicts import VERDICT_LABELS, Verdict
from eventapp.events.models import Event, EventFormat, EventStatus
from eventapp.extensions import db
from eventapp.feedback.annex_a import PAIRS, SCORES
from eventapp.feedback.models import FeedbackAnswer, FeedbackResponse
from eventapp.formatting import uk_today
from eventapp.handbook import Sector
from eventapp.registration.models import Registration
from eventapp.registration.organiser import target_presence
from eventapp.registration.queries import registered_by_event

UK = ZoneInfo("Europe/London")
HELD_STATUSES = (EventStatus.HELD, EventStatus.EVALUATED)
FORMATS = (EventFormat.IN_PERSON, EventFormat.ONLINE, EventFormat.HYBRID)


@dataclass(frozen=True)
class Filters:
    start: date | None = None
    end: date | None = None
    format: EventFormat | None = None
    sector: Sector | None = None
    home_office: bool | None = None
    statuses: tuple[EventStatus, ...] = HELD_STATUSES


def selected_events(council_id: int, filters: Filters) -> Select[tuple[int]]:
    """The ids of the council's events the filters choose (a subquery, never loaded)."""
    query = select(Event.id).where(
        Event.council_id == council_id,
        Event.status.in_(filters.statuses),
        Event.starts_at.is_not(None),
    )
    if filters.start:
        query = query.where(Event.starts_at >= datetime.combine(filters.start, time.min, UK))
    if filters.end:
        query = query.where(Event.starts_at <= datetime.combine(filters.end, time.max, UK))
    if filters.format:
        query = query.where(Event.format == filters.format)
    if filters.home_office is not None:
        query = query.where(Event.home_office_speaking.is_(filters.home_office))
    if filters.sector:
        query = query.where(
            Event.id.in_(
                select(AudienceProfile.event_id).where(AudienceProfile.sector == filters.sector)
            )
        )
    return query


def _score_case(column: Any, item_kind: str) -> ColumnElement[int]:
    scores = SCORES[f"{item_kind}_before"]
    return case(
        {option: score for option, score in scores.items() if score is not None},
        value=column,
        else_=None,
    )


@dataclass
class Group:
    """The counts of one (quarter, format) group."""

    events: int = 0
    attended: int = 0
    attendance_known: int = 0
    responses: int = 0
    recommend_yes: int = 0
    recommend_base: int = 0
    video_yes: int = 0
    video_base: int = 0
    improved: dict[str, int] = field(default_factory=dict)
    pairs: dict[str, int] = field(default_factory=dict)


GroupKey = tuple[int, EventFormat]


def _yes(item: str) -> ColumnElement[int]:
    return func.coalesce(
        func.sum(
            case((and_(FeedbackAnswer.item == item, FeedbackAnswer.option == "yes"), 1), else_=0)
        ),
        0,
    )


def _answered(item: str) -> ColumnElement[int]:
    return func.coalesce(
        func.sum(
            case(
                (and_(FeedbackAnswer.item == item, FeedbackAnswer.option.is_not(None)), 1), else_=0
            )
        ),
        0,
    )


def _checked_in(events: Select[tuple[int]]) -> Any:
    """Per selected event with anyone checked in: how many (walk-ins included), as a subquery."""
    return (
        select(Registration.event_id.label("event_id"), func.count().label("n"))
        .where(Registration.event_id.in_(events), Registration.checked_in_at.is_not(None))
        .group_by(Registration.event_id)
        .subquery("checked_in")
    )


def _attended(checked_in: Any) -> ColumnElement[int]:
    """An event's attendance as its report gives it: the check-ins where anyone was checked
    in, else the organiser's entered figure (NULL: not known). Needs Event outer-joined to
    Evaluation and to `_checked_in`."""
    return case((checked_in.c.n > 0, checked_in.c.n), else_=Evaluation.attendance_entered)


Joint = dict[tuple[int | str, int | str], int]


@dataclass
class EventCounts:
    """One selected event's counts, from the dashboard's grouped queries."""

    quarter: int
    format: EventFormat
    attended: int | None  # as its report gives it; None: not known
    responses: int = 0
    recommend_yes: int = 0
    recommend_base: int = 0
    video_yes: int = 0
    video_base: int = 0
    # "knowledge" / "opinion" -> (before, after) answer -> count
    joint: dict[str, Joint] = field(default_factory=dict)

    def shift(self, kind: str) -> tuple[int, int]:
        """(improved, pairs): respondents with a score before and after, and those whose
        score went up."""
        improved = pairs = 0
        for (before, after), n in self.joint.get(kind, {}).items():
            if isinstance(before, int) and isinstance(after, int):
                pairs += n
                if after > before:
                    improved += n
        return improved, pairs


def event_counts(events: Select[tuple[int]]) -> dict[int, EventCounts]:
    """Per selected event: quarter, format, attendance, responses, the Q6/Q7 counts and the
    Q8/Q9 before/after pairs: 4 queries, each grouped by event so the answers are read once
    (the quarter is worked out per event, not per answer)."""
    checked_in = _checked_in(events)
    counts = {
        event_id: EventCounts(int(quarter), EventFormat(fmt), attended)
        for event_id, quarter, fmt, attended in db.session.execute(
            select(Event.id, uk_quarter(Event.starts_at), Event.format, _attended(checked_in))
            .outerjoin(Evaluation, Evaluation.event_id == Event.id)
            .outerjoin(checked_in, checked_in.c.event_id == Event.id)
            .where(Event.id.in_(events))
        )
    }
    for event_id, n in db.session.execute(
        select(FeedbackResponse.event_id, func.count())
        .where(FeedbackResponse.event_id.in_(events))
        .group_by(FeedbackResponse.event_id)
    ):
        counts[event_id].responses = n
    for event_id, ry, rb, vy, vb in db.session.execute(
        select(
            FeedbackResponse.event_id,
            _yes("recommend"),
            _answered("recommend"),
            _yes("video"),
            _answered("video"),
        )
        .select_from(FeedbackAnswer)
        .join(FeedbackResponse, FeedbackResponse.id == FeedbackAnswer.response_id)
        .where(
            FeedbackResponse.event_id.in_(events),
            FeedbackAnswer.item.in_(("recommend", "video")),
        )
        .group_by(FeedbackResponse.event_id)
    ):
        c = counts[event_id]
        c.recommend_yes, c.recommend_base, c.video_yes, c.video_base = (
            int(ry),
            int(rb),
            int(vy),
            int(vb),
        )
    before = aliased(FeedbackAnswer)
    after = aliased(FeedbackAnswer)
    pair = or_(*(and_(before.item == b, after.item == a) for b, a in PAIRS))
    for event_id, item, b_option, a_option, n in db.session.execute(
        select(FeedbackResponse.event_id, before.item, before.option, after.option, func.count())
        .select_from(before)
        .join(after, and_(after.response_id == before.response_id, pair))
        .join(FeedbackResponse, FeedbackResponse.id == before.response_id)
        .where(FeedbackResponse.event_id.in_(events), before.item.in_([b for b, _ in PAIRS]))
        .group_by(FeedbackResponse.event_id, before.item, before.option, after.option)
    ):
        kind = item.removesuffix("_before")
        key = (_answer(item, b_option), _answer(f"{kind}_after", a_option))
        joint = counts[event_id].joint.setdefault(kind, {})
        joint[key] = joint.get(key, 0) + n
    return counts


def group_counts(counts: Mapping[int, EventCounts]) -> dict[GroupKey, Group]:
    """Per quarter and format: events, attendance, responses, headline counts (no queries:
    the per-event counts summed)."""
    groups: dict[GroupKey, Group] = {}
    for c in counts.values():
        g = groups.setdefault((c.quarter, c.format), Group())
        g.events += 1
        if c.attended is not None:
            g.attended += c.attended
            g.attendance_known += 1
        g.responses += c.responses
        g.recommend_yes += c.recommend_yes
        g.recommend_base += c.recommend_base
        g.video_yes += c.video_yes
        g.video_base += c.video_base
        for kind in ("knowledge", "opinion"):
            improved, pairs = c.shift(kind)
            g.improved[kind] = g.improved.get(kind, 0) + improved
            g.pairs[kind] = g.pairs.get(kind, 0) + pairs
    return groups


def pooled_joint(counts: Mapping[int, EventCounts]) -> dict[str, Joint]:
    """The before/after joint counts pooled over the selected events (no queries)."""
    pooled: dict[str, Joint] = {}
    for c in counts.values():
        for kind, joint in c.joint.items():
            into = pooled.setdefault(kind, {})
            for key, n in joint.items():
                into[key] = into.get(key, 0) + n
    return pooled


def _answer(item: str, option: str | None) -> int | str:
    if option is None:
        return UNANSWERED
    score = SCORES[item].get(option)
    return DONT_KNOW if score is None else score


# --- objectives across events ----------------------------------------------------------------


def objective_verdicts(
    events: Select[tuple[int]], counts: Mapping[int, EventCounts], *, today: date
) -> dict[Verdict, int]:
    """How many of the selected events' objectives were met, not met, not yet measurable or
    cannot be judged: each judged as on its event's report, from the events' counts and 6 or
    7 more queries whatever the number of events."""
    from eventapp.evaluation.models import RepresentedOrganisation
    from eventapp.evaluation.stats import Proportion
    from eventapp.evaluation.suppression import THRESHOLD, is_small
    from eventapp.evaluation.verdicts import Actual, judge
    from eventapp.objectives.models import Metric, Objective

    before = aliased(FeedbackAnswer)
    after = aliased(FeedbackAnswer)
    # Understanding among the target sector, for events whose audience profile names one.
    sector_answer = aliased(FeedbackAnswer)
    b_score = _score_case(before.option, "knowledge")
    a_score = _score_case(after.option, "knowledge")
    both = and_(b_score.is_not(None), a_score.is_not(None))
    in_sector: dict[int, tuple[int, int]] = {}
    for event_id, pairs, up in db.session.execute(
        select(
            FeedbackResponse.event_id,
            func.coalesce(func.sum(case((both, 1), else_=0)), 0),
            func.coalesce(func.sum(case((and_(both, a_score > b_score), 1), else_=0)), 0),
        )
        .select_from(before)
        .join(after, and_(after.response_id == before.response_id, after.item == "knowledge_after"))
        .join(FeedbackResponse, FeedbackResponse.id == before.response_id)
        .join(AudienceProfile, AudienceProfile.event_id == FeedbackResponse.event_id)
        .join(
            sector_answer,
            and_(
                sector_answer.response_id == before.response_id,
                sector_answer.item == "sector",
                sector_answer.option == AudienceProfile.sector,
            ),
        )
        .where(
            FeedbackResponse.event_id.in_(events),
            before.item == "knowledge_before",
            AudienceProfile.sector.not_in((Sector.OTHER, Sector.PREFER_NOT)),
        )
        .group_by(FeedbackResponse.event_id)
    ):
        in_sector[event_id] = (int(up), int(pairs))
    sector_events = set(
        db.session.scalars(
            select(AudienceProfile.event_id).where(
                AudienceProfile.event_id.in_(events),
                AudienceProfile.sector.is_not(None),
                AudienceProfile.sector.not_in((Sector.OTHER, Sector.PREFER_NOT)),
            )
        )
    )
    # Represented as on the report: ticked by the organiser, or matched by a check-in.
    ticked = set(
        db.session.scalars(
            select(RepresentedOrganisation.target_organisation_id).where(
                RepresentedOrganisation.event_id.in_(events)
            )
        )
    )
    targets: dict[int, int] = {}
    represented: dict[int, int] = {}
    for target in target_presence(events, attended=True):
        targets[target.event_id] = targets.get(target.event_id, 0) + 1
        if target.present or target.id in ticked:
            represented[target.event_id] = represented.get(target.event_id, 0) + 1
    # Registrations as the report counts them (None there: no registrations and no check-ins).
    registered = registered_by_event(events)
    totals = {v: 0 for v in Verdict}
    for objective in db.session.scalars(select(Objective).where(Objective.event_id.in_(events))):
        e = objective.event_id
        c = counts.get(e)
        responses = c.responses if c else 0
        attended = c.attended if c else None

        def share(yes: int, base: int) -> Actual:
            if is_small(yes) or is_small(base - yes) or base < THRESHOLD:
                return Actual()
            return Actual(proportion=Proportion(yes, base))

        metric = objective.metric
        actual = Actual()
        if metric is Metric.ATTENDANCE and attended is not None:
            actual = Actual(count=Decimal(attended))
        elif metric is Metric.ORGANISATIONS_REPRESENTED and targets.get(e):
            actual = Actual(count=Decimal(represented.get(e, 0)))
        elif metric is Metric.REGISTRATIONS and any(registered.get(e, (0, 0))):
            actual = Actual(count=Decimal(registered[e][0]))
        elif metric is Metric.RESPONSE_RATE and attended and responses >= THRESHOLD:
            actual = Actual(proportion=Proportion(responses, attended))
        elif metric is Metric.WOULD_RECOMMEND and c:
            actual = share(c.recommend_yes, c.recommend_base)
        elif metric is Metric.INCREASED_UNDERSTANDING:
            if e in sector_events:
                actual = share(*in_sector.get(e, (0, 0)))
            elif c:
                actual = share(*c.shift("knowledge"))
        elif metric is Metric.MORE_POSITIVE_OPINION and c:
            actual = share(*c.shift("opinion"))
        elif metric is Metric.MANUAL and objective.actual_value is not None:
            actual = Actual(count=objective.actual_value)
        verdict = judge(
            metric=metric,
            target=objective.target_value,
            actual=actual,
            measure_by=objective.measure_by,
            today=today,
            responses=responses,
        ).verdict
        totals[verdict] += 1
    return totals


# --- what the page prints --------------------------------------------------------------------


CHANGE_TITLES = {
    Measure.KNOWLEDGE: "Knowledge and understanding (question 8)",
    Measure.OPINION: "Opinion of Prevent (question 9)",
}


@dataclass(frozen=True)
class PooledChange:
    result: PairedChange
    shifts: tuple[tuple[str, Cell, str], ...]
    pairs: Cell
    chart: Markup

    @property
    def title(self) -> str:
        return CHANGE_TITLES[self.result.measure]

    @property
    def sentence(self) -> str:
        """As on the report: no direction when a count behind it is hidden."""
        improved, same, worse = (cell for _, cell, _ in self.shifts)
        return guarded_sentence(
            self.result, improved=improved, same=same, worse=worse, pairs=self.pairs
        )


def pooled_change(measure: Measure, joint: Mapping[Any, int]) -> PooledChange:
    result = paired_change(measure, joint)
    table = protect_counts([result.improved, result.same, result.worse])
    pairs = table.total()
    assert pairs is not None
    words = ("Improved", "Stayed the same", "Got worse")
    shifts = tuple((w, c, percent_of(c, pairs)) for w, c in zip(words, table.row(), strict=True))
    chart = bar_chart(
        f"{CHANGE_TITLES[measure]}: change among those who answered both, pooled",
        [Bar(label, cell, percent) for label, cell, percent in shifts],
        chart_id=f"chart-pooled-{measure.value}",
    )
    return PooledChange(result, shifts, pairs, chart)


@dataclass(frozen=True)
class QuarterRow:
    label: str
    events: int
    attended: Cell
    responses: Cell
    recommend: Headline
    more_positive: Headline


@dataclass(frozen=True)
class Dashboard:
    filters: Filters
    events: int
    attended: int
    attendance_known: int
    responses: Cell
    headlines: list[Headline]
    changes: list[PooledChange]
    quarters: list[QuarterRow]
    quarter_totals: tuple[Cell, Cell]
    by_format: Protected  # responses: quarter × format, with margins
    format_labels: list[str]
    quarter_labels: list[str]
    charts: dict[str, Markup]
    objectives: list[tuple[str, int]] = field(default_factory=list)


# Formats as the by-format chart labels them (the table beside it has the full names).
FORMAT_CHART_LABELS = {
    EventFormat.IN_PERSON: "In person",
    EventFormat.ONLINE: "Online",
    EventFormat.HYBRID: "Hybrid",
}


def objectives_chart(objectives: list[tuple[str, int]]) -> Markup:
    """The verdicts' counts (objectives, not people: nothing to suppress)."""
    return bar_chart(
        "Objectives of the selected events by verdict",
        [Bar(label, Cell(n)) for label, n in objectives],
        chart_id="chart-objectives",
    )


def build(
    groups: Mapping[GroupKey, Group], joint: Mapping[str, Mapping[Any, int]], filters: Filters
) -> Dashboard:
    """The dashboard from the grouped counts (pure)."""
    from eventapp.events.models import FORMAT_LABELS

    quarters = sorted({q for q, _ in groups})

    def total(q: int, attr: str) -> int:
        return sum(getattr(g, attr) for (gq, _), g in groups.items() if gq == q)

    def total_kind(q: int, attr: str, kind: str) -> int:
        return sum(getattr(g, attr).get(kind, 0) for (gq, _), g in groups.items() if gq == q)

    attended_by_q = [total(q, "attended") for q in quarters]
    responses_by_q = [total(q, "responses") for q in quarters]
    attended_table = protect([attended_by_q], row_totals=True) if quarters else None
    responses_table = protect([responses_by_q], row_totals=True) if quarters else None
    rows = []
    for i, q in enumerate(quarters):
        assert attended_table is not None and responses_table is not None
        rows.append(
            QuarterRow(
                label=quarter_label(q),
                events=total(q, "events"),
                attended=attended_table.row()[i],
                responses=responses_table.row()[i],
                recommend=headline(
                    "Would recommend", total(q, "recommend_yes"), total(q, "recommend_base")
                ),
                more_positive=headline(
                    "More positive opinion",
                    total_kind(q, "improved", "opinion"),
                    total_kind(q, "pairs", "opinion"),
                ),
            )
        )
    all_groups = list(groups.values())
    headlines = [
        headline(
            "Would recommend attending this kind of event",
            sum(g.recommend_yes for g in all_groups),
            sum(g.recommend_base for g in all_groups),
            NATIONAL_RECOMMEND,
        ),
        headline(
            "More positive opinion of Prevent after the event than before",
            sum(g.improved.get("opinion", 0) for g in all_groups),
            sum(g.pairs.get("opinion", 0) for g in all_groups),
            NATIONAL_MORE_POSITIVE,
        ),
        headline(
            "Said the video increased their understanding of Prevent",
            sum(g.video_yes for g in all_groups),
            sum(g.video_base for g in all_groups),
        ),
    ]
    matrix = [
        [groups[(q, f)].responses if (q, f) in groups else 0 for f in FORMATS] for q in quarters
    ]
    by_format = protect(matrix or [[0, 0, 0]], row_totals=True, col_totals=True, grand_total=True)
    quarter_labels = [quarter_label(q) for q in quarters]
    charts = {
        "responses": bar_chart(
            "Feedback responses by quarter",
            [Bar(r.label, r.responses) for r in rows],
            chart_id="chart-quarter-responses",
        ),
        "recommend": share_chart(
            "Would recommend, by quarter (percentage of those who answered)",
            [
                share_bar(r.label, r.recommend.yes, r.recommend.base, r.recommend.percent)
                for r in rows
            ],
            chart_id="chart-quarter-recommend",
        ),
        "more_positive": share_chart(
            "More positive opinion after than before, by quarter "
            "(percentage of those who answered both)",
            [
                share_bar(
                    r.label, r.more_positive.yes, r.more_positive.base, r.more_positive.percent
                )
                for r in rows
            ],
            chart_id="chart-quarter-more-positive",
        ),
        "by_format": bar_chart(
            "Feedback responses by quarter: online against in person",
            [
                Bar(f"{label}: {FORMAT_CHART_LABELS[fmt]}", by_format.cells[r][c])
                for r, label in enumerate(quarter_labels)
                for c, fmt in enumerate(FORMATS)
            ],
            chart_id="chart-quarter-format",
        ),
    }
    responses_cell = responses_table.total() if responses_table else Cell(0)
    attended_cell = attended_table.total() if attended_table else Cell(0)
    assert responses_cell is not None and attended_cell is not None
    return Dashboard(
        filters=filters,
        events=sum(g.events for g in all_groups),
        attended=sum(g.attended for g in all_groups),
        attendance_known=sum(g.attendance_known for g in all_groups),
        responses=responses_cell,
        headlines=headlines,
        changes=[pooled_change(Measure(k), joint.get(k, {})) for k in ("knowledge", "opinion")],
        quarters=rows,
        quarter_totals=(attended_cell, responses_cell),
        by_format=by_format,
        format_labels=[FORMAT_LABELS[f] for f in FORMATS],
        quarter_labels=quarter_labels,
        charts=charts,
    )


def dashboard(council_id: int, filters: Filters, *, today: date | None = None) -> Dashboard:
    events = selected_events(council_id, filters)
    counts = event_counts(events)
    board = build(group_counts(counts), pooled_joint(counts), filters)
    verdicts = objective_verdicts(events, counts, today=today or uk_today())
    board.objectives.extend((VERDICT_LABELS[v], n) for v, n in verdicts.items())
    board.charts["objectives"] = objectives_chart(board.objectives)
    return board
