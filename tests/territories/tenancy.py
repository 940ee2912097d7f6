"""Territory and collectivité URLs for the cross-tenant walker."""

PUBLIC = {
    "territories:home",
    "territories:collectivite_list",
    "territories:collectivite",
    "legal",
    "accessibility",
    "privacy",
}


def samples(world):
    return {"territories:collectivite": {"slug": world.saint_amand.slug}}
