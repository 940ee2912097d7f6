from types import SimpleNamespace

import pytest

from tests.demarches.factories import make_adoption, make_template


@pytest.fixture(autouse=True)
def _demarches_settings(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def dw(world):
    """The procedures world: CC Coeur de France publishes, Saint-Amand-Montrond and
    Niort adopt."""
    d = SimpleNamespace(world=world)
    d.template = make_template(world.cc)
    d.adoption = make_adoption(d.template, world.saint_amand)
    d.adoption_niort = make_adoption(d.template, world.niort)
    return d
