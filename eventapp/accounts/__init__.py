"""Councils, accounts, roles and signing in."""
