"""Funding matching with 3,000 programmes: one collectivité, and all communes at once.

Run from the repository root:

    .venv/bin/python bench/funding_match.py

A fresh SQLite file under /tmp is migrated, the whole shipped geographic code (34,969
communes) is imported, then 3,000 programmes are generated from the shapes of the
shipped ones: national, regional, departmental and EPCI perimeters, named lists,
population thresholds, any/all groups, project conditions and `check` rules (seeded).

Measured:
- matching for one collectivité (every programme evaluated with its trace, as the
  territory page does), over 40 communes and EPCI drawn at random: median and p95,
  with the programmes already compiled (the normal case) and once cold;
- the batch over every commune (`match_all_communes`: one vectorised pass per
  programme), against the same rules evaluated commune by commune with the one-
  territory path on a sample, extrapolated (the baseline without vectorisation).

Targets (issue): one collectivité under 100 ms p95; all communes under 60 s. Exits 1
when a target is missed. Options: --programmes N (default 3000), --samples N.
"""

import argparse
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django():
    scratch = tempfile.mkdtemp(prefix="territoria-bench-funding-")
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    os.environ.setdefault("TERRITORIA_VAR_DIR", scratch)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "territoria.settings")
    import django

    django.setup()
    return lambda: shutil.rmtree(scratch, ignore_errors=True)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def rules(rng):
    """One programme's rules, in the shapes the shipped programmes use."""
    shape = rng.randrange(6)
    if shape == 0:
        return [{"population_max": rng.choice([2000, 3500, 5000, 20000])}]
    if shape == 1:
        return [
            {
                "any": [
                    {"all": [{"kind_in": ["commune"]}, {"population_max": 2000}]},
                    {
                        "all": [
                            {"kind_in": ["commune"]},
                            {"population_min": 2001},
                            {"population_max": 20000},
                            {"check": "condition de richesse"},
                        ]
                    },
                    {"all": [{"kind_in": ["epci"]}, {"population_max": 75000}]},
                ]
            }
        ]
    if shape == 2:
        return [{"project_cost_min": rng.choice([3000, 100000, 500000])}]
    if shape == 3:
        return [{"expense_type_in": ["investment"]}, {"check": "bâtiment public"}]
    if shape == 4:
        return [{"zone_in": ["metropole"]}, {"population_min": 1000}]
    return []


def generate(count, rng):
    from django.core.management import call_command

    from territoria.funding import content
    from territoria.funding.models import Funder, NamedList, Programme
    from territoria.territories.models import Commune, Departement, Epci, Region

    call_command("migrate", verbosity=0)
    call_command("import_territories", verbosity=0)
    content.load_named_lists(content.DATA_DIR)
    regions = list(Region.objects.values_list("code", flat=True))
    departements = list(Departement.objects.values_list("code", flat=True))
    epcis = list(Epci.objects.values_list("siren", flat=True))
    lists = list(NamedList.objects.all())
    funder = Funder.objects.create(name="Financeur de mesure", kind="state")
    programmes = []
    for index in range(count):
        scale = rng.choices(["national", "regions", "departements", "epcis"], weights=[3, 4, 4, 1])[
            0
        ]
        codes = {
            "national": [],
            "regions": rng.sample(regions, 1),
            "departements": rng.sample(departements, rng.randint(1, 3)),
            "epcis": rng.sample(epcis, rng.randint(1, 5)),
        }[scale]
        programmes.append(
            Programme(
                slug=f"programme-{index}",
                name=f"Programme {index}",
                aid_types=["grant"],
                beneficiaries=rng.choice([["commune"], ["epci"], ["commune", "epci"]]),
                scale=scale,
                perimeter_codes=codes,
                named_list=rng.choice(lists) if rng.random() < 0.05 else None,
                eligibility=rules(rng),
                rate_min=20,
                rate_max=rng.choice([30, 50, 80]),
            )
        )
    Programme.objects.bulk_create(programmes)
    through = Programme.funders.through
    through.objects.bulk_create(
        through(programme_id=p.pk, funder_id=funder.pk) for p in Programme.objects.all()
    )
    return Commune.objects.count()


def run(count, samples):
    rng = random.Random(2026)
    communes = generate(count, rng)
    from territoria.funding import matching, perimeters
    from territoria.territories.models import Commune, Epci

    codes = rng.sample(list(Commune.objects.values_list("code", flat=True)), samples // 2)
    codes += rng.sample(list(Epci.objects.values_list("siren", flat=True)), samples // 2)
    lists = perimeters.named_lists()

    start = time.perf_counter()
    matching.compiled()
    cold = time.perf_counter() - start

    def one(code):
        _, area = perimeters.for_code(code, lists)
        start = time.perf_counter()
        matching.match(area)
        return time.perf_counter() - start

    def one_with_territory(code):
        start = time.perf_counter()
        _, area = perimeters.for_code(code)
        matching.match(area)
        return time.perf_counter() - start

    match_only = [one(code) for code in codes]
    whole = [one_with_territory(code) for code in codes]

    start = time.perf_counter()
    all_codes, territories = perimeters.all_communes(lists)
    build = time.perf_counter() - start
    start = time.perf_counter()
    counts = matching.match_all_communes(territories)
    batch = time.perf_counter() - start

    # Baseline: the same verdicts with the one-territory path, commune by commune.
    sample = rng.sample(range(len(all_codes)), 30)
    start = time.perf_counter()
    for position in sample:
        _, area = perimeters.for_code(all_codes[position], lists)
        found = matching.match(area)
        assert len(found["eligible"]) + len(found["probable"]) == counts[position]
    per_commune = (time.perf_counter() - start) / len(sample)

    ms = lambda seconds: seconds * 1000  # noqa: E731
    print(f"Machine : {os.cpu_count()} cœurs, Python {platform.python_version()}, SQLite")
    print(f"{count} programmes, {communes} communes")
    print(f"Compilation des programmes (à froid) : {ms(cold):.0f} ms")
    print(
        f"Une collectivité, évaluation seule ({len(codes)} tirages) : médiane "
        f"{ms(statistics.median(match_only)):.1f} ms, p95 {ms(percentile(match_only, 0.95)):.1f} ms"
    )
    print(
        f"Une collectivité, avec lecture de son territoire : médiane "
        f"{ms(statistics.median(whole)):.1f} ms, p95 {ms(percentile(whole, 0.95)):.1f} ms"
    )
    print(f"Toutes les communes : tableaux {build:.1f} s + évaluation {batch:.1f} s")
    print(
        f"Référence commune par commune : {ms(per_commune):.1f} ms par commune, soit "
        f"{per_commune * communes / 60:.0f} min pour toutes ({per_commune * communes / batch:.0f} "
        f"fois plus lent)"
    )
    print(f"Programmes possibles par commune : médiane {statistics.median(counts):.0f}")
    return 0 if percentile(whole, 0.95) < 0.100 and build + batch < 60 else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, default=3000)
    parser.add_argument("--samples", type=int, default=40)
    args = parser.parse_args()
    cleanup = setup_django()
    try:
        return run(args.programmes, args.samples)
    finally:
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
