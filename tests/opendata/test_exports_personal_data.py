"""Every export of every dataset: valid against its schema, and no personal data."""

import json

import pyarrow.parquet as pq
import pytest
from frictionless import Resource, Schema, system

from territoria.opendata.models import Resource as Stored
from tests.opendata.factories import CANARIES


def _text(resource: Stored) -> str:
    if resource.format == "parquet":
        table = pq.read_table(resource.path)
        return json.dumps(table.to_pylist(), default=str, ensure_ascii=False)
    return resource.path.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_no_export_contains_personal_data(published):
    """No email, phone, reporter or author name, nor unmoderated text, appears in any
    file of any dataset, in any format."""
    resources = list(Stored.objects.all())
    assert {r.format for r in resources} == {"csv", "json", "geojson", "parquet"}
    assert len(resources) >= 9 * 3
    for resource in resources:
        text = _text(resource)
        for canary in CANARIES:
            assert canary not in text, (resource, canary)
        assert "@" not in text.replace("@type", ""), resource


@pytest.mark.django_db
def test_reports_export_keeps_published_reports_only_with_open311_fields(published):
    """The reports dataset holds the 3 published reports, positions as entered."""
    dataset = next(d for d in published["datasets"] if d.source == "reports")
    rows = json.loads(dataset.resources.get(format="json").path.read_text())
    assert len(rows) == 3
    assert sorted(rows[0]) == sorted([
        "service_request_id", "status", "status_detail", "service_code", "service_name",
        "description", "requested_datetime", "updated_datetime", "address", "lat", "long",
        "supporters",
    ])  # fmt: skip
    assert (rows[0]["lat"], rows[0]["long"]) == (46.7227, 2.505)


@pytest.mark.django_db
def test_every_generated_csv_conforms_to_its_schema(published):
    """Each generated CSV passes frictionless against the schema it declares."""
    for dataset in published["datasets"]:
        descriptor = {
            k: v for k, v in dataset.schema_info.descriptor().items() if k != "custom_checks"
        }
        path = dataset.resources.get(format="csv").path
        with system.use_context(trusted=True):
            report = Resource(
                str(path), format="csv", schema=Schema.from_descriptor(descriptor)
            ).validate()
        assert report.valid, (dataset.source, report.flatten(["rowNumber", "fieldName", "type"]))


@pytest.mark.django_db
def test_size_and_checksum_match_the_files(published):
    """The byte size and SHA-256 stored for each file are those of the file on disk."""
    import hashlib

    for resource in Stored.objects.all():
        data = resource.path.read_bytes()
        assert resource.byte_size == len(data)
        assert resource.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.django_db
def test_formats_hold_the_same_rows(published):
    """CSV, JSON, GeoJSON and Parquet of a located dataset hold the same number of rows."""
    dataset = next(d for d in published["datasets"] if d.source == "car_parks")
    by_format = {r.format: r for r in dataset.resources.all()}
    csv_rows = by_format["csv"].path.read_bytes().count(b"\r\n") - 1
    assert csv_rows == 10
    assert len(json.loads(by_format["json"].path.read_text())) == 10
    geo = json.loads(by_format["geojson"].path.read_text())
    assert len(geo["features"]) == 10
    assert geo["features"][0]["geometry"] == {"type": "Point", "coordinates": [2.51, 46.73]}
    assert pq.read_metadata(by_format["parquet"].path).num_rows == 10
    assert dataset.bbox == "2.50900,46.72900,2.51100,46.73100"
