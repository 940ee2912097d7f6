"""Account URLs for the cross-tenant walker (tests/test_tenancy_walker.py)."""

import datetime

from django.utils import timezone

from territoria.accounts import audit
from territoria.accounts.enums import Role
from territoria.accounts.models import Invitation, Membership, hash_token

PUBLIC = {
    "accounts:login",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "accounts:password_change",
    "accounts:space",
    "accounts:account",
    "accounts:invitation",
}

INVITED = "invitation-canari@exemple.fr"
AUDIT_CANARY = "Événement canari du journal de Saint-Amand-Montrond"


def samples(world):
    membership = Membership.objects.get(
        user=world.agent_saint_amand, collectivite=world.saint_amand
    )
    invitation = Invitation.objects.create(
        collectivite=world.saint_amand,
        email=INVITED,
        role=Role.AGENT,
        token_hash=hash_token("walker-token"),
        invited_by=world.admin_saint_amand,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    audit.record(
        world.admin_saint_amand, "test.canary", collectivite=world.saint_amand, summary=AUDIT_CANARY
    )
    slug = world.saint_amand.slug
    return {
        "accounts:members": {"slug": slug},
        "accounts:invite": {"slug": slug},
        "accounts:journal": {"slug": slug},
        "accounts:change_role": {"slug": slug, "pk": membership.pk},
        "accounts:remove_member": {"slug": slug, "pk": membership.pk},
        "accounts:revoke_invitation": {"slug": slug, "pk": invitation.pk},
        "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
        # An unknown token: a real one is a bearer secret that shows its invitation.
        "accounts:invitation": {"token": "lien-inconnu"},
        "CANARIES": {INVITED, AUDIT_CANARY, world.agent_saint_amand.email},
    }
