"""Ingestion: every input format ends here as columns of (device, quantity, ts, value).

`validate` checks a whole batch and names each bad item; `store` writes the good batch
with bulk SQL (executemany on SQLite, COPY on PostgreSQL), skipping readings already
stored (the key is (ts, device, quantity), so a replayed batch adds nothing), updates
the hourly rollups from the new readings only and marks their days for the daily
rollups (`rollups.py`).
"""

import contextlib
import datetime
import fcntl
import gc
import math
import threading
import time
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

import numpy as np

from territoria.sensors import rollups, units
from territoria.sensors.models import Device, normalise_dev_eui

FUTURE_TOLERANCE_S = 5 * 60
OLDEST_TS = 946_684_800  # 2000-01-01: older instants are typing mistakes
MAX_BATCH = 50_000
MAX_LISTED_ERRORS = 200


class BatchRejected(Exception):
    """The batch is refused whole; `errors` names each bad item."""

    def __init__(self, errors: list[dict], *, code="invalid_batch", message=None):
        self.errors = errors
        self.code = code
        count = len(errors)
        self.message = message or _(
            "Lot refusé : %(count)s élément(s) invalide(s), aucun relevé n'a été enregistré."
        ) % {"count": count}
        super().__init__(self.message)

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "message": str(self.message),
            "error_count": len(self.errors),
            "errors": self.errors[:MAX_LISTED_ERRORS],
        }


@dataclass
class Items:
    """A batch as columns, before validation. `labels` name each item in errors
    (index in a JSON list, line of a CSV file, entity id…)."""

    devices: list = field(default_factory=list)
    quantities: list = field(default_factory=list)
    timestamps: list = field(default_factory=list)
    values: list = field(default_factory=list)
    units: list = field(default_factory=list)
    labels: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # problems found while parsing
    # (quantity, unit) shared by every item (the compact form), else None.
    uniform: tuple | None = None
    # Alarms raised by the devices themselves: (device, name, value, instant).
    alarms: list = field(default_factory=list)

    def add(self, device, quantity, timestamp, value, unit, label):
        self.devices.append(device)
        self.quantities.append(quantity)
        self.timestamps.append(timestamp)
        self.values.append(value)
        self.units.append(unit)
        self.labels.append(label)

    def __len__(self):
        return len(self.devices)


@dataclass
class Batch:
    device_ids: np.ndarray
    quantities: np.ndarray
    ts: np.ndarray
    values: np.ndarray

    def __len__(self):
        return len(self.ts)


# ---------------------------------------------------------------- device lookup

_directory_cache: dict = {}
_cache_lock = threading.Lock()


DIRECTORY_TTL_S = 30


def device_directory(
    collectivite_id: int, fleet_id: int | None = None, *, fresh: bool = False
) -> dict[str, int]:
    """External ids and DevEUIs of a collectivité's devices (of one fleet if given)
    -> device id. Cached per process for DIRECTORY_TTL_S seconds; `validate` asks for a
    fresh copy before calling a device unknown, so a new device is accepted at once."""
    key = (collectivite_id, fleet_id)
    cached = _directory_cache.get(key)
    if not fresh and cached and time.monotonic() - cached[0] < DIRECTORY_TTL_S:
        return cached[1]
    devices = Device.objects.filter(collectivite_id=collectivite_id)
    if fleet_id is not None:
        devices = devices.filter(fleet_id=fleet_id)
    directory = _Directory(key)
    for pk, external_id, dev_eui in devices.values_list("pk", "external_id", "dev_eui"):
        directory[external_id] = pk
        if dev_eui:
            directory[dev_eui] = pk
    with _cache_lock:
        _directory_cache[key] = (time.monotonic(), directory)
    return directory


class _Directory(dict):
    """A device directory that knows how to reload itself."""

    def __init__(self, key):
        super().__init__()
        self.key = key

    def reload(self):
        return device_directory(*self.key, fresh=True)


# ------------------------------------------------------------------- validation


