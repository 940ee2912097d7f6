"""`manage.py catalogue export --format json|csv --output PATH` and
`manage.py catalogue import PATH`: exchange the catalogue with another instance."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from territoria.catalogue import exchange

MAX_SHOWN = 200
LABELS = {
    "tags": gettext_lazy("étiquettes"),
    "use_cases": gettext_lazy("cas d'usage"),
    "providers": gettext_lazy("fournisseurs"),
    "solutions": gettext_lazy("solutions"),
    "figures": gettext_lazy("chiffres"),
    "feedback": gettext_lazy("retours d'expérience"),
}


class Command(BaseCommand):
    help = gettext_lazy(
        "Exporte ou importe le catalogue (cas d'usage, solutions publiées ou non, "
        "fournisseurs, chiffres, retours d'expérience) en JSON ou en CSV."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help=_("Exporter le catalogue."))
        export.add_argument("--format", choices=["json", "csv"], default="json", dest="fmt")
        export.add_argument(
            "--output",
            required=True,
            help=_(
                "Fichier JSON (« - » pour la sortie standard), ou pour le CSV un dossier ou "
                "un fichier .zip."
            ),
        )
        load = actions.add_parser("import", help=_("Importer un export du catalogue."))
        load.add_argument(
            "path", type=Path, help=_("Fichier JSON, dossier de fichiers CSV ou fichier .zip.")
        )

    def handle(self, *args, **options):
        if options["action"] == "export":
            return self.export(options["fmt"], options["output"])
        return self.load(options["path"])

    def export(self, fmt: str, output: str) -> None:
        if output == "-":
            if fmt != "json":
                raise CommandError(_("Seul l'export JSON peut être écrit sur la sortie standard."))
            sys.stdout.buffer.write(exchange.to_json(exchange.export_data()))
            return
        try:
            exchange.export_catalogue(Path(output), fmt)
        except OSError as error:
            raise CommandError(
                _("Export impossible : %(error)s") % {"error": error.strerror or error}
            ) from error
        self.stdout.write(_("Catalogue exporté : %(path)s") % {"path": output})

    def load(self, path: Path) -> None:
        try:
            counts = exchange.import_catalogue(path)
        except exchange.ImportRejected as rejected:
            lines = [str(issue) for issue in rejected.issues[:MAX_SHOWN]]
            if len(rejected.issues) > MAX_SHOWN:
                lines.append(
                    _("… et %(count)d autres problèmes.")
                    % {"count": len(rejected.issues) - MAX_SHOWN}
                )
            raise CommandError(
                ngettext(
                    "Import refusé, rien n'a été modifié (%(count)d problème) :",
                    "Import refusé, rien n'a été modifié (%(count)d problèmes) :",
                    len(rejected.issues),
                )
                % {"count": len(rejected.issues)}
                + "\n"
                + "\n".join(lines)
            ) from rejected
        summary = ", ".join(f"{counts[table]} {LABELS[table]}" for table in exchange.TABLES)
        self.stdout.write(_("Catalogue importé : %(summary)s.") % {"summary": summary})
