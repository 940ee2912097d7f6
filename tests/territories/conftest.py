"""Territories fixtures: the small COG sample imported, and the full shipped extract
imported once for the module that asks for it."""

import time
from io import StringIO
from types import SimpleNamespace

from django.core.management import call_command
from django.db import connection

import pytest

from territoria.territories import cog
from territoria.territories.models import (
    Commune,
    Departement,
    Epci,
    FormerCode,
    Region,
    SearchToken,
)
from tests.territories.cog_sample import sample_extract, write_extract

COG_TABLES = [SearchToken, FormerCode, Commune, Epci, Departement, Region]


@pytest.fixture
def sample_file(tmp_path):
    """The sample written as the shipped extract is (gzip and .sha256 beside it)."""
    return write_extract(tmp_path / "cog.json.gz", sample_extract())


@pytest.fixture(scope="module")
def cog_sample(django_db_setup, django_db_blocker):
    """The sample imported once for the module (tests still need `db`, whose rollback
    keeps the sample); the tables are emptied after the module."""
    with django_db_blocker.unblock():
        _empty_cog_tables()
        rows = cog.validate(sample_extract())
        cog.import_territories(rows)
    yield rows
    with django_db_blocker.unblock():
        _empty_cog_tables()


def _empty_cog_tables():
    with connection.cursor() as cursor:
        for model in COG_TABLES:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608


@pytest.fixture(scope="module")
def full_cog(django_db_setup, django_db_blocker):
    """The shipped extract imported with the real command, once for the module; the
    tables are emptied afterwards so that other modules start from a clean database."""
    with django_db_blocker.unblock():
        _empty_cog_tables()
        out = StringIO()
        started = time.perf_counter()
        call_command("import_territories", stdout=out, stderr=StringIO())
        seconds = time.perf_counter() - started
    yield SimpleNamespace(output=out.getvalue(), seconds=seconds)
    with django_db_blocker.unblock():
        _empty_cog_tables()
