"""The chair's briefing pack (the handbook's week-3 task)."""
