"""The group-purchase allocation CSV escapes a text starting like a formula and keeps
amounts as numbers, negative ones included."""

from django.urls import reverse

from territoria import tabular
from tests.purchasing.factories import join, make_campaign


def test_convention_csv_escapes_text_not_amounts(client, world):
    """A deliberation reference starting with - is escaped; euro amounts are numbers."""
    campaign = make_campaign(world)
    join(campaign, world.agent_saint_amand, world.saint_amand, 60, ref="-DEL=1")
    client.force_login(world.agent_cc)
    response = client.get(reverse("purchasing:convention_csv", args=[campaign.pk]))
    sheet = tabular.read(response.content)
    row = dict(zip(sheet.header, sheet.rows[0][1], strict=True))
    assert row["deliberation"] == "'-DEL=1"
    assert row["total_membre_ht"] == "10200.00"
    assert float(row["economie_ht"]) == float(row["cout_seul_ht"]) - 10200
