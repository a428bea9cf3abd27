"""A pasted list of organisations, one per line, read as the person meant it (pure).

``parse(text)`` returns the organisations and, separately, every line it cannot read as
meant, with its line number and the reason: the caller saves nothing while there are any.

- Bullets ("-", "*", "•") and surrounding spaces are dropped; blank lines are skipped.
- "Hall School, 3" or "Hall School<tab>3" gives the expected attendees (0 to 10,000).
- A comma or tab followed by something that looks like an attempt at a number ("lots",
  "-3", "2.5", "3 or 4") is reported, not folded into the name; a comma followed by more
  name ("St Mary's, Grays") stays part of the name.
- A line with no letters or digits (" ,  ") and a name over 200 characters are reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_NAME = 200
MAX_EXPECTED = 10_000
_BULLETS = "-*•"
_SEPARATOR = re.compile(r"^(?P<name>.*)[,\t](?P<tail>[^,\t]*)$")
_COUNT = re.compile(r"\d{1,5}")
# A tail that is an attempt at a number: digits or a sign anywhere, or one lower-case word.
_COUNTLIKE = re.compile(r"[\d+-]|^[a-z]+$")


NO_NAME = "there is no organisation name"
COUNT = "put a whole number of expected attendees after the comma, like 3, or leave the comma out"


@dataclass(frozen=True)
class ParsedOrganisation:
    name: str
    expected: int | None


@dataclass(frozen=True)
class Problem:
    """A pasted line that was not imported, and why."""

    line: int
    text: str
    reason: str

    @property
    def message(self) -> str:
        shown = self.text if len(self.text) <= 40 else self.text[:39] + "…"
        return f"Line {self.line} (“{shown}”): {self.reason}"


def _read(line: str) -> ParsedOrganisation | str:
    """One non-blank line as an organisation, or the reason it cannot be one."""
    if not any(c.isalnum() for c in line):
        return NO_NAME
    name, expected = line, None
    split = _SEPARATOR.match(line)
    if split:
        tail = split.group("tail").strip()
        if _COUNT.fullmatch(tail):
            name, expected = split.group("name"), int(tail)
        elif not tail or _COUNTLIKE.search(tail):
            return COUNT
    name = " ".join(name.split())
    if not any(c.isalnum() for c in name):
        return NO_NAME
    if len(name) > MAX_NAME:
        return f"the name is longer than {MAX_NAME} characters"
    if expected is not None and expected > MAX_EXPECTED:
        return f"the expected attendees must be between 0 and {MAX_EXPECTED:,}"
    return ParsedOrganisation(name, expected)


def parse(text: str) -> tuple[list[ParsedOrganisation], list[Problem]]:
    """The organisations in a pasted list, and the lines that cannot be imported as meant."""
    found: list[ParsedOrganisation] = []
    problems: list[Problem] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().lstrip(_BULLETS).strip()
        if not line:
            continue
        result = _read(line)
        if isinstance(result, str):
            problems.append(Problem(number, raw.strip(), result))
        else:
            found.append(result)
    return found, problems
