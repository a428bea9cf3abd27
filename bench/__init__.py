"""Benchmarks: each compares the app with a baseline in the same run (QUALITY 21, 29)."""
