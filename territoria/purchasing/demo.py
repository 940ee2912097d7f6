"""Demonstration content of the purchasing module."""


def load(collectivites) -> None:
    """Add this module's demo content; idempotent."""
