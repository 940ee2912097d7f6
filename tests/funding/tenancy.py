"""Funding URLs for the cross-tenant walker (tests/test_tenancy_walker.py)."""

PUBLIC: set[str] = {"funding:home"}


def samples(world):
    return {"CANARIES": []}
