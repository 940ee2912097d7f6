"""Issue an Open311 api_key for a client application of a collectivité.

The key is written once to standard output (never logged, only its hash is kept):
`manage.py open311_client cahors "Application Tell My City"`. Admins of a
collectivité can do the same from the back-office page « Applications Open311 »."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from territoria.accounts import audit
from territoria.reports.models import ClientApplication
from territoria.territories.models import Collectivite


class Command(BaseCommand):
    help = "Crée une application cliente Open311 et affiche sa clé une seule fois."

    def add_arguments(self, parser):
        parser.add_argument("collectivite", help="identifiant d'adresse (slug) de la collectivité")
        parser.add_argument("name", help="nom de l'application")
        parser.add_argument("--contact", default="", help="courriel du contact technique")

    def handle(self, *args, collectivite, name, contact, **options):
        owner = Collectivite.objects.filter(slug=collectivite).first()
        if owner is None:
            raise CommandError(f"Collectivité inconnue : {collectivite}")
        app = ClientApplication(collectivite=owner, name=name[:120], contact=contact)
        key = app.issue_key()
        with transaction.atomic():
            app.save()
            audit.record(None, "reports.client_create", obj=app, summary=app.name)
        self.stdout.write(key)
