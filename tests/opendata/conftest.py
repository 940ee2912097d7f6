import pytest

from territoria.opendata import actions
from tests.opendata.factories import (
    ALL_SOURCES,
    VALID_ROW,
    generated,
    source_data,
    subventions_csv,
    upload,
)


@pytest.fixture(autouse=True)
def opendata_dir(settings, tmp_path):
    settings.OPENDATA_DIR = tmp_path / "opendata"
    return settings.OPENDATA_DIR


@pytest.fixture
def published(world):
    """Saint-Amand-Montrond's datasets: every generated source and one upload, published;
    plus one unpublished dataset."""
    agent = world.agent_saint_amand
    source_data(world.saint_amand, world.citizen)
    datasets = [generated(agent, world.saint_amand, source) for source in ALL_SOURCES]
    dataset, errors = upload(agent, world.saint_amand, subventions_csv(VALID_ROW),
                             title="Subventions 2025")  # fmt: skip
    assert errors == []
    datasets.append(dataset)
    for one in datasets:
        actions.set_published(agent, one, True)
    hidden, _ = upload(agent, world.saint_amand, subventions_csv(VALID_ROW),
                       title="Brouillon canari non publié")  # fmt: skip
    return {"datasets": datasets, "hidden": hidden}
