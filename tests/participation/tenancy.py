"""Participation citoyenne URLs for the cross-tenant walker (tests/test_tenancy_walker.py)."""

PUBLIC: set[str] = {"participation:home"}


def samples(world):
    return {"CANARIES": []}
