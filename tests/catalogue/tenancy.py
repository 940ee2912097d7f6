"""Catalogue URLs for the cross-tenant walker (tests/test_tenancy_walker.py)."""

PUBLIC: set[str] = set()


def samples(world):
    return {}
