"""CSV for spreadsheets: cells that cannot run as formulas, written a line at a time.

Every CSV the service offers (invitees, registrations, questions, evaluation) goes through
``safe_cell`` (QUALITY.md property 16) and, when streamed, through ``Lines``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

# What a spreadsheet may take as the start of a formula (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A cell a spreadsheet will not run: text starting like a formula gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class Lines:
    """A csv.writer whose output is handed back a row at a time, every cell made safe."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer)

    def row(self, values: Iterable[object]) -> str:
        """One row as CSV text."""
        return self.rows((values,))

    def rows(self, rows: Iterable[Iterable[object]]) -> str:
        """Several rows as CSV text (one chunk for a streamed response)."""
        for values in rows:
            self.writer.writerow(safe_cell(v) for v in values)
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text
