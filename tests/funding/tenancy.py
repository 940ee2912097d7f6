"""Funding URLs for the cross-tenant walker (tests/test_tenancy_walker.py)."""

from tests.funding.factories import make_programme

# Programmes, a territory's eligibility and the calendar use public data only.
PUBLIC: set[str] = {
    "funding:home",
    "funding:programme",
    "funding:territory",
    "funding:calendar",
    "api:funding_programmes",
    "api:funding_programme",
    "api:funding_eligibility",
}


def samples(world):
    programme = make_programme("programme-walker")
    return {
        "funding:programme": {"slug": programme.slug},
        "funding:territory": {"code": "18197"},
        "funding:collectivite": {"slug": world.saint_amand.slug},
        "funding:subscribe": {"slug": world.saint_amand.slug},
        "api:funding_programme": {"slug": programme.slug},
        "api:funding_eligibility": {"code": "18197"},
        "CANARIES": [],
    }
