"""The back-office workflow: statuses, public updates and internal notes, emails to the
reporter, reopening, duplicates, assignment and bulk actions."""

import datetime

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from territoria.accounts.enums import Role
from territoria.reports import actions, handling
from territoria.reports.enums import Publication, Status
from territoria.reports.models import Report, Update
from tests.email_links import follow_signed_out
from tests.factories import make_member
from tests.reports.factories import make_report

pytestmark = pytest.mark.django_db


def _manage(report):
    return reverse(
        "reports:manage_detail",
        kwargs={"slug": report.collectivite.slug, "report_id": report.pk},
    )


def test_public_update_emails_the_reporter_with_a_reopen_link(
    client, rw, django_capture_on_commit_callbacks
):
    """A public status change is shown publicly and mailed to the reporter."""
    report = make_report(rw.lighting)
    client.force_login(rw.world.agent_saint_amand)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _manage(report),
            {"action": "update", "status": "resolved", "text": "Ampoule changée.", "public": "1"},
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.RESOLVED
    assert report.acknowledged_at is not None and report.closed_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["camille.secret@exemple.fr"]
    assert "Ampoule changée." in mail.outbox[0].body
    assert "/rouvrir/" in mail.outbox[0].body
    assert report.get_absolute_url() in follow_signed_out(client, mail.outbox[0].body)
    client.force_login(rw.world.agent_saint_amand)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Ampoule changée." in page


def test_internal_note_is_never_public_nor_mailed(client, rw, django_capture_on_commit_callbacks):
    """An internal note stays in the back-office: not on the public page, feed or email."""
    report = make_report(rw.lighting)
    client.force_login(rw.world.agent_saint_amand)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            _manage(report),
            {
                "action": "update",
                "status": "acknowledged",
                "text": "NOTE-INTERNE-42",
                "public": "0",
            },
        )
    assert mail.outbox == []
    client.logout()
    slug = report.collectivite.slug
    for url in (
        report.get_absolute_url(),
        reverse("reports:feed", kwargs={"slug": slug}),
        reverse("open311:updates", kwargs={"fmt": "json"}) + f"?jurisdiction_id={slug}",
    ):
        assert "NOTE-INTERNE-42" not in client.get(url).content.decode()
    client.force_login(rw.world.agent_saint_amand)
    assert "NOTE-INTERNE-42" in client.get(_manage(report)).content.decode()


def test_reporter_reopens_within_30_days(client, rw):
    """The reporter's link reopens a closed report within the delay, not after."""
    report = make_report(rw.lighting)
    handling.change_status(report, rw.world.agent_saint_amand, Status.RESOLVED, text="Fait")
    token = actions.reopen_token(report)
    url = reverse("reports:reopen", kwargs={"token": token})
    assert client.post(url, {"text": "Toujours éteint."}).status_code == 302
    report.refresh_from_db()
    assert report.status == Status.ACKNOWLEDGED
    handling.change_status(report, rw.world.agent_saint_amand, Status.RESOLVED, text="Fait")
    Report.objects.filter(pk=report.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=31)
    )
    response = client.post(url, {"text": "Encore éteint."})
    assert response.status_code == 409
    report.refresh_from_db()
    assert report.status == Status.RESOLVED


def test_invalid_transition_is_refused(rw):
    """A workflow step that does not exist is refused and nothing is written."""
    report = make_report(rw.lighting, status=Status.RESOLVED)
    with pytest.raises(actions.ActionError) as error:
        handling.change_status(report, rw.world.agent_saint_amand, Status.NOT_RESPONSIBLE)
    assert error.value.code == "invalid_transition"
    assert Update.objects.count() == 0


def test_mark_duplicate_needs_an_existing_report_and_adds_support(client, rw):
    """ "Doublon de #id" closes the report and counts it as a support of the original."""
    original = make_report(rw.lighting)
    copy = make_report(rw.lighting)
    client.force_login(rw.world.agent_saint_amand)
    response = client.post(_manage(copy), {"action": "duplicate", "duplicate_of": "999999"})
    assert response.status_code == 400
    assert "n&#x27;existe pas" in response.content.decode()
    client.post(_manage(copy), {"action": "duplicate", "duplicate_of": str(original.pk)})
    copy.refresh_from_db()
    original.refresh_from_db()
    assert copy.status == Status.DUPLICATE
    assert copy.duplicate_of == original
    assert original.supporters == 1


def test_elu_reads_but_cannot_act(client, rw):
    """An élu sees the back-office but cannot change a report."""
    report = make_report(rw.lighting)
    elu = make_member(rw.world.saint_amand, Role.ELU, "elu@saint-amand.fr")
    client.force_login(elu)
    assert client.get(_manage(report)).status_code == 200
    response = client.post(_manage(report), {"action": "update", "status": "resolved"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == Status.NEW


def test_bulk_acknowledge_and_assign(client, rw):
    """Bulk actions apply to every ticked report of the collectivité."""
    first, second = make_report(rw.lighting), make_report(rw.lighting)
    agent = rw.world.agent_saint_amand
    client.force_login(agent)
    url = reverse("reports:manage_bulk", kwargs={"slug": "saint-amand-montrond"})
    client.post(url, {"action": "acknowledge", "reports": [first.pk, second.pk]})
    client.post(url, {"action": "assign", "assignee": agent.pk, "reports": [first.pk]})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.ACKNOWLEDGED, Status.ACKNOWLEDGED)
    assert first.assignee == agent and second.assignee is None


def test_bulk_ignores_reports_of_another_collectivite(client, rw):
    """A bulk action cannot reach a report of another collectivité."""
    foreign = make_report(rw.niort_road)
    client.force_login(rw.world.agent_saint_amand)
    client.post(
        reverse("reports:manage_bulk", kwargs={"slug": "saint-amand-montrond"}),
        {"action": "hide", "reports": [foreign.pk]},
    )
    foreign.refresh_from_db()
    assert foreign.publication == Publication.PUBLISHED


def test_list_filters_by_status_and_category(client, rw):
    """The back-office list filters by status and category."""
    make_report(rw.lighting, description="OUVERT-1")
    make_report(rw.lighting, status=Status.RESOLVED, description="CLOS-1")
    client.force_login(rw.world.agent_saint_amand)
    url = reverse("reports:manage_list", kwargs={"slug": "saint-amand-montrond"})
    body = client.get(url, {"status": "open", "category": rw.lighting.pk}).content.decode()
    assert "1 signalement" in body


def test_dashboard_medians(client, rw):
    """The dashboard shows the median hours to acknowledge and resolve per category."""
    now = timezone.now()
    for hours in (2, 4, 6):
        make_report(
            rw.lighting,
            created_at=now - datetime.timedelta(hours=10),
            acknowledged_at=now - datetime.timedelta(hours=10 - hours),
            closed_at=now,
            status=Status.RESOLVED,
        )
    client.force_login(rw.world.agent_saint_amand)
    body = client.get(
        reverse("reports:dashboard", kwargs={"slug": "saint-amand-montrond"})
    ).content.decode()
    assert "<td>4,0</td>" in body or "<td>4.0</td>" in body
    assert "<td>10,0</td>" in body or "<td>10.0</td>" in body
    assert 'role="img"' in body
