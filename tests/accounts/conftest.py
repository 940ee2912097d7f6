import html
import re

from django.urls import reverse

import pytest

from territoria.accounts import actions
from territoria.accounts.enums import Role

INVITATION_LINK = re.compile(r"https?://[^/\s]+(/compte/invitation/([^/\s]+)/)")


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Tasks run as soon as they are enqueued (one test runs the real database worker)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def invite(world, mailoutbox, django_capture_on_commit_callbacks):
    """Invite an address to Saint-Amand-Montrond as its admin; returns (invitation, path
    of the link, token), read from the email like the invited person would."""

    def _invite(email="nouvelle@exemple.fr", role=Role.AGENT, collectivite=None, actor=None):
        with django_capture_on_commit_callbacks(execute=True):
            invitation = actions.invite_member(
                actor or world.admin_saint_amand, collectivite or world.saint_amand, email, role
            )
        path, token = INVITATION_LINK.search(mailoutbox[-1].body).groups()
        return invitation, path, token

    return _invite


def login_url():
    return reverse("accounts:login")


def text(response) -> str:
    """The page as a reader sees it (entities such as &#x27; decoded)."""
    return html.unescape(response.content.decode())
