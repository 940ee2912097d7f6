"""The COG import on a small sample cut from the shipped extract."""

import gzip
import json
from io import StringIO

from django.core.management import CommandError, call_command

import pytest

from territoria.territories.models import (
    Collectivite,
    Commune,
    Departement,
    Epci,
    FormerCode,
    Region,
    SearchToken,
)
from territoria.territories.search import find_commune
from tests.factories import make_collectivite
from tests.territories.cog_sample import sample_extract, write_extract


def run_import(path) -> str:
    out = StringIO()
    call_command("import_territories", "--file", str(path), stdout=out, stderr=StringIO())
    return out.getvalue()


def snapshot() -> dict:
    return {
        "communes": sorted(Commune.objects.values_list("code", "name", "population", "epci_id")),
        "epcis": sorted(Epci.objects.values_list("siren", "name", "population")),
        "former": sorted(FormerCode.objects.values_list("code", "commune_id")),
        "tokens": SearchToken.objects.count(),
    }


@pytest.mark.django_db
def test_import_loads_every_table_of_the_file(sample_file):
    """The import creates every région, département, EPCI, commune and former code."""
    data = sample_extract()
    output = run_import(sample_file)
    assert Region.objects.count() == len(data["regions"]) == 10
    assert Departement.objects.count() == len(data["departements"]) == 12
    assert Epci.objects.count() == len(data["epci"]) == 35
    assert Commune.objects.count() == len(data["communes"]) == 420
    assert FormerCode.objects.count() == len(data["former_codes"]) == 156
    assert "Communes — créés : 420, modifiés : 0, inchangés : 0, supprimés : 0" in output
    assert "Source : @etalab/decoupage-administratif 6.0.0 (2026-03-09)" in output


@pytest.mark.django_db
def test_import_fills_every_field_of_a_commune(sample_file):
    """A commune gets its name, population, postal codes, SIREN, département, région,
    EPCI (from the EPCI's members) and folded search text."""
    run_import(sample_file)
    commune = Commune.objects.get(code="18197")
    assert (commune.name, commune.population, commune.postal_codes, commune.siren) == (
        "Saint-Amand-Montrond",
        9899,
        ["18200"],
        "211801972",
    )
    assert (commune.departement_id, commune.region_id, commune.epci_id) == ("18", "24", "200036135")
    assert commune.search_text == "saint amand montrond"
    assert Epci.objects.get(siren="200036135").search_text == "cc coeur de france"
    assert Departement.objects.get(code="2A").name == "Corse-du-Sud"


@pytest.mark.django_db
def test_second_import_changes_nothing(sample_file):
    """Re-importing the same file creates nothing, updates nothing and says so."""
    run_import(sample_file)
    before = snapshot()
    output = run_import(sample_file)
    assert snapshot() == before
    assert "Communes — créés : 0, modifiés : 0, inchangés : 420, supprimés : 0" in output
    assert "Aucun changement : les territoires sont déjà à jour" in output


@pytest.mark.django_db
def test_changed_population_is_updated_in_place(tmp_path, sample_file):
    """A new population updates that commune and its search index, nothing else."""
    run_import(sample_file)
    data = sample_extract()
    next(c for c in data["communes"] if c["code"] == "18197")["population"] = 10_500
    output = run_import(write_extract(tmp_path / "new.json.gz", data))
    assert Commune.objects.get(code="18197").population == 10_500
    assert set(
        SearchToken.objects.filter(commune_id="18197").values_list("population", flat=True)
    ) == {10_500}
    assert "Communes — créés : 0, modifiés : 1, inchangés : 419, supprimés : 0" in output
    assert Commune.objects.count() == 420


@pytest.mark.django_db
def test_commune_gone_from_the_file_is_deleted_unless_registered(tmp_path, sample_file):
    """A commune no longer in the file is deleted; one registered as a collectivité is
    kept and reported."""
    run_import(sample_file)
    make_collectivite(Commune.objects.get(code="18173"), "orval")
    data = sample_extract()
    data["communes"] = [c for c in data["communes"] if c["code"] not in {"18173", "18200"}]
    for epci in data["epci"]:
        epci["members"] = [m for m in epci["members"] if m not in {"18173", "18200"}]
    data["former_codes"] = [
        f for f in data["former_codes"] if f["commune"] not in {"18173", "18200"}
    ]
    err = StringIO()
    out = StringIO()
    call_command(
        "import_territories",
        "--file",
        str(write_extract(tmp_path / "n.json.gz", data)),
        stdout=out,
        stderr=err,
    )
    assert not Commune.objects.filter(code="18200").exists()
    assert Commune.objects.filter(code="18173").exists()
    assert Collectivite.objects.filter(commune_id="18173").exists()
    assert "Communes — créés : 0, modifiés : 0, inchangés : 418, supprimés : 1" in out.getvalue()
    assert "Communes — absents du fichier mais encore utilisés, donc conservés : 1 (18173)" in (
        err.getvalue()
    )


