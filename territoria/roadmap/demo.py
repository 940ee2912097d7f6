"""Demonstration content of the roadmap module."""


def load(collectivites) -> None:
    """Add this module's demo content; idempotent."""
