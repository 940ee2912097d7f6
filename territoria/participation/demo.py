"""Demonstration content of the participation module."""


def load(collectivites) -> None:
    """Add this module's demo content; idempotent."""
