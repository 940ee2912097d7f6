# ruff: noqa: E501 - the vocabulary table reads best one use case a line
"""Catalogue search latency with 10,000 solutions: French text + 3 facets, facet counts.

Run from the repository root:

    .venv/bin/python bench/catalogue_search.py            # temporary SQLite file
    DATABASE_URL=postgres://user@127.0.0.1:5432/db .venv/bin/python bench/catalogue_search.py

Without DATABASE_URL a fresh SQLite file under /tmp is used and removed afterwards; with
it, a throwaway database is created on that server (the URL's database is only used to
create and drop it). The script generates 10,000 published solutions (names, summaries
and descriptions from the use cases' French vocabulary; varied axes, use cases, sizes,
costs, paybacks, maturities, licences, hostings, standards, purchase channels and
provider regions), builds the search index with reindex(), then times the whole
catalogue.search.search() call (text query, 3 facet filters, every facet's counts, the
page of 20 solutions with their figures) over a fixed set of seeded queries. Baselines
measured in the same run: a plain `SELECT ... ORDER BY id LIMIT 20` on the solutions
table, and a naive search (LIKE on name, summary and description plus the 3 filters,
count and first page, no stemming, no facet counts). Exits with status 1 when the p95 of
text + 3 facets exceeds 50 ms. Options: --solutions N (default 10000), --rounds N
(default 5), --queries N (default 60).
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_MS = 50.0

# (axis, title, summary): the use cases' vocabulary, solutions are written from it.
USE_CASES = [
    (
        "networks",
        "Détection des fuites d'eau",
        "Capteurs acoustiques et compteurs communicants sur le réseau d'eau potable",
    ),
    (
        "networks",
        "Télérelève des compteurs d'eau",
        "Relève à distance des consommations et alertes de surconsommation",
    ),
    (
        "networks",
        "Éclairage public intelligent",
        "Lampadaires à LED pilotés, abaissement nocturne et détection de présence",
    ),
    (
        "networks",
        "Pilotage énergétique des bâtiments",
        "Suivi des consommations de chauffage et d'électricité des écoles et gymnases",
    ),
    (
        "networks",
        "Gestion de l'assainissement",
        "Surveillance des postes de relèvement et des déversoirs d'orage",
    ),
    (
        "networks",
        "Arrosage intelligent des espaces verts",
        "Sondes d'humidité du sol et programmation de l'irrigation",
    ),
    (
        "quality_of_life",
        "Stationnement intelligent",
        "Capteurs de places, guidage des automobilistes et paiement mobile",
    ),
    (
        "quality_of_life",
        "Signalement citoyen",
        "Signaler un problème de voirie avec une photo depuis son téléphone",
    ),
    (
        "quality_of_life",
        "Qualité de l'air",
        "Micro-capteurs de particules fines et information des habitants",
    ),
    (
        "quality_of_life",
        "Mesure du bruit urbain",
        "Sonomètres connectés et cartographie sonore des quartiers",
    ),
    (
        "quality_of_life",
        "Comptage des visiteurs",
        "Compteurs de fréquentation des plages, parcs et équipements",
    ),
    (
        "quality_of_life",
        "Transport à la demande",
        "Navettes réservées en ligne pour les zones rurales et les seniors",
    ),
    (
        "environment",
        "Collecte des déchets optimisée",
        "Capteurs de remplissage des conteneurs et tournées de collecte optimisées",
    ),
    (
        "environment",
        "Production solaire partagée",
        "Autoconsommation collective sur les toitures communales",
    ),
    (
        "environment",
        "Bornes de recharge électrique",
        "Recharge des véhicules électriques et supervision des bornes",
    ),
    (
        "environment",
        "Suivi de la biodiversité",
        "Inventaires participatifs et pièges photographiques",
    ),
    (
        "environment",
        "Prévention des inondations",
        "Capteurs de niveau des rivières et alertes de crue",
    ),
    (
        "social",
        "Participation citoyenne",
        "Budget participatif, boîte à idées et consultations en ligne",
    ),
    (
        "social",
        "Inclusion numérique",
        "Conseillers numériques, ateliers et accompagnement des démarches",
    ),
    (
        "social",
        "Portail famille",
        "Inscriptions à la cantine, au périscolaire et paiement en ligne",
    ),
    ("social", "Téléassistance des seniors", "Détecteurs de chute et lien avec les aidants"),
    (
        "economy",
        "Place de marché locale",
        "Vitrine en ligne des commerces de centre-ville et click and collect",
    ),
    ("economy", "Tiers-lieu et télétravail", "Réservation d'espaces de coworking et de salles"),
    ("economy", "Données ouvertes", "Publication des jeux de données et portail open data"),
    ("attractiveness", "Wifi public", "Accès internet gratuit dans les lieux publics"),
    (
        "attractiveness",
        "Tourisme connecté",
        "Parcours de visite numériques et information touristique",
    ),
    (
        "attractiveness",
        "Affichage dynamique",
        "Panneaux d'information municipale et agenda des événements",
    ),
    (
        "attractiveness",
        "Application citoyenne",
        "Actualités, alertes et démarches de la mairie sur mobile",
    ),
]
QUERIES = [
    "fuites",
    "fuite d'eau",
    "compteurs",
    "eclairage",
    "éclairage public",
    "stationnement",
    "capteurs",
    "déchets",
    "qualité de l'air",
    "participation",
    "signalement",
    "énergie",
    "arrosage",
    "bruit",
    "recharge",
    "inondation",
    "seniors",
    "marché local",
    "wifi",
    "tourisme",
    "données ouvertes",
    "cantine",
    "bâtiments",
    "lampadaires",
    "conteneurs",
]
NAME_PARTS = (
    ["Aqua", "Lumi", "Citi", "Eco", "Terra", "Veille", "Smart", "Civi", "Urba", "Flux", "Neo"],
    ["sense", "net", "pilot", "data", "board", "link", "park", "watch", "flow", "zen"],
)
EXTRA_WORDS = (
    "plateforme tableau de bord alertes temps réel interopérable hébergement souverain "
    "maintenance formation des agents accompagnement installation rapide réseau LoRaWAN "
    "application mobile supervision rapports mensuels économies mesurées mutualisation"
).split()
STANDARDS = ["lorawan", "open311", "schema-irve", "schema-stationnement", "dcat-ap", "mqtt"]
FACET_CHOICES = {
    "axis": ["networks", "quality_of_life", "environment", "social", "economy", "attractiveness"],
    "population": ["0-2000", "2000-5000", "5000-20000", "20000-50000", "50000-100000"],
    "capex": ["0-10000", "10000-50000", "50000-200000", "unknown"],
    "payback": ["0-3", "3-7", "7-"],
    "maturity": ["experimental", "emerging", "proven", "mainstream"],
    "licence": ["open_source", "proprietary", "mixed"],
    "hosting": ["france", "eu", "on_premise"],
    "channel": ["ugap", "group", "direct"],
    "standard": STANDARDS,
    "region": ["24", "75", "84", "11", "52"],
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def setup_django() -> tuple[str | None, callable]:
    """Configure Django on a fresh database; returns a cleanup function."""
    scratch = None
    url = os.environ.get("DATABASE_URL")
    if not url:
        scratch = tempfile.mkdtemp(prefix="territoria-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
        os.environ.setdefault("TERRITORIA_VAR_DIR", scratch)
        cleanup = lambda: shutil.rmtree(scratch, ignore_errors=True)  # noqa: E731
    else:
        import psycopg

        name = f"territoria_bench_catalogue_{os.getpid()}"
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        parts = urlsplit(url)
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))

        def cleanup():
            from django.db import connections

            connections.close_all()
            with psycopg.connect(url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "territoria.settings")
    import django

    django.setup()
    return cleanup


def generate(count: int, rng: random.Random) -> None:
    """Published solutions written straight to the tables, then indexed by reindex()."""
    from django.core.management import call_command

    from territoria.catalogue.models import Provider, Solution, Tag, UseCase
    from territoria.territories.models import Region

    call_command("migrate", verbosity=0)
    regions = [Region.objects.get_or_create(code=c, defaults={"name": f"Région {c}"})[0]
               for c in FACET_CHOICES["region"] + ["27", "28", "32", "44", "53", "76", "93"]]  # fmt: skip
    use_cases = [
        UseCase.objects.create(
            slug=f"cas-{index}",
            title=title,
            axis=axis,
            summary=summary,
            problem=summary,
            how_it_works=summary,
            maturity="proven",
        )  # fmt: skip
        for index, (axis, title, summary) in enumerate(USE_CASES)
    ]
    tags = [Tag.objects.create(slug=slug, kind="standard", name=slug.upper()) for slug in STANDARDS]
    providers = Provider.objects.bulk_create(
        Provider(name=f"{rng.choice(NAME_PARTS[0])}{rng.choice(NAME_PARTS[1])} SAS {n}",
                 region=rng.choice(regions), is_fictitious=True)
        for n in range(300)
    )  # fmt: skip
    solutions = []
    links = []
    for n in range(count):
        cases = rng.sample(use_cases, rng.choice([1, 1, 1, 2, 3]))
        words = " ".join(rng.sample(EXTRA_WORDS, 8))
        low = rng.choice([0, 0, 2_000, 5_000, 20_000])
        capex = rng.choice([None, 3_000, 8_000, 25_000, 40_000, 120_000, 300_000])
        payback = rng.choice([None, Decimal("1.5"), Decimal("2.5"), Decimal("4"), Decimal("6"), 9])
        solutions.append(
            Solution(
                slug=f"solution-{n}",
                name=f"{rng.choice(NAME_PARTS[0])}{rng.choice(NAME_PARTS[1])} {n}",
                provider=rng.choice(providers),
                summary=f"{cases[0].title} : {cases[0].summary.lower()}",
                description=f"{' '.join(c.summary for c in cases)}. {words}.",
                maturity=rng.choice(FACET_CHOICES["maturity"]),
                licence_kind=rng.choice(["open_source", "proprietary", "proprietary", "mixed"]),
                hosting=rng.choice(["france", "france", "eu", "on_premise", "outside_eu"]),
                secnumcloud=rng.random() < 0.1,
                purchase_channels=rng.sample(["ugap", "group", "direct", "central"], 2),
                population_min=low,
                population_max=rng.choice([None, low + 20_000, low + 100_000]),
                status="approved",
                is_fictitious=True,
                capex_min=capex,
                payback_years=payback,
                saving_percent=rng.choice([None, 10, 20, 35]),
                feedback_count=rng.choice([0, 0, 1, 3]),
            )
        )
        links.append((cases, rng.sample(tags, rng.randint(0, 3))))
    solutions = Solution.objects.bulk_create(solutions, batch_size=1000)
    UseCaseLink = Solution.use_cases.through
    StandardLink = Solution.standards.through
    UseCaseLink.objects.bulk_create(
        [UseCaseLink(solution=s, usecase=c) for s, (cs, _t) in zip(solutions, links, strict=True)
         for c in cs], batch_size=5000,
    )  # fmt: skip
    StandardLink.objects.bulk_create(
        [StandardLink(solution=s, tag=t) for s, (_c, ts) in zip(solutions, links, strict=True)
         for t in ts], batch_size=5000,
    )  # fmt: skip


def measure(function, cases: list, rounds: int, rng: random.Random) -> list[float]:
    """Milliseconds per call, cases shuffled each round after one warm-up pass."""
    for case in cases:
        function(*case)
    timings = []
    for _round in range(rounds):
        order = list(cases)
        rng.shuffle(order)
        for case in order:
            started = time.perf_counter()
            function(*case)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def run(solutions: int, rounds: int, query_count: int) -> int:
    from django.db import connection
    from django.db.models import Q

    from territoria.catalogue.models import Solution
    from territoria.catalogue.search import reindex, search

    rng = random.Random(42)
    started = time.perf_counter()
    generate(solutions, rng)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    reindex()
    indexed = time.perf_counter() - started
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        cursor.execute(
            "SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version"
        )
        version = cursor.fetchone()[0]
    print(f"database: {connection.vendor} {version}; solutions: {solutions}; rounds: {rounds}")
    print(f"generation: {generated:.1f} s; reindex(): {indexed:.1f} s")

    cases = []
    for _n in range(query_count):
        facets = rng.sample(sorted(FACET_CHOICES), 3)
        filters = {key: [rng.choice(FACET_CHOICES[key])] for key in facets}
        cases.append((rng.choice(QUERIES), filters))
    hits = [search(query, filters).total for query, filters in cases]
    print(f"results per text + 3 facets query: median {statistics.median(hits):.0f}, "
          f"max {max(hits)}")  # fmt: skip

    table = Solution._meta.db_table

    def plain_select(_query, _filters):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, name FROM {table} WHERE status = %s ORDER BY id LIMIT 20",  # noqa: S608
                ["approved"],
            )
            return cursor.fetchall()

    columns = {"maturity": "maturity", "licence": "licence_kind", "hosting": "hosting"}

    def naive(query, filters):
        """LIKE on the texts plus the column filters: no stemming, no facet counts."""
        found = Solution.objects.published()
        for word in query.replace("'", " ").split():
            if len(word) > 2:
                found = found.filter(
                    Q(name__icontains=word)
                    | Q(summary__icontains=word)
                    | Q(description__icontains=word)
                )
        for key, values in filters.items():
            if key in columns:
                found = found.filter(**{f"{columns[key]}__in": values})
        return found.count(), list(found.order_by("name").values_list("pk", flat=True)[:20])

    rows = [
        ("search: text + 3 facets", measure(search, cases, rounds, rng)),
        ("search: text only", measure(lambda q, f: search(q), cases, rounds, rng)),
        ("search: 3 facets, no text", measure(lambda q, f: search("", f), cases, rounds, rng)),
        ("search: everything (no text)", measure(lambda q, f: search(""), cases[:10], 2, rng)),
        ("baseline: SELECT ... LIMIT 20", measure(plain_select, cases, rounds, rng)),
        ("alternative: naive LIKE", measure(naive, cases, rounds, rng)),
    ]
    print(f"{'':32} {'calls':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for label, timings in rows:
        print(
            f"{label:32} {len(timings):6d} {statistics.median(timings):8.2f} "
            f"{percentile(timings, 0.95):8.2f} {max(timings):8.2f}"
        )
    p95 = percentile(rows[0][1], 0.95)
    if p95 > TARGET_MS:
        print(f"FAIL: text + 3 facets p95 {p95:.2f} ms exceeds {TARGET_MS:.0f} ms")
        return 1
    print(f"OK: text + 3 facets p95 {p95:.2f} ms is under {TARGET_MS:.0f} ms")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description="Catalogue search latency benchmark")
    parser.add_argument("--solutions", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--queries", type=int, default=60)
    args = parser.parse_args()
    cleanup = setup_django()
    try:
        return run(args.solutions, args.rounds, args.queries)
    finally:
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
