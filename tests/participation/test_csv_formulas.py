"""Participation CSV files: answers and census letters escape formulas; a census saved
by Excel in Windows-1252 is read."""

from django.urls import reverse

from territoria import tabular
from territoria.participation.census import import_census
from territoria.participation.models import CensusEntry
from tests.participation.factories import make_campaign, make_consultation

FORMULA = '=HYPERLINK("http://evil.example","Voir")'


def test_consultation_export_escapes_a_free_text_formula(client, world):
    """A respondent's free text starting with = is exported after an apostrophe."""
    consultation, qs = make_consultation(world.niort)
    q1, q2, q3, q4, q5 = qs
    client.force_login(world.citizen)
    kwargs = {"slug": "niort", "consultation": consultation.slug}
    client.post(reverse("participation:consultation", kwargs=kwargs), {
        f"q{q1.pk}": "Oui", f"q{q2.pk}": ["École"], f"q{q3.pk}": "4",
        f"q{q4.pk}_0": "2", f"q{q4.pk}_1": "3", f"q{q4.pk}_2": "1", f"q{q5.pk}": FORMULA,
    })  # fmt: skip
    client.force_login(world.agent_niort)
    body = client.get(reverse("participation:consultation_export", kwargs=kwargs)).content
    sheet = tabular.read(body)
    assert sheet.delimiter == ";"
    assert sheet.rows[0][1][0] == "1"
    assert sheet.rows[0][1][-1] == "'" + FORMULA


def test_census_letters_escape_a_formula_and_excel_census_is_read(world):
    """A census saved by Excel (Windows-1252, semicolons) is imported, and a name
    starting like a formula is escaped in the mail-merge file."""
    campaign = make_campaign(world.saint_amand)
    census = (
        "nom;prénom;date_naissance;quartier;adresse\r\n"
        "=cmd|' /C calc'!A0;Zoé;12/04/1985;Centre;+1 rue Haute\r\n"
        "Lefèvre;Anaïs;03/11/1990;Gare;2 rue Basse\r\n"
    ).encode("cp1252")
    added, _known, letters = import_census(
        campaign, world.agent_saint_amand, census, with_codes=True
    )
    assert added == 2 and CensusEntry.objects.filter(campaign=campaign).count() == 2
    rows = tabular.read(letters).rows
    assert [cells[:4] for _line, cells in rows] == [
        ["'=cmd|' /C calc'!A0", "Zoé", "'+1 rue Haute", "Centre"],
        ["Lefèvre", "Anaïs", "2 rue Basse", "Gare"],
    ]
