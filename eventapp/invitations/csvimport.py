"""Reading an invitee list from CSV: every row accepted, merged or rejected with its reason.

A pure function of the file's bytes. Columns are found by their heading (name, email,
organisation, sector, role, in any order; a few common spellings are understood). Line
numbers are the file's own, counting the heading as line 1, as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from eventapp.errors import DomainError
from eventapp.handbook import SECTOR_LABELS, Sector
from eventapp.mail.message import BadAddressError, clean_address

MAX_ROWS = 10_000
MAX_TEXT = 200
COLUMNS = ("name", "email", "organisation", "sector", "role")
_HEADINGS = {
    "name": "name", "full name": "name", "invitee": "name",
    "email": "email", "email address": "email", "e-mail": "email", "e-mail address": "email",
    "organisation": "organisation", "organization": "organisation", "organisation name": "organisation",
    "sector": "sector",
    "role": "role", "job title": "role", "position": "role",
}  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Row:
    line: int
    name: str
    email: str
    organisation: str = ""
    sector: str | None = None
    role: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Problem:
    line: int
    reason: str


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    rejected: list[Problem] = field(default_factory=list)
    merged: list[Problem] = field(default_factory=list)
    lines: int = 0


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise DomainError("Upload a CSV file: this file is not text", field="file")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError("Save the file as CSV (UTF-8) and upload it again", field="file")


def sector_of(text: str) -> Sector | None:
    """An Annex A sector from its label or value, ignoring case and spacing; None if none."""
    wanted = re.sub(r"\s+", "", text).lower()
    for sector, label in SECTOR_LABELS.items():
        if wanted in (re.sub(r"\s+", "", label).lower(), sector.value.replace("_", "")):
            return sector
    return None


def _columns(heading: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(heading):
        key = _HEADINGS.get(" ".join(cell.replace("_", " ").split()).lower())
        if key and key not in found:
            found[key] = index
    if "name" not in found or "email" not in found:
        raise DomainError(
            "The first row must name the columns: name, email, organisation, sector, role "
            "(name and email are needed)",
            field="file",
        )
    return found


def _check(line: int, values: dict[str, str]) -> Row | Problem:
    for key in COLUMNS:
        value = values.get(key, "")
        if _CONTROL.search(value):
            return Problem(line, f"The {key} runs over more than one line")
        if len(value) > MAX_TEXT:
            return Problem(line, f"The {key} is longer than {MAX_TEXT} characters")
    if not values.get("name"):
        return Problem(line, "There is no name")
    if not values.get("email"):
        return Problem(line, "There is no email address")
    try:
        email = clean_address(values["email"]).lower()
    except BadAddressError:
        return Problem(line, f"“{values['email'][:60]}” is not an email address")
    sector: Sector | None = None
    if values.get("sector"):
        sector = sector_of(values["sector"])
        if sector is None:
            return Problem(
                line,
                f"The sector “{values['sector'][:60]}” is not one of the feedback form's sectors: "
                "leave it blank or use one of them",
            )
    return Row(
        line=line,
        name=values["name"],
        email=email,
        organisation=values.get("organisation", ""),
        sector=sector.value if sector else None,
        role=values.get("role", ""),
    )


def parse(data: bytes) -> Parsed:
    """Every row of the file, checked; duplicates by email merged into the first."""
    reader = csv.reader(io.StringIO(_decode(data), newline=""))
    parsed = Parsed()
    try:
        heading = next(reader, None)
        if heading is None:
            raise DomainError(
                "The file is empty: add a heading row and one row per invitee", field="file"
            )
        columns = _columns(heading)
        first: dict[str, int] = {}
        start = reader.line_num + 1
        for record in reader:
            line, start = start, reader.line_num + 1
            parsed.lines = line
            if not any(cell.strip() for cell in record):
                continue
            if len(parsed.rows) + len(parsed.rejected) + len(parsed.merged) >= MAX_ROWS:
                raise DomainError(
                    f"Split the file: upload at most {MAX_ROWS:,} invitees at a time", field="file"
                )
            values = {
                key: record[index].strip() if index < len(record) else ""
                for key, index in columns.items()
            }
            result = _check(line, values)
            if isinstance(result, Problem):
                parsed.rejected.append(result)
                continue
            if result.email in first:
                position = first[result.email]
                kept = parsed.rows[position]
                parsed.rows[position] = Row(
                    line=kept.line,
                    name=kept.name,
                    email=kept.email,
                    organisation=kept.organisation or result.organisation,
                    sector=kept.sector or result.sector,
                    role=kept.role or result.role,
                )
                parsed.merged.append(
                    Problem(line, f"Same email address as line {kept.line}: merged into it")
                )
                continue
            first[result.email] = len(parsed.rows)
            parsed.rows.append(result)
    except csv.Error as error:
        raise DomainError(f"The file is not a valid CSV file ({error})", field="file") from None
    return parsed
