"""The cash-flow CSV: project titles starting like a formula are escaped, amounts stay
numbers even when negative."""

from django.urls import reverse

import pytest

from territoria import tabular
from territoria.roadmap import demo
from territoria.roadmap.models import Scenario


@pytest.fixture
def plan(shipped, client):
    demo.load([shipped.saint_amand])
    client.force_login(shipped.agent_saint_amand)
    return Scenario.objects.get(collectivite=shipped.saint_amand)


def test_cash_flow_csv_escapes_titles_and_keeps_numbers(client, plan):
    """Every amount parses as a number; a title starting with = is escaped."""
    result = plan.result
    for economics in result["economics"].values():
        economics["title"] = "=1+1 " + economics["title"]
    Scenario.objects.filter(pk=plan.pk).update(result=result)
    response = client.get(
        reverse("roadmap:scenario_csv", kwargs={"slug": "saint-amand-montrond", "pk": plan.pk})
    )
    sheet = tabular.read(response.content)
    started = [cells[-1] for _line, cells in sheet.rows if cells[-1]]
    assert started and all(cell.startswith("'=1+1 ") for cell in started)
    for _line, cells in sheet.rows:
        for cell in cells[2:-1]:
            float(cell)  # no apostrophe in front of an amount, negative or not
