"""Territories as the eligibility engine sees them: groups of communes with their codes,
built from the geographic code (COG) tables in a few queries."""

import numpy as np

from territoria.funding.eligibility import Territories
from territoria.territories.enums import CollectiviteKind, Zone
from territoria.territories.models import Commune

COMMUNE_COLUMNS = ("code", "epci_id", "departement_id", "region_id", "departement__zone")


def named_lists() -> dict[str, frozenset[str]]:
    from territoria.funding.models import NamedList

    return {
        slug: frozenset(codes) for slug, codes in NamedList.objects.values_list("slug", "codes")
    }


def _build(rows, owner, kinds, populations, lists) -> Territories:
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(COMMUNE_COLUMNS)
    code, epci, departement, region, zone = (np.array(c, dtype=object) for c in columns)
    codes = code.astype(str) if len(code) else np.array([], dtype=str)
    return Territories(
        kinds=np.array(kinds),
        populations=np.array(populations, dtype=np.int64),
        owner=np.asarray(owner, dtype=np.int64),
        commune=codes,
        epci=np.array([e or "" for e in epci], dtype=str),
        departement=departement.astype(str),
        region=region.astype(str),
        metropole=np.array([z == Zone.METRO for z in zone], dtype=bool),
        lists={slug: np.isin(codes, list(members)) for slug, members in lists.items()},
    )


def for_collectivite(collectivite, population: int | None = None, lists=None) -> Territories:
    """One territory: the commune, or the member communes of the EPCI."""
    lists = named_lists() if lists is None else lists
    if collectivite.kind == CollectiviteKind.COMMUNE:
        communes = Commune.objects.filter(code=collectivite.commune_id)
        kind = "commune"
    else:
        communes = Commune.objects.filter(epci_id=collectivite.epci_id)
        kind = "epci"
    rows = list(communes.values_list(*COMMUNE_COLUMNS))
    population = collectivite.population if population is None else population
    return _build(rows, [0] * len(rows), [kind], [population], lists)


def for_code(code: str, lists=None):
    """The territory of an INSEE commune code or an EPCI SIREN, with its name; None if
    the code is unknown."""
    from territoria.territories.models import Epci

    lists = named_lists() if lists is None else lists
    commune = Commune.objects.filter(code=code).first()
    if commune is not None:
        rows = list(Commune.objects.filter(code=code).values_list(*COMMUNE_COLUMNS))
        return commune, _build(rows, [0], ["commune"], [commune.population], lists)
    epci = Epci.objects.filter(siren=code).first()
    if epci is not None:
        rows = list(Commune.objects.filter(epci=epci).values_list(*COMMUNE_COLUMNS))
        return epci, _build(rows, [0] * len(rows), ["epci"], [epci.population], lists)
    return None


def all_communes(lists=None) -> tuple[list[str], Territories]:
    """Every commune of the geographic code as its own territory, in code order."""
    lists = named_lists() if lists is None else lists
    rows = list(Commune.objects.order_by("code").values_list(*COMMUNE_COLUMNS, "population"))
    populations = [row[-1] for row in rows]
    rows = [row[:-1] for row in rows]
    territories = _build(rows, range(len(rows)), ["commune"] * len(rows), populations, lists)
    return [row[0] for row in rows], territories
