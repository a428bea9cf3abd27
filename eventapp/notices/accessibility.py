"""What the accessibility statement says about how the service was tested, and what it found.

The browser tests (tests/browser) read their axe-core rule tags and reflow width from here,
so the statement describes the checks that really run; a test checks the axe-core version
against package.json. Update the dates and the known issues whenever the service is tested
again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

WCAG_VERSION = "2.2"
WCAG_LEVEL = "AA"

AXE_CORE_VERSION = "4.14.1"
# The axe-core rules every page in the browser tests must pass (serious and critical ones).
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")
AXE_FAILS_ON = ("serious", "critical")
# WCAG 1.4.10 Reflow: no sideways scrolling at this width (data tables excepted).
REFLOW_WIDTH = 320
# Public pages are designed for this width first.
PUBLIC_DESIGN_WIDTH = 375

PREPARED_ON = date(2026, 11, 30)
LAST_REVIEWED_ON = date(2026, 11, 30)
LAST_TESTED_ON = date(2026, 11, 30)

# The pages the browser tests visit and check, as a person would describe them.
TESTED_PAGES = (
    "signing in",
    "the list of events",
    "creating an event, with and without errors",
    "an event's overview",
    "objectives: the list and the add form",
    "the audience page, with and without errors",
    "the virtual or in-person decision",
    "the agenda, its item form, and the printable agenda",
    "the planning checklist, a task, and adding a task",
    "my tasks",
    "the chair's briefing pack",
    "the calendar feed page",
    "this statement and the privacy notice",
    "the page-not-found and other error pages, for staff and for the public",
)


@dataclass(frozen=True)
class KnownIssue:
    """A way the service fails WCAG, found in testing, and what will be done about it.

    ``problem`` may name the configured idle time as ``{idle_minutes}``.
    """

    problem: str
    criterion: str
    plan: str

    def describe(self, *, idle_minutes: int) -> str:
        return self.problem.format(idle_minutes=idle_minutes)


KNOWN_ISSUES = (
    KnownIssue(
        problem="If a page is left open for more than {idle_minutes} minutes, you are signed "
        "out without a warning, and what you typed on that page is lost when you send it. "
        "You cannot ask for more time.",
        criterion="2.2.1 (Timing adjustable)",
        plan="Warn before signing out, offer more time, and keep what was typed.",
    ),
    KnownIssue(
        problem="On a narrow screen, the tables on the agenda, the printable agenda, the "
        "chair's briefing pack, the planning checklist and My tasks are wider than the "
        "screen, so those pages scroll sideways.",
        criterion="1.4.10 (Reflow): a table may need two dimensions, but the rest of the "
        "page should not scroll with it",
        plan="Let each table scroll on its own, and show rows as lists on narrow screens "
        "where a table does not need two dimensions.",
    ),
)
