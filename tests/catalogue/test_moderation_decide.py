"""Operators moderate providers' offers: queue with diff, decision with a mandatory
reason, figures marked verified, history, audit log and emails to the provider."""

from django.urls import reverse

import pytest

from territoria.accounts.models import AuditEvent
from territoria.catalogue.actions import notify_decision
from territoria.catalogue.enums import Moderation
from territoria.catalogue.models import Solution, SolutionRevision
from territoria.catalogue.search import search
from tests.catalogue.factories import make_provider, make_use_case
from tests.catalogue.provider_helpers import offer_data
from tests.email_links import follow_signed_out
from tests.factories import make_user

pytestmark = pytest.mark.django_db
QUEUE = reverse("catalogue:moderation")


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def submitted(world, client):
    """An offer submitted by a member of Hydro Exemple (which has a second member)."""
    use_case = make_use_case(slug="fuites")
    provider = make_provider("Hydro Exemple")
    provider.members.add(world.provider, make_user("associee@hydro.example.fr"))
    client.force_login(world.provider)
    create = reverse("catalogue:solution_create", kwargs={"pk": provider.pk})
    client.post(create, offer_data([use_case], name="Capteurs Hydro", figures=[{}]))
    client.logout()
    return Solution.objects.get(), use_case, provider


def _decide(client, solution, decision, reason, capture):
    url = reverse("catalogue:moderate", kwargs={"pk": solution.pk})
    with capture(execute=True):
        return client.post(url, {"decision": decision, "reason": reason})


def test_the_queue_lists_submitted_offers_only(submitted, world, client):
    """The queue shows offers awaiting a decision, not drafts nor published ones."""
    solution, _, _ = submitted
    client.force_login(world.operator)
    response = client.get(QUEUE)
    assert [s.pk for s in response.context["solutions"]] == [solution.pk]
    assert "1 offre attend une décision." in response.content.decode()


def test_approving_publishes_records_and_emails_the_members(
    submitted, world, client, mailoutbox, django_capture_on_commit_callbacks
):
    """Approval publishes the offer, writes history and audit, mails every member."""
    solution, _, provider = submitted
    client.force_login(world.operator)
    response = _decide(
        client, solution, "approve", "Offre complète.", django_capture_on_commit_callbacks
    )
    solution.refresh_from_db()
    assert response.status_code == 302
    assert (solution.status, solution.moderated_by) == (Moderation.APPROVED, world.operator)
    revision = solution.revisions.first()
    assert (revision.action, revision.status_before, revision.status_after, revision.reason) == (
        "approved", Moderation.SUBMITTED, Moderation.APPROVED, "Offre complète.",
    )  # fmt: skip
    event = AuditEvent.objects.get(action="solution.approved")
    assert (event.actor, event.object_id) == (world.operator, str(solution.pk))
    assert sorted(m.to[0] for m in mailoutbox) == [
        "associee@hydro.example.fr",
        "fournisseur@exemple-sarl.fr",
    ]
    assert mailoutbox[0].subject == "Votre offre Capteurs Hydro est publiée"
    assert "Motif : Offre complète." in mailoutbox[0].body
    reader = solution.provider.members.get(email=mailoutbox[0].to[0])
    follow_signed_out(client, mailoutbox[0].body, reader)
    client.logout()
    assert client.get(solution.get_absolute_url()).status_code == 200
    assert [s.pk for s in search("Capteurs Hydro").solutions] == [solution.pk]


def test_rejecting_shows_the_reason_to_the_provider(
    submitted, world, client, mailoutbox, django_capture_on_commit_callbacks
):
    """A refusal keeps the offer private; the provider reads the reason on its page."""
    solution, _, provider = submitted
    client.force_login(world.operator)
    _decide(
        client, solution, "reject", "Chiffres sans base de calcul.",
        django_capture_on_commit_callbacks,
    )  # fmt: skip
    solution.refresh_from_db()
    assert (solution.status, solution.rejection_reason) == (
        Moderation.REJECTED, "Chiffres sans base de calcul.",
    )  # fmt: skip
    assert mailoutbox[0].subject == "Votre offre Capteurs Hydro est refusée"
    assert AuditEvent.objects.filter(action="solution.rejected").count() == 1
    client.force_login(world.provider)
    page = client.get(reverse("catalogue:provider", kwargs={"pk": provider.pk})).content.decode()
    assert "Refusée" in page
    assert "Chiffres sans base de calcul." in page


def test_a_decision_without_a_reason_changes_nothing(
    submitted, world, client, mailoutbox, django_capture_on_commit_callbacks
):
    """An empty reason gets a French message; status, history, audit and mail unchanged."""
    solution, _, _ = submitted
    client.force_login(world.operator)
    response = _decide(client, solution, "reject", "  ", django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["Indiquez le motif de la décision."]}
    solution.refresh_from_db()
    assert solution.status == Moderation.SUBMITTED
    assert SolutionRevision.objects.filter(solution=solution).count() == 1
    assert AuditEvent.objects.filter(action__startswith="solution.re").count() == 0
    assert mailoutbox == []


