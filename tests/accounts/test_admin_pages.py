"""The operators' administration of people, memberships, invitations, the journal and
login failures."""

import pytest

from territoria.accounts import audit
from territoria.accounts.enums import Role
from territoria.accounts.models import AuditEvent, Invitation, LoginFailure, Membership, User


@pytest.mark.parametrize(
    "model", ["user", "membership", "invitation", "auditevent", "loginfailure"]
)
def test_operator_opens_every_changelist(world, client, invite, model):
    """Each accounts model has a French list page for operators."""
    invite()
    audit.record(world.operator, "test.admin", summary="x")
    LoginFailure.objects.create(email="x@exemple.fr", ip="192.0.2.1")
    world.operator.is_superuser = True
    world.operator.save()
    client.force_login(world.operator)
    response = client.get(f"/admin/accounts/{model}/")
    assert response.status_code == 200


def test_invitation_page_never_shows_the_token(world, client, invite):
    """Neither the token nor its hash appears in the administration."""
    invitation, _path, token = invite()
    invitation.refresh_from_db()
    world.operator.is_superuser = True
    world.operator.save()
    client.force_login(world.operator)
    for url in (
        "/admin/accounts/invitation/",
        f"/admin/accounts/invitation/{invitation.pk}/change/",
    ):
        body = client.get(url).content.decode()
        assert token not in body
        assert invitation.token_hash not in body


def test_audit_events_are_read_only(world, client):
    """The journal cannot be edited or deleted from the administration."""
    event = audit.record(world.operator, "test.admin", summary="x")
    world.operator.is_superuser = True
    world.operator.save()
    client.force_login(world.operator)
    page = client.get(f"/admin/accounts/auditevent/{event.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert (
        client.post(f"/admin/accounts/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_operator_creates_a_person_without_username(world, client):
    """A person is created by email and name; the creation is logged."""
    world.operator.is_superuser = True
    world.operator.save()
    client.force_login(world.operator)
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "email": "cree@exemple.fr",
            "full_name": "Créée Par l'Admin",
            "usable_password": "true",
            "password1": "un-mot-de-passe-solide",
            "password2": "un-mot-de-passe-solide",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="cree@exemple.fr")
    assert AuditEvent.objects.get(action="admin.added").object_id == str(user.pk)


def test_admin_action_revokes_invitations(world, client, invite):
    """The revoke action of the administration revokes pending invitations."""
    invitation, _path, _token = invite()
    world.operator.is_superuser = True
    world.operator.save()
    client.force_login(world.operator)
    client.post(
        "/admin/accounts/invitation/",
        {"action": "revoke", "_selected_action": [invitation.pk]},
    )
    assert Invitation.objects.get().revoked_at is not None


def test_membership_change_in_admin_is_logged(world, client):
    """An operator's change of a role in the administration is logged."""
    membership = Membership.objects.get(user=world.agent_saint_amand)
    world.operator.is_superuser = True
    world.operator.save()
    client.force_login(world.operator)
    response = client.post(
        f"/admin/accounts/membership/{membership.pk}/change/",
        {
            "user": world.agent_saint_amand.pk,
            "collectivite": world.saint_amand.pk,
            "role": Role.ELU,
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.changed")
    assert (event.collectivite, event.changes) == (world.saint_amand, {"fields": ["role"]})
