import json

import pytest

from territoria.catalogue import content as catalogue_content
from territoria.territories.models import Commune
from tests.factories import make_commune


@pytest.fixture
def catalogue(world):
    """The shipped catalogue on top of the personas (stand-ins for the communes its
    feedback names)."""
    path = catalogue_content.CONTENT_DIR / catalogue_content.FEEDBACK
    for row in json.loads(path.read_text(encoding="utf-8")):
        if not Commune.objects.filter(code=row["insee"]).exists():
            make_commune(row["insee"], row["commune"], population=row.get("population") or 10_000)
    catalogue_content.load()
    return world
