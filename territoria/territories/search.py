"""Find a commune or an EPCI by name, postal code, INSEE code, SIREN or former code.

Names are searched through SearchToken, a table of one row per word of each name
(and per postal code), indexed on the word: each word of the query must be the start
of a word of the name, in any order. The rarest-looking word (the longest) is looked up
as an index range, the others are checked on those rows only. Results are ranked exact
name, then name starting with the query, then all words matching, then by population.
The same SQL runs on SQLite and PostgreSQL; docs/territories.md explains the choices.
"""

import re

from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext as _

from territoria.territories.models import Commune, Epci, FormerCode, SearchToken
from territoria.territories.normalize import prefix_upper_bound, query_terms

COMMUNE, EPCI = "commune", "epci"
KINDS = (COMMUNE, EPCI)
MIN_QUERY_LENGTH = 2
MAX_LIMIT = 50

# What matched, best first: an exact code or name, then the weaker matches.
EXACT_MATCHES = {"code", "siren", "former_code", "name"}
_NAME_MATCHES = {0: "name", 1: "name_start", 2: "words"}

_SIREN = re.compile(r"^\d{9}$")
_INSEE = re.compile(r"^(\d{5}|2[ab]\d{3})$")
_DIGITS = re.compile(r"^\d{2,5}$")


def search(query: str, *, kind: str | None = None, limit: int = 10) -> list[dict]:
    """The territories matching the query, best first, as plain dicts (see describe)."""
    limit = max(1, min(limit, MAX_LIMIT))
    compact = re.sub(r"[\s.]+", "", query).lower()
    if len(compact) < MIN_QUERY_LENGTH:
        return []
    if _SIREN.match(compact):
        hits = _by_siren(compact, kind)
    elif _INSEE.match(compact) or _DIGITS.match(compact):
        hits = _by_code(compact, kind, limit)
    else:
        hits = _by_name(query, kind, limit)
    return describe(hits[:limit])


def _by_siren(siren: str, kind: str | None) -> list[tuple]:
    hits = []
    if kind in (None, EPCI) and Epci.objects.filter(siren=siren).exists():
        hits.append((EPCI, siren, "siren", None))
    if kind in (None, COMMUNE):
        for code in Commune.objects.filter(siren=siren).values_list("code", flat=True):
            hits.append((COMMUNE, code, "siren", None))
    return hits


def _by_code(code: str, kind: str | None, limit: int) -> list[tuple]:
    """A 5-character code may be an INSEE code, a former code or a postal code, and 2
    to 4 digits a postal code's start. All are ranked by population, but an INSEE or
    former code match is never pushed out by postal codes."""
    if kind == EPCI:
        return []
    exact = []  # (population, hit)
    insee = code.upper()
    if _INSEE.match(code):
        for commune_code, population in Commune.objects.filter(code=insee).values_list(
            "code", "population"
        ):
            exact.append((population, (COMMUNE, commune_code, "code", None)))
        for commune_code, population in FormerCode.objects.filter(code=insee).values_list(
            "commune_id", "commune__population"
        ):
            exact.append((population, (COMMUNE, commune_code, "former_code", insee)))
    postal = []
    if code.isdigit():
        tokens = SearchToken.objects.filter(commune__isnull=False)
        if len(code) == 5:
            tokens = tokens.filter(token=code)
        else:
            tokens = tokens.filter(
                token__gte=code, token__lt=prefix_upper_bound(code), token__startswith=code
            )
        rows = (
            tokens.values_list("commune_id", "population")
            .order_by("-population", "commune_id")
            .distinct()[:limit]
        )
        postal = [
            (population, (COMMUNE, commune, "postal_code", None)) for commune, population in rows
        ]
    exact_codes = {hit[1] for _population, hit in exact}
    postal = [item for item in postal if item[1][1] not in exact_codes]
    kept = postal[: max(0, limit - len(exact))]
    ranked = sorted(exact + kept, key=lambda item: -item[0])
    return [hit for _population, hit in ranked]


def name_matches(query: str, kind: str | None = None):
    """The SearchToken rows of the territories whose name matches every word of the
    query, unranked; `.values("commune_id")` or `.values("epci_id")` of it filters other
    tables (the registered collectivités, for instance)."""
    terms = query_terms(query)
    if not terms:
        return SearchToken.objects.none()
    driver = max(terms, key=lambda term: min(len(p) for p in term))
    driver_filter = Q()
    for prefix in driver:
        driver_filter |= Q(
            token__gte=prefix, token__lt=prefix_upper_bound(prefix), token__startswith=prefix
        )
    tokens = SearchToken.objects.filter(driver_filter)
    others = list(terms)
    others.remove(driver)
    for term in others:
        word_filter = Q()
        for prefix in term:
            word_filter |= Q(words__contains=f" {prefix}")
        tokens = tokens.filter(word_filter)
    if kind == COMMUNE:
        tokens = tokens.filter(commune__isnull=False)
    elif kind == EPCI:
        tokens = tokens.filter(epci__isnull=False)
    return tokens


