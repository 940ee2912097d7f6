"""The Table Schemas a dataset may declare: national ones (copied from
schema.data.gouv.fr) and Territoria's own, all shipped in territoria/data/opendata/schemas/."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

SCHEMA_DIR = Path(settings.BASE_DIR) / "data" / "opendata" / "schemas"
NATIONAL = "https://schema.data.gouv.fr/schemas"


@dataclass(frozen=True)
class SchemaInfo:
    key: str
    label: str
    filename: str
    national_path: str = ""  # "<name>/<version>" on schema.data.gouv.fr; "" for our own
    uploadable: bool = True

    @property
    def is_national(self) -> bool:
        return bool(self.national_path)

    def url(self, base: str) -> str:
        """The versioned IRI put in dct:conformsTo."""
        if self.is_national:
            return f"{NATIONAL}/{self.national_path}/schema.json"
        return f"{base}/donnees/schemas/{self.key}.json"

    def descriptor(self) -> dict:
        return load(self.filename)


SCHEMAS = {
    info.key: info
    for info in [
        SchemaInfo("scdl-subventions", "SCDL Subventions 2.1.1", "scdl_subventions_2.1.1.json",
                   "scdl/subventions/2.1.1"),
        SchemaInfo("scdl-equipements", "SCDL Équipements collectifs 0.1.5",
                   "scdl_equipements_0.1.5.json", "scdl/equipements/0.1.5"),
        SchemaInfo("scdl-deliberations", "SCDL Délibérations 2.1.5",
                   "scdl_deliberations_2.1.5.json", "scdl/deliberations/2.1.5"),
        SchemaInfo("scdl-budget", "SCDL Budget 0.8.3", "scdl_budget_0.8.3.json",
                   "scdl/budget/0.8.3"),
        SchemaInfo("scdl-catalogue", "SCDL Catalogue simplifié 0.1.3",
                   "scdl_catalogue_0.1.3.json", "scdl/catalogue/0.1.3"),
        SchemaInfo("stationnement", "Lieux de stationnement 0.1.5",
                   "etalab_schema-stationnement_0.1.5.json", "etalab/schema-stationnement/0.1.5"),
        SchemaInfo("comptage-site", "Comptage des mobilités — sites 0.2.5",
                   "etalab_schema-comptage-mobilites-site_0.2.5.json",
                   "etalab/schema-comptage-mobilites-site/0.2.5"),
        SchemaInfo("comptage-channel", "Comptage des mobilités — canaux 0.2.5",
                   "etalab_schema-comptage-mobilites-channel_0.2.5.json",
                   "etalab/schema-comptage-mobilites-channel/0.2.5"),
        SchemaInfo("comptage-measure", "Comptage des mobilités — mesures 0.2.5",
                   "etalab_schema-comptage-mobilites-measure_0.2.5.json",
                   "etalab/schema-comptage-mobilites-measure/0.2.5"),
        SchemaInfo("territoria-signalements", "Territoria — signalements (Open311) 1.0.0",
                   "territoria-signalements_1.0.0.json", uploadable=False),
        SchemaInfo("territoria-budget-participatif",
                   "Territoria — budgets participatifs 1.0.0",
                   "territoria-budget-participatif_1.0.0.json", uploadable=False),
        SchemaInfo("territoria-consultations", "Territoria — consultations 1.0.0",
                   "territoria-consultations_1.0.0.json", uploadable=False),
        SchemaInfo("territoria-projets-feuille-de-route",
                   "Territoria — projets de la feuille de route 1.0.0",
                   "territoria-projets-feuille-de-route_1.0.0.json", uploadable=False),
        SchemaInfo("territoria-parkings-occupation",
                   "Territoria — occupation des parkings 1.0.0",
                   "territoria-parkings-occupation_1.0.0.json", uploadable=False),
    ]
}  # fmt: skip

SCHEMA_CHOICES = [(key, info.label) for key, info in SCHEMAS.items()]
UPLOAD_CHOICES = [(key, info.label) for key, info in SCHEMAS.items() if info.uploadable]


@cache
def load(filename: str) -> dict:
    return json.loads((SCHEMA_DIR / filename).read_text(encoding="utf-8"))


def fields_of(key: str) -> list[dict]:
    return SCHEMAS[key].descriptor()["fields"]
