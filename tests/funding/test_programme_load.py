"""The shipped programmes load whole or not at all, idempotently, keeping edits."""

import json
import shutil

from django.core.management import call_command

import pytest

from territoria.funding import content
from territoria.funding.enums import UpdateStatus
from territoria.funding.models import ImportedUpdate, NamedList, Programme, Window


@pytest.fixture
def data_copy(tmp_path):
    """A copy of the shipped funding data that a test may break."""
    target = tmp_path / "funding"
    shutil.copytree(content.DATA_DIR, target)
    return target


def _edit(path, change):
    data = json.loads((path / content.PROGRAMMES_FILE).read_text())
    change(data["programmes"])
    (path / content.PROGRAMMES_FILE).write_text(json.dumps(data))


def test_the_shipped_programmes_load_and_a_second_load_changes_nothing(shipped_catalogue):
    """Every shipped programme loads with its funders, windows and sources; loading
    again reports that nothing changed."""
    first = content.load()
    total = len(json.loads((content.DATA_DIR / content.PROGRAMMES_FILE).read_text())["programmes"])
    assert first.created == total == Programme.objects.count()
    assert not Programme.objects.filter(funders=None).exists()
    assert not Programme.objects.filter(fictitious=False, sources=[]).exists()
    assert all(p.last_checked for p in Programme.objects.all())
    again = content.load()
    assert (again.created, again.updated, again.unchanged) == (0, 0, total)
    assert str(again) == f"Rien n'a changé ({total} programmes déjà à jour)."


def test_fictitious_programmes_say_so_in_their_name(shipped_catalogue):
    """Demo programmes are labelled fictitious, in their flag and their name."""
    content.load()
    fictitious = Programme.objects.filter(fictitious=True)
    assert fictitious.count() >= 1
    assert all(p.name.endswith("(exemple fictif)") for p in fictitious)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda ps: ps[0].update(rate_min=120), "un taux est compris entre 0 et 100 %"),
        (
            lambda ps: ps[0].update(
                windows=[{"opens_on": "2027-03-01", "closes_on": "2027-01-31"}]
            ),
            "la date limite précède la date d'ouverture",
        ),
        (lambda ps: ps[0].update(eligibility=[{"population_max": "beaucoup"}]),
         "population_max doit être un nombre positif"),
        (lambda ps: ps[0].update(use_cases=["cas-inexistant"]), "cas d'usage inconnus"),
        (lambda ps: ps[0].update(rate_min=90, rate_max=10),
         "le taux minimal dépasse le taux maximal"),
    ],
    ids=["rate_over_100_case", "deadline_before_opening_case", "malformed_rule_case",
         "unknown_use_case_case", "rates_reversed_case"],
)  # fmt: skip
def test_a_bad_programme_rejects_the_whole_file(shipped_catalogue, data_copy, change, message):
    """One bad record: a French message naming it, and nothing written at all."""
    _edit(data_copy, change)
    with pytest.raises(content.FileRejected) as rejected:
        content.load(data_copy)
    assert any(message in str(problem) for problem in rejected.value.problems)
    assert str(rejected.value.problems[0]).startswith("programmes[0]")
    assert Programme.objects.count() == Window.objects.count() == 0
    assert NamedList.objects.count() == 0


def test_an_edited_field_is_not_overwritten_by_a_new_version(shipped_catalogue, data_copy):
    """A field an operator edited keeps its value; the file's new value waits for review."""
    content.load(data_copy)
    first = json.loads((data_copy / content.PROGRAMMES_FILE).read_text())["programmes"][0]
    programme = Programme.objects.get(slug=first["slug"])
    programme.description = "Texte revu par l'opérateur."
    programme.edited_fields = ["description"]
    programme.save()
    _edit(data_copy, lambda ps: ps[0].update(description="Nouvelle description", note="revu"))
    summary = content.load(data_copy)
    programme.refresh_from_db()
    assert programme.description == "Texte revu par l'opérateur."
    assert programme.note == "revu"
    assert (summary.updated, summary.pending) == (1, 1)
    update = ImportedUpdate.objects.get(programme=programme)
    assert (update.field, update.proposed, update.status) == (
        "description",
        "Nouvelle description",
        UpdateStatus.PENDING,
    )


def test_the_load_command_reports_in_french(shipped_catalogue, capsys):
    """`manage.py funding load` says what it did."""
    call_command("funding", "load")
    assert "programmes créés" in capsys.readouterr().out
