"""Reading invitee CSV files: every rejected row with its line and reason, duplicates merged."""

from __future__ import annotations

import pytest

from eventapp.errors import DomainError
from eventapp.invitations.csvimport import parse


def test_good_bad_and_duplicate_rows() -> None:
    data = (
        b"Name,Email Address,Organisation,Sector,Job title\n"
        b"Ann Lee,Ann@Example.org,School A,Education (Primary/ Secondary/ Further),Lead\n"
        b",nobody@example.org,,,\n"
        b"Bob,not-an-email,,,\n"
        b"Cat,cat@example.org,,Banking,\n"
        b"\n"
        b"Ann L,ann@example.org,,,Safeguarding lead\n"
        b'Dan,dan@example.org,"Line one\nline two",,\n'
        b"Eve,eve@example.org,Charity X,charity,\n"
    )
    parsed = parse(data)
    assert [(r.line, r.name, r.email) for r in parsed.rows] == [
        (2, "Ann Lee", "ann@example.org"),
        (10, "Eve", "eve@example.org"),
    ]
    assert parsed.rows[0].role == "Lead" and parsed.rows[0].sector == "education_schools"
    assert parsed.rows[1].sector == "charity"
    assert [(p.line, p.reason) for p in parsed.rejected] == [
        (3, "There is no name"),
        (4, "“not-an-email” is not an email address"),
        (5, "The sector “Banking” is not one of the feedback form's sectors: leave it blank or use one of them"),
        (8, "The organisation runs over more than one line"),
    ]
    assert [(p.line, p.reason) for p in parsed.merged] == [
        (7, "Same email address as line 2: merged into it")
    ]


def test_merging_fills_blanks_from_later_rows() -> None:
    parsed = parse(b"name,email,organisation,role\nAnn,a@example.org,,\nAnn,a@example.org,School,Head\n")
    (row,) = parsed.rows
    assert (row.organisation, row.role) == ("School", "Head")


def test_a_windows_spreadsheet_export_is_read() -> None:
    parsed = parse("name,email\r\nZoë Brontë,zoe@example.org\r\n".encode("cp1252"))
    assert parsed.rows[0].name == "Zoë Brontë"


def test_five_thousand_rows_are_read_in_one_go() -> None:
    lines = ["name,email,organisation,sector,role"] + [
        f"Person {n},person{n}@example.org,Org {n % 50},Health,Role" for n in range(5000)
    ]
    parsed = parse("\n".join(lines).encode())
    assert len(parsed.rows) == 5000 and not parsed.rejected


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"email,organisation\na@example.org,x\n", "The first row must name the columns"),
        (b"name,email\n\x00\x01", "this file is not text"),
    ],
)
def test_files_that_cannot_be_read_say_why(data: bytes, message: str) -> None:
    with pytest.raises(DomainError) as error:
        parse(data)
    assert message in error.value.message
