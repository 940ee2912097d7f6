"""Territory and collectivité URLs for the cross-tenant walker."""

PUBLIC = {
    "territories:home",
    "territories:collectivite_list",
    "territories:collectivite",
    "legal",
    "accessibility",
    "privacy",
    "media",
    "api:territory_search",
    "api:territory_commune",
    "api:territory_epci",
}


def samples(world):
    return {
        "territories:collectivite": {"slug": world.saint_amand.slug},
        "territories:collectivite_edit": {"slug": world.saint_amand.slug},
        "media": {"path": "logos/absent.png"},
        "api:territory_commune": {"code": world.saint_amand.commune_id},
        "api:territory_epci": {"siren": world.cc.epci_id},
    }
