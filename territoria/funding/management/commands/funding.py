from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from territoria.funding import content


class Command(BaseCommand):
    help = (
        "Programmes de financement : `load` charge les programmes fournis avec Territoria ; "
        "`import-aides-territoires FICHIER` importe une réponse enregistrée de l'API "
        "Aides-territoires."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load", "import-aides-territoires"])
        parser.add_argument("file", nargs="?", help="Fichier JSON (import seulement).")

    def handle(self, *args, action, file=None, **options):
        try:
            if action == "load":
                summary = content.load()
            else:
                if not file:
                    raise CommandError("Indiquez le fichier JSON à importer.")
                summary = content.import_aides_territoires(Path(file))
        except content.FileRejected as rejected:
            lines = "\n".join(f"  - {problem}" for problem in rejected.problems)
            raise CommandError(f"Fichier refusé, rien n'a été écrit :\n{lines}") from None
        self.stdout.write(str(summary))
