"""Writes about people and memberships: validation first, then the write and its audit
event in one transaction; emails are enqueued on commit."""

import datetime
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from territoria.accounts import audit, lockout, tasks
from territoria.accounts.enums import Role
from territoria.accounts.models import Invitation, Membership, hash_token
from territoria.territories.models import Collectivite


class ActionError(Exception):
    """A refused write: a stable code for machines, a French message for people."""

    def __init__(self, code: str, message: str, *, field: str | None = None, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.status = status

    def as_dict(self) -> dict:
        return {"code": self.code, "message": str(self.message)}


def _require(abilities: dict, ability: str) -> None:
    if not abilities.get(ability):
        raise PermissionDenied


def forget_roles(*users) -> None:
    """Drop the per-request role cache of `user_roles` after a membership write."""
    for user in users:
        # delattr, not __dict__: request.user is a lazy proxy around the real object.
        if hasattr(user, "_territoria_roles"):
            del user._territoria_roles


def _lock(collectivite) -> None:
    """Serialise membership writes of one collectivité (the last-admin rule needs it)."""
    list(Collectivite.objects.select_for_update().filter(pk=collectivite.pk).values_list("pk"))


def _other_admins(membership) -> bool:
    return (
        Membership.objects.filter(collectivite_id=membership.collectivite_id, role=Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    )


LAST_ADMIN = gettext_lazy(
    "%(name)s est le dernier administrateur ou la dernière administratrice de "
    "%(collectivite)s : nommez d'abord une autre personne administratrice."
)


# Invitations ------------------------------------------------------------------


def invitation_state(invitation: Invitation) -> str:
    """pending, accepted, revoked or expired."""
    if invitation.revoked_at:
        return "revoked"
    if invitation.accepted_at:
        return "accepted"
    if invitation.is_expired:
        return "expired"
    return "pending"


UNAVAILABLE = {
    "revoked": gettext_lazy(
        "Cette invitation a été révoquée par la collectivité. Demandez une nouvelle "
        "invitation à un administrateur ou une administratrice."
    ),
    "accepted": gettext_lazy(
        "Cette invitation a déjà été utilisée. Si c'était vous, connectez-vous "
        "pour retrouver la collectivité dans « Mon espace »."
    ),
    "expired": gettext_lazy(
        "Cette invitation a expiré. Demandez une nouvelle invitation à un "
        "administrateur ou une administratrice de la collectivité."
    ),
}


def find_invitation(token: str, *, for_update: bool = False) -> Invitation:
    """The pending invitation behind a link; ActionError (404 unknown, 410 otherwise)."""
    queryset = Invitation.objects.select_related("collectivite")
    if for_update:
        queryset = queryset.select_for_update()
    invitation = queryset.filter(token_hash=hash_token(token or "")).first()
    if invitation is None:
        raise ActionError(
            "invitation_unknown",
            _(
                "Ce lien d'invitation n'est pas valide. Vérifiez que vous avez copié "
                "l'adresse complète reçue par courriel."
            ),
            status=404,
        )
    state = invitation_state(invitation)
    if state != "pending":
        raise ActionError(f"invitation_{state}", UNAVAILABLE[state], status=410)
    return invitation


def invite_member(actor, collectivite, email: str, role: str) -> Invitation:
    """Invite an email address to join the collectivité with a role; mails the link."""
    _require(collectivite.get_abilities(actor), "manage_members")
    email = lockout.normalize_email(email)
    if role not in Role.values:
        raise ActionError("invalid_role", _("Choisissez un rôle de la liste."), field="role")
    if Membership.objects.filter(collectivite=collectivite, user__email__iexact=email).exists():
        raise ActionError(
            "already_member",
            _("Cette personne est déjà membre de %(collectivite)s.")
            % {"collectivite": collectivite},
            field="email",
        )
    if Invitation.objects.pending().filter(collectivite=collectivite, email__iexact=email).exists():
        raise ActionError(
            "invitation_pending",
            _(
                "Une invitation est déjà en attente pour cette adresse. Révoquez-la pour en "
                "envoyer une nouvelle."
            ),
            field="email",
        )
    with transaction.atomic():
        invitation = Invitation.objects.create(
            collectivite=collectivite,
            email=email,
            role=role,
            # Nobody knows this token: the task mints the real one when it writes the email.
            token_hash=hash_token(Invitation.new_token()),
            invited_by=actor,
            expires_at=timezone.now() + datetime.timedelta(days=settings.INVITATION_VALIDITY_DAYS),
        )
        audit.record(
            actor,
            "invitation.sent",
            obj=invitation,
            summary=_("Invitation de %(email)s comme %(role)s")
            % {"email": email, "role": Role(role).label},
            changes={"email": email, "role": role},
        )
        transaction.on_commit(partial(tasks.send_invitation_email.enqueue, invitation.pk))
    return invitation


def check_acceptor(invitation: Invitation, user=None) -> None:
    """A signed-in person may accept only an invitation sent to their own address; a
    newcomer only one whose address has no account yet (they must sign in first)."""
    if user is not None and user.is_authenticated:
        if lockout.normalize_email(user.email) != invitation.email.lower():
            raise ActionError(
                "invitation_foreign",
                _(
                    "Cette invitation a été envoyée à une autre adresse que celle de votre "
                    "compte (%(email)s). Déconnectez-vous puis ouvrez de nouveau le lien, ou "
                    "demandez une invitation à votre adresse."
                )
                % {"email": user.email},
                status=403,
            )
    elif get_user_model().objects.filter(email__iexact=invitation.email).exists():
        raise ActionError(
            "account_exists",
            _(
                "Un compte existe déjà pour cette adresse : connectez-vous pour accepter "
                "l'invitation."
            ),
            status=409,
        )


def accept_invitation(token: str, user=None, *, full_name: str = "", password: str = ""):
    """Join the collectivité. A signed-in `user` must own the invited address; without
    one, an account is created from `full_name` and `password` (already validated).
    Returns (invitation, user)."""
    invitation = find_invitation(token)
    check_acceptor(invitation, user)
    User = get_user_model()
    with transaction.atomic():
        _lock(invitation.collectivite)
        invitation = find_invitation(token, for_update=True)  # a concurrent click lost the race
        if user is None or not user.is_authenticated:
            user = User.objects.create_user(invitation.email, password, full_name=full_name.strip())
        elif Membership.objects.filter(user=user, collectivite=invitation.collectivite).exists():
            raise ActionError(
                "already_member",
                _("Vous êtes déjà membre de %(collectivite)s.")
                % {"collectivite": invitation.collectivite},
                status=409,
            )
        membership = Membership.objects.create(
            user=user, collectivite=invitation.collectivite, role=invitation.role
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit.record(
            user,
            "invitation.accepted",
            obj=membership,
            summary=_("%(person)s a rejoint la collectivité comme %(role)s")
            % {"person": user, "role": membership.get_role_display()},
            changes={"invitation": invitation.pk, "role": invitation.role},
        )
    forget_roles(user)
    return invitation, user


def revoke_invitation(actor, invitation: Invitation) -> None:
    _require(invitation.get_abilities(actor), "delete")
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        state = invitation_state(invitation)
        if state != "pending":
            raise ActionError(f"invitation_{state}", UNAVAILABLE[state], status=409)
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit.record(
            actor,
            "invitation.revoked",
            obj=invitation,
            summary=_("Invitation de %(email)s révoquée") % {"email": invitation.email},
        )


# Members ----------------------------------------------------------------------


def change_member_role(actor, membership: Membership, role: str) -> Membership:
    _require(membership.get_abilities(actor), "change")
    if role not in Role.values:
        raise ActionError("invalid_role", _("Choisissez un rôle de la liste."), field="role")
    with transaction.atomic():
        _lock(membership.collectivite)
        membership = Membership.objects.select_related("user", "collectivite").get(pk=membership.pk)
        old = membership.role
        if old == role:
            return membership
        if old == Role.ADMIN and not _other_admins(membership):
            raise ActionError(
                "last_admin",
                LAST_ADMIN % {"name": membership.user, "collectivite": membership.collectivite},
                status=409,
            )
        membership.role = role
        membership.save(update_fields=["role"])
        audit.record(
            actor,
            "member.role_changed",
            obj=membership,
            summary=_("Rôle de %(person)s : %(old)s → %(new)s")
            % {"person": membership.user, "old": Role(old).label, "new": Role(role).label},
            changes={"role": [old, role], "user": membership.user.email},
        )
    forget_roles(actor, membership.user)
    return membership


def remove_member(actor, membership: Membership) -> None:
    _require(membership.get_abilities(actor), "delete")
    with transaction.atomic():
        _lock(membership.collectivite)
        membership = Membership.objects.select_related("user", "collectivite").get(pk=membership.pk)
        if membership.role == Role.ADMIN and not _other_admins(membership):
            raise ActionError(
                "last_admin",
                LAST_ADMIN % {"name": membership.user, "collectivite": membership.collectivite},
                status=409,
            )
        audit.record(
            actor,
            "member.removed",
            obj=membership,
            summary=_("%(person)s retiré·e de la collectivité (%(role)s)")
            % {"person": membership.user, "role": membership.get_role_display()},
            changes={"user": membership.user.email, "role": membership.role},
        )
        membership.delete()
    forget_roles(actor, membership.user)


# The person's own account -----------------------------------------------------


def update_account(actor, *, full_name: str):
    _require(actor.get_abilities(actor), "change")
    full_name = full_name.strip()
    if full_name == actor.full_name:
        return actor
    with transaction.atomic():
        old = actor.full_name
        actor.full_name = full_name
        actor.save(update_fields=["full_name"])
        audit.record(
            actor,
            "account.updated",
            obj=actor,
            summary=_("Nom modifié"),
            changes={"full_name": [old, full_name]},
        )
    return actor


def set_password(actor, password: str, *, reset: bool = False):
    """Change the person's password (already validated); a reset proves the address
    is theirs, so it also lifts a login lockout."""
    with transaction.atomic():
        actor.set_password(password)
        actor.save(update_fields=["password"])
        audit.record(
            actor,
            "account.password_reset" if reset else "account.password_changed",
            obj=actor,
            summary=_("Mot de passe réinitialisé par courriel")
            if reset
            else _("Mot de passe modifié"),
        )
        if reset:
            lockout.clear(actor.email)
    return actor