def _by_name(query: str, kind: str | None, limit: int) -> list[tuple]:
    terms = query_terms(query)
    if not terms:
        return []
    canonical = " ".join(term[0] for term in terms)
    tokens = name_matches(query, kind)
    rank = Case(
        When(name=canonical, then=Value(0)),
        When(name__startswith=canonical, then=Value(1)),
        default=Value(2),
    )
    rows = (
        tokens.annotate(rank=rank)
        .values_list("commune_id", "epci_id", "rank", "population", "name")
        .order_by("rank", "-population", "name")
        .distinct()[:limit]
    )
    return [
        (COMMUNE, commune, _NAME_MATCHES[rank], None)
        if commune
        else (EPCI, epci, _NAME_MATCHES[rank], None)
        for commune, epci, rank, _population, _name in rows
    ]


def describe(hits: list[tuple]) -> list[dict]:
    """Plain dicts for (kind, code, match, former code) hits, in the same order."""
    commune_codes = [code for kind, code, _m, _f in hits if kind == COMMUNE]
    epci_codes = [code for kind, code, _m, _f in hits if kind == EPCI]
    communes = {}
    if commune_codes:
        communes = Commune.objects.select_related("departement", "epci", "collectivite").in_bulk(
            commune_codes
        )
    epcis = Epci.objects.select_related("collectivite").in_bulk(epci_codes) if epci_codes else {}
    results = []
    for kind, code, match, former_code in hits:
        if kind == COMMUNE and code in communes:
            result = commune_dict(communes[code])
        elif kind == EPCI and code in epcis:
            result = epci_dict(epcis[code])
        else:
            continue
        result["match"] = match
        result["former_code"] = former_code
        results.append(result)
    return results


def _slug(territory) -> str | None:
    collectivite = getattr(territory, "collectivite", None)
    return collectivite.slug if collectivite is not None and collectivite.is_active else None


def commune_dict(commune: Commune) -> dict:
    departement = commune.departement
    return {
        "kind": COMMUNE,
        "code": commune.code,
        "name": commune.name,
        "label": f"{commune.name} ({departement.code})",
        "departement_code": departement.code,
        "departement_name": departement.name,
        "postal_codes": list(commune.postal_codes),
        "population": commune.population,
        "siren": commune.siren,
        "epci_siren": commune.epci_id,
        "epci_name": commune.epci.name if commune.epci_id else None,
        "collectivite_slug": _slug(commune),
    }


def epci_dict(epci: Epci) -> dict:
    return {
        "kind": EPCI,
        "code": epci.siren,
        "name": epci.name,
        "label": _("%(name)s (intercommunalité)") % {"name": epci.name},
        "departement_code": None,
        "departement_name": None,
        "postal_codes": [],
        "population": epci.population,
        "siren": epci.siren,
        "epci_siren": None,
        "epci_name": None,
        "collectivite_slug": _slug(epci),
    }


def find_commune(code: str) -> tuple[Commune | None, str | None]:
    """The current commune for an INSEE code or a former code, and the former code
    it was reached through (None when the code is current)."""
    code = code.strip().upper()
    if not _INSEE.match(code.lower()):
        return None, None
    commune = (
        Commune.objects.select_related("departement__region", "epci", "collectivite")
        .filter(code=code)
        .first()
    )
    if commune is not None:
        return commune, None
    former = (
        FormerCode.objects.select_related(
            "commune__departement__region", "commune__epci", "commune__collectivite"
        )
        .filter(code=code)
        .first()
    )
    return (former.commune, code) if former else (None, None)


def is_insee_code(code: str) -> bool:
    return bool(_INSEE.match(code.strip().lower()))


def is_siren(code: str) -> bool:
    return bool(_SIREN.match(code.strip()))


def find_territory(code: str) -> Commune | Epci | None:
    """A commune by INSEE or former code, an EPCI or a commune by SIREN."""
    code = code.strip()
    if is_siren(code):
        return Epci.objects.filter(siren=code).first() or Commune.objects.filter(siren=code).first()
    return find_commune(code)[0]


def resolve(text: str, *, kind: str | None = None) -> tuple[dict | None, list[dict]]:
    """What a person typed without choosing from the list: the one territory it names,
    else None and the candidates (none, or several to choose from)."""
    results = search(text, kind=kind, limit=6)
    if len(results) == 1:
        return results[0], results
    exact = [r for r in results if r["match"] in EXACT_MATCHES]
    postal = [r for r in results if r["match"] == "postal_code"]
    # "18200" is both Saint-Bouize's INSEE code and Saint-Amand-Montrond's postal code.
    if len(exact) == 1 and not postal:
        return exact[0], results
    return None, results
