"""audit.record(): one row saying who did what, when, where."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser

from territoria.accounts import audit
from territoria.accounts.models import Membership


def test_record_keeps_actor_object_and_collectivite(world):
    """The object's type, id and collectivité are taken from the object."""
    membership = Membership.objects.get(user=world.agent_saint_amand)
    event = audit.record(
        world.admin_saint_amand,
        "member.role_changed",
        obj=membership,
        summary="Résumé",
        changes={"role": ["agent", "elu"]},
    )
    event.refresh_from_db()
    assert (event.actor, event.collectivite, event.action) == (
        world.admin_saint_amand,
        world.saint_amand,
        "member.role_changed",
    )
    assert (event.object_type, event.object_id) == ("accounts.membership", str(membership.pk))
    assert event.changes == {"role": ["agent", "elu"]}
    assert event.at is not None


def test_record_turns_dates_and_decimals_into_text(world):
    """Changes holding dates or decimals are stored as JSON text."""
    event = audit.record(
        world.operator,
        "test.values",
        changes={
            "when": datetime.date(2026, 1, 2),
            "amount": Decimal("12.50"),
        },
    )
    event.refresh_from_db()
    assert event.changes == {"when": "2026-01-02", "amount": "12.50"}


def test_record_without_a_signed_in_actor(db):
    """A system write (no person) is recorded without an actor."""
    event = audit.record(AnonymousUser(), "test.system", summary="Tâche")
    assert event.actor is None


def test_modules_register_their_labels(db):
    """Another module names its action codes in French."""
    audit.register_actions({"report.closed": "Signalement clos"})
    assert audit.action_label("report.closed") == "Signalement clos"
    assert audit.action_label("unknown.code") == "unknown.code"
