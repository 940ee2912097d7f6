"""Catalogue CSV exchange: formulas are escaped for spreadsheets and read back exactly."""

import pytest

from territoria.catalogue import exchange
from territoria.catalogue.models import UseCase
from tests.catalogue.exchange_data import build_catalogue, empty_catalogue

pytestmark = pytest.mark.django_db


def test_formula_text_is_escaped_in_csv_and_imported_as_written(world, tmp_path):
    """A use case whose risks start with = or - is exported escaped and imported back
    with exactly its text."""
    build_catalogue(world)
    risks = '=HYPERLINK("http://evil.example")\n- liste à puces'
    UseCase.objects.filter(slug="fuites").update(risks=risks)
    folder = tmp_path / "catalogue"
    exchange.export_catalogue(folder, "csv")
    text = (folder / "use_cases.csv").read_text(encoding="utf-8")
    assert '"\'=HYPERLINK(""http://evil.example"")\n- liste à puces"' in text
    empty_catalogue()
    exchange.import_catalogue(folder)
    assert UseCase.objects.get(slug="fuites").risks == risks
