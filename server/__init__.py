"""Snug: the unconference organiser."""
