"""Evaluation: the event report, its statistics, small-number suppression and the dashboard."""
