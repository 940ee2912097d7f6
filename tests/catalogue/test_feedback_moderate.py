"""Operators publish or refuse towns' feedback; authors are told by email."""

import pytest

from territoria.accounts.models import AuditEvent
from territoria.catalogue import feedback_actions, feedback_tasks
from territoria.catalogue.enums import Moderation
from territoria.catalogue.models import Feedback
from tests.catalogue.feedback_helpers import LESSONS, make_offer, valid_data
from tests.email_links import follow_signed_out

pytestmark = pytest.mark.django_db
QUEUE = "/catalogue/moderation/retours/"


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _submitted(world, client):
    use_case, solution = make_offer()
    client.force_login(world.agent_saint_amand)
    client.post("/catalogue/retours/nouveau/", valid_data(world, use_case, solution))
    client.logout()
    return Feedback.objects.get(), use_case, solution


def _decide(client, feedback, decision, reason="", capture=None):
    data = {f"f{feedback.pk}-decision": decision, f"f{feedback.pk}-reason": reason}
    url = f"/catalogue/moderation/retours/{feedback.pk}/"
    if capture is None:
        return client.post(url, data)
    with capture(execute=True):
        return client.post(url, data)


def test_feedback_is_published_only_after_approval(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    """Saint-Amand-Montrond's feedback stays hidden from Niort and visitors until an
    operator approves it; then it shows with the town's name and population, never its
    author; the solution's count follows; the author is told by email once."""
    feedback, use_case, solution = _submitted(world, client)
    client.force_login(world.agent_niort)
    assert LESSONS not in client.get(use_case.get_absolute_url()).content.decode()
    assert LESSONS not in client.get(solution.get_absolute_url()).content.decode()
    assert client.get(f"/catalogue/retours/{feedback.pk}/").status_code == 404
    client.logout()
    assert LESSONS not in client.get(use_case.get_absolute_url()).content.decode()

    client.force_login(world.operator)
    queue = client.get(QUEUE).content.decode()
    assert "Capteurs sur le réseau d&#x27;eau du centre-ville" in queue
    response = _decide(client, feedback, "approve", capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == QUEUE
    feedback.refresh_from_db()
    solution.refresh_from_db()
    assert feedback.status == Moderation.APPROVED
    assert feedback.moderated_at is not None
    assert solution.feedback_count == 1
    event = AuditEvent.objects.get(action="feedback.approved")
    assert event.actor == world.operator
    assert event.collectivite == world.saint_amand
    assert [m.to for m in mailoutbox] == [["agent@saint-amand.fr"]]
    assert "est publié" in mailoutbox[0].subject
    follow_signed_out(client, mailoutbox[0].body, world.agent_saint_amand)

    client.logout()
    for page in (use_case.get_absolute_url(), solution.get_absolute_url()):
        body = client.get(page).content.decode()
        assert body.count(LESSONS) == 1
        assert "Saint-Amand-Montrond" in body
        assert "9 800 habitants au moment du projet" in body.replace("\u202f", " ").replace(
            "\xa0", " "
        )
        assert "agent@saint-amand.fr" not in body
        assert "Agnès Agent" not in body
    client.force_login(world.agent_niort)
    detail = client.get(f"/catalogue/retours/{feedback.pk}/")
    assert detail.status_code == 200
    assert "Agnès Agent" not in detail.content.decode()


def test_rejection_needs_a_reason(world, client, mailoutbox, django_capture_on_commit_callbacks):
    """A refusal without a reason is refused in French and changes nothing."""
    feedback, _, _ = _submitted(world, client)
    client.force_login(world.operator)
    response = _decide(client, feedback, "reject", "  ", capture=django_capture_on_commit_callbacks)
    feedback.refresh_from_db()
    assert response.status_code == 400
    assert "Indiquez le motif du refus" in response.content.decode()
    assert feedback.status == Moderation.SUBMITTED
    assert AuditEvent.objects.filter(action="feedback.rejected").count() == 0
    assert mailoutbox == []


def test_rejected_feedback_stays_hidden_and_author_gets_the_reason(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    """A refused feedback never shows publicly; its author gets the reason by email and
    its collectivité sees it on the feedback's page."""
    feedback, use_case, solution = _submitted(world, client)
    client.force_login(world.operator)
    _decide(client, feedback, "reject", "Chiffres sans source.", django_capture_on_commit_callbacks)
    feedback.refresh_from_db()
    solution.refresh_from_db()
    assert feedback.status == Moderation.REJECTED
    assert feedback.rejection_reason == "Chiffres sans source."
    assert solution.feedback_count == 0
    assert len(mailoutbox) == 1
    assert "Chiffres sans source." in mailoutbox[0].body
    client.logout()
    assert LESSONS not in client.get(use_case.get_absolute_url()).content.decode()
    assert client.get(f"/catalogue/retours/{feedback.pk}/").status_code == 404
    client.force_login(world.admin_saint_amand)
    page = client.get(f"/catalogue/retours/{feedback.pk}/").content.decode()
    assert "Chiffres sans source." in page
    edit = client.get(f"/catalogue/retours/{feedback.pk}/modifier/")
    assert edit.status_code == 403


def test_only_operators_moderate(world, client):
    """Members, even of the writing collectivité, cannot open the queue or decide."""
    feedback, _, _ = _submitted(world, client)
    for person in (world.agent_saint_amand, world.agent_niort, world.citizen):
        client.force_login(person)
        assert client.get(QUEUE).status_code == 403
        assert _decide(client, feedback, "approve").status_code == 404
    feedback.refresh_from_db()
    assert feedback.status == Moderation.SUBMITTED


def test_feedback_is_moderated_once(world, client):
    """Deciding twice on the same feedback is refused with a stable code."""
    feedback, _, _ = _submitted(world, client)
    feedback_actions.approve_feedback(world.operator, feedback)
    with pytest.raises(feedback_actions.ActionError) as refused:
        feedback_actions.reject_feedback(world.operator, feedback, "Trop tard.")
    assert refused.value.as_dict() == {
        "code": "already_moderated",
        "message": "Ce retour d'expérience a déjà été modéré.",
    }
    feedback.refresh_from_db()
    assert feedback.status == Moderation.APPROVED


def test_notification_task_is_idempotent(world, client, mailoutbox):
    """Running the notification twice sends one email."""
    feedback, _, _ = _submitted(world, client)
    Feedback.objects.filter(pk=feedback.pk).update(status=Moderation.APPROVED)
    assert feedback_tasks.notify_feedback_authors.call(feedback.pk) is True
    assert feedback_tasks.notify_feedback_authors.call(feedback.pk) is False
    assert len(mailoutbox) == 1


def test_submitted_feedback_sends_nothing(world, client, mailoutbox):
    """No email about feedback that is still awaiting moderation."""
    feedback, _, _ = _submitted(world, client)
    assert feedback_tasks.notify_feedback_authors.call(feedback.pk) is False
    assert mailoutbox == []
