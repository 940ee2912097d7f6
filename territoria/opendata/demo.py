"""Demonstration content of the opendata module."""


def load(collectivites) -> None:
    """Add this module's demo content; idempotent."""
