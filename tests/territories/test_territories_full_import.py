"""The shipped extract, imported whole with the real command (one import per module)."""

from io import StringIO

from django.core.management import call_command

import pytest

from territoria.territories.models import (
    Commune,
    Departement,
    Epci,
    FormerCode,
    Region,
    SearchToken,
)
from territoria.territories.search import search

pytestmark = pytest.mark.full_data


def test_full_import_loads_france_and_a_second_run_changes_nothing(db, full_cog):
    """All 34,969 communes and 1,255 EPCI load in under 30 s; re-importing changes nothing."""
    assert full_cog.seconds < 30
    assert "Communes — créés : 34969, modifiés : 0, inchangés : 0, supprimés : 0" in full_cog.output
    assert "EPCI — créés : 1255, modifiés : 0, inchangés : 0, supprimés : 0" in full_cog.output
    counts = (
        Commune.objects.count(),
        Epci.objects.count(),
        Departement.objects.count(),
        Region.objects.count(),
        FormerCode.objects.count(),
    )
    assert counts == (34_969, 1_255, 109, 26, 4_285)
    assert Departement.objects.exclude(zone="com").count() == 101
    assert Region.objects.exclude(zone="com").count() == 18
    assert Commune.objects.filter(epci__isnull=False).count() == 34_871
    tokens = SearchToken.objects.count()

    out = StringIO()
    call_command("import_territories", stdout=out, stderr=StringIO())
    assert "Communes — créés : 0, modifiés : 0, inchangés : 34969, supprimés : 0" in out.getvalue()
    assert "Aucun changement : les territoires sont déjà à jour" in out.getvalue()
    assert SearchToken.objects.count() == tokens


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("st amand montrond", "18197"),
        ("18200", "18197"),
        ("saint etienne", "42218"),
        ("paris", "75056"),
        ("l'isle adam", "95313"),
        ("2A004", "2A004"),
    ],
    ids=[
        "st_amand_case",
        "postal_case",
        "saint_etienne_case",
        "paris_case",
        "isle_case",
        "corsica_case",
    ],
)
def test_search_over_all_of_france_puts_the_expected_commune_first(db, full_cog, query, code):
    """Over the full data, the queries of the acceptance journeys find their commune first."""
    assert search(query)[0]["code"] == code


def test_search_api_over_all_of_france(client, db, full_cog):
    """The JSON endpoint answers the acceptance query over the full data."""
    body = client.get("/api/territoires/recherche", {"q": "st amand montrond"}).json()
    assert body["results"][0]["code"] == "18197"