def test_the_diff_compares_with_the_last_approved_version(
    submitted, world, client, django_capture_on_commit_callbacks
):
    """After an edit of a published offer, the moderation page shows what changed."""
    solution, use_case, provider = submitted
    client.force_login(world.operator)
    _decide(client, solution, "approve", "Complète.", django_capture_on_commit_callbacks)
    client.force_login(world.provider)
    edit = reverse(
        "catalogue:solution_edit", kwargs={"pk": provider.pk, "solution_pk": solution.pk}
    )
    figure = solution.figures.get()
    client.post(
        edit,
        offer_data([use_case], name="Capteurs Hydro 2")
        | {
            "figures-TOTAL_FORMS": "1",
            "figures-INITIAL_FORMS": "1",
            "figures-0-id": str(figure.pk),
            "figures-0-metric": figure.metric,
            "figures-0-label": figure.label,
            "figures-0-value_min": "800",
            "figures-0-value_max": "1200",
            "figures-0-unit": figure.unit,
            "figures-0-basis": figure.basis,
        },
    )
    client.force_login(world.operator)
    response = client.get(reverse("catalogue:moderate", kwargs={"pk": solution.pk}))
    assert response.context["is_new"] is False
    assert response.context["changes"] == [("Nom", "Capteurs Hydro", "Capteurs Hydro 2")]


def test_an_operator_marks_a_figure_verified(submitted, world, client):
    """Marking a figure verified records who and when, in the audit log too."""
    solution, _, _ = submitted
    figure = solution.figures.get()
    client.force_login(world.operator)
    url = reverse("catalogue:verify_figure", kwargs={"pk": figure.pk})
    response = client.post(url)
    figure.refresh_from_db()
    assert response.url == reverse("catalogue:moderate", kwargs={"pk": solution.pk})
    assert figure.verified_by == world.operator
    assert figure.verified_at is not None
    assert AuditEvent.objects.get(action="figure.verified").object_id == str(figure.pk)
    assert client.get(url).status_code == 405


def test_a_provider_cannot_moderate(submitted, world, client):
    """A provider's member gets 403 on the queue, the decision and the figure check,
    even for their own offer; nothing changes."""
    solution, _, _ = submitted
    client.force_login(world.provider)
    assert client.get(QUEUE).status_code == 403
    moderate = reverse("catalogue:moderate", kwargs={"pk": solution.pk})
    response = client.post(moderate, {"decision": "approve", "reason": "Par moi-même."})
    assert response.status_code == 403
    figure = solution.figures.get()
    verify = reverse("catalogue:verify_figure", kwargs={"pk": figure.pk})
    assert client.post(verify).status_code == 403
    solution.refresh_from_db()
    figure.refresh_from_db()
    assert (solution.status, figure.verified_at) == (Moderation.SUBMITTED, None)


def test_unmoderated_offers_are_never_public(submitted, client, world):
    """A submitted offer is a 404 for visitors and others, absent from search and API;
    its provider's members see it."""
    solution, _, _ = submitted
    assert client.get(solution.get_absolute_url()).status_code == 404
    assert search("Capteurs Hydro").total == 0
    api = client.get(reverse("api:catalogue_solutions")).json()
    assert "Capteurs Hydro" not in str(api)
    detail = reverse("api:catalogue_solution", kwargs={"slug": solution.slug})
    assert client.get(detail).status_code == 404
    client.force_login(world.agent_niort)
    assert client.get(solution.get_absolute_url()).status_code == 404
    client.force_login(world.provider)
    assert client.get(solution.get_absolute_url()).status_code == 200


def test_the_decision_email_is_sent_once(
    submitted, world, client, mailoutbox, django_capture_on_commit_callbacks
):
    """Running the notification task again for the same decision sends nothing."""
    solution, _, _ = submitted
    client.force_login(world.operator)
    _decide(client, solution, "approve", "Complète.", django_capture_on_commit_callbacks)
    revision = solution.revisions.first()
    assert revision.notified_at is not None
    assert notify_decision.call(revision.pk) == 0
    assert len(mailoutbox) == 2


def test_a_draft_cannot_be_decided(world, client):
    """A draft the provider has not sent is not published by an operator's decision."""
    use_case = make_use_case(slug="fuites")
    provider = make_provider("Hydro Exemple")
    provider.members.add(world.provider)
    client.force_login(world.provider)
    create = reverse("catalogue:solution_create", kwargs={"pk": provider.pk})
    client.post(create, offer_data([use_case], save_draft="1"))
    solution = Solution.objects.get()
    client.force_login(world.operator)
    url = reverse("catalogue:moderate", kwargs={"pk": solution.pk})
    response = client.post(url, {"decision": "approve", "reason": "Vu."})
    assert response.context["form"].non_field_errors() == [
        "Ce brouillon n'a pas été envoyé en modération par le fournisseur."
    ]
    solution.refresh_from_db()
    assert solution.status == Moderation.DRAFT
