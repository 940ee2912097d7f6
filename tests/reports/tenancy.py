"""Signalements URLs for the cross-tenant walker (tests/test_tenancy_walker.py)."""

PUBLIC: set[str] = {"reports:home"}


def samples(world):
    return {"CANARIES": []}
