"""What other apps ask of the procedures module.

- `space_shortcuts(collectivite, role)`: « Mon espace » shortcuts (dossiers to instruct).
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from territoria.accounts.shortcuts import Shortcut
from territoria.demarches.enums import State
from territoria.demarches.models import Dossier


def space_shortcuts(collectivite, role: str) -> list[Shortcut]:
    if role not in {"agent", "admin"}:
        return []
    waiting = (
        Dossier.objects.of(collectivite)
        .filter(state__in=[State.SUBMITTED, State.INSTRUCTING])
        .count()
    )
    return [
        Shortcut(
            _("Démarches en ligne"),
            reverse("demarches:manage", kwargs={"slug": collectivite.slug}),
            waiting,
        )
    ]
