"""Uploads from Excel: Windows-1252, semicolons, JJ/MM/AAAA dates, decimal commas and
absent optional columns are accepted and converted to the schema's canonical form, the
agent is told what was converted, and a blank template per schema can be downloaded."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest
from frictionless import Resource, Schema, system

from territoria import tabular
from territoria.opendata.models import Dataset
from territoria.opendata.schemas import SCHEMAS, UPLOAD_CHOICES
from territoria.opendata.validation import RowError
from tests.opendata.factories import VALID_ROW, metadata, subventions_csv, upload_result

EXCEL_HEADER = (
    "nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;idBeneficiaire;objet;montant;"
    "nature;conditionsVersement;datesPeriodeVersement;notificationUE;pourcentageSubvention"
)
EXCEL_ROWS = [
    "Ville de Saint-Amand-Montrond;21180197500007;03/02/2025;Association Élan;89912345600019;"
    "Fête de l'été;4 500,50;aide en numéraire;unique;2025-03-01;Non;0,45",
    "Ville de Saint-Amand-Montrond;21180197500007;2025-02-04;Club Œnologie;89912345600019;"
    '"=HYPERLINK(""http://evil.example"";""clic"")";12;aide en numéraire;unique;'
    "2025-03-01;non;0,5",
    "Ville de Saint-Amand-Montrond;21180197500007;15/12/2025;Chorale;89912345600019;"
    "12,5;300;aide en numéraire;unique;2025-03-01;OUI;1",
]


def excel_file(header=EXCEL_HEADER, rows=EXCEL_ROWS) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode("cp1252")


def schema_of(key: str) -> Schema:
    return Schema.from_descriptor(
        {k: v for k, v in SCHEMAS[key].descriptor().items() if k != "custom_checks"}
    )


@pytest.mark.django_db
def test_an_excel_file_is_converted_and_the_agent_told_what_changed(world):
    """A Windows-1252, semicolon file with French dates and decimals and without its
    optional columns is accepted; the notes list every conversion."""
    result = upload_result(world.agent_saint_amand, world.saint_amand, excel_file())
    assert result.errors == []
    assert result.notes == [
        "encodage Windows-1252 converti en UTF-8",
        "séparateur point-virgule",
        "4 colonnes facultatives absentes ajoutées vides : referenceDecision, "
        "rnaBeneficiaire, idRAE, dispositifAide",
        "2 dates JJ/MM/AAAA converties en AAAA-MM-JJ",
        "3 nombres à virgule décimale convertis (point décimal)",
        "2 valeurs oui/non écrites comme le schéma l'attend",
    ]
    assert result.dataset.row_count == 3


@pytest.mark.django_db
def test_the_published_csv_is_canonical_and_passes_the_national_schema(world):
    """The stored CSV is UTF-8, comma-separated, with every column of the schema in
    order, ISO dates and point decimals; a text that looked like a number is untouched;
    frictionless finds it valid."""
    result = upload_result(world.agent_saint_amand, world.saint_amand, excel_file())
    path = result.dataset.resources.get(format="csv").path
    sheet = tabular.read(path.read_bytes())
    assert (sheet.encoding, sheet.delimiter) == ("utf-8", ",")
    assert sheet.header == [f["name"] for f in SCHEMAS["scdl-subventions"].descriptor()["fields"]]
    first = dict(zip(sheet.header, sheet.rows[0][1], strict=True))
    assert (first["dateConvention"], first["montant"], first["notificationUE"]) == (
        "2025-02-03", "4500.50", "non",
    )  # fmt: skip
    assert first["objet"] == "Fête de l'été"
    assert first["referenceDecision"] == ""
    third = dict(zip(sheet.header, sheet.rows[2][1], strict=True))
    assert (third["objet"], third["notificationUE"]) == ("12,5", "oui")
    with system.use_context(trusted=True):
        report = Resource(str(path), schema=schema_of("scdl-subventions")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type"])


@pytest.mark.django_db
def test_a_formula_in_an_uploaded_file_is_escaped_in_the_republished_csv_only(world):
    """The CSV republished from an agent's file escapes a formula; JSON keeps the text."""
    result = upload_result(world.agent_saint_amand, world.saint_amand, excel_file())
    resources = {r.format: r for r in result.dataset.resources.all()}
    formula = '=HYPERLINK("http://evil.example";"clic")'
    rows = tabular.read(resources["csv"].path.read_bytes()).rows
    assert rows[1][1][7] == "'" + formula
    objects = json.loads(resources["json"].path.read_text(encoding="utf-8"))
    assert objects[1]["objet"] == formula


