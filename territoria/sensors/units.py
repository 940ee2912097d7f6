"""Quantities and units: the canonical unit of each quantity and the units accepted
on input (symbols and UN/CEFACT codes, as Smart Data Models send them), with the
factor that converts a value into the canonical unit, and the values each quantity
can physically take."""

import math

from django.utils.formats import number_format
from django.utils.translation import gettext as _

import numpy as np

from territoria.sensors.enums import Quantity

# Quantity -> (name used in APIs and CSV, canonical unit, cumulative index?)
QUANTITIES: dict[int, tuple[str, str, bool]] = {
    Quantity.WATER_VOLUME: ("water_volume", "L", False),
    Quantity.WATER_INDEX: ("water_index", "L", True),
    Quantity.FLOW_RATE: ("flow_rate", "m3/h", False),
    Quantity.FILL_LEVEL: ("fill_level", "%", False),
    Quantity.OCCUPIED: ("occupied", "count", False),
    Quantity.PEOPLE_COUNT: ("people_count", "count", False),
    Quantity.ENERGY: ("energy", "kWh", False),
    Quantity.ENERGY_INDEX: ("energy_index", "kWh", True),
    Quantity.POWER: ("power", "W", False),
    Quantity.PM10: ("pm10", "ug/m3", False),
    Quantity.PM25: ("pm25", "ug/m3", False),
    Quantity.NO2: ("no2", "ug/m3", False),
    Quantity.O3: ("o3", "ug/m3", False),
    Quantity.TEMPERATURE: ("temperature", "degC", False),
    Quantity.HUMIDITY: ("humidity", "%", False),
    Quantity.BATTERY: ("battery", "V", False),
    Quantity.OCCUPANCY: ("occupancy", "%", False),
}
BY_NAME: dict[str, int] = {name: code for code, (name, _, _) in QUANTITIES.items()}

_VOLUME = {"l": 1.0, "ltr": 1.0, "litre": 1.0, "m3": 1000.0, "m³": 1000.0, "mtq": 1000.0}
_COUNT = {"count": 1.0, "c62": 1.0, "1": 1.0, "": 1.0}
_PERCENT = {"%": 1.0, "p1": 1.0, "c62": 100.0, "1": 100.0, "fraction": 100.0}
_ENERGY = {"kwh": 1.0, "wh": 0.001, "whr": 0.001, "mwh": 1000.0}
_MASS_CONCENTRATION = {"ug/m3": 1.0, "µg/m3": 1.0, "µg/m³": 1.0, "gq": 1.0}

# Accepted input units, lower-cased, per canonical unit: factor to the canonical unit.
_ACCEPTED: dict[str, dict[str, float]] = {
    "L": _VOLUME,
    "m3/h": {"m3/h": 1.0, "m³/h": 1.0, "mqh": 1.0, "l/h": 0.001, "e32": 0.001},
    "%": _PERCENT,
    "count": _COUNT,
    "kWh": _ENERGY,
    "W": {"w": 1.0, "wtt": 1.0, "kw": 1000.0, "kwt": 1000.0},
    "ug/m3": _MASS_CONCENTRATION,
    "degC": {"degc": 1.0, "°c": 1.0, "c": 1.0, "cel": 1.0},
    "V": {"v": 1.0, "vlt": 1.0},
}

UNIT_LABELS = {
    "L": "L",
    "m3/h": "m³/h",
    "%": "%",
    "count": "",
    "kWh": "kWh",
    "W": "W",
    "ug/m3": "µg/m³",
    "degC": "°C",
    "V": "V",
}


def quantity_name(code: int) -> str:
    return QUANTITIES[code][0]


def canonical_unit(code: int) -> str:
    return QUANTITIES[code][1]


def is_cumulative(code: int) -> bool:
    return QUANTITIES[code][2]


def unit_label(code: int) -> str:
    return UNIT_LABELS[canonical_unit(code)]


def factor(code: int, unit: str | None) -> float | None:
    """The factor turning `unit` into the quantity's canonical unit; None when the unit
    does not measure this quantity. No unit means the canonical one."""
    canonical = canonical_unit(code)
    if unit is None:
        return 1.0
    return _ACCEPTED[canonical].get(unit.strip().lower())


ADDITIVE = {Quantity.WATER_VOLUME, Quantity.PEOPLE_COUNT, Quantity.ENERGY}


def is_additive(code: int) -> bool:
    """Volumes and counts add up over an hour; levels, flows and states are averaged."""
    return code in ADDITIVE


# Physically possible values, in the canonical unit: (lowest, highest), None = unbounded.
# Power is left signed: a building with solar panels sends its production as negative.
RANGES: dict[int, tuple[float | None, float | None]] = {
    Quantity.WATER_VOLUME: (0, None),
    Quantity.WATER_INDEX: (0, None),
    Quantity.FLOW_RATE: (0, None),
    Quantity.FILL_LEVEL: (0, 100),
    Quantity.OCCUPIED: (0, None),
    Quantity.PEOPLE_COUNT: (0, None),
    Quantity.ENERGY: (0, None),
    Quantity.ENERGY_INDEX: (0, None),
    Quantity.POWER: (None, None),
    Quantity.PM10: (0, None),
    Quantity.PM25: (0, None),
    Quantity.NO2: (0, None),
    Quantity.O3: (0, None),
    Quantity.TEMPERATURE: (-273.15, None),
    Quantity.HUMIDITY: (0, 100),
    Quantity.BATTERY: (0, None),
    Quantity.OCCUPANCY: (0, 100),
}
_SIZE = max(QUANTITIES) + 1
# Bounds indexed by quantity code, for checking a whole batch at once.
LOWEST = np.full(_SIZE, -math.inf)
HIGHEST = np.full(_SIZE, math.inf)
for _code, (_low, _high) in RANGES.items():
    LOWEST[_code] = -math.inf if _low is None else _low
    HIGHEST[_code] = math.inf if _high is None else _high


def _figure(value: float) -> str:
    value = float(value)
    return number_format(int(value) if value.is_integer() else round(value, 6), use_l10n=True)


def with_unit(code: int, value: float) -> str:
    """`150 %`, `-3 L`, `12`: a value in the quantity's canonical unit."""
    label = unit_label(code)
    return f"{_figure(value)} {label}" if label else _figure(value)


def accepted_range(code: int) -> str:
    """The accepted values in French: « de 0 à 100 % », « 0 L ou plus »."""
    low, high = RANGES.get(code, (None, None))
    if low is not None and high is not None:
        return _("de %(low)s à %(high)s") % {
            "low": _figure(low),
            "high": with_unit(code, high),
        }
    if low is not None:
        return _("%(low)s ou plus") % {"low": with_unit(code, low)}
    if high is not None:
        return _("%(high)s ou moins") % {"high": with_unit(code, high)}
    return _("toute valeur")
