"""`manage.py import_territories [--file PATH]`: load or refresh the INSEE COG extract."""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tqdm import tqdm

from territoria.territories import cog

LABELS = {
    "regions": gettext_lazy("Régions"),
    "departements": gettext_lazy("Départements"),
    "epcis": gettext_lazy("EPCI"),
    "communes": gettext_lazy("Communes"),
    "former_codes": gettext_lazy("Anciens codes"),
}


class Command(BaseCommand):
    help = gettext_lazy(
        "Importe ou met à jour les régions, départements, EPCI et communes du Code officiel "
        "géographique depuis l'extrait livré (territoria/data/cog/cog.json.gz)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            type=Path,
            default=None,
            help=_("Fichier d'extrait à importer (JSON, éventuellement compressé en gzip)."),
        )

    def handle(self, *args, **options):
        path = options["file"] or cog.default_extract_path()
        started = time.perf_counter()
        try:
            rows = cog.validate(cog.read_extract(path))
        except cog.CogDataError as error:
            raise CommandError(
                _("Import des territoires impossible, rien n'a été modifié. %(error)s")
                % {"error": error}
            ) from error
        source = rows.source
        if source:
            self.stdout.write(
                _("Source : %(package)s %(version)s (%(date)s)")
                % {
                    "package": source.get("package", "?"),
                    "version": source.get("version", "?"),
                    "date": source.get("date", "?"),
                }
            )
        # The bar goes to stderr and only on a terminal: logs and pipes stay clean.
        with tqdm(
            total=cog.total_steps(rows),
            desc=_("Import des territoires"),
            unit=_(" lignes"),
            file=sys.stderr,
            disable=None if options["verbosity"] < 2 else False,
            leave=False,
        ) as bar:
            outcomes = cog.import_territories(rows, progress=bar.update)
        elapsed = time.perf_counter() - started
        self._report(outcomes, elapsed)

    def _report(self, outcomes, elapsed):
        for key, outcome in outcomes.items():
            self.stdout.write(
                _(
                    "%(label)s — créés : %(created)d, modifiés : %(updated)d, "
                    "inchangés : %(unchanged)d, supprimés : %(deleted)d"
                )
                % {
                    "label": LABELS[key],
                    "created": outcome.created,
                    "updated": outcome.updated,
                    "unchanged": outcome.unchanged,
                    "deleted": outcome.deleted,
                }
            )
            if outcome.kept:
                self.stderr.write(
                    _(
                        "%(label)s — absents du fichier mais encore utilisés, donc "
                        "conservés : %(count)d (%(codes)s)"
                    )
                    % {
                        "label": LABELS[key],
                        "count": len(outcome.kept),
                        "codes": ", ".join(outcome.kept[:20]),
                    }
                )
        if any(outcome.changed for outcome in outcomes.values()):
            self.stdout.write(
                self.style.SUCCESS(
                    _("Territoires importés en %(seconds).1f s.") % {"seconds": elapsed}
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Aucun changement : les territoires sont déjà à jour (%(seconds).1f s).")
                    % {"seconds": elapsed}
                )
            )
