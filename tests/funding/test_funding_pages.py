"""The funding pages: the list with filters, a territory's eligibility, a programme,
the calendar and a collectivité's page for its members."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

from territoria.funding.models import DigestSubscription
from tests.funding.factories import DETR_RULES, make_programme

TODAY = timezone.localdate()


@pytest.fixture
def programmes(world):
    detr = make_programme(
        "detr",
        name="Dotation d'équipement des territoires ruraux",
        eligibility=DETR_RULES,
        rate_min=20,
        rate_max=80,
        windows=[(TODAY - timedelta(30), TODAY + timedelta(20))],
    )
    loan = make_programme(
        "pret-secteur-public",
        name="Prêt au secteur public local",
        aid_types=["loan"],
        funders=["Banque publique"],
        windows=[(None, None)],
    )
    regional = make_programme(
        "appel-region-ailleurs",
        name="Appel d'une autre région",
        scale="regions",
        perimeter_codes=["75"],
        windows=[(TODAY, TODAY + timedelta(200))],
    )
    return {"detr": detr, "loan": loan, "regional": regional}


def test_the_list_shows_every_programme_and_filters_by_type(client, programmes):
    """All published programmes are listed; the type filter keeps loans only."""
    page = client.get(reverse("funding:home")).content.decode()
    assert all(p.name in page.replace("&#x27;", "'") for p in programmes.values())
    loans = client.get(reverse("funding:home"), {"type": "loan"}).content.decode()
    assert "Prêt au secteur public local" in loans
    assert "Dotation" not in loans


def test_closing_soon_keeps_programmes_closing_within_30_days(client, programmes):
    """« Clôture dans les 30 jours » keeps DETR (20 days left) only."""
    page = client.get(reverse("funding:home"), {"bientot": "on"}).content.decode()
    assert "Dotation d&#x27;équipement" in page
    assert "Appel d&#x27;une autre région" not in page and "Prêt au secteur" not in page


def test_choosing_a_territory_leads_to_its_eligibility(client, programmes):
    """Picking a commune by its code opens its eligibility page."""
    response = client.get(reverse("funding:home"), {"territoire": "", "territoire_code": "18173"})
    assert response.status_code == 302
    assert response.url == reverse("funding:territory", args=["18173"])


def test_a_territory_page_groups_programmes_by_verdict_with_reasons(client, programmes):
    """Saint-Amand-Montrond: DETR probable with its check, the loan eligible, the other
    région's call not accessible with the reason."""
    response = client.get(reverse("funding:territory", args=["18197"]))
    assert response.status_code == 200
    eligible = [m.programme.slug for m in response.context["eligible"]]
    probable = [m.programme.slug for m in response.context["probable"]]
    ineligible = [m.programme.slug for m in response.context["ineligible"]]
    assert (eligible, probable, ineligible) == (
        ["pret-secteur-public"],
        ["detr"],
        ["appel-region-ailleurs"],
    )
    page = response.content.decode()
    assert "potentiel financier par habitant" in page
    assert "territoire compris dans le périmètre du programme" in page


def test_an_unknown_code_is_not_found(client, programmes):
    """A code that is neither an INSEE commune code nor a SIREN gives 404."""
    assert client.get(reverse("funding:territory", args=["00000"])).status_code == 404


def test_a_programme_page_shows_its_conditions_and_the_visitor_collectivites(
    client, world, programmes
):
    """The programme page lists its rules in French and, for a member, their verdict."""
    client.force_login(world.agent_saint_amand)
    page = client.get(reverse("funding:programme", args=["detr"])).content.decode()
    assert "l&#x27;une des conditions suivantes" in page
    assert "population d&#x27;au plus 2\xa0000 habitants" in page
    assert "Saint-Amand-Montrond" in page and "Probablement éligible" in page


def test_the_calendar_lists_deadlines_by_month(client, programmes):
    """Windows closing in the next twelve months are listed; ongoing ones apart."""
    response = client.get(reverse("funding:calendar"))
    windows = [w.programme.slug for _, ws in response.context["months"] for w in ws]
    assert windows == ["detr", "appel-region-ailleurs"]
    assert [p.slug for p in response.context["ongoing"]] == ["pret-secteur-public"]


def test_the_calendar_of_a_territory_keeps_its_programmes(client, programmes):
    """For Saint-Amand-Montrond, the other région's call is left out."""
    response = client.get(reverse("funding:calendar"), {"code": "18197"})
    windows = [w.programme.slug for _, ws in response.context["months"] for w in ws]
    assert windows == ["detr"]


def test_members_see_their_collectivite_page_and_subscribe(client, world, programmes):
    """An agent sees the page of their collectivité and subscribes to the digest; a
    member of another collectivité gets 404."""
    url = reverse("funding:collectivite", args=["saint-amand-montrond"])
    client.force_login(world.agent_niort)
    assert client.get(url).status_code == 404
    client.force_login(world.agent_saint_amand)
    assert client.get(url).status_code == 200
    client.post(reverse("funding:subscribe", args=["saint-amand-montrond"]), {"abonner": "1"})
    assert DigestSubscription.objects.filter(user=world.agent_saint_amand).count() == 1
    client.post(reverse("funding:subscribe", args=["saint-amand-montrond"]), {"abonner": "0"})
    assert not DigestSubscription.objects.exists()


def test_a_use_case_page_lists_the_programmes_naming_it(client, world):
    """The catalogue's use-case page lists the programmes that fund it and, for a member,
    the verdict for their collectivité."""
    from tests.catalogue.factories import make_use_case

    use_case = make_use_case(slug="detection-fuites-slot")
    make_programme("agence-eau", name="Aide aux réseaux d'eau", use_cases=[use_case])
    client.force_login(world.agent_saint_amand)
    page = client.get(use_case.get_absolute_url()).content.decode()
    assert "Aide aux réseaux d&#x27;eau" in page
    assert "Saint-Amand-Montrond : éligible" in page
