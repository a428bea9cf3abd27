"""The event's evaluation report, built from counts (pure: no database in here).

`build_sections` turns the SQL aggregates of `queries` into what the page, the PDF and the CSV
all print, with the small-number rule already applied: no output builds its own numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from markupsafe import Markup

from eventapp.evaluation.charts import Bar, bar_chart
from eventapp.evaluation.stats import (
    DONT_KNOW,
    UNANSWERED,
    Answer,
    Measure,
    PairedChange,
    Proportion,
    effect_size_words,
    improved_words,
    p_value_text,
    paired_change,
    worse_words,
)
from eventapp.evaluation.suppression import (
    THRESHOLD,
    Cell,
    Protected,
    State,
    percent_of,
    protect_counts,
)
from eventapp.feedback.annex_a import ITEM_BY_KEY, QUESTION_OF_ITEM, QUESTIONS, Condition
from eventapp.handbook import SECTOR_LABELS, Sector

# "Why hold Prevent community engagement events?": the handbook's national figures.
NATIONAL_RECOMMEND = "90%"
NATIONAL_MORE_POSITIVE = "84%"
WITHHELD_FEEDBACK = (
    "The feedback is withheld because fewer than 5 people responded: with so few, "
    "someone could work out who gave which answer."
)


@dataclass(frozen=True)
class Row:
    label: str
    cell: Cell
    percent: str


@dataclass(frozen=True)
class Table:
    """One question (or one line of Q8/Q9): its options' counts, protected, with a chart."""

    key: str
    number: int
    title: str
    rows: tuple[Row, ...]
    total: Cell
    not_answered: int
    chart: Markup

    @property
    def any_hidden(self) -> bool:
        return any(not r.cell.shown for r in self.rows) or not self.total.shown


def _table(
    key: str, title: str, labels: list[tuple[str, str]], counts: Mapping[str | None, int]
) -> Table:
    protected: Protected = protect_counts([counts.get(option, 0) for option, _ in labels])
    total = protected.total()
    assert total is not None
    rows = tuple(
        Row(label, cell, percent_of(cell, total))
        for (_, label), cell in zip(labels, protected.row(), strict=True)
    )
    chart = bar_chart(
        title, [Bar(r.label, r.cell, r.percent) for r in rows], chart_id=f"chart-{key}"
    )
    return Table(
        key=key,
        number=QUESTION_OF_ITEM[key].number,
        title=title,
        rows=rows,
        total=total,
        not_answered=counts.get(None, 0),
        chart=chart,
    )


def question_tables(
    options: Mapping[str, Mapping[str | None, int]], applies: Iterable[Condition]
) -> list[Table]:
    """A table for each Annex A item asked at the event, in the form's order."""
    happened = set(applies)
    tables = []
    for question in QUESTIONS:
        if question.condition is not None and question.condition not in happened:
            continue
        for item in question.items:
            title = f"{question.number}. {question.stem}"
            if item.text:
                title += f" {item.letter}. {item.text}"
            labels = [(o.key, o.label) for o in question.options_for(item, happened)]
            tables.append(_table(item.key, title, labels, options.get(item.key, {})))
    return tables


@dataclass(frozen=True)
class Headline:
    label: str
    yes: Cell
    base: Cell
    national: str  # the handbook's national figure, or ""

    @property
    def percent(self) -> str:
        return percent_of(self.yes, self.base)

    @property
    def count_text(self) -> str:
        return f"{self.yes.text} of {self.base.text}"


def headline(label: str, yes: int, base: int, national: str = "") -> Headline:
    """A share with its count and base, protected like a two-cell table (yes, not yes)."""
    protected = protect_counts([yes, base - yes])
    total = protected.total()
    assert total is not None
    return Headline(label, protected.row()[0], total, national)


@dataclass(frozen=True)
class Change:
    """Before/after for one measure, ready to print."""

    measure: Measure
    title: str
    result: PairedChange
    before: Table
    after: Table
    shifts: tuple[Row, ...]  # improved, stayed the same, got worse: protected
    pairs: Cell

    @property
    def numbers_shown(self) -> bool:
        """Mean change, W and effect size are printed only when no shift count is hidden."""
        return all(r.cell.shown for r in self.shifts) and self.pairs.shown

    @property
    def sentence(self) -> str:
        """The plain-words summary, unless it would tell hidden counts apart."""
        improved, same, worse = (row.cell for row in self.shifts)
        return guarded_sentence(
            self.result, improved=improved, same=same, worse=worse, pairs=self.pairs
        )

    @property
    def mean_change_text(self) -> str:
        mean = self.result.mean_change
        return "–" if mean is None else f"{mean:+.2f}"

    @property
    def p_text(self) -> str:
        if not self.numbers_shown:
            return HIDDEN_TEST
        return p_value_text(self.result.p_value)

    @property
    def effect_text(self) -> str:
        r = self.result.effect_size
        return "–" if r is None else f"{r:.2f} ({effect_size_words(r)})"


