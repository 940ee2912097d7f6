import time

from django.core.management.base import BaseCommand

from territoria.scheduler.schedule import tick


class Command(BaseCommand):
    help = "Met en file les tâches récurrentes dues (une fois, ou en boucle chaque minute)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Un seul passage puis sortie.")
        parser.add_argument("--interval", type=int, default=60, help="Secondes entre passages.")

    def handle(self, *args, once=False, interval=60, **options):
        while True:
            for name in tick():
                self.stdout.write(f"Mise en file : {name}")
            if once:
                return
            time.sleep(interval)
