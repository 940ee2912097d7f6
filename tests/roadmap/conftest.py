"""The shipped reference data loaded on top of the test personas."""

import pytest

from territoria.funding import content as funding_content


@pytest.fixture
def shipped(shipped_catalogue):
    """The shipped catalogue and funding programmes: the plan counts on expected aid."""
    funding_content.load()
    return shipped_catalogue