# When a count behind the comparison shows as "fewer than 5", the test's p-value (and an
# unguarded sentence) could tell the hidden counts apart: with 6 the same of 10, "as many better
# as worse" means 2 and 2, and p is 1.000 for 2 and 2 but 0.625 for 3 and 1. Then the sentence
# says only what the published counts prove, and the test is not printed.
HIDDEN_DIRECTION = (
    "Some of the counts below are fewer than 5, so which way answers moved is not described: "
    "it could reveal them."
)
HIDDEN_TEST = "Not shown: it could reveal counts of fewer than 5"
HIDDEN_TEST_TAIL = "the test is not shown, as it could reveal counts of fewer than 5."


def _surely_less(small: Cell, big: Cell) -> bool:
    """Whether the published cells prove small < big: big shown and at least 5, and small
    shown and lower, or shown as "fewer than 5"."""
    if not big.shown or big.value < THRESHOLD:
        return False
    return small.state is State.FEWER_THAN_5 or (small.shown and small.value < big.value)


def published_lead(measure: Measure, improved: Cell, worse: Cell, pairs: Cell) -> str | None:
    """The sentence's lead as ``stats`` words it, when the published cells alone decide it."""
    if not pairs.shown:
        return None
    up, down = improved_words(measure), worse_words(measure)
    if improved.shown and improved.value * 2 > pairs.value:
        return f"Most respondents said {up}"
    if worse.shown and worse.value * 2 > pairs.value:
        return f"Most respondents said {down}"
    # Neither is a majority, proven: a shown count at most half, a hidden one under 5 of 10+.
    not_most = all(
        (c.shown and c.value * 2 <= pairs.value)
        or (c.state is State.FEWER_THAN_5 and pairs.value >= 2 * THRESHOLD)
        for c in (improved, worse)
    )
    if not_most and _surely_less(worse, improved):
        return f"More respondents said {up} than said {down}"
    if not_most and _surely_less(improved, worse):
        return f"More respondents said {down} than said {up}"
    return None


def guarded_sentence(
    result: PairedChange, *, improved: Cell, same: Cell, worse: Cell, pairs: Cell
) -> str:
    """``result.sentence`` when every count behind it is published; otherwise the direction
    the published counts prove, without the test, or HIDDEN_DIRECTION."""
    if result.pairs == 0 or all(c.shown for c in (improved, same, worse, pairs)):
        return result.sentence
    lead = published_lead(result.measure, improved, worse, pairs)
    return HIDDEN_DIRECTION if lead is None else f"{lead}; {HIDDEN_TEST_TAIL}"


_CHANGE_TITLES = {
    Measure.KNOWLEDGE: "Knowledge and understanding of the Prevent programme (question 8)",
    Measure.OPINION: "Opinion of the Prevent programme (question 9)",
}


def change(
    measure: Measure,
    joint: Mapping[tuple[Answer, Answer], int],
    options: Mapping[str, Mapping[str | None, int]],
) -> Change:
    result = paired_change(measure, joint)
    key = measure.value
    tables = []
    for side in ("before", "after"):
        item = ITEM_BY_KEY[f"{key}_{side}"]
        question = QUESTION_OF_ITEM[item.key]
        labels = [(o.key, o.label) for o in item.options]
        tables.append(
            _table(
                item.key,
                f"{question.number}{item.letter}. {item.text}",
                labels,
                options.get(item.key, {}),
            )
        )
    protected = protect_counts([result.improved, result.same, result.worse])
    pairs = protected.total()
    assert pairs is not None
    words = ("Improved", "Stayed the same", "Got worse")
    shifts = tuple(
        Row(label, cell, percent_of(cell, pairs))
        for label, cell in zip(words, protected.row(), strict=True)
    )
    return Change(measure, _CHANGE_TITLES[measure], result, tables[0], tables[1], shifts, pairs)


@dataclass(frozen=True)
class FeedbackSections:
    responses: int
    withheld: bool
    tables: list[Table] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    headlines: list[Headline] = field(default_factory=list)


def build_sections(
    *,
    responses: int,
    options: Mapping[str, Mapping[str | None, int]],
    joint: Mapping[str, Mapping[tuple[Answer, Answer], int]],
    applies: Iterable[Condition],
) -> FeedbackSections:
    """The feedback part of the report, or a withheld notice below 5 responses."""
    if responses < THRESHOLD:
        return FeedbackSections(responses=responses, withheld=True)
    happened = set(applies)
    changes = [
        change(m, joint.get(m.value, {}), options) for m in (Measure.KNOWLEDGE, Measure.OPINION)
    ]
    recommend = options.get("recommend", {})
    headlines = [
        headline(
            "Would recommend attending this kind of event",
            recommend.get("yes", 0),
            sum(n for k, n in recommend.items() if k is not None),
            NATIONAL_RECOMMEND,
        ),
        headline(
            "More positive opinion of Prevent after the event than before",
            changes[1].result.improved,
            changes[1].result.pairs,
            NATIONAL_MORE_POSITIVE,
        ),
    ]
    if Condition.VIDEO in happened:
        video = options.get("video", {})
        headlines.append(
            headline(
                "Said the video increased their understanding of Prevent",
                video.get("yes", 0),
                sum(n for k, n in video.items() if k is not None),
            )
        )
    return FeedbackSections(
        responses=responses,
        withheld=False,
        tables=[
            t
            for t in question_tables(options, happened)
            if not t.key.endswith(("_before", "_after"))
        ],
        changes=changes,
        headlines=headlines,
    )


