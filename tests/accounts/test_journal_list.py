"""The audit journal of a collectivité: newest first, paginated, its own events only."""

import datetime

from django.utils import timezone

from territoria.accounts import audit
from territoria.accounts.models import AuditEvent
from territoria.accounts.views.members import JOURNAL_PAGE_SIZE

JOURNAL = "/compte/espace/saint-amand-montrond/journal/"


def test_journal_lists_events_newest_first(world, client):
    """Events show author, label and summary, the most recent first."""
    old = audit.record(
        world.agent_saint_amand,
        "invitation.sent",
        collectivite=world.saint_amand,
        summary="Le plus ancien",
    )
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=1))
    audit.record(
        world.admin_saint_amand,
        "member.role_changed",
        collectivite=world.saint_amand,
        summary="Le plus récent",
        changes={"role": ["agent", "elu"]},
    )
    client.force_login(world.admin_saint_amand)
    response = client.get(JOURNAL)
    events = list(response.context["page"])
    assert [e.summary for e in events] == ["Le plus récent", "Le plus ancien"]
    body = response.content.decode()
    assert "Rôle modifié" in body
    assert "role : agent → elu" in body
    assert "Adèle Admin" in body


def test_journal_shows_only_this_collectivite(world, client):
    """Another collectivité's events never appear."""
    audit.record(world.agent_niort, "member.removed", collectivite=world.niort, summary="Niort")
    audit.record(
        world.admin_saint_amand,
        "member.removed",
        collectivite=world.saint_amand,
        summary="Saint-Amand",
    )
    client.force_login(world.operator)
    response = client.get(JOURNAL)
    assert [e.summary for e in response.context["page"]] == ["Saint-Amand"]


def test_journal_is_paginated(world, client, django_assert_max_num_queries):
    """Events are shown page by page, with a bounded number of queries."""
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=world.admin_saint_amand,
            collectivite=world.saint_amand,
            action="test.bulk",
            summary=f"n{n}",
        )
        for n in range(JOURNAL_PAGE_SIZE + 5)
    )
    client.force_login(world.admin_saint_amand)
    with django_assert_max_num_queries(8):
        first = client.get(JOURNAL)
    assert len(first.context["page"]) == JOURNAL_PAGE_SIZE
    second = client.get(f"{JOURNAL}?page=2")
    assert len(second.context["page"]) == 5
    assert 'rel="next"' in first.content.decode()


def test_journal_has_no_edit_controls(world, client):
    """The journal page offers no form: events cannot be changed from the interface."""
    audit.record(world.admin_saint_amand, "member.removed", collectivite=world.saint_amand)
    client.force_login(world.admin_saint_amand)
    body = client.get(JOURNAL).content.decode()
    assert "<form" not in body.split('<main id="contenu"')[1]
