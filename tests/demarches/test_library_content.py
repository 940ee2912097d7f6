"""The shipped library: every template is a usable form with its legal basis, and the
demo publishes, adopts and instructs."""

import pytest

from territoria.demarches import content, demo
from territoria.demarches.enums import State
from territoria.demarches.models import Adoption, Dossier, FormTemplate


def test_the_shipped_library_holds_ten_checked_templates():
    """At least ten templates, each valid, each citing its legal basis."""
    rows = content.read()
    assert len(rows) >= 10
    assert all(row["legal_basis"].strip() for row in rows)
    assert len({row["slug"] for row in rows}) == len(rows)


@pytest.mark.django_db
def test_loading_twice_publishes_once(world):
    """Loading the library again changes no version."""
    content.load()
    content.load()
    assert set(FormTemplate.objects.values_list("version", flat=True)) == {1}


@pytest.mark.django_db
def test_the_demo_has_dossiers_at_each_state(world):
    """CC Coeur de France publishes three templates, two communes adopt them, and
    Saint-Amand-Montrond holds dossiers at every state."""
    demo.load([world.cc, world.saint_amand, world.orval])
    demo.load([world.cc, world.saint_amand, world.orval])
    assert FormTemplate.objects.filter(owner=world.cc).count() == 3
    assert Adoption.objects.filter(collectivite=world.orval).count() == 3
    states = set(Dossier.objects.of(world.saint_amand).values_list("state", flat=True))
    assert states == set(State.values)
