"""The report's sections at their edges: wording, which tables appear, and attendance by sector."""

from __future__ import annotations

from eventapp.evaluation.report import (
    SECTOR_NOT_GIVEN,
    SECTOR_TABLE_TITLE,
    SECTOR_WITHHELD,
    WITHHELD_FEEDBACK,
    attendance_by_sector,
    build_sections,
    change,
    headline,
    proportion_of,
    question_tables,
)
from eventapp.evaluation.stats import Measure
from eventapp.evaluation.suppression import FEWER_THAN_TEXT, WITHHELD_TEXT, State
from eventapp.feedback.annex_a import Condition
from eventapp.handbook import SECTOR_LABELS, Sector

OPTIONS = {
    "recommend": {"no": 6, "dont_know": 4},  # nobody said yes
    "video": {"no": 20, "dont_know": 10},
    "gender": {"male": 40, "female": 57, "prefer_not": 8},  # nobody left it blank
}


def test_fixed_wording_of_the_report() -> None:
    assert WITHHELD_FEEDBACK == (
        "The feedback is withheld because fewer than 5 people responded: with so few, "
        "someone could work out who gave which answer."
    )
    assert SECTOR_NOT_GIVEN == "Sector not given"
    assert SECTOR_TABLE_TITLE == "Attendance by sector (from check-in)"
    assert SECTOR_WITHHELD == (
        "Attendance by sector is withheld: with so few people, or so few in each sector, the "
        "breakdown could show who attended."
    )


def test_a_table_with_nothing_hidden_says_so() -> None:
    tables = {t.key: t for t in question_tables(OPTIONS, {Condition.VIDEO})}
    gender = tables["gender"]
    assert [r.cell.text for r in gender.rows] == ["40", "57", "8"]
    assert not gender.any_hidden
    assert gender.not_answered == 0
    assert gender.number == 1
    assert 'id="chart-gender-title"' in gender.chart
    recommend = tables["recommend"]
    assert recommend.any_hidden  # 4 said Don't know
    assert [r.cell.text for r in recommend.rows] == ["0", WITHHELD_TEXT, FEWER_THAN_TEXT]


def test_a_question_asked_because_something_happened_has_its_table_when_it_did() -> None:
    with_video = [t.key for t in question_tables(OPTIONS, {Condition.VIDEO})]
    assert "video" in with_video
    assert "video" not in [t.key for t in question_tables(OPTIONS, set())]


def test_a_table_for_one_line_of_a_question_names_the_line() -> None:
    tables = {t.key: t for t in question_tables({}, set())}
    assert tables["knowledge_after"].title == (
        "8. How would you rate your knowledge and understanding of: "
        "b. The Prevent programme AFTER today's event?"
    )
    assert tables["knowledge_after"].number == 8


def test_headlines_are_labelled_and_count_nobody_saying_yes_as_0() -> None:
    built = build_sections(responses=30, options=OPTIONS, joint={}, applies={Condition.VIDEO})
    assert [(h.label, h.count_text) for h in built.headlines] == [
        ("Would recommend attending this kind of event", "0 of 10"),
        ("More positive opinion of Prevent after the event than before", "0 of 0"),
        ("Said the video increased their understanding of Prevent", "0 of 30"),
    ]
    assert headline("x", 3, 20).national == ""


def test_the_before_after_questions_are_left_out_of_the_question_tables() -> None:
    built = build_sections(responses=30, options=OPTIONS, joint={}, applies=set())
    keys = [t.key for t in built.tables]
    assert keys == ["gender", "age", "sector", "heard", "interest", "recommend", "element"]


def test_a_change_with_nobody_paired_prints_dashes() -> None:
    knowledge = change(Measure.KNOWLEDGE, {}, {})
    assert knowledge.mean_change_text == "–" and knowledge.effect_text == "–"
    assert knowledge.title == "Knowledge and understanding of the Prevent programme (question 8)"
    assert knowledge.before.key == "knowledge_before" and knowledge.after.key == "knowledge_after"
    assert knowledge.before.title == "8a. The Prevent programme BEFORE today's event?"
    assert knowledge.after.title == "8b. The Prevent programme AFTER today's event?"
    opinion = change(Measure.OPINION, {(1, 2): 6}, {})
    assert opinion.title == "Opinion of the Prevent programme (question 9)"
    assert opinion.before.title.startswith("9a. ") and opinion.after.title.startswith("9b. ")
    assert opinion.mean_change_text == "+1.00" and opinion.effect_text == "1.00 (large)"


def test_a_headline_with_a_hidden_base_gives_no_proportion() -> None:
    # 0 of 3: the 0 is shown, but the base of 3 is "fewer than 5".
    small_base = headline("x", 0, 3)
    assert small_base.yes.shown and not small_base.base.shown
    assert proportion_of(small_base) is None


# --- attendance by sector ---------------------------------------------------------------------


def test_attendance_by_sector_lists_every_sector_then_those_who_gave_none() -> None:
    table = attendance_by_sector({"charity": 6, "health": 5, "martian": 2, None: 3})
    assert not table.withheld
    assert [r.label for r in table.rows] == [
        *(SECTOR_LABELS[s] for s in Sector),
        SECTOR_NOT_GIVEN,
    ]
    by_label = {r.label: (r.cell.text, r.percent) for r in table.rows}
    assert by_label["Charity"] == ("6", "38%")  # 6 of 16
    assert by_label["Health"] == ("5", "31%")
    # An unknown sector value counts as not given: 3 + 2.
    assert by_label[SECTOR_NOT_GIVEN] == ("5", "31%")
    assert by_label["Faith"] == ("0", "0%")
    assert table.total.shown and table.total.value == 16
    assert 'id="chart-attendance-sector-title"' in table.chart


def test_attendance_by_sector_withheld_whole_says_nothing_but_the_total() -> None:
    table = attendance_by_sector({"charity": 4, "health": 4})
    assert table.withheld and table.rows == () and str(table.chart) == ""
    assert table.total.state is State.WITHHELD and table.total.value == 8
    few = attendance_by_sector({"charity": 2, None: 1})
    assert few.withheld and few.total.value == 3
