"""Storage of validated batches: the new readings and their hourly rollups, with bulk
SQL (executemany on SQLite, COPY on PostgreSQL), in one transaction per batch. The key
is (ts, device, quantity), so a replayed batch adds nothing; the days touched are
marked for the daily rollups (`rollups.py`).
"""

import contextlib
import fcntl
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction

import numpy as np

from territoria.sensors import rollups


@dataclass
class Batch:
    device_ids: np.ndarray
    quantities: np.ndarray
    ts: np.ndarray
    values: np.ndarray

    def __len__(self):
        return len(self.ts)

    def take(self, indexes) -> "Batch":
        return Batch(
            *(c[indexes] for c in (self.device_ids, self.quantities, self.ts, self.values))
        )

    def columns(self) -> tuple:
        """(ts, device, quantity, value): the readings table's column order."""
        return self.ts, self.device_ids, self.quantities, self.values

    def sorted_by(self, instants) -> tuple[np.ndarray, np.ndarray]:
        """The order sorting the batch by (instants, device, quantity), and which items,
        in that order, repeat the key of the one before."""
        order = np.lexsort((self.quantities, self.device_ids, instants))
        t, d, q = instants[order], self.device_ids[order], self.quantities[order]
        repeat = np.zeros(len(order), dtype=bool)
        repeat[1:] = (t[1:] == t[:-1]) & (d[1:] == d[:-1]) & (q[1:] == q[:-1])
        return order, repeat


@dataclass
class Stored:
    received: int
    inserted: int


def store(batch: Batch) -> Stored:
    """Write the batch's new readings and their hourly rollups, in one transaction."""
    if not len(batch):
        return Stored(0, 0)
    if connection.vendor == "postgresql":
        with transaction.atomic():
            inserted = _store_postgresql(batch)
    else:
        writes = _writes(batch, _first_of_each_key(batch))
        with _sqlite_writer(), transaction.atomic():
            inserted = _store_sqlite(batch, writes)
    return Stored(len(batch), inserted)


