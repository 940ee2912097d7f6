"""A saved page of the Aides-territoires API (v1.6 serializer fields), for imports."""

import copy


def record(**changes):
    base = {
        "id": 101,
        "slug": "moderniser-leclairage-public",
        "url": "/aides/moderniser-leclairage-public/",
        "name": "Moderniser l'éclairage public",
        "name_initial": "Éclairage public",
        "short_title": "Éclairage public",
        "financers": ["Région Centre-Val de Loire"],
        "instructors": [],
        "programs": [],
        "description": "<p>Aide au remplacement des luminaires.</p>",
        "eligibility": "Projets engagés après le dépôt du dossier.",
        "perimeter": "Centre-Val de Loire",
        "mobilization_steps": ["Réflexion / conception"],
        "origin_url": "https://www.exemple-region.fr/eclairage",
        "categories": ["Énergies / Déchets|Sobriété énergétique"],
        "is_call_for_project": True,
        "application_url": "https://www.exemple-region.fr/deposer",
        "targeted_audiences": ["Communes", "Intercommunalités / Pays"],
        "aid_types": ["Subvention"],
        "is_charged": False,
        "destinations": ["Dépenses d’investissement"],
        "start_date": "2026-09-01",
        "predeposit_date": None,
        "submission_deadline": "2027-03-31",
        "subvention_rate_lower_bound": 20,
        "subvention_rate_upper_bound": 50,
        "loan_amount": None,
        "recoverable_advance_amount": None,
        "contact": "<p>Service énergie</p>",
        "recurrence": "Récurrente",
        "project_examples": "",
        "import_data_url": None,
        "import_data_mention": None,
        "import_share_licence": None,
        "date_created": "2026-08-20T10:00:00+02:00",
        "date_updated": "2026-10-02T09:30:00+02:00",
    }
    return copy.deepcopy(base) | changes


def page(*records):
    return {"count": len(records), "next": None, "previous": None, "results": list(records)}
