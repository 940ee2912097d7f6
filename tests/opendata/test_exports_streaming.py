"""The exporter on plain data: one pass over a generator, nothing left when it fails."""

import datetime
import json

import pyarrow.parquet as pq
import pytest

from territoria.opendata import exports

FIELDS = [
    {"name": "id", "type": "string"},
    {"name": "day", "type": "date"},
    {"name": "at", "type": "datetime"},
    {"name": "count", "type": "integer"},
    {"name": "lat", "type": "number"},
    {"name": "lon", "type": "number"},
]
AT = datetime.datetime(2025, 6, 1, 8, 30, tzinfo=datetime.UTC)


def _rows(n, fail_at=None):
    for i in range(n):
        if i == fail_at:
            raise RuntimeError("source lost")
        yield {"id": f"r{i}", "day": AT.date(), "at": AT, "count": i, "lat": 46.7, "lon": 2.5}


def test_generator_is_written_in_batches_to_every_format(tmp_path):
    """12,345 rows from a generator give the same rows in CSV, JSON, GeoJSON and Parquet."""
    table = exports.Table(FIELDS, _rows(12_345), "lat", "lon")
    written = exports.write_all(table, tmp_path, "t", ["csv", "json", "geojson", "parquet"], 1000)
    assert {fmt: w.row_count for fmt, w in written.items()} == dict.fromkeys(
        ["csv", "json", "geojson", "parquet"], 12_345
    )
    lines = (tmp_path / "t.csv").read_bytes().split(b"\r\n")
    assert lines[0] == b"id,day,at,count,lat,lon"
    assert lines[1] == b"r0,2025-06-01,2025-06-01T08:30:00Z,0,46.7,2.5"
    assert json.loads((tmp_path / "t.json").read_text())[-1]["id"] == "r12344"
    parquet = pq.ParquetFile(tmp_path / "t.parquet")
    assert parquet.metadata.num_rows == 12_345
    assert parquet.metadata.num_row_groups == 13
    # Parquet has no second unit: instants are stored in milliseconds, in UTC.
    assert str(parquet.schema_arrow.field("at").type) == "timestamp[ms, tz=UTC]"


def test_failed_export_leaves_previous_files_and_no_temporary_file(tmp_path):
    """When the source fails midway, the files of the last export stay as they were."""
    exports.write_all(exports.Table(FIELDS, _rows(10)), tmp_path, "t", ["csv", "parquet"])
    before = (tmp_path / "t.csv").read_bytes()
    with pytest.raises(RuntimeError):
        exports.write_all(
            exports.Table(FIELDS, _rows(50, fail_at=30)), tmp_path, "t", ["csv", "parquet"], 10
        )
    assert (tmp_path / "t.csv").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv", "t.parquet"]
