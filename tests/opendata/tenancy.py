"""Données ouvertes URLs for the cross-tenant walker (tests/test_tenancy_walker.py)."""

PUBLIC: set[str] = {"opendata:home"}


def samples(world):
    return {"CANARIES": []}
