"""The week-by-week planning checklist, "My tasks" and calendar feeds."""