SECTOR_NOT_GIVEN = "Sector not given"
SECTOR_TABLE_TITLE = "Attendance by sector (from check-in)"
SECTOR_WITHHELD = (
    "Attendance by sector is withheld: with so few people, or so few in each sector, the "
    "breakdown could show who attended."
)


@dataclass(frozen=True)
class SectorAttendance:
    """Who was checked in, by Annex A sector, protected like every other table.

    The table's total is the attended figure the Reach section publishes, so the table is
    withheld whole unless its total can be shown: a table with a hidden total beside a
    published attended figure would let a reader work the hidden counts out.
    """

    rows: tuple[Row, ...]
    total: Cell
    withheld: bool
    chart: Markup


def attendance_by_sector(counts: Mapping[str | None, int]) -> SectorAttendance:
    """Counts per sector value (None: not given) to the published table, every Annex A
    sector in the form's order, then those who gave none."""
    labels: list[tuple[str | None, str]] = [(s.value, SECTOR_LABELS[s]) for s in Sector]
    labels.append((None, SECTOR_NOT_GIVEN))
    known = {key for key, _ in labels}
    unknown = sum(n for key, n in counts.items() if key not in known)
    values = [counts.get(key, 0) + (unknown if key is None else 0) for key, _ in labels]
    protected = protect_counts(values)
    total = protected.total()
    assert total is not None
    if protected.withheld or not total.shown:
        return SectorAttendance((), Cell(sum(values), State.WITHHELD), True, Markup(""))
    rows = tuple(
        Row(label, cell, percent_of(cell, total))
        for (_, label), cell in zip(labels, protected.row(), strict=True)
    )
    chart = bar_chart(
        SECTOR_TABLE_TITLE,
        [Bar(r.label, r.cell, r.percent) for r in rows],
        chart_id="chart-attendance-sector",
    )
    return SectorAttendance(rows, total, False, chart)


def proportion_of(headline: Headline) -> Proportion | None:
    """The exact proportion behind a headline, for judging an objective (None if hidden)."""
    if not headline.yes.shown or not headline.base.shown:
        return None
    return Proportion(headline.yes.value, headline.base.value)


# --- follow-up actions from questions (issue 11: "in the evaluation later") -----------------

QUESTION_NOT_PUBLISHED = "A question that was not published to attendees"


class ActionSource(Protocol):
    """What the report needs of a follow-up action (``eventapp.questions.services.FollowUp``)."""

    @property
    def what(self) -> str: ...
    @property
    def who(self) -> str: ...
    @property
    def due_on(self) -> date | None: ...
    @property
    def done(self) -> bool: ...
    @property
    def question(self) -> str: ...
    @property
    def question_published(self) -> bool: ...


@dataclass(frozen=True)
class ActionLine:
    """One follow-up action as the report prints it; ``overdue`` only while it is open."""

    what: str
    who: str
    due_on: date | None
    overdue: bool
    question: str
    question_published: bool

    @property
    def shared_question(self) -> str:
        """The question as the PDF (sent outside the council) gives it."""
        return self.question if self.question_published else QUESTION_NOT_PUBLISHED


@dataclass(frozen=True)
class FollowUpActions:
    """The event's follow-up actions: open ones (as given: soonest due first), then done."""

    open: tuple[ActionLine, ...] = ()
    done: tuple[ActionLine, ...] = ()

    @property
    def overdue(self) -> int:
        return sum(1 for a in self.open if a.overdue)

    def __bool__(self) -> bool:
        return bool(self.open or self.done)


def follow_up_actions(actions: Iterable[ActionSource], *, today: date) -> FollowUpActions:
    """Split the actions into open and done, flagging open ones due before today."""
    open_lines: list[ActionLine] = []
    done_lines: list[ActionLine] = []
    for a in actions:
        line = ActionLine(
            what=a.what,
            who=a.who,
            due_on=a.due_on,
            overdue=not a.done and a.due_on is not None and a.due_on < today,
            question=a.question,
            question_published=a.question_published,
        )
        (done_lines if a.done else open_lines).append(line)
    return FollowUpActions(tuple(open_lines), tuple(done_lines))


__all__ = ["DONT_KNOW", "UNANSWERED", "build_sections"]
