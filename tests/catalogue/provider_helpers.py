"""Shared data for the provider and moderation tests: a valid offer form's POST data."""

from territoria.catalogue.enums import Hosting, LicenceKind, Maturity, Metric, Unit


def offer_data(use_cases, name="Capteurs Hydro Exemple", figures=(), **extra) -> dict:
    """POST data of the offer form: the fields, and the figures formset (two blank rows
    after the given figures, as the page shows them)."""
    data = {
        "name": name,
        "summary": "Des capteurs acoustiques sur le réseau d'eau.",
        "description": "",
        "use_cases": [u.pk for u in use_cases],
        "maturity": Maturity.PROVEN,
        "licence_kind": LicenceKind.PROPRIETARY,
        "licence_name": "",
        "code_url": "",
        "hosting": Hosting.FRANCE,
        "purchase_channels": ["ugap"],
        "reversibility": "",
        "accessibility": "",
        "security": "",
        "population_min": "0",
        "population_max": "",
        "figures-TOTAL_FORMS": str(len(figures)),
        "figures-INITIAL_FORMS": "0",
        "figures-MIN_NUM_FORMS": "0",
        "figures-MAX_NUM_FORMS": "1000",
    }
    for index, figure in enumerate(figures):
        row = {
            "metric": Metric.CAPEX,
            "label": "Investissement par capteur",
            "value_min": "800",
            "value_max": "1200",
            "unit": Unit.EUR,
            "basis": "par capteur",
        } | figure
        data |= {f"figures-{index}-{key}": value for key, value in row.items()}
    return data | extra
