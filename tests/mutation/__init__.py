"""Mutation testing of the pure modules (`make mutate`): see runner.py and config.toml."""