@pytest.mark.django_db
def test_former_codes_resolve_to_the_current_commune(sample_file):
    """A commune déléguée's code, an arrondissement municipal's code and an ancien code
    all lead to the current commune."""
    run_import(sample_file)
    assert find_commune("01340")[0].code == "01015"  # anciensCodes of Arboys en Bugey
    assert find_commune("13201")[0].code == "13055"  # Marseille 1er arrondissement
    assert FormerCode.objects.get(code="13201").name == "Marseille 1er Arrondissement"
    assert find_commune("18197") == (Commune.objects.get(code="18197"), None)
    assert find_commune("99999") == (None, None)


def _bad_checksum(path, data):
    write_extract(path, data)
    path.with_name(path.name + ".sha256").write_text("0" * 64 + f"  {path.name}\n")


def _truncated_gzip(path, data):
    write_extract(path, data, checksum=False)
    path.write_bytes(path.read_bytes()[:500])


def _bad_json(path, data):
    path.write_bytes(gzip.compress(b'{"format": 1, "regions": [', mtime=0))


def _missing_field(path, data):
    del next(c for c in data["communes"] if c["code"] == "18197")["population"]
    write_extract(path, data)


def _unknown_departement(path, data):
    next(c for c in data["communes"] if c["code"] == "18197")["departement"] = "99"
    write_extract(path, data)


def _unknown_member(path, data):
    data["epci"][0]["members"].append("99999")
    write_extract(path, data)


def _wrong_format(path, data):
    data["format"] = 2
    write_extract(path, data)


def _long_name(path, data):
    next(c for c in data["communes"] if c["code"] == "18197")["name"] = "x" * 101
    write_extract(path, data)


def _negative_population(path, data):
    next(c for c in data["communes"] if c["code"] == "18197")["population"] = -1
    write_extract(path, data)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_bad_checksum, "est corrompu : son empreinte SHA-256 ne correspond pas"),
        (_truncated_gzip, "n'est pas une archive gzip valide"),
        (_bad_json, "n'est pas un JSON valide (ligne 1, colonne 27)"),
        (_missing_field, "commune 18197 : le champ « population » est absent."),
        (_unknown_departement, "commune 18197 : département inconnu « 99 »."),
        (_unknown_member, "EPCI 200000933 : commune membre inconnue « 99999 »."),
        (_wrong_format, "Format de fichier inconnu (2) : ce programme lit le format 1."),
        (
            _negative_population,
            "commune 18197 : la valeur -1 du champ « population » est invalide.",
        ),
        (_long_name, 'commune 18197 : la valeur "xxxxxxxx'),
    ],
    ids=[
        "bad_checksum_case",
        "truncated_gzip_case",
        "bad_json_case",
        "missing_field_case",
        "unknown_departement_case",
        "unknown_member_case",
        "wrong_format_case",
        "negative_population_case",
        "long_name_case",
    ],
)
def test_damaged_file_is_refused_and_changes_nothing(tmp_path, sample_file, damage, message):
    """A corrupt or malformed file gets a clear French error and the database keeps
    what it had."""
    run_import(sample_file)
    before = snapshot()
    data = sample_extract()
    next(c for c in data["communes"] if c["code"] == "18173")["population"] = 1  # a change
    damaged = tmp_path / "damaged.json.gz"
    damage(damaged, data)
    with pytest.raises(CommandError) as error:
        run_import(damaged)
    assert str(error.value).startswith("Import des territoires impossible, rien n'a été modifié.")
    assert message in str(error.value)
    assert snapshot() == before


@pytest.mark.django_db
def test_missing_file_is_refused(tmp_path):
    """A path that does not exist is reported in French."""
    with pytest.raises(CommandError, match="Impossible de lire le fichier .*absent.json"):
        run_import(tmp_path / "absent.json")


@pytest.mark.django_db
def test_plain_json_without_checksum_is_accepted(tmp_path):
    """An uncompressed JSON file without a .sha256 beside it imports too."""
    path = tmp_path / "cog.json"
    path.write_text(json.dumps(sample_extract()), encoding="utf-8")
    run_import(path)
    assert Commune.objects.count() == 420
