"""Reading a pasted list of organisations (eventapp.audience.paste), as a table of cases."""

from __future__ import annotations

import pytest

from eventapp.audience.paste import ParsedOrganisation, Problem, parse

P = ParsedOrganisation
COUNT = "put a whole number of expected attendees after the comma, like 3, or leave the comma out"


@pytest.mark.parametrize(
    ("pasted", "parsed"),
    [
        ("Hall School, 3", [P("Hall School", 3)]),
        ("Hall School\t3", [P("Hall School", 3)]),
        ("Hall School,3", [P("Hall School", 3)]),
        # A number after a plain space is part of the name: only a comma or tab gives a count.
        ("Hall School 3", [P("Hall School 3", None)]),
        ("Ark Academy 21, 2", [P("Ark Academy 21", 2)]),
        ("  Hall School ,  4  ", [P("Hall School", 4)]),
        ("Hall School, 0", [P("Hall School", 0)]),
        ("Hall School, 10000", [P("Hall School", 10000)]),
        ("Hall School", [P("Hall School", None)]),
        ("- Bullet School", [P("Bullet School", None)]),
        ("* Star School, 2", [P("Star School", 2)]),
        ("• Dot School", [P("Dot School", None)]),
        ("School 21 Academy", [P("School 21 Academy", None)]),
        ("Year 7 Parents Forum", [P("Year 7 Parents Forum", None)]),
        ("1st Scout Group", [P("1st Scout Group", None)]),
        ("123", [P("123", None)]),
        # More name after a comma stays part of the name.
        ("St Mary's, Grays", [P("St Mary's, Grays", None)]),
        ("St Mary's, Grays, 4", [P("St Mary's, Grays", 4)]),
        ("Oak\tAcademy Trust", [P("Oak Academy Trust", None)]),
        ("x" * 200, [P("x" * 200, None)]),
        ("", []),
        ("\n\n  \n\t\n", []),
        ("-", []),
        (
            "Hall Lane Primary School, 2\n\n- Oak Academy\r\nSchool 21 Academy\t5\n   \n",
            [P("Hall Lane Primary School", 2), P("Oak Academy", None), P("School 21 Academy", 5)],
        ),
    ],
)
def test_lines_read_as_meant(pasted: str, parsed: list[ParsedOrganisation]) -> None:
    assert parse(pasted) == (parsed, [])


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("   ,  ", "there is no organisation name"),
        (", 3", "there is no organisation name"),
        ("...", "there is no organisation name"),
        ("Oak Academy, lots", COUNT),
        ("Oak Academy, -3", COUNT),
        ("Oak Academy, 2.5", COUNT),
        ("Oak Academy, 3 or 4", COUNT),
        ("Oak Academy, +3", COUNT),
        ("Oak Academy,", COUNT),
        ("Oak Academy\tlots", COUNT),
        ("Oak Academy, 123456", COUNT),
        ("Oak Academy, 10001", "the expected attendees must be between 0 and 10,000"),
        ("x" * 201, "the name is longer than 200 characters"),
        ("x" * 201 + ", 3", "the name is longer than 200 characters"),
    ],
)
def test_lines_reported_with_their_reason(line: str, reason: str) -> None:
    found, problems = parse(f"Hall School\n\n{line}\nOak Tree Club")
    assert found == [P("Hall School", None), P("Oak Tree Club", None)]
    assert problems == [Problem(3, line.strip(), reason)]


def test_a_problem_names_its_line_and_shortens_long_text() -> None:
    assert Problem(4, "Oak, lots", "why").message == "Line 4 (“Oak, lots”): why"
    long = "y" * 41
    assert Problem(1, long, "why").message == f"Line 1 (“{'y' * 39}…”): why"
    assert Problem(1, "y" * 40, "why").message == f"Line 1 (“{'y' * 40}”): why"
