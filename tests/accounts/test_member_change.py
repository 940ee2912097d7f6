"""Admins change roles, remove members and revoke invitations; a collectivité always
keeps at least one admin."""

from territoria.accounts.enums import Role
from territoria.accounts.models import AuditEvent, Invitation, Membership
from tests.accounts.conftest import text
from tests.factories import make_member

BASE = "/compte/espace/saint-amand-montrond"


def membership(user, collectivite):
    return Membership.objects.get(user=user, collectivite=collectivite)


def test_admin_changes_a_role(world, client):
    """An admin makes an agent an élu; the change is logged with before and after."""
    agent = membership(world.agent_saint_amand, world.saint_amand)
    client.force_login(world.admin_saint_amand)
    response = client.post(f"{BASE}/membres/{agent.pk}/role/", {f"m{agent.pk}-role": Role.ELU})
    assert response["Location"] == f"{BASE}/membres/"
    agent.refresh_from_db()
    assert agent.role == Role.ELU
    event = AuditEvent.objects.get(action="member.role_changed")
    assert (event.actor, event.collectivite) == (world.admin_saint_amand, world.saint_amand)
    assert event.changes == {"role": ["agent", "elu"], "user": "agent@saint-amand.fr"}
    assert event.summary == "Rôle de Agnès Agent : Agent → Élu·e"


def test_last_admin_cannot_be_demoted(world, client):
    """The only admin cannot lose the role: a clear message, nothing changes."""
    admin = membership(world.admin_saint_amand, world.saint_amand)
    client.force_login(world.admin_saint_amand)
    response = client.post(
        f"{BASE}/membres/{admin.pk}/role/", {f"m{admin.pk}-role": Role.AGENT}, follow=True
    )
    assert "est le dernier administrateur ou la dernière administratrice" in text(response)
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN
    assert AuditEvent.objects.count() == 0


def test_last_admin_cannot_be_removed(world, client):
    """The only admin cannot be removed, even by an operator."""
    admin = membership(world.admin_saint_amand, world.saint_amand)
    client.force_login(world.operator)
    response = client.post(f"{BASE}/membres/{admin.pk}/retirer/", follow=True)
    assert "nommez d'abord une autre personne administratrice" in text(response)
    assert Membership.objects.filter(pk=admin.pk).exists()


def test_an_admin_can_step_down_when_another_remains(world, client):
    """With a second admin, an admin may become agent and then loses the members page."""
    make_member(world.saint_amand, Role.ADMIN, "admin2@saint-amand.fr")
    admin = membership(world.admin_saint_amand, world.saint_amand)
    client.force_login(world.admin_saint_amand)
    response = client.post(f"{BASE}/membres/{admin.pk}/role/", {f"m{admin.pk}-role": Role.AGENT})
    assert response["Location"] == "/compte/espace/"
    assert client.get(f"{BASE}/membres/").status_code == 403


def test_admin_removes_a_member(world, client):
    """Removing a member deletes the membership and logs who was removed."""
    agent = membership(world.agent_saint_amand, world.saint_amand)
    client.force_login(world.admin_saint_amand)
    response = client.post(f"{BASE}/membres/{agent.pk}/retirer/")
    assert response["Location"] == f"{BASE}/membres/"
    assert not Membership.objects.filter(pk=agent.pk).exists()
    event = AuditEvent.objects.get(action="member.removed")
    assert (event.actor, event.collectivite, event.object_id) == (
        world.admin_saint_amand,
        world.saint_amand,
        str(agent.pk),
    )
    assert client.get("/compte/espace/", follow=True).status_code == 200
    client.force_login(world.agent_saint_amand)
    assert "Saint-Amand-Montrond" not in text(client.get("/compte/espace/"))


def test_admin_revokes_an_invitation(world, client, invite):
    """Revoking an invitation makes its link unusable and is logged."""
    invitation, path, _token = invite()
    client.force_login(world.admin_saint_amand)
    response = client.post(f"{BASE}/invitations/{invitation.pk}/revoquer/")
    assert response["Location"] == f"{BASE}/membres/"
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    event = AuditEvent.objects.get(action="invitation.revoked")
    assert (event.actor, event.collectivite) == (world.admin_saint_amand, world.saint_amand)
    client.logout()
    assert client.get(path).status_code == 410


def test_revoking_twice_changes_nothing(world, client, invite):
    """A second revocation is refused with a message; the first date stays."""
    invitation, _path, _token = invite()
    client.force_login(world.admin_saint_amand)
    client.post(f"{BASE}/invitations/{invitation.pk}/revoquer/")
    first = Invitation.objects.get().revoked_at
    response = client.post(f"{BASE}/invitations/{invitation.pk}/revoquer/", follow=True)
    assert "Cette invitation a été révoquée" in text(response)
    assert Invitation.objects.get().revoked_at == first
    assert AuditEvent.objects.filter(action="invitation.revoked").count() == 1


def test_member_of_another_collectivite_cannot_be_reached(world, client):
    """A membership of Niort cannot be changed through Saint-Amand-Montrond's URLs."""
    niort = membership(world.agent_niort, world.niort)
    client.force_login(world.admin_saint_amand)
    response = client.post(f"{BASE}/membres/{niort.pk}/role/", {f"m{niort.pk}-role": Role.ADMIN})
    assert response.status_code == 404
    assert client.post(f"{BASE}/membres/{niort.pk}/retirer/").status_code == 404
    niort.refresh_from_db()
    assert niort.role == Role.AGENT


def test_actions_need_post(world, client):
    """Opening an action URL by GET changes nothing (405)."""
    agent = membership(world.agent_saint_amand, world.saint_amand)
    client.force_login(world.admin_saint_amand)
    assert client.get(f"{BASE}/membres/{agent.pk}/retirer/").status_code == 405
    assert Membership.objects.filter(pk=agent.pk).exists()