@contextlib.contextmanager
def _sqlite_writer():
    """One ingesting writer at a time across processes, queued on a file lock: SQLite's
    own busy handler polls with sleeps of up to 100 ms, which leaves the database idle
    between two workers' batches; a blocked flock wakes as soon as it is released."""
    if connection.in_atomic_block:
        yield  # already inside a write transaction (tests, a larger action)
        return
    name = str(connection.settings_dict["NAME"])
    if name.startswith(":memory:") or "mode=memory" in name:
        yield
        return
    with open(f"{name}.ingest-lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _rows(batch: Batch) -> list[tuple]:
    return list(zip(*(c.tolist() for c in batch.columns()), strict=True))


INSERT_SQLITE = "INSERT INTO sensors_reading (ts, device_id, quantity, value) VALUES (?, ?, ?, ?)"


@dataclass
class _Writes:
    """The rows a batch adds (readings, hourly rollups, days to roll up), computed
    before the SQLite writer's lock is taken so that its holder only writes."""

    keep: np.ndarray
    readings: list
    hourly: list
    days: list


def _writes(batch: Batch, keep) -> _Writes:
    sub = batch.take(keep)
    return _Writes(
        keep,
        _rows(sub),
        _aggregate(sub, 3600),
        [(day,) for day in rollups.days_of(sub.ts)],
    )


def _accepted(action) -> bool:
    """Run `action` in a savepoint; False if a key already stored refused it whole."""
    try:
        with transaction.atomic():
            action()
    except (IntegrityError, connection.Database.IntegrityError):
        return False
    return True


def _store_sqlite(batch: Batch, writes: _Writes) -> int:
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    # Fresh data (the usual case): one plain executemany inside a savepoint.
    if not _accepted(lambda: cursor.executemany(INSERT_SQLITE, writes.readings)):
        new = _not_stored_sqlite(cursor, batch, writes.keep)
        if not len(new):
            return 0
        writes = _writes(batch, new)
        cursor.executemany(INSERT_SQLITE, writes.readings)
    cursor.executemany(_ROLLUP_SQLITE, writes.hourly)
    cursor.executemany(rollups.PENDING_SQLITE, writes.days)
    return len(writes.keep)


def _first_of_each_key(batch: Batch):
    """Indexes of the batch keeping the first item of each (ts, device, quantity)."""
    order, repeat = batch.sorted_by(batch.ts)
    if not repeat.any():
        return np.arange(len(batch))
    return np.sort(order[~repeat])


def _not_stored_sqlite(cursor, batch: Batch, keep):
    """Indexes (among `keep`) whose key is not in the table yet."""
    stored = set()
    lo, hi = int(batch.ts.min()), int(batch.ts.max())
    devices = sorted(set(batch.device_ids[keep].tolist()))
    for start in range(0, len(devices), 900):
        chunk = devices[start : start + 900]
        marks = ",".join("?" * len(chunk))
        cursor.execute(
            f"SELECT ts, device_id, quantity FROM sensors_reading "  # noqa: S608
            f"WHERE ts BETWEEN ? AND ? AND device_id IN ({marks})",
            [lo, hi, *chunk],
        )
        stored.update(cursor.fetchall())
    t, d, q = (
        batch.ts[keep].tolist(),
        batch.device_ids[keep].tolist(),
        batch.quantities[keep].tolist(),
    )
    mask = np.array([(a, b, c) not in stored for a, b, c in zip(t, d, q, strict=True)], dtype=bool)
    return keep[mask]


_ROLLUP_SQLITE = (
    "INSERT INTO sensors_hourly (hour, device_id, quantity, n, total, minimum, maximum, "
    "last_ts, last_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (hour, device_id, quantity) DO UPDATE SET "
    "n = n + excluded.n, total = total + excluded.total, "
    "minimum = min(minimum, excluded.minimum), maximum = max(maximum, excluded.maximum), "
    "last_value = CASE WHEN excluded.last_ts >= last_ts THEN excluded.last_value "
    "ELSE last_value END, last_ts = max(last_ts, excluded.last_ts)"
)


def _aggregate_columns(batch: Batch, width: int) -> tuple:
    """Rollup columns (bucket, device, quantity, n, sum, min, max, last ts, last value),
    in key order."""
    bucket = batch.ts - batch.ts % width
    order = np.lexsort((batch.ts, batch.quantities, batch.device_ids, bucket))
    b, d, q = bucket[order], batch.device_ids[order], batch.quantities[order]
    t, v = batch.ts[order], batch.values[order]
    start = np.ones(len(order), dtype=bool)
    start[1:] = (b[1:] != b[:-1]) | (d[1:] != d[:-1]) | (q[1:] != q[:-1])
    starts = np.flatnonzero(start)
    ends = np.append(starts[1:], len(order)) - 1
    return (
        b[starts],
        d[starts],
        q[starts],
        np.diff(np.append(starts, len(order))),
        np.add.reduceat(v, starts),
        np.minimum.reduceat(v, starts),
        np.maximum.reduceat(v, starts),
        t[ends],
        v[ends],
    )


def _aggregate(batch: Batch, width: int) -> list[tuple]:
    """Rollup rows, as `_aggregate_columns`."""
    return list(zip(*(c.tolist() for c in _aggregate_columns(batch, width)), strict=True))


_INCOMING_PG = (
    "CREATE TEMP TABLE IF NOT EXISTS sensors_incoming "
    "(ts bigint, device_id bigint, quantity smallint, value double precision) "
    "ON COMMIT DELETE ROWS"
)


_HOURLY_UPSERT_PG = (
    " ON CONFLICT (hour, device_id, quantity) DO UPDATE SET "
    "n = r.n + excluded.n, total = r.total + excluded.total, "
    "minimum = least(r.minimum, excluded.minimum), "
    "maximum = greatest(r.maximum, excluded.maximum), "
    "last_value = CASE WHEN excluded.last_ts >= r.last_ts THEN excluded.last_value "
    "ELSE r.last_value END, last_ts = greatest(r.last_ts, excluded.last_ts)"
)


def _hourly_pg(source: str, *, single: bool) -> str:
    """Hourly rollups of the readings of `source` (a table or a WITH name of this
    module), added to the rows already there. With one reading per (hour, device,
    quantity), each reading is its own rollup row and needs no grouping."""
    if single:
        rows = "1, value, value, value, ts, value"
        group = ""
    else:
        rows = "count(*), sum(value), min(value), max(value), max(ts), "
        rows += "(array_agg(value ORDER BY ts DESC))[1]"
        group = "GROUP BY 1, 2, 3 "
    return (
        "INSERT INTO sensors_hourly AS r (hour, device_id, quantity, n, total, minimum, "  # noqa: S608
        f"maximum, last_ts, last_value) SELECT ts - ts % 3600, device_id, quantity, {rows} "
        f"FROM {source} {group}ORDER BY 1, 2, 3" + _HOURLY_UPSERT_PG
    )


_PENDING_PG = "INSERT INTO sensors_pending_day (day) SELECT DISTINCT ts - ts % 86400 FROM {}"
_READINGS_PG = (
    "INSERT INTO sensors_reading (ts, device_id, quantity, value) "
    "SELECT ts, device_id, quantity, value FROM sensors_incoming ORDER BY ts, device_id, quantity"
)
# New readings for hours that already had a row (a device sending more than once an
# hour): their hourly rows are added to.
_HOURLY_ADD_PG = {single: _hourly_pg("sensors_incoming", single=single) for single in (True, False)}
# A batch holding known readings: one statement, rolling up only the readings added.
_KNOWN_PG = {
    single: (
        f"WITH new AS ({_READINGS_PG} ON CONFLICT DO NOTHING "  # noqa: S608
        "RETURNING ts, device_id, quantity, value), "
        f"h AS ({_hourly_pg('new', single=single)}), "
        f"d AS ({_PENDING_PG.format('new')}) "
        "SELECT count(*) FROM new"
    )
    for single in (True, False)
}


# COPY's binary form, built from the columns in one step: each row is its field count
# then each field's length and big-endian value.
_READING_TYPES = (">i8", ">i8", ">i2", ">f8")  # ts, device_id, quantity, value
_HOURLY_TYPES = (">i8", ">i8", ">i2", ">i4", ">f8", ">f8", ">f8", ">i8", ">f8")
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
_COPY_TRAILER = b"\xff\xff"


def _copy_binary(types: tuple[str, ...], columns: tuple[np.ndarray, ...]) -> bytes:
    layout = [("fields", ">i2")]
    for i, kind in enumerate(types):
        layout += [(f"len{i}", ">i4"), (f"value{i}", kind)]
    rows = np.empty(len(columns[0]), dtype=np.dtype(layout))
    rows["fields"] = len(types)
    for i, (kind, column) in enumerate(zip(types, columns, strict=True)):
        rows[f"len{i}"] = np.dtype(kind).itemsize
        rows[f"value{i}"] = column
    return _COPY_HEADER + rows.tobytes() + _COPY_TRAILER


def _copy(cursor, table: str, types, columns) -> None:
    with cursor.copy(f"COPY {table} FROM STDIN (FORMAT BINARY)") as copy:
        copy.write(_copy_binary(types, columns))


def _one_per_hour(batch: Batch) -> bool:
    """True when no two readings share an hour, a device and a quantity."""
    return not batch.sorted_by(batch.ts - batch.ts % 3600)[1].any()


def _store_postgresql(batch: Batch) -> int:
    """A fresh batch (the usual case) is copied straight into the readings, then its
    hourly rows into the hourly rollups: COPY refuses the whole statement on a key
    already there, and only then does the batch go through a temporary table, to add
    what is new (`_KNOWN_PG`) or to add to hours that already have a row."""
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        in_key_order = batch.take(batch.sorted_by(batch.ts)[0]).columns()
        if not _accepted(lambda: _copy(cursor, "sensors_reading", _READING_TYPES, in_key_order)):
            return _store_pg_incoming(cursor, batch, _KNOWN_PG[_one_per_hour(batch)])
        hourly = _aggregate_columns(batch, 3600)
        if not _accepted(lambda: _copy(cursor, "sensors_hourly", _HOURLY_TYPES, hourly)):
            _store_pg_incoming(cursor, batch, _HOURLY_ADD_PG[_one_per_hour(batch)])
        cursor.execute(
            "INSERT INTO sensors_pending_day (day) SELECT unnest(%s::bigint[])",
            [rollups.days_of(batch.ts)],
        )
    return len(batch)


def _store_pg_incoming(cursor, batch: Batch, statement: str) -> int:
    """Run `statement` on the batch copied into the temporary table `sensors_incoming`;
    returns the count it selects, if any."""
    cursor.execute(_INCOMING_PG)
    _copy(cursor, "sensors_incoming", _READING_TYPES, batch.columns())
    cursor.execute(statement)
    count = cursor.fetchone()[0] if cursor.description else None
    cursor.execute("TRUNCATE sensors_incoming")
    return count
