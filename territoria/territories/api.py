"""Territory search and reference data, under /api/territoires (public, read-only)."""

from django.utils.translation import gettext as _

from ninja import Router, Schema

from territoria.api_errors import ErrorOut, error
from territoria.territories import search as territory_search
from territoria.territories.models import Epci

router = Router(tags=["Territoires"])


class TerritoryOut(Schema):
    kind: str
    code: str
    name: str
    label: str
    departement_code: str | None
    departement_name: str | None
    postal_codes: list[str]
    population: int
    siren: str
    epci_siren: str | None
    epci_name: str | None
    collectivite_slug: str | None
    match: str
    former_code: str | None


class SearchOut(Schema):
    query: str
    count: int
    results: list[TerritoryOut]


class PlaceOut(Schema):
    code: str
    name: str


class EpciRefOut(Schema):
    siren: str
    name: str
    kind: str


class CommuneOut(Schema):
    code: str
    name: str
    population: int
    postal_codes: list[str]
    siren: str
    departement: PlaceOut
    region: PlaceOut
    epci: EpciRefOut | None
    former_codes: list[str]
    collectivite_slug: str | None
    requested_code: str
    former_code: str | None


class MemberOut(Schema):
    code: str
    name: str
    population: int
    postal_codes: list[str]
    departement_code: str


class EpciOut(Schema):
    siren: str
    name: str
    kind: str
    kind_label: str
    population: int
    collectivite_slug: str | None
    member_count: int
    members: list[MemberOut]


@router.get(
    "/recherche",
    response={200: SearchOut, 422: ErrorOut},
    url_name="territory_search",
    summary="Rechercher une commune ou une intercommunalité",
    description="Par nom (sans tenir compte des accents, tirets, apostrophes ; « St » = "
    "« Saint »), code postal ou début de code postal, code INSEE, ancien code INSEE ou SIREN. "
    "Paramètres : q (au moins 2 caractères), kind (commune ou epci, facultatif), "
    "limit (1 à 50, 10 par défaut).",
)
def search_territories(request, q: str = "", kind: str = "", limit: str = "10"):
    query = q.strip()
    if len(query) < territory_search.MIN_QUERY_LENGTH:
        return error(
            422,
            "query_too_short",
            _("Saisissez au moins %(count)d caractères.")
            % {"count": territory_search.MIN_QUERY_LENGTH},
        )
    if len(query) > 100:
        return error(422, "query_too_long", _("La recherche est limitée à 100 caractères."))
    if kind and kind not in territory_search.KINDS:
        return error(
            422, "invalid_kind", _("Le type doit valoir « commune » ou « epci » (ou être omis).")
        )
    if not limit.isdigit() or not 1 <= int(limit) <= territory_search.MAX_LIMIT:
        return error(
            422,
            "invalid_limit",
            _("Le nombre de résultats doit être un entier entre 1 et %(max)d.")
            % {"max": territory_search.MAX_LIMIT},
        )
    results = territory_search.search(query, kind=kind or None, limit=int(limit))
    return {"query": query, "count": len(results), "results": results}


@router.get(
    "/communes/{code}",
    response={200: CommuneOut, 404: ErrorOut},
    url_name="territory_commune",
    summary="Une commune par son code INSEE (ou un ancien code)",
)
def get_commune(request, code: str):
    if not territory_search.is_insee_code(code):
        return error(
            404,
            "invalid_code",
            _(
                "« %(code)s » n'est pas un code INSEE de commune "
                "(5 caractères, par exemple 18197 ou 2A004)."
            )
            % {"code": code[:20]},
        )
    commune, former_code = territory_search.find_commune(code)
    if commune is None:
        return error(
            404,
            "commune_not_found",
            _("Aucune commune, actuelle ou ancienne, n'a le code INSEE %(code)s.") % {"code": code},
        )
    epci = commune.epci
    return {
        "code": commune.code,
        "name": commune.name,
        "population": commune.population,
        "postal_codes": commune.postal_codes,
        "siren": commune.siren,
        "departement": commune.departement,
        "region": commune.departement.region,
        "epci": {"siren": epci.siren, "name": epci.name, "kind": epci.kind} if epci else None,
        "former_codes": sorted(commune.former_codes.values_list("code", flat=True)),
        "collectivite_slug": territory_search.commune_dict(commune)["collectivite_slug"],
        "requested_code": code.upper(),
        "former_code": former_code,
    }


@router.get(
    "/epci/{siren}",
    response={200: EpciOut, 404: ErrorOut},
    url_name="territory_epci",
    summary="Une intercommunalité (EPCI) par son SIREN, avec ses communes membres",
)
def get_epci(request, siren: str):
    if not territory_search.is_siren(siren):
        return error(
            404,
            "invalid_siren",
            _("« %(siren)s » n'est pas un numéro SIREN (9 chiffres).") % {"siren": siren[:20]},
        )
    epci = Epci.objects.select_related("collectivite").filter(siren=siren).first()
    if epci is None:
        return error(
            404,
            "epci_not_found",
            _("Aucune intercommunalité n'a le SIREN %(siren)s.") % {"siren": siren},
        )
    members = [
        {
            "code": commune.code,
            "name": commune.name,
            "population": commune.population,
            "postal_codes": commune.postal_codes,
            "departement_code": commune.departement_id,
        }
        for commune in epci.communes.order_by("name", "code")
    ]
    return {
        "siren": epci.siren,
        "name": epci.name,
        "kind": epci.kind,
        "kind_label": str(epci.get_kind_display()),
        "population": epci.population,
        "collectivite_slug": territory_search.epci_dict(epci)["collectivite_slug"],
        "member_count": len(members),
        "members": members,
    }