@pytest.mark.django_db
def test_only_a_required_column_may_not_be_absent(world):
    """Without the required « objet » column the file is refused with one error naming
    it; the absent optional columns are not reported; nothing is stored."""
    header = EXCEL_HEADER.replace("objet;", "")
    rows = [row.replace("Fête de l'été;", "") for row in EXCEL_ROWS[:1]]
    result = upload_result(world.agent_saint_amand, world.saint_amand, excel_file(header, rows))
    assert result.errors == [RowError(1, "objet", "Colonne obligatoire absente de l'en-tête.")]
    assert Dataset.objects.count() == 0


@pytest.mark.django_db
def test_errors_name_the_line_of_the_uploaded_file(world):
    """After a blank line and a cell over two lines, errors still give the file's line."""
    rows = [EXCEL_ROWS[0].replace("Fête de l'été", '"Fête\nde l\'été"'), "",
            EXCEL_ROWS[0].replace("03/02/2025", "31/02/2025")]  # fmt: skip
    result = upload_result(world.agent_saint_amand, world.saint_amand, excel_file(rows=rows))
    assert [(e.row, e.field) for e in result.errors] == [(5, "dateConvention")]
    assert result.errors[0].message == "La valeur « 31/02/2025 » n'est pas une date AAAA-MM-JJ."
    assert "1 ligne vide ignorée" in result.notes


@pytest.mark.django_db
def test_the_agent_reads_the_conversions_after_uploading(client, world):
    """The upload page offers the blank templates and, once the file is accepted, the
    dataset page says what was converted."""
    client.force_login(world.agent_saint_amand)
    url = reverse("opendata:upload", kwargs={"slug": "saint-amand-montrond"})
    page = client.get(url).content.decode()
    for key, _label in UPLOAD_CHOICES:
        assert reverse("opendata:schema_template", kwargs={"key": key}) in page
    data = metadata(schema="scdl-subventions", licence="lov2")
    data["file"] = SimpleUploadedFile("subventions.csv", excel_file(), "text/csv")
    page = client.post(url, data, follow=True).content.decode()
    assert "Converti vers la forme du schéma : encodage Windows-1252 converti en UTF-8" in page
    assert "2 dates JJ/MM/AAAA converties en AAAA-MM-JJ" in page


@pytest.mark.django_db
def test_a_refused_excel_file_still_shows_what_was_read(client, world):
    """A refused file answers 400 with its errors and the notes of how it was read."""
    client.force_login(world.agent_saint_amand)
    url = reverse("opendata:upload", kwargs={"slug": "saint-amand-montrond"})
    data = metadata(schema="scdl-subventions", licence="lov2")
    bad = excel_file(rows=[EXCEL_ROWS[0].replace("03/02/2025", "31/02/2025")])
    data["file"] = SimpleUploadedFile("subventions.csv", bad, "text/csv")
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "pas conforme : 1 erreur." in page
    assert "<li>séparateur point-virgule</li>" in page
    assert Dataset.objects.count() == 0


@pytest.mark.parametrize("key", list(SCHEMAS), ids=[f"{k}_case" for k in SCHEMAS])
def test_each_schema_has_a_blank_template_excel_opens(client, key):
    """The template is the schema's header in order, UTF-8 with a BOM, semicolons."""
    response = client.get(reverse("opendata:schema_template", kwargs={"key": key}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="modele-{key}.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    names = [f["name"] for f in SCHEMAS[key].descriptor()["fields"]]
    assert response.content.decode("utf-8-sig") == ";".join(names) + "\r\n"


@pytest.mark.django_db
def test_the_blank_template_filled_in_is_accepted(client, world):
    """The template with one row added under its header is a valid upload."""
    template = client.get(reverse("opendata:schema_template", kwargs={"key": "scdl-subventions"}))
    row = VALID_ROW.replace(",", ";")
    result = upload_result(world.agent_saint_amand, world.saint_amand,
                           template.content + row.encode() + b"\r\n")  # fmt: skip
    assert result.errors == []
    assert result.dataset.row_count == 1


def test_an_unknown_schema_has_no_template(client):
    """A template for a schema the platform does not declare answers 404."""
    response = client.get(reverse("opendata:schema_template", kwargs={"key": "inconnu"}))
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_utf8_file_with_bom_and_commas_converts_nothing(world):
    """A file already canonical is stored as sent, with no conversion note."""
    result = upload_result(world.agent_saint_amand, world.saint_amand,
                           b"\xef\xbb\xbf" + subventions_csv(VALID_ROW))  # fmt: skip
    assert (result.errors, result.notes) == ([], [])
