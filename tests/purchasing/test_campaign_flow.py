"""A groupement de commandes from preparation to closing, through the actions."""

from datetime import timedelta

from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

import pytest

from territoria.accounts.actions import ActionError
from territoria.purchasing import actions
from territoria.purchasing.convention import convention
from territoria.purchasing.enums import CampaignStatus
from territoria.purchasing.models import Need, Participant, SentNotice
from territoria.purchasing.tasks import follow_deadlines
from tests.email_links import follow_signed_out
from tests.purchasing.factories import BIN_TIERS, join, make_campaign, make_member_commune


@pytest.fixture(autouse=True)
def immediate(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def orval(world):
    from territoria.accounts.enums import Role
    from tests.factories import make_member

    return make_member(world.orval, Role.AGENT, "agent@orval.fr")


def test_members_see_the_group_price_their_share_and_their_saving(world, orval):
    """Two communes joining reach the 50-unit tier: each pays 120 € a sensor, and saves
    against what it would pay alone; shared costs are split to the cent."""
    campaign = make_campaign(world)
    join(campaign, world.agent_saint_amand, world.saint_amand, 40)
    join(campaign, orval, world.orval, 15)
    data = convention(campaign)
    (lot,) = data.lots
    assert (lot.volume, lot.unit_price_cents, lot.next_tier.min_quantity, lot.missing) == (
        55,
        12_000,
        150,
        95,
    )
    shares = {line.participant.collectivite.slug: line.share for line in data.members}
    assert shares["saint-amand-montrond"].lots_cents[lot.lot.pk] == 40 * 12_000
    assert sum(s.shared_cents for s in shares.values()) == 300_000
    orval_share = shares["orval"]
    assert orval_share.alone_cents[lot.lot.pk] == 15 * 14_000
    assert orval_share.saving_cents == 15 * 2_000 - orval_share.shared_cents


def test_reaching_a_tier_notifies_the_members_once(
    world, orval, django_capture_on_commit_callbacks
):
    """Crossing the 50-unit tier mails the members and the coordinator, once."""
    campaign = make_campaign(world)
    join(campaign, world.agent_saint_amand, world.saint_amand, 40)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        join(campaign, orval, world.orval, 15)
    subjects = {m.subject for m in mail.outbox}
    assert subjects == {
        "Achat groupé « Capteurs de remplissage des bacs » : un palier de prix est atteint"
    }
    assert SentNotice.objects.filter(kind="tier").count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        join(campaign, orval, world.orval, 16)
    assert SentNotice.objects.filter(kind="tier").count() == 3


def test_a_notice_link_works_signed_out(world, orval, client, django_capture_on_commit_callbacks):
    """The campaign page of a notice opens for a reader who is not signed in."""
    campaign = make_campaign(world)
    join(campaign, world.agent_saint_amand, world.saint_amand, 40)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        join(campaign, orval, world.orval, 15)
    paths = follow_signed_out(client, mail.outbox[0].body, world.agent_saint_amand)
    assert campaign.get_absolute_url() in paths


def test_opening_invites_the_epci_communes_by_email(world, django_capture_on_commit_callbacks):
    """Opening a campaign open to the EPCI mails the agents of its registered communes."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_campaign(world)
    invited = {address for m in mail.outbox for address in m.to}
    assert invited == {"agent@saint-amand.fr", "admin@saint-amand.fr"}
    assert "avant le" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("quantity", "code"),
    [(-3, "invalid_quantity"), (2.5, "invalid_quantity"), ("12", "invalid_quantity"),
     (0, "no_need")],
    ids=["negative_case", "fraction_case", "text_case", "nothing_case"],
)  # fmt: skip
def test_bad_quantities_are_refused_and_nothing_changes(world, quantity, code):
    """Negative, fractional or empty needs: a clear refusal, nothing written."""
    campaign = make_campaign(world)
    with pytest.raises(ActionError) as refused:
        join(campaign, world.agent_saint_amand, world.saint_amand, quantity)
    assert refused.value.code == code
    assert not Participant.objects.exists() and not Need.objects.exists()


def test_a_late_request_gets_an_explanation(world):
    """After the needs deadline, joining is refused with the reason and the date."""
    campaign = make_campaign(world)
    campaign.needs_deadline = timezone.localdate() - timedelta(days=1)
    campaign.save()
    with pytest.raises(ActionError) as refused:
        join(campaign, world.agent_saint_amand, world.saint_amand, 10)
    assert refused.value.code == "frozen"
    assert "un membre ne peut pas rejoindre une procédure en cours" in refused.value.message
    assert not Participant.objects.exists()


def test_the_deadline_task_freezes_and_reminds(world):
    """Past the deadline the hourly task freezes the campaign; a week before, it reminds
    the invited communes once."""
    soon = make_campaign(world, needs_deadline=timezone.localdate() + timedelta(days=3))
    mail.outbox.clear()
    assert follow_deadlines.call() == {"frozen": 0, "reminded": 1}
    assert follow_deadlines.call() == {"frozen": 0, "reminded": 0}
    soon.needs_deadline = timezone.localdate() - timedelta(days=1)
    soon.save()
    assert follow_deadlines.call()["frozen"] == 1
    soon.refresh_from_db()
    assert soon.status == CampaignStatus.FROZEN


def test_a_non_invited_collectivite_cannot_join(world):
    """Niort is neither invited nor in the EPCI: refused, nothing written."""
    campaign = make_campaign(world)
    with pytest.raises(ActionError) as refused:
        join(campaign, world.agent_niort, world.niort, 10)
    assert refused.value.code == "not_invited"
    assert refused.value.message == "Niort n'est pas invitée à cet achat groupé."


def test_nobody_edits_another_members_needs(world, orval):
    """An agent of Orval cannot write Saint-Amand-Montrond's needs."""
    campaign = make_campaign(world)
    join(campaign, world.agent_saint_amand, world.saint_amand, 40)
    with pytest.raises(PermissionDenied):
        join(campaign, orval, world.saint_amand, 1)
    assert Need.objects.get().quantity == 40


def test_rising_price_tiers_are_refused(world):
    """A tier that raises the price with volume is refused when preparing."""
    with pytest.raises(ActionError) as refused:
        make_campaign(world, lots=[{"name": "Capteurs", "tiers": [(1, 100), (10, 150)]}])
    assert "le prix monte entre 1 et 10 unités" in refused.value.message


def test_award_recomputes_shares_and_closing_keeps_them(
    world, orval, django_capture_on_commit_callbacks
):
    """The awarded price replaces the tiers; members are told; the campaign closes."""
    campaign = make_campaign(world)
    join(campaign, world.agent_saint_amand, world.saint_amand, 40)
    join(campaign, orval, world.orval, 15)
    actions.freeze(campaign, world.agent_cc)
    lot = campaign.lots.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.award(world.agent_cc, campaign, {lot.pk: 11_000})
    assert convention(campaign).lots[0].unit_price_cents == 11_000
    assert len(mail.outbox) == 2
    assert "Votre part :" in mail.outbox[0].body
    actions.close(world.agent_cc, campaign)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED


def test_crossing_the_procurement_threshold_is_flagged(world):
    """A total above the threshold in force is flagged, with its period and source."""
    campaign = make_campaign(world, publication_date=timezone.datetime(2025, 3, 1).date())
    join(campaign, world.agent_saint_amand, world.saint_amand, 2100)
    data = convention(campaign)
    assert data.value_cents == 2100 * 10_500 + 300_000
    assert data.over_threshold
    assert (data.threshold.amount_cents, data.threshold.period, data.threshold.known) == (
        22_100_000,
        "2024-2025",
        True,
    )


def test_tiers_fixture_is_monotone():
    """The tiers used here are a valid price list."""
    from territoria.purchasing.allocation import Tier, check_tiers

    assert check_tiers([Tier(q, p) for q, p in BIN_TIERS]) == []


def test_shared_service_statement_sums_to_the_cost(world):
    """A shared service's yearly cost is split among communes, to the cent."""
    from territoria.purchasing.models import ServiceUse, SharedService
    from territoria.purchasing.shared import statement

    service = SharedService.objects.create(
        collectivite=world.cc, name="Réseau LoRaWAN", yearly_cost_cents=1_200_001, year=2026,
        sharing_rule={"quantity": 70, "inhabitants": 30},
    )  # fmt: skip
    ServiceUse.objects.create(service=service, commune=world.saint_amand, units=120)
    ServiceUse.objects.create(service=service, commune=world.orval, units=30)
    lines = statement(service)
    assert sum(line.share_cents for line in lines) == 1_200_001
    assert [line.commune.slug for line in lines] == ["orval", "saint-amand-montrond"]
    assert lines[1].share_cents > lines[0].share_cents


def test_unused_factory_is_importable():
    """The member-commune factory creates a commune of the EPCI with its agent."""
    assert callable(make_member_commune)


def test_a_joined_campaign_is_a_project_of_the_members_plan(world, orval):
    """After joining, re-planning puts the purchase in the member's roadmap, imposed, with
    its share of the groupement as the investment."""
    from territoria.roadmap import actions as roadmap_actions
    from territoria.roadmap.models import Project

    campaign = make_campaign(world)
    join(campaign, world.agent_saint_amand, world.saint_amand, 40)
    share = convention(campaign).line_for(world.saint_amand).share.total_cents
    scenario = roadmap_actions.create_scenario(
        world.agent_saint_amand, world.saint_amand, "Avec l'achat groupé"
    )
    project = Project.objects.get(scenario=scenario, use_case=campaign.use_case)
    assert (project.lock, project.capex_override) == ("imposed", share / 100)
    assert project.override_note == (
        "Part de la collectivité dans l'achat groupé « Capteurs de remplissage des bacs »"
    )
    assert project.start_year is not None
