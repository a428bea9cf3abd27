"""iCalendar files: an event for staff diaries, and each user's private task feed."""
