"""`manage.py load_catalogue [--dir PATH]`: load the catalogue's reference content."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from territoria.catalogue import content

LABELS = {
    "tags": gettext_lazy("Étiquettes"),
    "use_cases": gettext_lazy("Cas d'usage"),
    "solutions": gettext_lazy("Solutions libres"),
    "feedback": gettext_lazy("Retours d'expérience"),
}


class Command(BaseCommand):
    help = gettext_lazy(
        "Charge ou met à jour le contenu de référence du catalogue (cas d'usage, étiquettes, "
        "solutions libres, retours d'expérience) depuis territoria/data/catalogue/."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            type=Path,
            default=None,
            help=_("Dossier contenant les fichiers JSON du catalogue."),
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            report = content.load(options["dir"])
        except content.ContentError as error:
            lines = "\n".join(f"- {problem}" for problem in error.problems)
            raise CommandError(
                _(
                    "Contenu du catalogue invalide, rien n'a été modifié "
                    "(erreurs : %(n)d) :\n%(lines)s"
                )
                % {"n": len(error.problems), "lines": lines}
            ) from error
        for key, counts in report.counts.items():
            self.stdout.write(
                _(
                    "%(label)s — créés : %(created)d, mis à jour : %(updated)d, "
                    "inchangés : %(unchanged)d"
                )
                % {
                    "label": LABELS[key],
                    "created": counts.created,
                    "updated": counts.updated,
                    "unchanged": counts.unchanged,
                }
            )
        if not report.changed:
            self.stdout.write(_("Rien n'a changé : le catalogue était déjà à jour."))
        self.stdout.write(_("Terminé en %(s).1f s.") % {"s": time.perf_counter() - started})
