"""The national and international standards the tests validate against, from the
`shared/standards` folder beside the repository. Missing in CI is a failure, not a skip:
a conformance test that silently skips proves nothing."""

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared" / "standards"


def standard(relative: str) -> Path:
    path = SHARED / relative
    if not path.exists():
        message = f"standard missing: {path} (shared/standards beside the repository)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path
