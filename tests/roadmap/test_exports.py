"""The council PDF and the cash-flow CSV of a scenario."""

import csv
import io

from django.urls import reverse

import pytest

from territoria.roadmap import demo
from territoria.roadmap.models import Scenario


@pytest.fixture
def plan(shipped, client):
    demo.load([shipped.saint_amand])
    client.force_login(shipped.agent_saint_amand)
    return Scenario.objects.get(collectivite=shipped.saint_amand)


def test_the_council_pdf_is_a_pdf(client, plan):
    """The PDF export answers a PDF file named after the town and scenario."""
    response = client.get(
        reverse("roadmap:scenario_pdf", kwargs={"slug": "saint-amand-montrond", "pk": plan.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == (
        'attachment; filename="feuille-de-route-saint-amand-montrond-politique-des-petits-pas.pdf"'
    )


def test_the_cash_flow_csv_has_one_row_per_year_and_end(client, plan):
    """The CSV holds each year of each end of the ranges, with the projects started."""
    response = client.get(
        reverse("roadmap:scenario_csv", kwargs={"slug": "saint-amand-montrond", "pk": plan.pk})
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    first = plan.result["profile"]["first_year"]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert rows[0] == [
        "fourchette", "annee", "budget_eur", "aides_eur", "investissement_eur",
        "fonctionnement_eur", "economies_eur", "tresorerie_fin_annee_eur",
        "depenses_cumulees_eur", "economies_cumulees_eur", "projets_lances",
    ]  # fmt: skip
    assert len(rows) == 1 + 3 * 6
    central_first = next(r for r in rows if r[0] == "central" and r[1] == str(first))
    assert central_first[2] == "30000.00"
    assert "Détection des fuites d'eau par capteurs" in central_first[-1]
