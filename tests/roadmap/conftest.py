"""The shipped catalogue loaded on top of the test personas."""

import json

import pytest

from territoria.catalogue import content
from territoria.territories.models import Commune
from tests.factories import make_commune


@pytest.fixture
def shipped(world):
    """The shipped catalogue (its feedback names real communes: a tiny stand-in for the
    COG import is made for those the personas lack)."""
    rows = json.loads((content.CONTENT_DIR / content.FEEDBACK).read_text(encoding="utf-8"))
    for row in rows:
        if not Commune.objects.filter(code=row["insee"]).exists():
            make_commune(row["insee"], row["commune"], population=row.get("population") or 10_000)
    content.load()
    return world
