"""Roles on a roadmap: agents keep the profile, élus set priorities, decide on projects
and record the council's adoption of a scenario; nobody else writes."""

from django.urls import reverse
from django.utils import timezone

import pytest

from territoria.accounts.enums import Role
from territoria.accounts.models import AuditEvent
from territoria.roadmap import demo
from territoria.roadmap.models import Profile, Scenario
from tests.factories import make_member

SLUG = "saint-amand-montrond"


@pytest.fixture
def town(shipped):
    demo.load([shipped.saint_amand])
    return Scenario.objects.get(collectivite=shipped.saint_amand)


@pytest.fixture
def elu(shipped):
    return make_member(shipped.saint_amand, Role.ELU, "elu@saint-amand.fr")


def url(name, scenario=None):
    return reverse(
        f"roadmap:{name}", kwargs={"slug": SLUG} | ({"pk": scenario.pk} if scenario else {})
    )


def test_an_elu_sets_the_priorities_but_reads_the_profile(client, town, elu):
    client.force_login(elu)
    weights = {f"weight_{axis}": "3" for axis in Profile.objects.get().axis_weights()}
    weights["weight_networks"] = "5"
    assert client.post(url("save_weights"), weights).status_code == 302
    assert Profile.objects.get().axis_weights()["networks"] == 5
    page = client.get(url("profile")).content.decode()
    assert "Lire le profil détaillé" in client.get(url("overview")).content.decode()
    assert "Enregistrer le profil" not in page and "disabled" in page
    assert client.post(url("profile"), {"population": "1"}).status_code == 403


def test_an_elu_decides_on_a_project(client, town, elu):
    client.force_login(elu)
    response = client.post(url("decide", town), {"use_case": "wifi-public", "lock": "excluded"})
    assert response.status_code == 302
    assert town.projects.get(use_case__slug="wifi-public").lock == "excluded"


def test_the_elus_record_the_adoption(client, town, elu):
    client.force_login(elu)
    today = timezone.localdate()
    response = client.post(
        url("adopt", town), {"deliberation_ref": "DEL-2027-014", "adopted_on": today.isoformat()}
    )
    assert response.status_code == 302
    town.refresh_from_db()
    assert (town.deliberation_ref, town.adopted_on, town.is_current) == (
        "DEL-2027-014",
        today,
        True,
    )
    assert AuditEvent.objects.filter(action="roadmap.scenario_adopted").count() == 1
    page = client.get(town.get_absolute_url()).content.decode()
    assert "Adopté par le conseil : délibération DEL-2027-014" in page


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"deliberation_ref": "", "adopted_on": "2026-01-05"}, "Ce champ est obligatoire"),
        ({"deliberation_ref": "DEL-1", "adopted_on": "05/01/2026x"}, "Saisissez une date valide"),
        ({"deliberation_ref": "DEL-1", "adopted_on": "2999-01-01"}, "passée ou du jour"),
    ],
)
def test_a_bad_adoption_changes_nothing(client, town, elu, form, message):
    client.force_login(elu)
    response = client.post(url("adopt", town), form)
    assert response.status_code == 400
    assert message in response.content.decode()
    town.refresh_from_db()
    assert town.adopted_on is None and town.deliberation_ref == ""


def test_an_agent_prepares_but_does_not_adopt(client, town, shipped):
    client.force_login(shipped.agent_saint_amand)
    response = client.post(
        url("adopt", town), {"deliberation_ref": "DEL-9", "adopted_on": "2026-01-05"}
    )
    assert response.status_code == 403
    assert "Enregistrer l'adoption" not in client.get(town.get_absolute_url()).content.decode()
    assert client.get(url("profile")).content.decode().count("Enregistrer le profil") == 1


def test_another_towns_elu_gets_nothing(client, town, shipped):
    client.force_login(make_member(shipped.niort, Role.ELU, "elu2@niort.fr"))
    response = client.post(
        url("adopt", town), {"deliberation_ref": "DEL-9", "adopted_on": "2026-01-05"}
    )
    assert response.status_code == 404
