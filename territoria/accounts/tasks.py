"""Background work of accounts: the emails, and the purge of old login failures.

Tasks take ids, never secrets: a link's token is made when the email is written, so
it exists only in that email (the database keeps its sha256).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from django_tasks import task

from territoria.accounts import lockout
from territoria.accounts.models import Invitation, hash_token
from territoria.mail import render_email


def _send(template_prefix: str, to: str, context: dict) -> None:
    subject, body = render_email(template_prefix, context)
    EmailMessage(subject, body, to=[to]).send()


@task()
def send_invitation_email(invitation_id: int) -> bool:
    """Mail the invitation link once; returns whether a message was sent.

    Idempotent: the invitation is first claimed (new token, `email_sent_at`), so a
    second run finds it sent, or no longer pending, and does nothing. The mail goes
    out after the claim, so a slow mail server never holds a database lock; if
    sending fails, the claim is undone and a new run may retry.
    """
    token = Invitation.new_token()
    # One conditional UPDATE: of two concurrent runs, exactly one claims the invitation.
    claimed = (
        Invitation.objects.pending()
        .filter(pk=invitation_id, email_sent_at__isnull=True)
        .update(token_hash=hash_token(token), email_sent_at=timezone.now())
    )
    if not claimed:
        return False
    invitation = Invitation.objects.select_related("collectivite", "invited_by").get(
        pk=invitation_id
    )
    try:
        with translation.override(settings.LANGUAGE_CODE):
            _send(
                "accounts/emails/invitation",
                invitation.email,
                {
                    "invitation": invitation,
                    "url": settings.SITE_URL + reverse("accounts:invitation", args=[token]),
                },
            )
    except Exception:
        Invitation.objects.filter(pk=invitation_id).update(email_sent_at=None)
        raise
    return True


@task()
def send_password_reset_email(user_id: int) -> bool:
    """Mail a password reset link to an active person; returns whether one was sent.

    The link is built on SITE_URL, never on the request's Host header. Running twice
    sends two links that both reset the same password once: harmless.
    """
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return False
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            "accounts/emails/password_reset",
            user.email,
            {
                "user": user,
                "url": settings.SITE_URL + path,
                "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
            },
        )
    return True


@task()
def purge_login_failures() -> int:
    """Delete login failures older than the lockout window (also done on each failure)."""
    return lockout.purge()
