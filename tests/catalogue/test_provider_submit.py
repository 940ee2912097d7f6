"""Providers submit and edit their offers: declared figures, moderation status, drafts,
errors in one transaction, and no access to other providers' offers."""

from decimal import Decimal

from django.urls import reverse

import pytest

from territoria.catalogue.enums import FigureKind, Moderation, Unit
from territoria.catalogue.models import Figure, Solution, SolutionRevision
from tests.catalogue.factories import make_figure, make_provider, make_solution, make_use_case
from tests.catalogue.provider_helpers import offer_data


@pytest.fixture
def setup(world, client):
    use_case = make_use_case(slug="fuites")
    provider = make_provider("Hydro Exemple")
    provider.members.add(world.provider)
    client.force_login(world.provider)
    create = reverse("catalogue:solution_create", kwargs={"pk": provider.pk})
    return use_case, provider, create


@pytest.mark.django_db
def test_a_member_submits_an_offer_with_declared_figures(setup, world, client):
    """A new offer is saved as submitted; its figures are declared by the provider."""
    use_case, provider, create = setup
    response = client.post(create, offer_data([use_case], figures=[{}]))
    solution = Solution.objects.get(name="Capteurs Hydro Exemple")
    assert response.status_code == 302
    assert response.url == reverse("catalogue:provider", kwargs={"pk": provider.pk})
    assert (solution.status, solution.provider, solution.slug) == (
        Moderation.SUBMITTED, provider, "capteurs-hydro-exemple",
    )  # fmt: skip
    assert solution.submitted_at is not None
    assert list(solution.use_cases.all()) == [use_case]
    assert solution.purchase_channels == ["ugap"]
    figure = solution.figures.get()
    assert (figure.kind, figure.source_title, figure.value_min, figure.value_max) == (
        FigureKind.DECLARED, "Déclaration du fournisseur", Decimal("800"), Decimal("1200"),
    )  # fmt: skip
    assert solution.capex_min == Decimal("800")
    revision = SolutionRevision.objects.get(solution=solution)
    assert (revision.author, revision.status_after) == (world.provider, Moderation.SUBMITTED)


@pytest.mark.django_db
def test_save_as_draft_keeps_the_offer_in_draft(setup, client):
    """The "save as draft" button saves the offer without sending it to moderation."""
    use_case, _, create = setup
    client.post(create, offer_data([use_case], save_draft="1"))
    solution = Solution.objects.get()
    assert (solution.status, solution.submitted_at) == (Moderation.DRAFT, None)


@pytest.mark.django_db
def test_a_figure_with_min_above_max_saves_nothing(setup, client):
    """A figure whose low value exceeds its high value gets a French error; no offer,
    no figure, no history is saved."""
    use_case, _, create = setup
    data = offer_data([use_case], figures=[{"value_min": "2000", "value_max": "100"}])
    response = client.post(create, data)
    assert response.status_code == 200
    assert response.context["formset"].errors == [
        {"value_max": ["La valeur haute doit être supérieure ou égale à la valeur basse."]}
    ]
    assert (Solution.objects.count(), Figure.objects.count()) == (0, 0)
    assert SolutionRevision.objects.count() == 0


@pytest.mark.django_db
def test_a_figure_with_an_unknown_unit_saves_nothing(setup, client):
    """An unknown unit gets Django's French choice error and nothing is saved."""
    use_case, _, create = setup
    response = client.post(create, offer_data([use_case], figures=[{"unit": "furlongs"}]))
    assert response.context["formset"].errors == [
        {"unit": ["Sélectionnez un choix valide. furlongs n’en fait pas partie."]}
    ]
    assert Solution.objects.count() == 0


@pytest.mark.django_db
def test_editing_an_approved_offer_sends_it_back_to_moderation(setup, world, client):
    """An edit of a published offer makes it submitted again and removes it from the
    public catalogue until approved; the form says so."""
    use_case, provider, _ = setup
    solution = make_solution("Capteurs publiés", use_cases=[use_case], provider=provider)
    url = reverse("catalogue:solution_edit", kwargs={"pk": provider.pk, "solution_pk": solution.pk})
    page = client.get(url).content.decode()
    assert "une modification la renvoie en modération et la retire du catalogue public" in page
    response = client.post(url, offer_data([use_case], name="Capteurs publiés v2"))
    solution.refresh_from_db()
    assert response.status_code == 302
    assert (solution.status, solution.name) == (Moderation.SUBMITTED, "Capteurs publiés v2")
    revision = solution.revisions.get()
    assert revision.changes["name"] == ["Capteurs publiés", "Capteurs publiés v2"]
    client.logout()
    assert client.get(solution.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_editing_a_declared_figure_clears_its_verification(setup, world, client):
    """A changed figure loses the operator's check; sourced figures of operators are
    not in the provider's form."""
    use_case, provider, _ = setup
    solution = make_solution("Capteurs", use_cases=[use_case], provider=provider)
    declared = make_figure(
        solution, kind=FigureKind.DECLARED, source_title="Déclaration du fournisseur",
        source_url="", unit=Unit.PERCENT, verified_by=world.operator,
        verified_at="2026-01-01T00:00:00Z",
    )  # fmt: skip
    make_figure(solution, label="Estimation publiée")
    url = reverse("catalogue:solution_edit", kwargs={"pk": provider.pk, "solution_pk": solution.pk})
    data = offer_data([use_case], name="Capteurs") | {
        "figures-TOTAL_FORMS": "1",
        "figures-INITIAL_FORMS": "1",
        "figures-0-id": str(declared.pk),
        "figures-0-metric": declared.metric,
        "figures-0-label": declared.label,
        "figures-0-value_min": "12",
        "figures-0-value_max": "35",
        "figures-0-unit": declared.unit,
        "figures-0-basis": "",
    }
    assert client.post(url, data).status_code == 302
    declared.refresh_from_db()
    assert (declared.value_min, declared.verified_at, declared.verified_by) == (
        Decimal("12"), None, None,
    )  # fmt: skip
    assert solution.figures.count() == 2


@pytest.mark.django_db
def test_a_provider_cannot_edit_another_providers_offer(setup, world, client):
    """Another provider's offer, through one's own provider or theirs, is a 404; so is an
    unknown provider."""
    use_case, provider, _ = setup
    other = make_provider("Concurrent SA")
    theirs = make_solution("Offre concurrente", use_cases=[use_case], provider=other)
    through_mine = reverse(
        "catalogue:solution_edit", kwargs={"pk": provider.pk, "solution_pk": theirs.pk}
    )
    through_theirs = reverse(
        "catalogue:solution_edit", kwargs={"pk": other.pk, "solution_pk": theirs.pk}
    )
    assert client.get(through_mine).status_code == 404
    assert client.post(through_theirs, offer_data([use_case], name="Piraté")).status_code == 404
    unknown = reverse("catalogue:solution_create", kwargs={"pk": other.pk + 1000})
    assert client.get(unknown).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.name, theirs.status) == ("Offre concurrente", Moderation.APPROVED)


@pytest.mark.django_db
def test_the_provider_page_lists_offers_with_status(setup, client):
    """The members' page lists each offer with its moderation status."""
    use_case, provider, _ = setup
    make_solution("Offre en attente", use_cases=[use_case], provider=provider,
                  status=Moderation.SUBMITTED)  # fmt: skip
    page = client.get(reverse("catalogue:provider", kwargs={"pk": provider.pk})).content.decode()
    assert "Offre en attente" in page
    assert "En attente de modération" in page
