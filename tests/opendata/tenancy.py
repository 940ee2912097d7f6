"""Données ouvertes URLs for the cross-tenant walker (tests/test_tenancy_walker.py)."""

import tempfile
from pathlib import Path

from django.test import override_settings

from territoria.opendata import actions
from territoria.opendata.models import DownloadCount
from tests.opendata.factories import VALID_ROW, subventions_csv, upload

PUBLIC: set[str] = {
    "opendata:home",
    "opendata:catalog",
    "opendata:schema",
    "opendata:schema_template",
    "opendata:collectivite",
    "opendata:collectivite_catalog",
    "opendata:dataset",
    "opendata:download",
    "api:opendata_datasets",
    "api:opendata_dataset",
}


def samples(world):
    # Files of the walk go to a throwaway directory, not the instance's var/.
    override_settings(OPENDATA_DIR=Path(tempfile.mkdtemp(prefix="opendata-walk-"))).enable()
    slug = world.saint_amand.slug
    agent = world.agent_saint_amand
    published, _ = upload(agent, world.saint_amand, subventions_csv(VALID_ROW), title="Subventions")
    actions.set_published(agent, published, True)
    draft, _ = upload(
        agent, world.saint_amand, subventions_csv(VALID_ROW), title="Brouillon canari opendata"
    )
    resource = published.resources.get(format="csv")
    DownloadCount.objects.create(
        collectivite=world.saint_amand, dataset=published, resource=resource,
        month="2025-05-01", count=987654,
    )  # fmt: skip
    return {
        "opendata:catalog": {"fmt": "ttl"},
        "opendata:schema": {"key": "territoria-signalements"},
        "opendata:schema_template": {"key": "scdl-subventions"},
        "opendata:collectivite": {"slug": slug},
        "opendata:collectivite_catalog": {"slug": slug, "fmt": "ttl"},
        "opendata:dataset": {"slug": slug, "uid": published.uid},
        "opendata:download": {"slug": slug, "uid": published.uid, "fmt": "csv"},
        "opendata:manage": {"slug": slug},
        "opendata:upload": {"slug": slug},
        "opendata:generate": {"slug": slug},
        "opendata:downloads_csv": {"slug": slug},
        "opendata:edit": {"slug": slug, "uid": draft.uid},
        "opendata:publish": {"slug": slug, "uid": draft.uid},
        "opendata:refresh": {"slug": slug, "uid": published.uid},
        "api:opendata_dataset": {"uid": draft.uid},
        "CANARIES": ["Brouillon canari opendata", str(draft.uid), "987654"],
    }
