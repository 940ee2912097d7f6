"""The demonstration: every module adds its content here, in order."""

from django.core.management import call_command

from territoria.accounts import demo as accounts_demo
from territoria.catalogue import demo as catalogue_demo
from territoria.demarches import demo as demarches_demo
from territoria.funding import demo as funding_demo
from territoria.opendata import demo as opendata_demo
from territoria.participation import demo as participation_demo
from territoria.purchasing import demo as purchasing_demo
from territoria.reports import demo as reports_demo
from territoria.roadmap import demo as roadmap_demo
from territoria.sensors import demo as sensors_demo
from territoria.territories import demo as territories_demo


def load() -> list[tuple[str, str]]:
    collectivites = territories_demo.load()
    logins = accounts_demo.load(collectivites)
    call_command("load_catalogue", verbosity=0)
    catalogue_demo.load()
    funding_demo.load(collectivites)
    logins += purchasing_demo.load(collectivites)
    roadmap_demo.load(collectivites)
    reports_demo.load(collectivites)
    sensors_demo.load(collectivites)
    participation_demo.load(collectivites)
    opendata_demo.load(collectivites)
    demarches_demo.load(collectivites)
    return logins