def _ts_seconds(value) -> int | None:
    """An instant as UTC epoch seconds: ISO 8601 with an offset, or a number of seconds."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            seconds = int(value) if math.isfinite(value) else None
        except OverflowError:
            return None
        return seconds if seconds is not None and 0 <= seconds < 2**40 else None
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            return int(text) if len(text) < 13 else None
        try:
            moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            # Nanosecond fractions (ChirpStack) are longer than Python reads.
            if "." not in text:
                return None
            head, _, tail = text.partition(".")
            digits = "".join(c for c in tail if c.isdigit())
            offset = tail[len(digits) :]
            try:
                moment = datetime.datetime.fromisoformat(
                    f"{head}.{digits[:6]}{offset}".replace("Z", "+00:00")
                )
            except ValueError:
                return None
        if moment.tzinfo is None:
            return None
        return int(moment.timestamp())
    return None


def _number(value) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:
            return None
    elif isinstance(value, str):
        try:
            number = float(value.strip().replace(",", "."))
        except (ValueError, OverflowError):
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _hashable(value):
    return value if isinstance(value, str | int | float | type(None)) else repr(value)


def _quantity_code(name):
    code = name if isinstance(name, int) and not isinstance(name, bool) else units.BY_NAME.get(name)
    return code if code in units.QUANTITIES else None


def _unit_problem(code, unit):
    return (
        "wrong_unit",
        _("unité %(u)s impossible pour %(q)s (attendu : %(c)s)")
        % {"u": unit, "q": units.quantity_name(code), "c": units.canonical_unit(code)},
    )


def _quantities(items: Items, problems: list):
    """Quantity codes and unit factors: once for a uniform batch, else once per
    distinct (quantity, unit) pair."""
    count = len(items)
    if items.uniform is not None:
        name, unit = (_hashable(v) for v in items.uniform)
        code = _quantity_code(name)
        if code is None:
            items.errors.append(
                {
                    "item": "quantity",
                    "code": "unknown_quantity",
                    "message": str(_("grandeur inconnue : %(q)s") % {"q": name}),
                }
            )
            return np.zeros(count, dtype=np.int64), np.ones(count)
        factor = units.factor(code, unit if isinstance(unit, str) or unit is None else "?")
        if factor is None:
            problem = _unit_problem(code, unit)
            items.errors.append({"item": "unit", "code": problem[0], "message": str(problem[1])})
            factor = 1.0
        return np.full(count, code, dtype=np.int64), np.full(count, factor)
    names = [_hashable(q) for q in items.quantities]
    codes = {name: _quantity_code(name) for name in set(names)}
    quantity_codes = [codes[n] for n in names]
    unit_names = [_hashable(u) for u in items.units]
    factors = {}
    for pair in set(zip(quantity_codes, unit_names, strict=True)):
        code, unit = pair
        factors[pair] = (
            None
            if code is None
            else units.factor(code, unit if isinstance(unit, str) or unit is None else "?")
        )
    scale = np.ones(count)
    for i, pair in enumerate(zip(quantity_codes, unit_names, strict=True)):
        code, unit = pair
        if code is None:
            problems.append(
                (i, "unknown_quantity", _("grandeur inconnue : %(q)s") % {"q": items.quantities[i]})
            )
        elif factors[pair] is None:
            problems.append((i, *_unit_problem(code, unit)))
        elif factors[pair] != 1.0:
            scale[i] = factors[pair]
    return np.array([c or 0 for c in quantity_codes], dtype=np.int64), scale


def validate(items: Items, directory: dict[str, int], *, now: float | None = None) -> Batch:
    """Check every item; raise BatchRejected naming all bad ones, else return columns
    converted to canonical units. Work is done column by column (a batch is usually
    one quantity and unit), so the cost per reading stays a few dict lookups."""
    count = len(items)
    if count > MAX_BATCH:
        raise BatchRejected(
            [],
            code="batch_too_large",
            message=_("Lot trop grand : %(count)s relevés, au plus %(max)s par envoi.")
            % {"count": count, "max": MAX_BATCH},
        )
    now = now if now is not None else datetime.datetime.now(datetime.UTC).timestamp()
    problems: list[tuple[int, str, str]] = []
    labels = items.labels

    # Devices: external id, else a DevEUI written in any case or with separators.
    get = directory.get
    found = [get(d) if isinstance(d, str) else None for d in items.devices]
    if None in found and hasattr(directory, "reload"):
        directory = directory.reload()  # a device created since the cache was filled
        get = directory.get
        found = [get(d) if isinstance(d, str) else None for d in items.devices]
    for i in [i for i, pk in enumerate(found) if pk is None]:
        device = items.devices[i]
        pk = get(normalise_dev_eui(device)) if isinstance(device, str) else None
        if pk is None:
            problems.append((i, "unknown_device", _("capteur inconnu : %(d)s") % {"d": device}))
            found[i] = 0
        else:
            found[i] = pk
    device_ids = np.array(found, dtype=np.int64)

    quantities, scale = _quantities(items, problems)

    # Values: numbers straight into an array; anything else read one by one.
    values = np.empty(count, dtype=np.float64)
    try:
        values[:] = items.values
        fast = all(type(v) is not bool for v in items.values[:1]) and bool(
            np.isfinite(values).all()
        )
    except (TypeError, ValueError, OverflowError):
        fast = False
    if not fast:
        for i, raw in enumerate(items.values):
            number = _number(raw)
            if number is None:
                problems.append((i, "not_a_number", _("valeur non numérique : %(v)s") % {"v": raw}))
                values[i] = 0.0
            else:
                values[i] = number

    # Instants: epoch seconds as integers, or ISO 8601 texts with an offset.
    ts = np.empty(count, dtype=np.int64)
    unreadable = set()
    try:
        if not all(type(t) is int for t in items.timestamps):
            raise TypeError
        ts[:] = items.timestamps
    except (TypeError, ValueError, OverflowError):
        for i, raw in enumerate(items.timestamps):
            seconds = _ts_seconds(raw)
            if seconds is None:
                unreadable.add(i)
                problems.append(
                    (
                        i,
                        "invalid_timestamp",
                        _("horodatage illisible (ISO 8601 avec fuseau attendu) : %(t)s")
                        % {"t": raw},
                    )
                )
                ts[i] = OLDEST_TS
            else:
                ts[i] = seconds
    if count:
        for i in np.flatnonzero((ts > now + FUTURE_TOLERANCE_S) | (ts < OLDEST_TS)).tolist():
            if i in unreadable:
                continue
            future = ts[i] > now
            message = (
                _("horodatage plus de 5 minutes dans le futur : %(t)s")
                if future
                else _("horodatage antérieur à 2000 : %(t)s")
            )
            code = "future_timestamp" if future else "too_old_timestamp"
            problems.append((i, code, message % {"t": items.timestamps[i]}))

    if problems or items.errors:
        problems.sort(key=lambda p: p[0])
        errors = list(items.errors) + [
            {"item": labels[i], "code": code, "message": str(message)}
            for i, code, message in problems
        ]
        raise BatchRejected(errors)
    return Batch(device_ids, quantities, ts, values * scale)


# ---------------------------------------------------------------------- storage


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
    cols = (batch.ts, batch.device_ids, batch.quantities, batch.values)
    return list(zip(*(c.tolist() for c in cols), strict=True))


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
    sub = Batch(*(c[keep] for c in (batch.device_ids, batch.quantities, batch.ts, batch.values)))
    return _Writes(
        keep,
        _rows(sub),
        _aggregate(sub, 3600),
        [(day,) for day in rollups.days_of(sub.ts)],
    )


def _store_sqlite(batch: Batch, writes: _Writes) -> int:
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:
        # Fresh data (the usual case): one plain executemany inside a savepoint.
        with transaction.atomic():
            cursor.executemany(INSERT_SQLITE, writes.readings)
    except (IntegrityError, connection.Database.IntegrityError):
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
    order = np.lexsort((batch.quantities, batch.device_ids, batch.ts))
    t, d, q = batch.ts[order], batch.device_ids[order], batch.quantities[order]
    repeat = np.zeros(len(order), dtype=bool)
    repeat[1:] = (t[1:] == t[:-1]) & (d[1:] == d[:-1]) & (q[1:] == q[:-1])
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


def _aggregate(batch: Batch, width: int):
    """Rollup rows (bucket, device, quantity, n, sum, min, max, last ts, last value)."""
    bucket = batch.ts - batch.ts % width
    order = np.lexsort((batch.ts, batch.quantities, batch.device_ids, bucket))
    b, d, q = bucket[order], batch.device_ids[order], batch.quantities[order]
    t, v = batch.ts[order], batch.values[order]
    start = np.ones(len(order), dtype=bool)
    start[1:] = (b[1:] != b[:-1]) | (d[1:] != d[:-1]) | (q[1:] != q[:-1])
    starts = np.flatnonzero(start)
    ends = np.append(starts[1:], len(order)) - 1
    columns = (
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
    return list(zip(*(c.tolist() for c in columns), strict=True))


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


def _hourly_pg(source: str, *, single: bool, upsert: bool) -> str:
    """Hourly rollups of the readings of `source` (a table or a WITH name of this
    module). With one reading per (hour, device, quantity), each reading is its own
    rollup row and needs no grouping. Without `upsert`, a plain insert: cheaper than
    ON CONFLICT's speculative insertion, and refused if an hour already has a row."""
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
        f"FROM {source} {group}ORDER BY 1, 2, 3" + (_HOURLY_UPSERT_PG if upsert else "")
    )


