"""Export and import of the catalogue: JSON and CSV, exact round trips."""

import json
import zipfile

from django.core.management import call_command

import pytest

from territoria.catalogue import exchange
from territoria.catalogue.enums import Moderation
from territoria.catalogue.models import Feedback, Figure, Provider, Solution, UseCase
from tests.catalogue.exchange_data import build_catalogue, empty_catalogue

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "fmt,name",
    [("json", "catalogue.json"), ("csv", "catalogue"), ("csv", "catalogue.zip")],
    ids=["json_case", "csv_folder_case", "csv_zip_case"],
)
def test_round_trip_is_exact(world, tmp_path, fmt, name):
    """Export, import into an empty catalogue, export again: the same bytes."""
    build_catalogue(world)
    first, second = tmp_path / "1" / name, tmp_path / "2" / name
    first.parent.mkdir()
    second.parent.mkdir()
    exchange.export_catalogue(first, fmt)
    empty_catalogue()
    exchange.import_catalogue(first)
    exchange.export_catalogue(second, fmt)
    if first.is_dir():
        names = sorted(p.name for p in first.iterdir())
        assert names == sorted(f"{table}.csv" for table in exchange.TABLES)
        for file in names:
            assert (second / file).read_bytes() == (first / file).read_bytes()
    else:
        assert second.read_bytes() == first.read_bytes()


def test_json_export_holds_every_table_and_no_personal_data(world):
    """The JSON document has every table; no e-mail address or author is exported."""
    build_catalogue(world)
    document = exchange.to_json(exchange.export_data())
    data = json.loads(document)
    assert data["format"] == "territoria-catalogue"
    assert data["version"] == 1
    assert {key: len(value) for key, value in data.items() if isinstance(value, list)} == {
        "tags": 3, "use_cases": 2, "providers": 3, "solutions": 3, "figures": 3, "feedback": 2,
    }  # fmt: skip
    assert b"@" not in document
    assert "author" not in data["feedback"][0]
    assert [p["ref"] for p in data["providers"]] == ["732829320", "homonyme", "homonyme-2"]
    capteurs = next(s for s in data["solutions"] if s["slug"] == "capteurs")
    assert capteurs["references"] == ["18173", "18197"]
    assert capteurs["standards"] == ["open311", "schema-irve"]
    assert capteurs["purchase_channels"] == ["ugap", "group"]
    assert capteurs["submitted_at"] == "2025-03-01T09:30:15.123456+00:00"


def test_import_restores_unpublished_offers_and_derived_summary(world, tmp_path):
    """Imported offers keep their moderation status, and their summary is recomputed."""
    build_catalogue(world)
    path = tmp_path / "catalogue.json"
    exchange.export_catalogue(path, "json")
    empty_catalogue()
    counts = exchange.import_catalogue(path)
    assert counts == {"tags": 3, "use_cases": 2, "providers": 3, "solutions": 3, "figures": 3,
                      "feedback": 2}  # fmt: skip
    assert dict(Solution.objects.values_list("slug", "status")) == {
        "capteurs": Moderation.APPROVED, "refusee": Moderation.REJECTED,
        "brouillon": Moderation.DRAFT,
    }  # fmt: skip
    capteurs = Solution.objects.get(slug="capteurs")
    assert capteurs.provider.siren == "732829320"
    assert str(capteurs.capex_min) == "360.00"
    assert capteurs.feedback_count == 1
    assert Feedback.objects.get(commune_id="18197").author is None


def test_import_updates_existing_rows_and_replaces_figures(world, tmp_path):
    """Importing twice changes nothing; a changed document updates rows in place."""
    build_catalogue(world)
    path = tmp_path / "catalogue.json"
    exchange.export_catalogue(path, "json")
    exchange.import_catalogue(path)
    exchange.import_catalogue(path)
    assert (UseCase.objects.count(), Provider.objects.count(), Figure.objects.count(),
            Feedback.objects.count()) == (2, 3, 3, 2)  # fmt: skip
    text = path.read_text().replace("Détection des fuites d'eau", "Fuites d'eau")
    path.write_text(text)
    exchange.import_catalogue(path)
    assert UseCase.objects.get(slug="fuites").title == "Fuites d'eau"
    assert Figure.objects.count() == 3


def test_management_command_exports_and_imports(world, tmp_path, capsys):
    """`catalogue export` then `catalogue import` through the management command."""
    build_catalogue(world)
    archive = tmp_path / "catalogue.zip"
    call_command("catalogue", "export", "--format", "csv", "--output", str(archive))
    assert sorted(zipfile.ZipFile(archive).namelist()) == sorted(
        f"{table}.csv" for table in exchange.TABLES
    )
    empty_catalogue()
    call_command("catalogue", "import", str(archive))
    out = capsys.readouterr().out
    assert f"Catalogue exporté : {archive}" in out
    assert (
        "Catalogue importé : 3 étiquettes, 2 cas d'usage, 3 fournisseurs, 3 solutions, "
        "3 chiffres, 2 retours d'expérience." in out
    )
    assert Solution.objects.count() == 3
