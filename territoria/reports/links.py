"""What other modules may ask the reports module (they import only this module).

- `space_shortcuts(collectivite, role)`: « Mon espace » shortcuts (reports to handle).
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from territoria.accounts.shortcuts import Shortcut
from territoria.reports.models import Report


def space_shortcuts(collectivite, role: str) -> list[Shortcut]:
    if role == "elu":
        return [
            Shortcut(
                _("Indicateurs des signalements"),
                reverse("reports:dashboard", kwargs={"slug": collectivite.slug}),
            )
        ]
    return [
        Shortcut(
            _("Signalements à traiter"),
            reverse("reports:manage_list", kwargs={"slug": collectivite.slug}),
            Report.objects.of(collectivite).open().count(),
        )
    ]
