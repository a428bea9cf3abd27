"""Fixtures for event tests: a SQL statement counter (QUALITY.md line 22)."""

from __future__ import annotations





