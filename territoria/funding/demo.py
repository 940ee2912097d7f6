"""Demonstration content of the funding module."""


def load(collectivites) -> None:
    """Load the shipped programmes; idempotent."""
