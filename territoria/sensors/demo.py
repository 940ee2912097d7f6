"""Demonstration content of the sensors module."""


def load(collectivites) -> None:
    """Add this module's demo content; idempotent."""
