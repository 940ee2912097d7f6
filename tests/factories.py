"""Small factories and the named personas used across the suite.

Territories come from a tiny COG fixture (tests/territories/cog_sample.py) unless a
test loads the full reference data.
"""

import itertools

from territoria.accounts.enums import Role
from territoria.accounts.models import Membership, User
from territoria.territories.enums import CollectiviteKind
from territoria.territories.models import Collectivite, Commune, Departement, Epci, Region

PASSWORD = "motdepasse-de-test-42"
_seq = itertools.count(1)


def make_user(email=None, *, password=PASSWORD, **extra) -> User:
    email = email or f"personne{next(_seq)}@exemple.fr"
    return User.objects.create_user(email, password, **extra)


def make_commune(
    code, name, *, population=10_000, epci=None, postal_codes=None, dep="18", reg="24"
):
    region, _ = Region.objects.get_or_create(code=reg, defaults={"name": f"Région {reg}"})
    departement, _ = Departement.objects.get_or_create(
        code=dep, defaults={"name": f"Département {dep}", "region": region}
    )
    commune, _ = Commune.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "population": population,
            "postal_codes": postal_codes or [],
            "departement": departement,
            "region": region,
            "epci": epci,
        },
    )
    return commune


def make_epci(siren, name, *, population=30_000, kind="CC"):
    epci, _ = Epci.objects.update_or_create(
        siren=siren, defaults={"name": name, "population": population, "kind": kind}
    )
    return epci


def make_collectivite(territory, slug=None) -> Collectivite:
    if isinstance(territory, Epci):
        kind, fields = CollectiviteKind.EPCI, {"epci": territory}
    else:
        kind, fields = CollectiviteKind.COMMUNE, {"commune": territory}
    collectivite, _ = Collectivite.objects.get_or_create(
        slug=slug or territory.name.lower().replace(" ", "-").replace("'", "-"),
        defaults={"name": territory.name, "kind": kind, **fields},
    )
    return collectivite


def make_member(collectivite, role=Role.AGENT, email=None, **extra) -> User:
    user = make_user(email, **extra)
    Membership.objects.create(user=user, collectivite=collectivite, role=role)
    return user
