"""The agent's desk: creating a budget, importing the census, reviewing, opening."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from territoria.participation.models import Campaign, CensusEntry, Project
from tests.participation.factories import CENSUS, make_campaign, make_project


def _manage(campaign, name="campaign_manage", **extra):
    return reverse(
        f"participation:{name}",
        kwargs={"slug": campaign.collectivite.slug, "campaign": campaign.slug, **extra},
    )


def test_an_agent_creates_an_approval_budget(client, world):
    """Approval voting needs a maximum number of projects."""
    client.force_login(world.agent_niort)
    url = reverse("participation:campaign_new", kwargs={"slug": "niort"})
    data = {
        "title": "BP 2027",
        "slug": "bp-2027",
        "envelope": 50_000,
        "rule": "approval",
        "tie_break": "lower_cost",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "demande un nombre maximal de projets" in refused.content.decode()
    assert client.post(url, data | {"max_projects": 3}).status_code == 302
    assert Campaign.objects.get().max_projects == 3


def test_an_elu_cannot_run_a_budget(client, world):
    """Élus read; the desk is for agents and admins."""
    campaign = make_campaign(world.niort)
    client.force_login(world.elu_niort)
    assert client.get(_manage(campaign)).status_code == 403


def test_the_census_upload_returns_the_letters_once(client, world):
    """With codes, the answer is the mail-merge file; the database keeps hashes only."""
    campaign = make_campaign(world.niort)
    client.force_login(world.agent_niort)
    response = client.post(
        _manage(campaign, "census_import"),
        {"file": SimpleUploadedFile("votants.csv", CENSUS.encode()), "with_codes": "on"},
    )
    assert response["Content-Disposition"] == 'attachment; filename="courriers-bp-2026.csv"'
    assert response["Cache-Control"] == "no-store"
    lines = response.content.decode().splitlines()
    assert lines[0] == "nom;prenom;adresse;quartier;code"
    assert lines[1].startswith("Martin;Camille;1 rue Haute;Centre;")
    assert CensusEntry.objects.count() == 3


def test_a_faulty_census_upload_lists_its_lines(client, world):
    """A faulty file gives the list of its faulty lines and imports nobody."""
    campaign = make_campaign(world.niort)
    client.force_login(world.agent_niort)
    bad = "nom;prenom;date_naissance\nMartin;;12/04/1985\n"
    response = client.post(
        _manage(campaign, "census_import"),
        {"file": SimpleUploadedFile("votants.csv", bad.encode())},
    )
    assert response.status_code == 400
    assert "Ligne 2 : le nom et le prénom sont obligatoires." in response.content.decode()
    assert CensusEntry.objects.count() == 0


def test_reviewing_then_opening_freezes_the_list(client, world):
    """A feasible project needs a cost; once the vote is open, reviews are refused."""
    campaign = make_campaign(world.niort)
    project = make_project(campaign, "Jardin", None, status="submitted")
    client.force_login(world.agent_niort)
    review = _manage(campaign, "project_review", pk=project.pk)
    no_cost = client.post(review, {"feasible": "yes", "reason": "Terrain disponible"})
    assert no_cost.status_code == 400
    client.post(review, {"feasible": "yes", "cost": 12_000, "reason": "Terrain disponible"})
    client.post(_manage(campaign, "campaign_transition", step="ouvrir"))
    late = client.post(review, {"feasible": "no", "reason": "Changement d'avis"}, follow=True)
    assert "la liste des projets soumis au vote est figée" in late.content.decode()
    project.refresh_from_db()
    assert (project.status, project.cost) == ("feasible", 12_000)
    assert Campaign.objects.get().rules_frozen_at is not None
    assert Project.objects.count() == 1
