"""Demonstration content of the funding module: the shipped programmes, and the
digest subscription of Saint-Amand-Montrond's agent."""

from territoria.accounts.models import User
from territoria.funding import content
from territoria.funding.models import DigestSubscription


def load(collectivites) -> None:
    content.load()
    by_slug = {c.slug: c for c in collectivites}
    agent = User.objects.filter(email="agent.saint-amand-montrond@demo.test").first()
    if agent and "saint-amand-montrond" in by_slug:
        DigestSubscription.objects.get_or_create(
            user=agent, collectivite=by_slug["saint-amand-montrond"]
        )
