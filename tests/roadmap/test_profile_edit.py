"""Editing a territory's profile: defaults labelled as hypotheses, French errors on bad
input with nothing saved, and rights (agents edit, élus read, others never see)."""

from django.urls import reverse

import pytest

from territoria.accounts.enums import Role
from territoria.catalogue.models import Tag
from territoria.roadmap.forms import ProfileForm
from territoria.roadmap.models import Profile
from territoria.roadmap.planning import DEFAULT_EQUIPMENT, default_profile
from tests.catalogue.factories import make_tag
from tests.factories import make_member

URL = reverse("roadmap:profile", kwargs={"slug": "saint-amand-montrond"})


def form_data(profile, **changes):
    form = ProfileForm(instance=profile)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = value if isinstance(value, list) else str(value)
    return data | changes


@pytest.fixture(autouse=True)
def tags(db):
    for slug in DEFAULT_EQUIPMENT:
        make_tag(slug, kind=Tag.Kind.PREREQUISITE)


@pytest.fixture
def agent(client, world):
    client.force_login(world.agent_saint_amand)
    return client


def test_a_town_without_profile_gets_labelled_defaults(agent, world):
    """Without a saved profile, values come from the population and are hypotheses."""
    response = agent.get(reverse("roadmap:overview", kwargs={"slug": "saint-amand-montrond"}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Aucun profil enregistré" in html
    assert html.count('<span class="badge badge-warn">hypothèse</span>') >= 9
    assert "49\u00a0000\u00a0€" in html  # 5 € per inhabitant, rounded to the thousand


def test_saving_the_profile_turns_edited_values_into_facts(agent, world):
    """Edited fields stop being hypotheses; untouched ones stay labelled."""
    data = form_data(
        default_profile(world.saint_amand), water_eur="115000", water_source="Factures 2025"
    )
    response = agent.post(URL, data)
    assert response.status_code == 302
    profile = Profile.objects.get(collectivite=world.saint_amand)
    assert profile.water_eur == 115000
    assert "water_eur" not in profile.hypotheses
    assert "lighting_eur" in profile.hypotheses
    basis = profile.cost_basis("water")
    assert (basis["is_hypothesis"], basis["source"]) == (False, "Factures 2025")
    assert basis["unit_price_eur"] == round(115000 / float(profile.water_m3), 4)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("yearly_budget_eur", "-5000", "Un montant ne peut pas être négatif."),
        (
            "yearly_budget_eur",
            "900000000",
            "Un budget de plus de 10 000 € par habitant et par an n&#x27;est pas vraisemblable",
        ),
        ("horizon_years", "40", "L&#x27;horizon va de 1 à 15 ans"),
        ("weight_networks", "9", "Une priorité va de 0 à 5."),
        ("water_eur", "-1", "Un montant ne peut pas être négatif."),
    ],
    ids=["negative_budget_case", "absurd_budget_case", "horizon_case", "weight_case", "water_case"],
)
def test_bad_input_is_refused_in_french_and_nothing_is_saved(agent, world, field, value, message):
    """Bad input gets a French message and no profile is written."""
    data = form_data(default_profile(world.saint_amand), **{field: value})
    response = agent.post(URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Profile.objects.exists()


def test_an_elu_reads_but_cannot_edit(client, world):
    """An élu of the town sees the profile but cannot change it."""
    elu = make_member(world.saint_amand, Role.ELU, "elu@saint-amand.fr")
    client.force_login(elu)
    assert (
        client.get(reverse("roadmap:overview", kwargs={"slug": "saint-amand-montrond"})).status_code
        == 200
    )
    response = client.post(URL, form_data(default_profile(world.saint_amand)))
    assert response.status_code == 403
    assert not Profile.objects.exists()


def test_another_town_does_not_know_the_profile(client, world):
    """An agent of Niort gets 404 on Saint-Amand-Montrond's roadmap."""
    client.force_login(world.agent_niort)
    assert client.get(URL).status_code == 404


def test_the_profile_page_shows_every_field_of_the_form(agent, world):
    """No field of the form is missing from the page (a required one would make every
    save fail)."""
    page = agent.get(URL).content.decode()
    form = ProfileForm(instance=default_profile(world.saint_amand))
    assert [name for name in form.fields if f'name="{name}"' not in page] == []
