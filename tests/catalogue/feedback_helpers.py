"""Shared data of the feedback tests: a use case, a published solution, a valid form."""

from tests.catalogue.factories import make_solution, make_use_case

LESSONS = "Former deux agents avant la pose des capteurs, pas après."


def make_offer():
    use_case = make_use_case(slug="detection-fuites")
    solution = make_solution("Capteurs Exemple", slug="capteurs-exemple", use_cases=[use_case])
    return use_case, solution


def valid_data(world, use_case, solution=None, **changes):
    data = {
        "collectivite": str(world.saint_amand.pk),
        "use_case": use_case.slug,
        "solution": solution.slug if solution else "",
        "population": "9800",
        "title": "Capteurs sur le réseau d'eau du centre-ville",
        "scope": "12 km de réseau",
        "started_on": "2023-03-01",
        "capex_actual": "45000",
        "opex_actual": "3200.50",
        "indicator": "Rendement du réseau",
        "value_before": "71 %",
        "value_after": "78 %",
        "method": "Relevés mensuels de la régie, 2022 puis 2024.",
        "would_do_again": "yes",
        "lessons": LESSONS,
        "evidence_url": "https://www.exemple-commune.fr/deliberation-2023-12.pdf",
        "source_title": "Délibération du 12 mars 2023",
    }
    return data | changes
