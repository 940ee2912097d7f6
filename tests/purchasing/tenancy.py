"""Achats groupés URLs for the cross-tenant walker (tests/test_tenancy_walker.py)."""

PUBLIC: set[str] = {"purchasing:home"}


def samples(world):
    return {"CANARIES": []}
