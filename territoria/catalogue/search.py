"""French full-text search over the published solutions, with facet counts.

Two tables, written only by reindex() and read only here, hold what a search needs:

- the text: on SQLite an FTS5 table (tokenizer `unicode61 remove_diacritics 2`) fed with
  words already stemmed by stem() below, queries stemmed the same way; on PostgreSQL a
  `tsvector` column built with `to_tsvector('french', unaccent(...))`, GIN-indexed;
- the facets: one row (solution, facet, value) per value a solution has, the same table
  on both databases, so that every filter and every count is one generic SQL shape.

A search is two queries. The first computes, for each candidate solution (published,
matching the text), a bit mask of the active filters it fails; the facet rows of the
solutions that fail no filter, or only the filter of the facet being counted, give every
facet's counts at once (each facet counted with the other facets' filters applied). The
second returns the ids of the requested page, sorted. Candidates are always joined to
the solutions table on `status = 'approved'`, so an unpublished solution never shows,
even if its index rows were not removed.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from territoria.catalogue.enums import (
    Axis,
    Hosting,
    LicenceKind,
    Maturity,
    Metric,
    Moderation,
    PurchaseChannel,
    Unit,
)
from territoria.catalogue.models import Figure, Solution, Tag, UseCase
from territoria.territories.models import Region

FTS_TABLE = "catalogue_solution_fts"  # SQLite
DOCUMENT_TABLE = "catalogue_solution_document"  # PostgreSQL
FACET_TABLE = "catalogue_solution_facet"
PER_PAGE = 20
MAX_QUERY_LENGTH = 200
TOTAL = "_"  # a facet every indexed solution has once: its count is the total

# ---------------------------------------------------------------- French stemming

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_WORD = re.compile(r"[a-z0-9]+")
STOP_WORDS = frozenset(
    """a au aux avec ce ces cet cette d dans de des du elle en et il ils je l la le les
    leur leurs lui ma mais me mes moi mon n ne nos notre nous on ou par pas pour qu que
    qui s sa se ses son sur ta te tes toi ton tu un une vos votre vous y est sont""".split()
)
# Derivational and inflectional endings, longest first; the first that leaves a stem
# of at least MIN_STEM letters is removed ("éclairage" and "éclairer" give "eclair").
_SUFFIXES = (
    "issements", "issement", "atrices", "atrice", "ateurs", "ateur", "ations", "ation",
    "ements", "ement", "ments", "ment", "itions", "ition", "atifs", "atif", "atives", "ative",
    "ives", "ive", "ifs", "if", "euses", "euse", "eurs", "eur", "ions", "ion", "ites", "ite",
    "iques", "ique", "ages", "age", "ees", "ee", "er", "ez", "es", "e",
)  # fmt: skip
MIN_STEM = 3


def fold(text: str) -> str:
    """Lower case, no accents, ligatures spelled out: "Œuvre d'Éclairage" → "oeuvre d'eclairage"."""
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def stem(word: str) -> str:
    """A light French stemmer for one folded word: plurals, feminines and the common
    derivations removed, so that "fuites"/"fuite", "compteurs"/"compteur"/"comptage"
    and "éclairage"/"éclairer" meet. Index and query use it alike."""
    if len(word) <= MIN_STEM or word.isdigit():
        return word
    if word.endswith("eaux"):
        word = word[:-1]
    elif word.endswith("aux") and len(word) > 4:
        word = word[:-3] + "al"
    elif word.endswith("elles") or word.endswith("elle"):
        word = word[: word.rindex("elle")] + "el"
    elif word[-1] in "sx" and not word.endswith("ss"):
        word = word[:-1]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def terms(text: str) -> list[str]:
    """The stemmed words of a text, stop words left out, in order."""
    return [stem(w) for w in _WORD.findall(fold(text)) if w not in STOP_WORDS]


# ---------------------------------------------------------------- facets

POPULATION_BANDS = {
    "0-2000": (0, 2_000, _("Moins de 2 000 habitants")),
    "2000-5000": (2_000, 5_000, _("De 2 000 à 5 000 habitants")),
    "5000-20000": (5_000, 20_000, _("De 5 000 à 20 000 habitants")),
    "20000-50000": (20_000, 50_000, _("De 20 000 à 50 000 habitants")),
    "50000-100000": (50_000, 100_000, _("De 50 000 à 100 000 habitants")),
    "100000-": (100_000, None, _("Plus de 100 000 habitants")),
}
CAPEX_BANDS = {
    "0-10000": (0, 10_000, _("Moins de 10 k€")),
    "10000-50000": (10_000, 50_000, _("De 10 à 50 k€")),
    "50000-200000": (50_000, 200_000, _("De 50 à 200 k€")),
    "200000-": (200_000, None, _("Plus de 200 k€")),
}
PAYBACK_BANDS = {
    "0-3": (0, 3, _("Moins de 3 ans")),
    "3-7": (3, 7, _("De 3 à 7 ans")),
    "7-": (7, None, _("Plus de 7 ans")),
}
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Facet:
    key: str  # also the URL parameter
    label: str
    choices: dict | None = None  # value -> label; None when read from the database


def _labels(bands: dict) -> dict:
    return {value: label for value, (_low, _high, label) in bands.items()}


FACETS = (
    Facet("axis", _("Axe"), dict(Axis.choices)),
    Facet("use_case", _("Cas d'usage")),
    Facet("population", _("Taille de la commune"), _labels(POPULATION_BANDS)),
    Facet(
        "capex",
        _("Investissement de départ"),
        _labels(CAPEX_BANDS) | {UNKNOWN: _("Non renseigné")},
    ),
    Facet(
        "payback",
        _("Retour sur investissement"),
        _labels(PAYBACK_BANDS) | {UNKNOWN: _("Non renseigné")},
    ),
    Facet("maturity", _("Maturité"), dict(Maturity.choices)),
    Facet("licence", _("Licence"), dict(LicenceKind.choices)),
    Facet("hosting", _("Hébergement des données"), dict(Hosting.choices)),
    Facet("secnumcloud", _("Qualification"), {"yes": _("Hébergement qualifié SecNumCloud")}),
    Facet("standard", _("Normes et standards")),
    Facet("channel", _("Canal d'achat"), dict(PurchaseChannel.choices)),
    Facet("region", _("Région du fournisseur")),
)
FACETS_BY_KEY = {facet.key: facet for facet in FACETS}

SORTS = {
    "relevance": _("Pertinence"),
    "savings": _("Économies"),
    "payback": _("Retour sur investissement le plus rapide"),
    "feedback": _("Retours d'expérience"),
    "name": _("Nom"),
}
_ORDER_BY = {
    "relevance": "c.score DESC, c.name, c.id",
    "savings": "(c.saving_percent IS NULL), c.saving_percent DESC, c.name, c.id",
    "payback": "(c.payback_years IS NULL), c.payback_years, c.name, c.id",
    "feedback": "c.feedback_count DESC, c.name, c.id",
    "name": "c.name, c.id",
}


def _band(bands: dict, amount: Decimal | None) -> str:
    if amount is None:
        return UNKNOWN
    for value, (low, high, _label) in bands.items():
        if amount >= low and (high is None or amount < high):
            return value
    return UNKNOWN


def facet_values(solution: Solution) -> list[tuple[str, str]]:
    """The (facet, value) pairs a solution is found under; use cases, standards and the
    provider must be loaded (reindex prefetches them)."""
    use_cases = list(solution.use_cases.all())
    pairs = {(TOTAL, "")}
    pairs |= {("axis", use_case.axis) for use_case in use_cases}
    pairs |= {("use_case", use_case.slug) for use_case in use_cases}
    low, high = solution.population_min, solution.population_max
    for value, (band_low, band_high, _label) in POPULATION_BANDS.items():
        if (band_high is None or low < band_high) and (high is None or high >= band_low):
            pairs.add(("population", value))
    pairs.add(("capex", _band(CAPEX_BANDS, solution.capex_min)))
    pairs.add(("payback", _band(PAYBACK_BANDS, solution.payback_years)))
    pairs |= {
        ("maturity", solution.maturity),
        ("licence", solution.licence_kind),
        ("hosting", solution.hosting),
    }
    if solution.secnumcloud:
        pairs.add(("secnumcloud", "yes"))
    pairs |= {("standard", tag.slug) for tag in solution.standards.all() if tag.kind == "standard"}
    channels = solution.purchase_channels if isinstance(solution.purchase_channels, list) else []
    pairs |= {("channel", value) for value in channels if value in PurchaseChannel.values}
    if solution.provider is not None and solution.provider.region_id:
        pairs.add(("region", solution.provider.region_id))
    return sorted(pairs)


# ---------------------------------------------------------------- indexing


def _texts(solution: Solution) -> tuple[str, str, str]:
    use_cases = list(solution.use_cases.all())
    body = [solution.description, solution.provider.name if solution.provider else ""]
    body += [f"{use_case.title} {use_case.summary}" for use_case in use_cases]
    return solution.name, solution.summary, " ".join(body)


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def reindex(solution_ids: Iterable[int] | None = None) -> None:
    """Rewrite the search rows of these solutions (of every solution when None) from the
    database: published ones are indexed, the others removed. Call it after any write to
    a solution, its use cases, standards or provider, or to their texts."""
    ids = None if solution_ids is None else sorted(set(solution_ids))
    if ids == []:
        return
    text_table = FTS_TABLE if connection.vendor == "sqlite" else DOCUMENT_TABLE
    text_key = "rowid" if connection.vendor == "sqlite" else "solution_id"
    solutions = (
        Solution.objects.published()
        .select_related("provider")
        .prefetch_related("use_cases", "standards")
        .order_by("pk")
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if ids is None:
            cursor.execute(f"DELETE FROM {text_table}")  # noqa: S608
            cursor.execute(f"DELETE FROM {FACET_TABLE}")  # noqa: S608
            batches = _batches(solutions)
        else:
            for chunk in _chunks(ids):
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {text_table} WHERE {text_key} IN ({marks})", chunk)  # noqa: S608
                cursor.execute(
                    f"DELETE FROM {FACET_TABLE} WHERE solution_id IN ({marks})",  # noqa: S608
                    chunk,
                )
            batches = (list(solutions.filter(pk__in=chunk)) for chunk in _chunks(ids))
        for batch in batches:
            _write(cursor, batch)


def _batches(solutions, size: int = 1000):
    batch = []
    for solution in solutions.iterator(chunk_size=size):
        batch.append(solution)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _write(cursor, solutions: list[Solution]) -> None:
    if not solutions:
        return
    texts = [(solution.pk, *_texts(solution)) for solution in solutions]
    if connection.vendor == "sqlite":
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, name, summary, body) VALUES (%s, %s, %s, %s)",  # noqa: S608
            [(pk, *(" ".join(terms(text)) for text in parts)) for pk, *parts in texts],
        )
    else:
        cursor.executemany(
            f"INSERT INTO {DOCUMENT_TABLE} (solution_id, document) VALUES (%s, "  # noqa: S608
            "setweight(to_tsvector('french', unaccent(%s)), 'A') || "
            "setweight(to_tsvector('french', unaccent(%s)), 'B') || "
            "setweight(to_tsvector('french', unaccent(%s)), 'C'))",
            texts,
        )
    cursor.executemany(
        f"INSERT INTO {FACET_TABLE} (solution_id, facet, value) VALUES (%s, %s, %s)",  # noqa: S608
        [(s.pk, facet, value) for s in solutions for facet, value in facet_values(s)],
    )


# ---------------------------------------------------------------- searching


@dataclass
class FacetChoice:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class FacetCounts:
    key: str
    label: str
    choices: list[FacetChoice]

    @property
    def selected_count(self) -> int:
        return sum(choice.selected for choice in self.choices)


@dataclass
class SearchResult:
    solutions: list[Solution]
    total: int
    facets: list[FacetCounts]
    counts: dict[str, dict[str, int]]  # facet -> value -> count
    page: int = 1
    pages: int = 1
    sort: str = "name"
    ignored: list[str] = field(default_factory=list)  # parameters left out, as typed

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _dynamic_labels() -> dict[str, dict[str, str]]:
    """Labels of the facet values read from the database (three small tables)."""
    return {
        "use_case": dict(UseCase.objects.order_by("title").values_list("slug", "title")),
        "standard": dict(
            Tag.objects.filter(kind=Tag.Kind.STANDARD).order_by("name").values_list("slug", "name")
        ),
        "region": dict(Region.objects.order_by("name").values_list("code", "name")),
    }


def clean_filters(filters: dict, labels: dict) -> tuple[dict[str, list[str]], list[str]]:
    """The known facets and values of `filters`, and what was left out ("key=value")."""
    kept, ignored = {}, []
    for key, values in filters.items():
        facet = FACETS_BY_KEY.get(key)
        known = (facet.choices if facet.choices is not None else labels[key]) if facet else {}
        for value in values:
            if value in known:
                kept.setdefault(key, [])
                if value not in kept[key]:
                    kept[key].append(value)
            else:
                ignored.append(f"{key}={value}")
    return kept, ignored


def _text_source(query_terms: list[str], query: str) -> tuple[str, list]:
    """A subquery of (id, score) for the solutions matching the text, best score highest."""
    if connection.vendor == "sqlite":
        match = " ".join(f'"{term}"' for term in query_terms)
        return (
            f"SELECT rowid AS id, -bm25({FTS_TABLE}, 10.0, 4.0, 1.0) AS score "  # noqa: S608
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",
            [match],
        )
    # The tsquery written in the WHERE clause (not joined) lets the GIN index answer.
    tsquery = "plainto_tsquery('french', unaccent(%s))"
    return (
        f"SELECT d.solution_id AS id, ts_rank(d.document, {tsquery}) AS score "  # noqa: S608
        f"FROM {DOCUMENT_TABLE} d WHERE d.document @@ {tsquery}",
        [query, query],
    )


def _candidates(query: str, filters: dict[str, list[str]]) -> tuple[str, list, list[str]]:
    """The CTE of candidate solutions with their sort columns and failed-filter mask."""
    params: list = []
    misses = []
    active = list(filters)
    for bit, key in enumerate(active):
        marks = ", ".join(["%s"] * len(filters[key]))
        misses.append(
            f"(CASE WHEN s.id IN (SELECT solution_id FROM {FACET_TABLE} "  # noqa: S608
            f"WHERE facet = %s AND value IN ({marks})) THEN 0 ELSE {1 << bit} END)"
        )
        params += [key, *filters[key]]
    miss = " + ".join(misses) or "0"
    query_terms = terms(query)
    if query_terms:
        source, text_params = _text_source(query_terms, query)
        join = f"JOIN ({source}) t ON t.id = s.id"
        score = "t.score"
    else:
        join, text_params, score = "", [], "0"
    sql = (
        f"WITH c AS MATERIALIZED (SELECT s.id AS id, s.name AS name, "  # noqa: S608
        f"s.saving_percent AS saving_percent, "
        f"s.payback_years AS payback_years, s.feedback_count AS feedback_count, "
        f"{score} AS score, {miss} AS miss "
        f"FROM {Solution._meta.db_table} s {join} WHERE s.status = %s)"
    )
    return sql, params + text_params + [Moderation.APPROVED], active


def search(
    query: str = "",
    filters: dict[str, list[str]] | None = None,
    *,
    sort: str | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> SearchResult:
    """The published solutions matching the French text query and the facet filters
    (values of one facet are alternatives; facets combine), one page of them sorted,
    the total and every facet's counts. Unknown facets and values are left out and
    listed in `ignored`."""
    query = (query or "")[:MAX_QUERY_LENGTH]
    labels = _dynamic_labels()
    filters, ignored = clean_filters(filters or {}, labels)
    has_text = bool(terms(query))
    if sort not in SORTS or (sort == "relevance" and not has_text):
        if sort:
            ignored.append(f"sort={sort}")
        sort = "relevance" if has_text else "name"
    cte, params, active = _candidates(query, filters)
    counts = None if has_text or filters else _whole_catalogue_counts()
    if counts is None:
        counts, ids = _run(cte, params, active, _ORDER_BY[sort], per_page, page)
    else:
        ids = _run(cte, params, active, _ORDER_BY[sort], per_page, page, with_counts=False)[1]
    total = counts.get(TOTAL, {}).get("", 0)
    pages = max(1, -(-total // per_page))
    if not 1 <= page <= pages:  # rare: a page past the end (or below 1) shows the nearest
        page = min(max(1, page), pages)
        ids = _run(cte, params, active, _ORDER_BY[sort], per_page, page, with_counts=False)[1]
    return SearchResult(
        solutions=load_page(ids),
        total=total,
        facets=_facet_counts(counts, filters, labels),
        counts=counts,
        page=page,
        pages=pages,
        sort=sort,
        ignored=ignored,
    )


def _whole_catalogue_counts() -> dict[str, dict[str, int]] | None:
    """The counts of the catalogue home (no text, no filter) read from the facet table
    alone, ten times faster than joining it to the solutions; None (use the join) when
    the indexed solutions are not exactly the published ones, e.g. after a status
    changed without reindex()."""
    solutions = Solution._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {solutions} WHERE status = %s), "  # noqa: S608
            f"(SELECT SUM(id) FROM {solutions} WHERE status = %s), "
            f"(SELECT COUNT(*) FROM {FACET_TABLE} WHERE facet = %s), "
            f"(SELECT SUM(solution_id) FROM {FACET_TABLE} WHERE facet = %s)",
            [Moderation.APPROVED, Moderation.APPROVED, TOTAL, TOTAL],
        )
        published, published_sum, indexed, indexed_sum = cursor.fetchone()
        if (published, published_sum) != (indexed, indexed_sum):
            return None
        cursor.execute(f"SELECT facet, value, COUNT(*) FROM {FACET_TABLE} GROUP BY facet, value")  # noqa: S608
        counts: dict[str, dict[str, int]] = {}
        for facet, value, count in cursor.fetchall():
            counts.setdefault(facet, {})[value] = count
    return counts


def _run(cte, params, active, order_by, per_page, page, *, with_counts=True):
    """Every facet's counts and the ids of one page, in one query over the candidates."""
    # A row counts for its facet when its solution fails no filter, or only that facet's.
    own = "".join(f"WHEN {1 << bit} THEN %s " for bit in range(len(active)))
    counted = f"c.miss = 0 OR f.facet = CASE c.miss {own}END" if active else "c.miss = 0"
    single = ", ".join(["0"] + [str(1 << bit) for bit in range(len(active))])
    counts_sql = (
        f"SELECT f.facet, f.value, COUNT(*), 0 FROM c "  # noqa: S608
        f"JOIN {FACET_TABLE} f ON f.solution_id = c.id "
        f"WHERE c.miss IN ({single}) AND ({counted}) GROUP BY f.facet, f.value"
    )
    page_sql = (
        f"SELECT NULL, NULL, p.id, p.position FROM (SELECT c.id AS id, "  # noqa: S608
        f"ROW_NUMBER() OVER (ORDER BY {order_by}) AS position FROM c WHERE c.miss = 0 "
        f"ORDER BY {order_by} LIMIT %s OFFSET %s) p"
    )
    page_params = [per_page, (page - 1) * per_page]
    if with_counts:
        sql = f"{cte} {counts_sql} UNION ALL {page_sql}"
        all_params = [*params, *active, *page_params]
    else:
        sql, all_params = f"{cte} {page_sql}", [*params, *page_params]
    counts: dict[str, dict[str, int]] = {}
    positions = []
    with connection.cursor() as cursor:
        cursor.execute(sql, all_params)
        for facet, value, number, position in cursor.fetchall():
            if facet is None:
                positions.append((position, number))
            else:
                counts.setdefault(facet, {})[value] = number
    return counts, [pk for _position, pk in sorted(positions)]


