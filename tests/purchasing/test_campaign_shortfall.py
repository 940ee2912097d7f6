"""A groupement whose shared costs outweigh the volume gain says so in words, with the
units missing to reach the next tier and who would then save: on the page, in the
convention PDF's source and in the member's email."""

from django.core import mail
from django.template.loader import render_to_string
from django.utils import timezone

import pytest

from territoria.accounts.enums import Role
from territoria.purchasing.convention import convention
from territoria.purchasing.enums import Notice
from territoria.purchasing.tasks import notify
from tests.factories import make_member
from tests.purchasing.factories import join, make_campaign


@pytest.fixture
def losing(world):
    """Saint-Amand-Montrond 40 and Orval 15 sensors: 55 units reach the 120 € tier, but
    1 500 € of shared costs exceed the 1 100 € the group price saves."""
    campaign = make_campaign(world, shared_costs_cents=150_000)
    join(campaign, world.agent_saint_amand, world.saint_amand, 40)
    join(campaign, make_member(world.orval, Role.AGENT, "agent@orval.fr"), world.orval, 15)
    return campaign


def test_the_shortfall_names_the_losers_and_the_next_tier(losing):
    data = convention(losing)
    shortfall = data.shortfall
    assert shortfall.group_saving_cents == 55 * 2_000 - 150_000
    # 95 more units reach 105 €: today's 55 units then save 55 × 35 € against 1 500 €.
    assert shortfall.group_saving_at_next_tier_cents == 55 * 3_500 - 150_000
    text = " ".join(shortfall.sentences(data.members))
    assert "Saint-Amand-Montrond paierait" in text
    assert "Le groupement dans son ensemble paierait 400,00\xa0€ de plus" in text
    assert "Il manque 95 capteur au lot « Capteurs » pour atteindre le palier à 105,00\xa0€" in text
    assert "le groupement économiserait 425,00\xa0€" in text
    assert "Saint-Amand-Montrond économiserait" in text


def test_no_warning_when_everyone_saves(world):
    campaign = make_campaign(world, shared_costs_cents=10_000)
    join(campaign, world.agent_saint_amand, world.saint_amand, 10)
    join(campaign, make_member(world.orval, Role.AGENT, "agent@orval.fr"), world.orval, 45)
    data = convention(campaign)
    assert all(line.share.saving_cents > 0 for line in data.members)
    assert data.shortfall is None


def test_without_a_cheaper_tier_the_warning_says_what_is_left(world):
    campaign = make_campaign(
        world,
        shared_costs_cents=150_000,
        lots=[{"name": "Capteurs", "unit": "capteur", "tiers": [(1, 14_000), (50, 12_000)]}],
    )
    join(campaign, world.agent_saint_amand, world.saint_amand, 55)
    text = " ".join(convention(campaign).shortfall.sentences(convention(campaign).members))
    assert "Il n'existe pas de palier de prix plus bas" in text


def test_members_read_it_on_the_page_the_public_does_not(client, world, losing):
    page = client.get(losing.get_absolute_url()).content.decode()
    assert "économie négative" not in page
    client.force_login(world.agent_saint_amand)
    page = client.get(losing.get_absolute_url()).content.decode()
    assert "Attention : économie négative" in page
    assert "Il manque 95 capteur" in page


def test_the_convention_document_carries_it(world, losing):
    data = convention(losing)
    html = render_to_string(
        "purchasing/convention_pdf.html",
        {"campaign": losing, "data": data, "today": timezone.localdate()},
    )
    assert "Attention : économie négative" in html
    assert "le groupement économiserait 425,00" in html


def test_the_members_email_carries_it(world, losing):
    mail.outbox.clear()
    notify.call(losing.pk, str(Notice.DEADLINE), [world.saint_amand.pk], "test")
    (message,) = mail.outbox
    assert "Attention : économie négative." in message.body
    assert "Saint-Amand-Montrond paierait" in message.body
    assert "Il manque 95 capteur" in message.body
