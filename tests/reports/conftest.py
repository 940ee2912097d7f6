from types import SimpleNamespace

import pytest

from tests.reports.factories import NIORT, SAINT_AMAND, make_category, make_question, make_zone


@pytest.fixture(autouse=True)
def _reports_settings(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.REPORTS_PHOTO_ROOT = tmp_path / "photos"
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def rw(world):
    """The reports world: zones, categories (waste belongs to the EPCI) and a question."""
    r = SimpleNamespace(world=world)
    r.zone_sa = make_zone(world.saint_amand, SAINT_AMAND)
    r.zone_cc = make_zone(world.cc, SAINT_AMAND, metres=15000)
    r.zone_niort = make_zone(world.niort, NIORT)
    r.lighting = make_category(world.saint_amand, "eclairage", "Éclairage public")
    r.question = make_question(r.lighting)
    r.waste = make_category(world.cc, "dechets", "Dépôt sauvage", group="Propreté")
    r.niort_road = make_category(world.niort, "voirie", "Voirie")
    return r
