"""An admin of a collectivité (or an operator) invites a person by email."""

import datetime
import signal

from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

import pytest
from django_tasks_db.models import DBTaskResult

from territoria.accounts import actions
from territoria.accounts.enums import Role
from territoria.accounts.models import AuditEvent, Invitation, hash_token
from territoria.accounts.tasks import send_invitation_email
from tests.accounts.conftest import INVITATION_LINK
from tests.email_links import follow_signed_out

MEMBERS = "/compte/espace/saint-amand-montrond/membres/"
INVITE = "/compte/espace/saint-amand-montrond/membres/inviter/"


def test_admin_invites_from_the_members_page(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    """The invite form creates a pending invitation and mails a single-use link valid
    7 days to the address."""
    client.force_login(world.admin_saint_amand)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INVITE, {"email": "Nouvelle@Exemple.fr", "role": Role.ELU})
    assert response.status_code == 302
    assert response["Location"] == MEMBERS
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "nouvelle@exemple.fr",
        Role.ELU,
        world.admin_saint_amand,
    )
    assert invitation.expires_at - invitation.created_at == pytest.approx(
        datetime.timedelta(days=7), abs=datetime.timedelta(seconds=5)
    )
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["nouvelle@exemple.fr"]
    assert message.subject == "Invitation à rejoindre Saint-Amand-Montrond sur Territoria"
    assert "Adèle Admin vous invite à rejoindre Saint-Amand-Montrond" in message.body
    assert "avec le rôle Élu·e" in message.body
    assert follow_signed_out(client, message.body)[0].startswith("/compte/invitation/")
    client.force_login(world.admin_saint_amand)
    page = client.get(MEMBERS).content.decode()
    assert "nouvelle@exemple.fr" in page


def test_only_the_hash_of_the_token_is_stored(world, invite):
    """The database keeps the sha256 of the emailed token, never the token."""
    invitation, _path, token = invite()
    invitation.refresh_from_db()
    assert invitation.token_hash == hash_token(token)
    assert token not in str(Invitation.objects.values().get())
    assert invitation.email_sent_at is not None


def test_invitation_is_audited(world, invite):
    """Sending an invitation is logged with its author and collectivité."""
    invitation, _path, _token = invite(email="elue@exemple.fr", role=Role.ELU)
    event = AuditEvent.objects.get(action="invitation.sent")
    assert (event.actor, event.collectivite) == (world.admin_saint_amand, world.saint_amand)
    assert (event.object_type, event.object_id) == ("accounts.invitation", str(invitation.pk))
    assert event.summary == "Invitation de elue@exemple.fr comme Élu·e"


def test_inviting_a_member_is_a_form_error(world, client, mailoutbox):
    """An address that already belongs to a member gets a form error; nothing is sent."""
    client.force_login(world.admin_saint_amand)
    response = client.post(INVITE, {"email": "AGENT@saint-amand.fr", "role": Role.AGENT})
    assert response.status_code == 200
    form = response.context["invite_form"]
    assert form.errors == {"email": ["Cette personne est déjà membre de Saint-Amand-Montrond."]}
    assert 'aria-invalid="true"' in response.content.decode()
    assert Invitation.objects.count() == 0
    assert mailoutbox == []


def test_member_elsewhere_can_be_invited(world, invite):
    """A member of another collectivité can be invited here."""
    invitation, _path, _token = invite(email="elu@niort.fr")
    assert invitation.collectivite == world.saint_amand


def test_second_pending_invitation_is_refused(world, invite, client):
    """An address with a pending invitation cannot be invited again until it is revoked."""
    invite(email="nouvelle@exemple.fr")
    client.force_login(world.admin_saint_amand)
    response = client.post(INVITE, {"email": "nouvelle@exemple.fr", "role": Role.AGENT})
    assert response.context["invite_form"].errors["email"] == [
        "Une invitation est déjà en attente pour cette adresse. Révoquez-la pour en envoyer "
        "une nouvelle."
    ]
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        pytest.param({"email": "pas-une-adresse", "role": "agent"}, "email", id="bad_email_case"),
        pytest.param({"email": "x@exemple.fr", "role": "maire"}, "role", id="unknown_role_case"),
    ],
)
def test_bad_invite_input_changes_nothing(world, client, data, field):
    """A malformed address or an unknown role is a field error and nothing is created."""
    client.force_login(world.admin_saint_amand)
    response = client.post(INVITE, data)
    assert list(response.context["invite_form"].errors) == [field]
    assert Invitation.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_operator_can_invite_anywhere(world, invite):
    """An operator of the instance invites into any collectivité."""
    invitation, _path, _token = invite(actor=world.operator, collectivite=world.niort)
    assert invitation.invited_by == world.operator


def test_agent_cannot_invite(world):
    """A member without the admin role cannot invite."""
    with pytest.raises(PermissionDenied):
        actions.invite_member(
            world.agent_saint_amand, world.saint_amand, "x@exemple.fr", Role.AGENT
        )
    assert Invitation.objects.count() == 0


def test_send_task_is_idempotent(world, invite, mailoutbox):
    """Running the email task again sends nothing and keeps the emailed link valid."""
    invitation, _path, token = invite()
    assert send_invitation_email.enqueue(invitation.pk).return_value is False
    assert len(mailoutbox) == 1
    invitation.refresh_from_db()
    assert invitation.token_hash == hash_token(token)


def test_send_task_skips_revoked_invitations(world, mailoutbox):
    """An invitation revoked before its email went out is never mailed."""
    invitation = actions.invite_member(
        world.admin_saint_amand, world.saint_amand, "x@exemple.fr", Role.AGENT
    )  # on_commit callbacks are not run here: the email is still queued
    actions.revoke_invitation(world.admin_saint_amand, invitation)
    assert send_invitation_email.enqueue(invitation.pk).return_value is False
    assert mailoutbox == []


@pytest.fixture
def restore_signals():
    """The worker installs its own signal handlers; put pytest's back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


@pytest.mark.django_db(transaction=True)
def test_database_worker_sends_the_invitation(world, settings, mailoutbox, restore_signals):
    """With the database task backend, inviting queues the email on commit and the real
    worker sends it once; the queued task holds the invitation id, not the token."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    invitation = actions.invite_member(
        world.admin_saint_amand, world.saint_amand, "nouvelle@exemple.fr", Role.AGENT
    )
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs == {"args": [invitation.pk], "kwargs": {}}
    assert mailoutbox == []

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    assert len(mailoutbox) == 1
    token = INVITATION_LINK.search(mailoutbox[0].body).group(2)
    invitation.refresh_from_db()
    assert invitation.token_hash == hash_token(token)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert invitation.email_sent_at <= timezone.now()