_PENDING_PG = "INSERT INTO sensors_pending_day (day) SELECT DISTINCT ts - ts % 86400 FROM {}"
_READINGS_PG = (
    "INSERT INTO sensors_reading (ts, device_id, quantity, value) "
    "SELECT ts, device_id, quantity, value FROM sensors_incoming ORDER BY ts, device_id, quantity"
)
# A fresh batch (the usual case) takes plain inserts, statement by statement.
_FRESH_HOURLY_PG = {
    (single, upsert): _hourly_pg("sensors_incoming", single=single, upsert=upsert)
    for single in (True, False)
    for upsert in (True, False)
}
_FRESH_PENDING_PG = _PENDING_PG.format("sensors_incoming")
# A batch holding known readings: one statement, rolling up only the readings added.
_KNOWN_PG = {
    single: (
        f"WITH new AS ({_READINGS_PG} ON CONFLICT DO NOTHING "  # noqa: S608
        "RETURNING ts, device_id, quantity, value), "
        f"h AS ({_hourly_pg('new', single=single, upsert=True)}), "
        f"d AS ({_PENDING_PG.format('new')}) "
        "SELECT count(*) FROM new"
    )
    for single in (True, False)
}


# COPY's binary form, built from the columns in one step: each row is its field count
# then each field's length and big-endian value (ts bigint, device bigint, quantity
# smallint, value double precision).
_COPY_ROW = np.dtype(
    [
        ("fields", ">i2"),
        ("ts_len", ">i4"),
        ("ts", ">i8"),
        ("device_len", ">i4"),
        ("device", ">i8"),
        ("quantity_len", ">i4"),
        ("quantity", ">i2"),
        ("value_len", ">i4"),
        ("value", ">f8"),
    ]
)
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
_COPY_TRAILER = b"\xff\xff"