def _facet_counts(counts: dict, filters: dict, labels: dict) -> list[FacetCounts]:
    facets = []
    for facet in FACETS:
        found = counts.get(facet.key, {})
        selected = set(filters.get(facet.key, ()))
        if facet.choices is not None:
            names = facet.choices
            order = list(names)
        else:
            names = labels[facet.key]
            order = sorted(
                set(found) | selected,
                key=lambda value, names=names: (-found.get(value, 0), str(names.get(value, ""))),
            )
        choices = [
            FacetChoice(value, names[value], found.get(value, 0), value in selected)
            for value in order
            if value in names and (found.get(value) or value in selected)
        ]
        facets.append(FacetCounts(facet.key, facet.label, choices))
    return facets


def load_page(ids: list[int]) -> list[Solution]:
    """The solutions of these ids, in this order, with what a result card shows."""
    if not ids:
        return []
    figures = Figure.objects.filter(
        metric__in=[Metric.CAPEX, Metric.PAYBACK, Metric.SAVING],
        unit__in=[Unit.EUR, Unit.YEARS, Unit.PERCENT],
    ).order_by("value_min", "pk")
    solutions = Solution.objects.filter(pk__in=ids).select_related("provider")
    solutions = solutions.prefetch_related(
        Prefetch("figures", queryset=figures, to_attr="card_figures")
    )
    by_id = {solution.pk: solution for solution in solutions}
    page = [by_id[pk] for pk in ids if pk in by_id]
    for solution in page:
        solution.capex_figure = _figure(solution, Metric.CAPEX, Unit.EUR)
        solution.payback_figure = _figure(solution, Metric.PAYBACK, Unit.YEARS)
        solution.saving_figure = _figure(solution, Metric.SAVING, Unit.PERCENT)
    return page


def _figure(solution: Solution, metric: str, unit: str) -> Figure | None:
    """The figure behind a sortable summary value (the lowest, as refresh_summary takes)."""
    matching = [f for f in solution.card_figures if f.metric == metric and f.unit == unit]
    if metric == Metric.CAPEX:
        return matching[0] if matching else None
    return min(matching, key=lambda f: (f.central, f.pk)) if matching else None
