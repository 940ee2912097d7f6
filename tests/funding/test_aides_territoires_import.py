"""Importing saved Aides-territoires API responses: idempotent, provenance kept, edits
never overwritten, broken records rejected with nothing half-imported."""

import json

from django.core.management import CommandError, call_command

import pytest

from territoria.funding import content
from territoria.funding.models import ImportedUpdate, Programme
from territoria.territories.models import Region
from tests.funding.aides_territoires import page, record


@pytest.fixture
def regions(world):
    Region.objects.filter(code="24").update(name="Centre-Val de Loire")
    return world


def _write(tmp_path, data):
    path = tmp_path / "aides.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_an_aid_is_imported_with_its_perimeter_rates_window_and_provenance(regions, tmp_path):
    """A regional aid becomes a programme of that région, with its rates, deadline and
    the raw record kept."""
    summary = content.import_aides_territoires(_write(tmp_path, page(record())))
    assert summary.created == 1
    programme = Programme.objects.get(origin="aides-territoires", external_id="101")
    assert (programme.scale, programme.perimeter_codes) == ("regions", ["24"])
    assert (programme.rate_min, programme.rate_max) == (20, 50)
    assert programme.beneficiaries == ["commune", "epci"]
    assert programme.aid_types == ["grant"]
    window = programme.windows.get()
    assert (str(window.opens_on), str(window.closes_on), window.recurrence) == (
        "2026-09-01",
        "2027-03-31",
        "recurring",
    )
    assert programme.raw["slug"] == "moderniser-leclairage-public"
    assert programme.eligibility == [{"check": "Projets engagés après le dépôt du dossier."}]


def test_importing_again_changes_nothing(regions, tmp_path):
    """The same file twice: one programme, reported unchanged."""
    path = _write(tmp_path, page(record()))
    content.import_aides_territoires(path)
    again = content.import_aides_territoires(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert Programme.objects.count() == 1


def test_an_imported_update_waits_for_review_on_an_edited_field(regions, tmp_path):
    """A deadline changed upstream does not overwrite a rate an operator corrected."""
    content.import_aides_territoires(_write(tmp_path, page(record())))
    programme = Programme.objects.get()
    programme.rate_max = 40
    programme.edited_fields = ["rate_max"]
    programme.save()
    content.import_aides_territoires(
        _write(
            tmp_path, page(record(subvention_rate_upper_bound=60, submission_deadline="2027-04-30"))
        )
    )
    programme.refresh_from_db()
    assert programme.rate_max == 40
    assert str(programme.windows.get().closes_on) == "2027-04-30"
    update = ImportedUpdate.objects.get()
    assert (update.field, update.current, update.proposed) == ("rate_max", "40", "60")


def test_an_unknown_perimeter_is_kept_with_a_note(regions, tmp_path):
    """A perimeter name the geographic code does not know is imported as 'to check'."""
    content.import_aides_territoires(_write(tmp_path, page(record(perimeter="Pays du Berry"))))
    programme = Programme.objects.get()
    assert programme.note == "Périmètre « Pays du Berry » à vérifier."
    assert programme.confidence == "low"


def test_broken_records_reject_the_file_with_their_positions(regions, tmp_path):
    """Broken records are named by position and id; nothing at all is imported."""
    path = _write(
        tmp_path,
        page(
            record(),
            record(id=102, subvention_rate_upper_bound=150),
            record(id=103, start_date="2027-05-01", submission_deadline="2027-01-01"),
            record(id=104, targeted_audiences=["Entreprises privées"]),
        ),
    )
    with pytest.raises(CommandError) as refused:
        call_command("funding", "import-aides-territoires", str(path))
    message = str(refused.value)
    assert message.startswith("Fichier refusé, rien n'a été écrit :")
    assert (
        "fiche 2 (id 102), champ « subvention_rate_upper_bound » : un taux est compris" in message
    )
    assert "fiche 3 (id 103), champ « windows[0] » : la date limite précède" in message
    assert "fiche 4 (id 104), champ « targeted_audiences »" in message
    assert Programme.objects.count() == 0


def test_a_file_that_is_not_json_is_refused_in_french(db, tmp_path):
    """An unreadable file gets a French message."""
    path = tmp_path / "aides.json"
    path.write_text("<html>", encoding="utf-8")
    with pytest.raises(content.FileRejected) as refused:
        content.import_aides_territoires(path)
    assert "fichier JSON illisible" in str(refused.value.problems[0])
