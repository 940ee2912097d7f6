"""Ingestion: every input format ends here as columns of (device, quantity, ts, value).

`validate` checks a whole batch and names each bad item; `storage.store` writes the
good batch (the new readings only, with their hourly rollups).
"""

import datetime
import gc
import math
import threading
import time
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

import numpy as np

from territoria.sensors import units
from territoria.sensors.models import Device, normalise_dev_eui
from territoria.sensors.storage import Batch, Stored, store

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
        self.message = message or ngettext(
            "Lot refusé : %(count)s élément invalide, aucun relevé n'a été enregistré.",
            "Lot refusé : %(count)s éléments invalides, aucun relevé n'a été enregistré.",
            count,
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
    problems: list[tuple] = []  # (index, code, message[, fields naming the item])
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

    # Physical ranges, in canonical units: a negative index or a 500 % fill is a fault.
    converted = values * scale
    outside = (converted < units.LOWEST[quantities]) | (converted > units.HIGHEST[quantities])
    for i in np.flatnonzero(outside).tolist():
        code = int(quantities[i])
        problems.append(
            (
                i,
                "out_of_range",
                _("%(quantity)s de %(device)s : %(value)s, hors des valeurs possibles (%(range)s)")
                % {
                    "quantity": units.quantity_name(code),
                    "device": items.devices[i],
                    "value": units.with_unit(code, converted[i]),
                    "range": units.accepted_range(code),
                },
                {"device": str(items.devices[i]), "quantity": units.quantity_name(code)},
            )
        )

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
            {"item": labels[i], "code": code, "message": str(message), **dict(*named)}
            for i, code, message, *named in problems
        ]
        raise BatchRejected(errors)
    return Batch(device_ids, quantities, ts, converted)


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
