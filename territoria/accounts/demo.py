"""Demo people: one per role in each demo collectivité, plus the other personas."""

from django.db import transaction

from territoria.accounts.enums import Role
from territoria.accounts.models import Membership, User

DEMO_PASSWORD = "demo-territoria"  # noqa: S105 - printed by `territoria demo`, demo only


def demo_email(role: str, slug: str) -> str:
    return f"{role}.{slug}@demo.test"


@transaction.atomic
def load(collectivites) -> list[tuple[str, str]]:
    """Create (or keep) demo accounts; returns (email, what it is) for the logins table."""
    logins = []

    def person(email, label, **extra):
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD, **extra)
        logins.append((email, label))
        return user

    person(
        "operateur@demo.test",
        "opérateur de l'instance",
        full_name="Olga Opératrice",
        is_staff=True,
        is_superuser=True,
    )
    for collectivite in collectivites:
        for role in (Role.AGENT, Role.ELU, Role.ADMIN):
            user = person(
                demo_email(role, collectivite.slug),
                f"{role.label} — {collectivite.name}",
                full_name=f"{role.label} {collectivite.name}",
            )
            Membership.objects.get_or_create(
                user=user, collectivite=collectivite, defaults={"role": role}
            )
    person("habitante@demo.test", "habitante (sans rôle)", full_name="Camille Habitante")
    person(
        "fournisseur@demo.test",
        "fournisseur de solutions (Exemple SARL, fictif)",
        full_name="Exemple SARL",
    )
    return logins
