"""Uploads: validated against the national schema, errors in French by row and field,
nothing written when the file is invalid."""

from django.urls import reverse

import pytest

from territoria.opendata.models import Dataset, Resource
from territoria.opendata.schemas import SCHEMAS, UPLOAD_CHOICES
from territoria.opendata.validation import validate_csv
from territoria.territories.identifiers import is_valid_siret
from tests.opendata.factories import VALID_ROW, metadata, subventions_csv, upload

BAD_SIRET_ROW = VALID_ROW.replace("89912345600019", "21470001200018")
BAD_ROW = (
    "Ville,2118019750000,2025-02-31,D-12,Association B,,,Objet,abc,aide,unique,"
    "2025-03-01,,peut-être,2,"
)


@pytest.mark.parametrize(
    ("value", "valid"),
    [("21470001500008", True), ("21470001200018", False), ("35600000000048", True),
     ("1234", False)],
    ids=["commune_case", "bad_key_case", "la_poste_case", "too_short_case"],
)  # fmt: skip
def test_siret_checksum(value, valid):
    """A SIRET is valid only with 14 digits and a correct Luhn key."""
    assert is_valid_siret(value) is valid


@pytest.mark.django_db
def test_valid_file_is_stored_with_every_format(world):
    """A file conforming to SCDL Subventions is stored as CSV, JSON and Parquet."""
    dataset, errors = upload(world.agent_saint_amand, world.saint_amand, subventions_csv(VALID_ROW))
    assert errors == []
    assert sorted(dataset.resources.values_list("format", flat=True)) == ["csv", "json", "parquet"]
    assert dataset.row_count == 1
    assert dataset.is_published is False


@pytest.mark.django_db
def test_invalid_siret_key_is_refused_although_frictionless_accepts_it(world):
    """A SIRET with a wrong key is reported on its row and column; nothing is stored."""
    _dataset, errors = upload(
        world.agent_saint_amand, world.saint_amand, subventions_csv(VALID_ROW, BAD_SIRET_ROW)
    )
    assert [(e.row, e.field) for e in errors] == [(3, "idBeneficiaire")]
    assert "clé de contrôle" in errors[0].message
    assert Dataset.objects.count() == 0
    assert Resource.objects.count() == 0


@pytest.mark.django_db
def test_bad_rows_are_reported_in_french_by_row_and_field(world, opendata_dir):
    """Every bad cell is reported with its line, column and a French message; no file
    is left on disk."""
    _dataset, errors = upload(
        world.agent_saint_amand, world.saint_amand, subventions_csv(VALID_ROW, BAD_ROW)
    )
    found = {(e.row, e.field): e.message for e in errors}
    assert sorted(found) == [
        (3, "dateConvention"),
        (3, "idAttribuant"),
        (3, "idBeneficiaire"),
        (3, "montant"),
        (3, "nature"),
        (3, "notificationUE"),
        (3, "pourcentageSubvention"),
    ]
    assert found[(3, "montant")] == "La valeur « abc » n'est pas un nombre (point décimal)."
    assert found[(3, "idBeneficiaire")] == "Renseignez idBeneficiaire ou rnaBeneficiaire."
    assert found[(3, "dateConvention")] == "La valeur « 2025-02-31 » n'est pas une date AAAA-MM-JJ."
    assert Dataset.objects.count() == 0
    assert not opendata_dir.exists() or not any(opendata_dir.rglob("*.*"))


@pytest.mark.django_db
def test_missing_column_is_reported(world):
    """A header without a required column of the schema is refused."""
    content = subventions_csv(VALID_ROW).replace(b"nomAttribuant,", b"", 1)
    _dataset, errors = upload(world.agent_saint_amand, world.saint_amand, content)
    assert errors
    assert Dataset.objects.count() == 0


@pytest.mark.django_db
def test_agent_sees_errors_on_the_upload_page_and_nothing_is_published(client, world):
    """Posting an invalid file answers 400 with the table of errors and creates nothing."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.agent_saint_amand)
    data = metadata(schema="scdl-subventions", licence="lov2")
    data["file"] = SimpleUploadedFile("s.csv", subventions_csv(BAD_ROW), "text/csv")
    response = client.post(
        reverse("opendata:upload", kwargs={"slug": "saint-amand-montrond"}), data
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Le fichier n'est pas conforme : 7 erreurs." in body
    assert "pourcentageSubvention" in body
    assert Dataset.objects.count() == 0


@pytest.mark.django_db
def test_an_elu_cannot_upload(client, world):
    """Only agents and admins publish data: an élu gets 403."""
    from tests.factories import make_member

    elu = make_member(world.saint_amand, role="elu")
    client.force_login(elu)
    response = client.get(reverse("opendata:upload", kwargs={"slug": "saint-amand-montrond"}))
    assert response.status_code == 403


@pytest.mark.parametrize(
    "schema_key",
    [k for k, _label in UPLOAD_CHOICES],
    ids=[f"{k}_case" for k, _label in UPLOAD_CHOICES],
)
def test_every_uploadable_schema_checks_a_file(tmp_path, schema_key):
    """Each national schema offered for upload loads in frictionless: its exact header
    passes, a header missing its first column is refused."""
    names = [f["name"] for f in SCHEMAS[schema_key].descriptor()["fields"]]
    good = tmp_path / "good.csv"
    good.write_text(",".join(names) + "\n", encoding="utf-8")
    assert validate_csv(good, schema_key) == []
    bad = tmp_path / "bad.csv"
    bad.write_text(",".join(names[1:]) + "\n", encoding="utf-8")
    assert validate_csv(bad, schema_key) != []
