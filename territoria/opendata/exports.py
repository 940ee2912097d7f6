"""Write one table as CSV, JSON, GeoJSON and Parquet, streaming rows in batches so
memory stays bounded whatever the number of rows; return each file's size and SHA-256.

A table is plain data: `Table(fields, rows, lat, lon)` where fields are Table Schema
field dicts (name, type) and rows an iterable of dicts keyed by field name.
"""

import datetime
import decimal
import hashlib
import io
import json
import os
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from territoria import tabular

BATCH_ROWS = 2_500  # 5,000 peaked at 201.6 Mo, over the 200 Mo target (docs/benchmarks.md)
# Only text columns are escaped against formulas: numbers and dates stay as the schema types them.
TEXT_TYPES = {"string", "any"}


@dataclass
class Table:
    fields: list[dict]
    rows: Iterable[dict]
    lat: str = ""
    lon: str = ""
    # When the underlying data last changed (None when unknown).
    modified: datetime.datetime | None = None
    extra: dict = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [f["name"] for f in self.fields]

    @property
    def located(self) -> bool:
        return bool(self.lat and self.lon)


@dataclass
class Written:
    path: Path
    byte_size: int
    sha256: str
    row_count: int


@lru_cache(maxsize=4096)
def _datetime_text(value: datetime.datetime) -> str:
    # Exports repeat the same instants (one day for thousands of sensors): cache them.
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def text(value) -> str:
    """A cell as CSV text: ISO dates, dot decimals, lower-case booleans, '' for None."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return _datetime_text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def csv_cells(batch: list[dict], names: list[str], text_columns: list[int]) -> list[list]:
    """The batch's CSV cells; text columns escaped against spreadsheet formulas."""
    rows = [[text(row.get(n)) for n in names] for row in batch]
    starts, escape = tabular.ESCAPE_STARTS, tabular.escape
    for cells in rows:
        for i in text_columns:
            if cells[i][:1] in starts:
                cells[i] = escape(cells[i])
    return rows


def _json_value(value):
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return text(value)
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def batches(rows: Iterable[dict], size: int = BATCH_ROWS) -> Iterator[list[dict]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


ARROW_TYPES = {
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("s", tz="UTC"),
}


def arrow_schema(fields: list[dict]) -> pa.Schema:
    return pa.schema([(f["name"], ARROW_TYPES.get(f["type"], pa.string())) for f in fields])


def _arrow_column(values: list, kind: str):
    if kind == "datetime":
        return [
            (v if v.tzinfo is datetime.UTC else v.astimezone(datetime.UTC))
            if isinstance(v, datetime.datetime)
            else None
            for v in values
        ]
    if kind == "number":
        return [None if v is None or v == "" else float(v) for v in values]
    if kind in ARROW_TYPES:
        return [None if v == "" else v for v in values]
    return [None if v is None else text(v) for v in values]


class _Sink:
    """An open output file that hashes and counts what it writes."""

    def __init__(self, path: Path):
        self.path = path
        self.file = open(path, "wb")  # noqa: SIM115 - closed in close()
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes):
        self.hash.update(data)
        self.size += len(data)
        self.file.write(data)

    def close(self):
        self.file.close()


def write_all(
    table: Table, directory: Path, stem: str, formats: list[str], batch_rows: int = BATCH_ROWS
) -> dict[str, Written]:
    """Write the table once through every format at the same time (the rows are read
    only once, so a generator source works), batch by batch."""
    directory.mkdir(parents=True, exist_ok=True)
    names = table.names
    kinds = {f["name"]: f["type"] for f in table.fields}
    # Private names: two refreshes at once never write into the same temporary file.
    token = uuid.uuid4().hex[:12]
    tmp = {fmt: directory / f".{stem}.{fmt}.{token}.tmp" for fmt in formats}
    sinks = {fmt: _Sink(tmp[fmt]) for fmt in formats if fmt != "parquet"}
    writer = None
    if "parquet" in formats:
        schema = arrow_schema(table.fields)
        writer = pq.ParquetWriter(tmp["parquet"], schema, compression="zstd")
    count = 0
    text_columns = [i for i, n in enumerate(names) if kinds[n] in TEXT_TYPES]
    buffer = io.StringIO()
    csv_writer = tabular.Writer(buffer)
    if "csv" in sinks:
        csv_writer.write_cells(names)
        sinks["csv"].write(buffer.getvalue().encode())
    if "json" in sinks:
        sinks["json"].write(b"[")
    if "geojson" in sinks:
        sinks["geojson"].write(b'{"type":"FeatureCollection","features":[')
    try:
        for batch in batches(table.rows, batch_rows):
            if "csv" in sinks:
                buffer.seek(0)
                buffer.truncate()
                for cells in csv_cells(batch, names, text_columns):
                    csv_writer.write_cells(cells)
                sinks["csv"].write(buffer.getvalue().encode())
            if "json" in sinks:
                parts = [
                    json.dumps({n: _json_value(row.get(n)) for n in names}, ensure_ascii=False)
                    for row in batch
                ]
                sinks["json"].write((("," if count else "") + ",".join(parts)).encode())
            if "geojson" in sinks:
                parts = []
                for row in batch:
                    lat, lon = row.get(table.lat), row.get(table.lon)
                    geometry = (
                        {"type": "Point", "coordinates": [float(lon), float(lat)]}
                        if lat is not None and lon is not None
                        else None
                    )
                    properties = {n: _json_value(row.get(n)) for n in names}
                    parts.append(
                        json.dumps(
                            {"type": "Feature", "geometry": geometry, "properties": properties},
                            ensure_ascii=False,
                        )
                    )
                sinks["geojson"].write((("," if count else "") + ",".join(parts)).encode())
            if writer is not None:
                columns = {n: _arrow_column([row.get(n) for row in batch], kinds[n]) for n in names}
                writer.write_table(pa.table(columns, schema=writer.schema))
            count += len(batch)
        if "json" in sinks:
            sinks["json"].write(b"]")
        if "geojson" in sinks:
            sinks["geojson"].write(b"]}")
    except BaseException:
        for path in tmp.values():
            path.unlink(missing_ok=True)
        raise
    finally:
        for sink in sinks.values():
            sink.close()
        if writer is not None:
            writer.close()
    written = {}
    for fmt in formats:
        final = directory / f"{stem}.{fmt}"
        if fmt in sinks:
            size, digest = sinks[fmt].size, sinks[fmt].hash.hexdigest()
        else:
            size, digest = file_digest(tmp[fmt])
        os.replace(tmp[fmt], final)
        written[fmt] = Written(final, size, digest, count)
    return written


def file_digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()
