"""Accepting an invitation link: newcomers create their account, members click once;
any link that no longer works shows a clear page and changes nothing."""

import datetime

from django.utils import timezone

import pytest

from territoria.accounts.enums import Role
from territoria.accounts.models import AuditEvent, Invitation, Membership, User
from tests.accounts.conftest import text
from tests.factories import PASSWORD

NEW_PASSWORD = "un-mot-de-passe-solide-42"


def snapshot():
    """Everything an acceptance could change."""
    return (
        list(User.objects.order_by("pk").values_list("pk", "email")),
        list(Membership.objects.order_by("pk").values_list("pk", "user", "collectivite", "role")),
        list(Invitation.objects.order_by("pk").values_list("pk", "accepted_at", "revoked_at")),
        AuditEvent.objects.count(),
    )


def test_newcomer_creates_an_account_and_joins(world, client, invite):
    """A newcomer sets a name and a password: the account is created, they are signed
    in and member with the invited role."""
    invitation, path, _token = invite(email="nouvelle@exemple.fr", role=Role.ELU)
    page = client.get(path)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Rejoindre Saint-Amand-Montrond" in body
    assert 'autocomplete="new-password"' in body
    assert 'autocomplete="name"' in body
    response = client.post(
        path, {"full_name": "Nina Nouvelle", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/compte/espace/"
    user = User.objects.get(email="nouvelle@exemple.fr")
    assert user.full_name == "Nina Nouvelle"
    assert user.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert Membership.objects.get(user=user).role == Role.ELU
    invitation.refresh_from_db()
    assert (invitation.accepted_by, invitation.accepted_at is not None) == (user, True)
    event = AuditEvent.objects.get(action="invitation.accepted")
    assert (event.actor, event.collectivite) == (user, world.saint_amand)


def test_newcomer_with_a_weak_password_changes_nothing(world, client, invite):
    """A password refused by the rules is a field error; no account is created."""
    _invitation, path, _token = invite()
    before = snapshot()
    response = client.post(path, {"full_name": "Nina", "password1": "1234", "password2": "1234"})
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert snapshot() == before


def test_existing_user_accepts_with_one_click(world, client, invite):
    """A signed-in person whose address was invited joins with one click."""
    invitation, path, _token = invite(email="elu@niort.fr", role=Role.AGENT)
    client.force_login(world.elu_niort)
    page = client.get(path)
    assert "Accepter l'invitation" in page.content.decode()
    response = client.post(path)
    assert response["Location"] == "/compte/espace/"
    membership = Membership.objects.get(user=world.elu_niort, collectivite=world.saint_amand)
    assert membership.role == Role.AGENT
    space = client.get("/compte/espace/").content.decode()
    assert "Saint-Amand-Montrond" in space


def test_existing_user_signed_out_is_asked_to_sign_in(world, client, invite):
    """An invited address that has an account is sent to the login page, then back."""
    _invitation, path, _token = invite(email="elu@niort.fr")
    before = snapshot()
    page = client.get(path)
    assert page.status_code == 200
    assert f'href="/compte/connexion/?next={path}"' in page.content.decode()
    assert (
        client.post(
            path, {"full_name": "X", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        ).status_code
        == 200
    )
    assert snapshot() == before
    login = client.post(
        f"/compte/connexion/?next={path}", {"email": "elu@niort.fr", "password": PASSWORD}
    )
    assert login["Location"] == path


def test_foreign_invitation_is_refused(world, client, invite):
    """A signed-in person with another address gets a clear message and nothing changes."""
    _invitation, path, _token = invite(email="nouvelle@exemple.fr")
    client.force_login(world.agent_niort)
    before = snapshot()
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 403
        assert "Cette invitation a été envoyée à une autre adresse" in text(response)
    assert snapshot() == before


def _expire(invitation):
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )


def _use(invitation):
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())


def _revoke(invitation):
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        pytest.param(_expire, "Cette invitation a expiré.", id="expired_case"),
        pytest.param(_use, "Cette invitation a déjà été utilisée.", id="used_case"),
        pytest.param(_revoke, "Cette invitation a été révoquée", id="revoked_case"),
    ],
)
def test_unusable_link_is_gone_and_changes_nothing(world, client, invite, spoil, message):
    """Expired, used and revoked links answer 410 with a French explanation, for
    newcomers and signed-in people alike, and change nothing."""
    invitation, path, _token = invite(email="nouvelle@exemple.fr")
    spoil(invitation)
    before = snapshot()
    data = {"full_name": "Nina", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    for response in (client.get(path), client.post(path, data)):
        assert response.status_code == 410
        assert message in text(response)
    client.force_login(world.agent_niort)
    assert client.post(path).status_code == 410
    assert snapshot() == before


def test_reused_link_after_acceptance_is_gone(world, client, invite):
    """The link works once: a second use answers 410 and creates nothing more."""
    _invitation, path, _token = invite(email="nouvelle@exemple.fr")
    data = {"full_name": "Nina", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    client.post(path, data)
    client.logout()
    before = snapshot()
    response = client.post(path, data)
    assert response.status_code == 410
    assert snapshot() == before


def test_unknown_token_is_not_found(world, client):
    """A token that matches no invitation answers 404 with a French page."""
    before = snapshot()
    response = client.get("/compte/invitation/nimporte-quoi/")
    assert response.status_code == 404
    assert "Ce lien d'invitation n'est pas valide." in text(response)
    assert client.post("/compte/invitation/nimporte-quoi/").status_code == 404
    assert snapshot() == before
