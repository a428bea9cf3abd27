"""Strict readers for calendar files: the raw text against RFC 5545, and a second parser.

``content_lines`` checks what a lenient parser forgives (CRLF endings, folding at 75 octets
without splitting a character, no control characters, well-formed property lines, nested
BEGIN/END) and returns the unfolded lines. ``components`` groups those lines by component, so a
test can compare a whole file with the one it expects, property by property, whatever order
the library writes them in. ``conformant`` parses the file with vobject, which shares no code
with icalendar, and fails on anything it rejects or logs.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import vobject

MAX_OCTETS = 75
# name *(";" param) ":" value, where a parameter value is quoted or has no ";", ":" or ",".
_NAME = r"[A-Za-z0-9-]+"
_PARAM = rf'{_NAME}=(?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*'
CONTENT_LINE = re.compile(rf"^(?P<name>{_NAME})(?P<params>(?:;{_PARAM})*):(?P<value>.*)$")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def escape(text: str) -> str:
    """A TEXT value as RFC 5545 section 3.3.11 writes it."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def content_lines(body: bytes) -> list[str]:
    """The unfolded content lines of a calendar file, after checking its raw form."""
    assert body.endswith(b"\r\n"), "the file ends with CRLF"
    assert b"\n" not in body.replace(b"\r\n", b""), "no bare LF"
    assert b"\r" not in body.replace(b"\r\n", b""), "no bare CR"
    physical = body[:-2].split(b"\r\n")
    lines: list[str] = []
    for number, raw in enumerate(physical, 1):
        assert len(raw) <= MAX_OCTETS, f"line {number} has {len(raw)} octets: {raw!r}"
        text = raw.decode("utf-8")  # each folded piece is whole UTF-8 on its own
        if raw.startswith(b" "):
            assert lines, "the file does not start with a continuation"
            assert len(raw) > 1, f"line {number} is an empty continuation"
            lines[-1] += text[1:]
        else:
            assert raw, f"line {number} is empty"
            lines.append(text)
    depth: list[str] = []
    for line in lines:
        assert not _CONTROL.search(line), f"control character in {line!r}"
        assert CONTENT_LINE.match(line), f"not a content line: {line!r}"
        name, _, value = line.partition(":")
        if name == "BEGIN":
            depth.append(value)
        elif name == "END":
            assert depth and depth.pop() == value, f"END:{value} does not close its BEGIN"
    assert not depth, f"unclosed: {depth}"
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    return lines


def components(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Each component as (path such as ``VCALENDAR/VEVENT``, its property lines sorted)."""
    found: list[tuple[str, list[str]]] = []
    stack: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.startswith("BEGIN:"):
            name = line.removeprefix("BEGIN:")
            stack.append((f"{stack[-1][0]}/{name}" if stack else name, []))
        elif line.startswith("END:"):
            path, props = stack.pop()
            found.append((path, sorted(props)))
        else:
            stack[-1][1].append(line)
    return sorted(found)


@contextmanager
def _vobject_logs() -> Iterator[list[logging.LogRecord]]:
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(logging.INFO)
    loggers = [logging.getLogger(), logging.getLogger("vobject")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield records
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def conformant(body: bytes) -> Any:
    """The file as vobject reads it, validated; fails on anything vobject rejects or logs."""
    # vobject keeps the first VTIMEZONE it saw for a TZID for the rest of the process: forget
    # it, so this file's own definition is the one that converts its times.
    getattr(vobject.icalendar, "__tzidMap").clear()
    with _vobject_logs() as records:
        calendar = vobject.readOne(body.decode("utf-8"), validate=True)
        assert calendar.validate(raiseException=True, complainUnrecognized=True)
        calendar.serialize()  # vobject validates again as it writes
    assert not records, [r.getMessage() for r in records]
    return calendar
