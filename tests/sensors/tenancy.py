"""Capteurs et pilotage URLs for the cross-tenant walker (tests/test_tenancy_walker.py)."""

PUBLIC: set[str] = {"sensors:home"}


def samples(world):
    return {"CANARIES": []}
