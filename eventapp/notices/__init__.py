"""Notices for everyone who uses the service: the privacy notice and accessibility statement."""
