"""Group-purchase pages: the public list and page, joining, the coordinator's steps and
the convention exports."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

from territoria.purchasing.enums import CampaignStatus
from territoria.purchasing.models import Campaign, Need
from tests.purchasing.factories import join, make_campaign


@pytest.fixture
def campaign(world):
    campaign = make_campaign(world)
    join(campaign, world.agent_saint_amand, world.saint_amand, 60)
    return campaign


def test_an_open_campaign_is_public_but_its_members_are_not(client, campaign):
    """A visitor sees the lots, volume and tier; not the members and their shares."""
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "Volume du groupement : 60 capteur" in page
    assert "Encore 90 unités pour passer à" in page
    assert "DEL-2026-01" not in page and "Membres et répartition" not in page
    assert client.get(reverse("purchasing:convention_csv", args=[campaign.pk])).status_code == 404


def test_a_member_sees_its_share_and_saving(client, world, campaign):
    """Saint-Amand-Montrond's agent sees its part and its saving against buying alone."""
    client.force_login(world.agent_saint_amand)
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "Votre part — Saint-Amand-Montrond" in page
    assert "60 capteur × 120,00\xa0€ = 7\u202f200,00\xa0€" in page
    assert "Économie par rapport à un achat seul" in page


def test_joining_through_the_form_and_bad_input(client, world, campaign):
    """The form records needs; a negative quantity is refused with a message, nothing
    changes."""
    client.force_login(world.agent_saint_amand)
    lot = campaign.lots.get()
    url = reverse("purchasing:join", args=[campaign.pk])
    form = {
        "member": world.saint_amand.pk,
        "deliberation_ref": "DEL-2026-02",
        "deliberation_date": (timezone.localdate() - timedelta(days=3)).isoformat(),
        f"lot_{lot.pk}": "70",
    }
    client.post(url, form)
    assert Need.objects.get().quantity == 70
    response = client.post(url, form | {f"lot_{lot.pk}": "-4"}, follow=True)
    assert "Inscription refusée" in response.content.decode()
    assert Need.objects.get().quantity == 70


def test_a_late_joiner_reads_why(client, world, campaign):
    """After the deadline, the page explains that the needs are frozen."""
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.FROZEN)
    client.force_login(world.agent_niort)
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "il n'est plus possible d'adhérer à ce groupement" in page


def test_the_coordinator_exports_the_convention(client, world, campaign):
    """The coordinator gets the convention as PDF and the allocation as CSV, which sums
    to the group total."""
    client.force_login(world.agent_cc)
    pdf = client.get(reverse("purchasing:convention_pdf", args=[campaign.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    rows = client.get(reverse("purchasing:convention_csv", args=[campaign.pk])).content.decode()
    header, line = rows.strip().splitlines()
    assert header.startswith("membre,code,deliberation")
    assert line.split(",")[:6] == [
        "Saint-Amand-Montrond", "18197", "DEL-2026-01",
        (timezone.localdate() - timedelta(days=10)).isoformat(), "Capteurs", "60",
    ]  # fmt: skip
    assert line.split(",")[-3] == "10200.00"  # 60 × 120 € + all 3,000 € of shared costs


def test_the_coordinator_freezes_then_awards(client, world, campaign):
    """Freeze, then award with a price typed the French way."""
    client.force_login(world.agent_cc)
    client.post(reverse("purchasing:freeze", args=[campaign.pk]))
    lot = campaign.lots.get()
    client.post(reverse("purchasing:award", args=[campaign.pk]), {f"price_{lot.pk}": "110,50"})
    lot.refresh_from_db()
    campaign.refresh_from_db()
    assert (campaign.status, lot.awarded_unit_price_cents) == (CampaignStatus.AWARDED, 11_050)


def test_preparing_a_campaign_with_tiers(client, world):
    """An agent prepares a campaign with a lot and its tiers from the form."""
    from tests.catalogue.factories import make_use_case

    use_case = make_use_case(slug="eclairage-walker")
    client.force_login(world.agent_saint_amand)
    form = {
        "coordinator": world.saint_amand.pk, "title": "Luminaires LED", "use_case": use_case.pk,
        "legal_type": "simple", "market_kind": "supplies_services",
        "needs_deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "shared_costs": "1 500", "rule_quantity": "100", "rule_inhabitants": "0",
        "rule_equal": "0", "lots-TOTAL_FORMS": "2", "lots-INITIAL_FORMS": "0",
        "lots-0-name": "Luminaires", "lots-0-unit": "luminaires",
        "lots-0-quantity_0": "1", "lots-0-price_0": "450", "lots-0-quantity_1": "100",
        "lots-0-price_1": "390,00",
    }  # fmt: skip
    response = client.post(reverse("purchasing:create"), form)
    campaign = Campaign.objects.get(title="Luminaires LED")
    assert response.url == campaign.get_absolute_url()
    assert campaign.shared_costs_cents == 150_000
    assert [(t.min_quantity, t.unit_price_cents) for t in campaign.lots.get().tiers.all()] == [
        (1, 45_000),
        (100, 39_000),
    ]
    rising = form | {"title": "Autre", "lots-0-price_1": "500"}
    page = client.post(reverse("purchasing:create"), rising).content.decode()
    assert "le prix monte entre 1 et 100 unités" in page
    assert not Campaign.objects.filter(title="Autre").exists()


def test_an_open_campaign_shows_on_its_catalogue_pages(client, world):
    """The solution's and the use case's catalogue pages announce the open campaign."""
    from tests.catalogue.factories import make_solution

    campaign = make_campaign(world)
    solution = make_solution(
        "Capteurs Exemple", slug="capteurs-exemple", use_cases=[campaign.use_case]
    )
    Campaign.objects.filter(pk=campaign.pk).update(solution=solution)
    for url in (solution.get_absolute_url(), campaign.use_case.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "Achat groupé en cours" in page and campaign.get_absolute_url() in page