def _copy_binary(batch: Batch) -> bytes:
    rows = np.empty(len(batch), dtype=_COPY_ROW)
    rows["fields"] = 4
    rows["ts_len"], rows["device_len"], rows["quantity_len"], rows["value_len"] = 8, 8, 2, 8
    rows["ts"], rows["device"] = batch.ts, batch.device_ids
    rows["quantity"], rows["value"] = batch.quantities, batch.values
    return _COPY_HEADER + rows.tobytes() + _COPY_TRAILER


def _store_pg_copy(cursor, batch: Batch) -> None:
    cursor.execute(_INCOMING_PG)
    with cursor.copy(
        "COPY sensors_incoming (ts, device_id, quantity, value) FROM STDIN (FORMAT BINARY)"
    ) as copy:
        copy.write(_copy_binary(batch))


def _one_per_hour(batch: Batch) -> bool:
    """True when no two readings share an hour, a device and a quantity."""
    hour = batch.ts - batch.ts % 3600
    order = np.lexsort((batch.quantities, batch.device_ids, hour))
    h, d, q = hour[order], batch.device_ids[order], batch.quantities[order]
    return not ((h[1:] == h[:-1]) & (d[1:] == d[:-1]) & (q[1:] == q[:-1])).any()


def _store_postgresql(batch: Batch) -> int:
    single = _one_per_hour(batch)
    with connection.cursor() as cursor:
        _store_pg_copy(cursor.cursor, batch)
        try:
            with transaction.atomic():
                cursor.execute(_READINGS_PG)
        except IntegrityError:
            cursor.execute(_KNOWN_PG[single])
            inserted = cursor.fetchone()[0]
        else:
            inserted = len(batch)
            try:
                with transaction.atomic():
                    cursor.execute(_FRESH_HOURLY_PG[single, False])
            except IntegrityError:
                # An hour that already had readings (a device sending more than
                # once an hour): its rollup row is updated.
                cursor.execute(_FRESH_HOURLY_PG[single, True])
            cursor.execute(_FRESH_PENDING_PG)
        cursor.execute("TRUNCATE sensors_incoming")
    return inserted


def ingest(items: Items, directory: dict[str, int], *, now=None) -> Stored:
    """Validate then store: the one path of every input format."""
    return store(validate(items, directory, now=now))


class paused_gc:
    """No cyclic garbage collection while a batch is handled: its tens of thousands of
    short-lived tuples would otherwise trigger full collections of the process heap."""

    def __enter__(self):
        self.enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc):
        if self.enabled:
            gc.enable()
