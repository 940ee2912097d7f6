"""The demonstration files shipped for Agen stay valid against their national schemas."""

from pathlib import Path

from django.conf import settings

import pytest

from territoria.opendata.demo import UPLOADS
from tests.opendata.factories import upload

DEMO_DIR = Path(settings.BASE_DIR) / "data" / "opendata" / "demo"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("filename", "schema"),
    [(name, schema) for name, schema, _meta in UPLOADS["agen"]],
    ids=["subventions_case", "equipements_case"],
)
def test_demo_file_is_accepted(world, filename, schema):
    """Each demo file passes the checks and yields its formats (GeoJSON when located)."""
    dataset, errors = upload(
        world.agent_saint_amand, world.saint_amand, (DEMO_DIR / filename).read_bytes(), schema
    )
    assert errors == []
    formats = set(dataset.resources.values_list("format", flat=True))
    located = schema == "scdl-equipements"
    assert formats == {"csv", "json", "parquet"} | ({"geojson"} if located else set())
    assert bool(dataset.summary.get("map")) is located
