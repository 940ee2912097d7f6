"""Demonstration content of the reports module."""


def load(collectivites) -> None:
    """Add this module's demo content; idempotent."""
