"""Feuille de route URLs for the cross-tenant walker (tests/test_tenancy_walker.py)."""

PUBLIC: set[str] = {"roadmap:home"}


def samples(world):
    return {"CANARIES": []}
