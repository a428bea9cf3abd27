"""Shared model machinery; eventapp.models.registry imports every table."""
