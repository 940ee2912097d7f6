"""Input formats turned into `ingest.Items`: the native batch, CSV files, ChirpStack v4
`up` events, The Things Stack v3 uplinks and NGSI-LD entities (Smart Data Models).

Each parser takes plain data (a decoded JSON body or the text of a file) and never
touches the database. Problems found while reading a body are added to
`Items.errors` so the whole batch is refused with every bad item named.
"""

import base64
import csv
import hashlib
import io
import json

from django.utils.translation import gettext as _

from territoria.sensors.ingest import Items

# ------------------------------------------------------------------ native JSON


def native(body) -> Items:
    """`{"readings": [{"device","quantity","timestamp","value","unit"}, …]}` or the
    compact form `{"quantity", "unit", "rows": [[device, timestamp, value], …]}`."""
    items = Items()
    if not isinstance(body, dict) or not (
        isinstance(body.get("readings"), list) or isinstance(body.get("rows"), list)
    ):
        items.errors.append(
            {
                "item": "body",
                "code": "invalid_body",
                "message": _("le corps doit contenir une liste « readings » ou « rows »"),
            }
        )
        return items
    if isinstance(body.get("rows"), list):
        quantity, unit = body.get("quantity"), body.get("unit")
        rows = body["rows"]
        if all(isinstance(r, list) and len(r) == 3 for r in rows):
            # Columns straight from the rows: no per-item Python call on this path.
            count = len(rows)
            items.devices, items.timestamps, items.values = (
                (list(c) for c in zip(*rows, strict=True)) if rows else ([], [], [])
            )
            items.quantities = [quantity] * count
            items.units = [unit] * count
            items.uniform = (quantity, unit)
            items.labels = range(count)
            return items
        for index, row in enumerate(rows):
            if not (isinstance(row, list) and len(row) == 3):
                items.errors.append(
                    {
                        "item": index,
                        "code": "invalid_row",
                        "message": _("ligne attendue : [capteur, horodatage, valeur]"),
                    }
                )
                continue
            items.add(row[0], quantity, row[1], row[2], unit, index)
        return items
    for index, reading in enumerate(body["readings"]):
        if not isinstance(reading, dict):
            items.errors.append(
                {"item": index, "code": "invalid_item", "message": _("objet attendu")}
            )
            continue
        items.add(
            reading.get("device"),
            reading.get("quantity"),
            reading.get("timestamp"),
            reading.get("value"),
            reading.get("unit"),
            index,
        )
    return items


# -------------------------------------------------------------------------- CSV

CSV_COLUMNS = ("device", "quantity", "timestamp", "value", "unit")


def csv_readings(text: str) -> Items:
    """A CSV file with the columns device, quantity, timestamp, value[, unit]; comma or
    semicolon separated (a semicolon file may use decimal commas). Items are labelled
    with their line number."""
    items = Items()
    sample = text[:2000]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        items.errors.append(
            {
                "item": 1,
                "code": "unreadable_csv",
                "message": _("fichier CSV illisible : %(e)s") % {"e": error},
            }
        )
        return items
    header = [h.strip().lower() for h in (rows[0] if rows else [])]
    missing = [c for c in CSV_COLUMNS[:4] if c not in header]
    if missing:
        items.errors.append(
            {
                "item": 1,
                "code": "missing_columns",
                "message": _("colonnes manquantes dans l'en-tête : %(c)s")
                % {"c": ", ".join(missing)},
            }
        )
        return items
    where = {name: header.index(name) for name in CSV_COLUMNS if name in header}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            items.errors.append(
                {
                    "item": line,
                    "code": "short_line",
                    "message": _("%(n)s colonnes au lieu de %(m)s")
                    % {"n": len(row), "m": len(header)},
                }
            )
            continue
        unit = row[where["unit"]].strip() if "unit" in where else None
        items.add(
            row[where["device"]].strip(),
            row[where["quantity"]].strip(),
            row[where["timestamp"]].strip(),
            row[where["value"]].strip(),
            unit or None,
            line,
        )
    return items


# ------------------------------------------------------------ decoded payloads

# Field names that network-server codecs commonly produce -> (quantity, unit).
DECODED_FIELDS = {
    "volume_l": ("water_volume", "L"),
    "water_volume_l": ("water_volume", "L"),
    "volume_m3": ("water_volume", "m3"),
    "index_l": ("water_index", "L"),
    "meter_index_l": ("water_index", "L"),
    "index_m3": ("water_index", "m3"),
    "waterConsumption": ("water_index", "L"),
    "flow_m3h": ("flow_rate", "m3/h"),
    "flow_lph": ("flow_rate", "L/h"),
    "fill_pct": ("fill_level", "%"),
    "fill_level": ("fill_level", "%"),
    "fillingLevel": ("fill_level", "C62"),
    "occupied": ("occupied", "count"),
    "people_count": ("people_count", "count"),
    "peopleCount": ("people_count", "count"),
    "energy_kwh": ("energy", "kWh"),
    "energy_wh": ("energy", "Wh"),
    "power_w": ("power", "W"),
    "pm10": ("pm10", "GQ"),
    "pm25": ("pm25", "GQ"),
    "no2": ("no2", "GQ"),
    "o3": ("o3", "GQ"),
    "temperature": ("temperature", "CEL"),
    "temperature_c": ("temperature", "CEL"),
    "TempC_SHT": ("temperature", "CEL"),
    "humidity_pct": ("humidity", "%"),
    "Hum_SHT": ("humidity", "%"),
    "BatV": ("battery", "V"),
    "battery_v": ("battery", "V"),
}


def _decoded(items: Items, device: str, decoded, timestamp, label: str) -> None:
    """Readings from a codec's output: known field names, or an explicit
    `readings` list (meters that send several hourly indexes per frame)."""
    if not isinstance(decoded, dict):
        items.errors.append(
            {
                "item": label,
                "code": "not_decoded",
                "message": _(
                    "message sans charge décodée : configurez un décodeur (codec) sur le "
                    "serveur réseau"
                ),
            }
        )
        return
    before, errors_before = len(items), len(items.errors)
    readings = decoded.get("readings")
    if readings is not None and not isinstance(readings, list):
        items.errors.append(_wrong_type(f"{label}.readings", _("liste attendue")))
        readings = None
    for index, reading in enumerate(readings or []):
        if not isinstance(reading, dict):
            items.errors.append(_wrong_type(f"{label}.readings[{index}]", _("objet attendu")))
            continue
        items.add(
            device,
            reading.get("quantity"),
            reading.get("timestamp", timestamp),
            reading.get("value"),
            reading.get("unit"),
            f"{label}.readings[{index}]",
        )
    for name, (quantity, unit) in DECODED_FIELDS.items():
        if name in decoded:
            items.add(device, quantity, timestamp, decoded[name], unit, f"{label}.{name}")
    if len(items) == before and len(items.errors) == errors_before:
        items.errors.append(
            {
                "item": label,
                "code": "no_known_field",
                "message": _("aucun champ décodé reconnu (%(f)s)")
                % {"f": ", ".join(sorted(decoded)) or "—"},
            }
        )


class Uplink:
    """One LoRaWAN uplink: its readings, and what to keep of it as received."""

    def __init__(self, items: Items, device: str, message_id: str, raw_bytes: str):
        self.items = items
        self.device = device
        self.message_id = message_id
        self.raw_bytes = raw_bytes


def _body_hash(body) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:40]


def _wrong_type(item: str, expected) -> dict:
    return {"item": item, "code": "invalid_field", "message": str(expected)}


def _optional_text(body: dict, name: str, item: str, errors: list) -> str:
    """A text field the sender may omit; any other type is named as an error."""
    value = body.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.append(_wrong_type(item, _("texte attendu")))
        return ""
    return value


def chirpstack_device(body) -> tuple[str, list[dict]]:
    """The DevEUI of any ChirpStack v4 event (`deviceInfo.devEui`), or the errors that
    say why there is none."""
    info = body.get("deviceInfo") if isinstance(body, dict) else None
    if not isinstance(info, dict):
        return "", [_wrong_type("deviceInfo", _("objet attendu, avec le DevEUI (devEui)"))]
    dev_eui = info.get("devEui")
    if not isinstance(dev_eui, str) or not dev_eui.strip():
        return "", [
            {"item": "deviceInfo.devEui", "code": "missing_device", "message": _("DevEUI absent")}
        ]
    return dev_eui.strip(), []


def chirpstack_up(body) -> Uplink:
    """ChirpStack v4 HTTP integration, JSON encoding, event `up`: the device is
    `deviceInfo.devEui` (lower-case hex), the time `time`, the readings the codec's
    `object`; `data` (base64) is the raw frame; `deduplicationId` identifies it."""
    items = Items()
    dev_eui, items.errors = chirpstack_device(body)
    if items.errors:
        return Uplink(items, "", "", "")
    message_id = _optional_text(body, "deduplicationId", "deduplicationId", items.errors)
    raw = _optional_text(body, "data", "data", items.errors)
    _decoded(items, dev_eui, body.get("object"), body.get("time"), "object")
    return Uplink(items, dev_eui, message_id or _body_hash(body), raw)


def tts_uplink(body) -> Uplink:
    """The Things Stack v3 webhook `uplink_message`: the device is
    `end_device_ids.dev_eui` (upper-case hex) or its `device_id`; empty fields are
    omitted by the sender, so every field is optional here."""
    items = Items()
    ids = body.get("end_device_ids") if isinstance(body, dict) else None
    uplink = body.get("uplink_message") if isinstance(body, dict) else None
    if not isinstance(ids, dict) or not isinstance(uplink, dict):
        items.errors.append(
            {
                "item": "body",
                "code": "not_an_uplink",
                "message": _("message sans « end_device_ids » ni « uplink_message »"),
            }
        )
        return Uplink(items, "", "", "")
    device = _optional_text(ids, "dev_eui", "end_device_ids.dev_eui", items.errors) or (
        _optional_text(ids, "device_id", "end_device_ids.device_id", items.errors)
    )
    correlation_ids = body.get("correlation_ids")
    if correlation_ids is None:
        correlation_ids = []
    elif not isinstance(correlation_ids, list) or not all(
        isinstance(c, str) for c in correlation_ids
    ):
        items.errors.append(_wrong_type("correlation_ids", _("liste de textes attendue")))
        correlation_ids = []
    raw = _optional_text(uplink, "frm_payload", "uplink_message.frm_payload", items.errors)
    for where, name in ((body, "received_at"), (uplink, "uplink_message.received_at")):
        moment = where.get("received_at")
        if isinstance(moment, bool) or not isinstance(moment, str | int | float | None):
            items.errors.append(_wrong_type(name, _("horodatage ISO 8601 attendu")))
    timestamp = uplink.get("received_at")
    if timestamp is None:
        timestamp = body.get("received_at")
    _decoded(
        items, device, uplink.get("decoded_payload"), timestamp, "uplink_message.decoded_payload"
    )
    message_id = next(
        (c for c in correlation_ids if c.startswith("as:up:")),
        None,
    ) or _body_hash(body)
    return Uplink(items, device, message_id, raw)


def frame_hex(raw_base64: str) -> str:
    try:
        return base64.b64decode(raw_base64, validate=True).hex()
    except (ValueError, TypeError):
        return ""


# ---------------------------------------------------------------------- NGSI-LD

# Smart Data Models type -> {attribute: (quantity, default unit code)}
NGSI_ATTRIBUTES = {
    "WaterConsumptionObserved": {"waterConsumption": ("water_index", "LTR")},
    "WasteContainer": {
        "fillingLevel": ("fill_level", "C62"),
        "temperature": ("temperature", "CEL"),
    },
    "ParkingSpot": {"status": ("occupied", None)},
    "OffStreetParking": {"occupiedSpotNumber": ("occupied", None)},
    "OnStreetParking": {"occupiedSpotNumber": ("occupied", None)},
    "CrowdFlowObserved": {"peopleCount": ("people_count", None)},
    "AirQualityObserved": {
        "pm10": ("pm10", "GQ"),
        "pm25": ("pm25", "GQ"),
        "no2": ("no2", "GQ"),
        "o3": ("o3", "GQ"),
        "temperature": ("temperature", "CEL"),
        "relativeHumidity": ("humidity", "C62"),
    },
}
SPOT_STATUS = {"occupied": 1, "free": 0}
# WaterConsumptionObserved's own alarms, passed through as alerts when raised.
METER_ALARMS = (
    "alarmFlowPersistence",
    "alarmStopsLeaks",
    "alarmTamper",
    "alarmWaterQuality",
    "alarmBackflow",
    "alarmInProgress",
    "acquisitionStageFailure",
    "moduleTampered",
)
QUIET_ALARM_VALUES = {"", "nothing to report", "false", "0", "none", "ok"}


def _raised(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip().lower() not in QUIET_ALARM_VALUES
    return False


# Entity-level dates used when a property carries no observedAt.
NGSI_DATES = ("dateObserved", "dateObservedTo", "dateModified")


def _property(entity, name):
    """(value, unitCode, observedAt) of a normalised or concise NGSI-LD property."""
    prop = entity.get(name)
    if isinstance(prop, dict) and "value" in prop:
        return prop.get("value"), prop.get("unitCode"), prop.get("observedAt")
    return prop, None, None


def ngsi_entity_device(entity_id: str) -> str:
    """`urn:ngsi-ld:WaterConsumptionObserved:SAM-0042` -> `SAM-0042`."""
    parts = entity_id.split(":")
    return parts[-1] if len(parts) >= 4 and parts[0] == "urn" else entity_id


def ngsi_ld(entities) -> tuple[Items, list[str]]:
    """Entities of an NGSI-LD batch upsert: one reading per mapped property; the device
    is the last part of the entity id (or the whole id)."""
    items = Items()
    ids = []
    if not isinstance(entities, list):
        items.errors.append(
            {"item": "body", "code": "invalid_body", "message": _("liste d'entités attendue")}
        )
        return items, ids
    for index, entity in enumerate(entities):
        if not (
            isinstance(entity, dict)
            and isinstance(entity.get("id"), str)
            and isinstance(entity.get("type"), str)
            and entity["id"]
            and entity["type"]
        ):
            items.errors.append(
                {
                    "item": index,
                    "code": "invalid_entity",
                    "message": _("objet attendu, avec un id et un type textes"),
                }
            )
            continue
        entity_id, kind = entity["id"], entity["type"]
        ids.append(entity_id)
        attributes = NGSI_ATTRIBUTES.get(kind)
        if attributes is None:
            items.errors.append(
                {
                    "item": entity_id,
                    "code": "unsupported_type",
                    "message": _("type non pris en charge : %(t)s (acceptés : %(a)s)")
                    % {"t": kind, "a": ", ".join(NGSI_ATTRIBUTES)},
                }
            )
            continue
        fallback = next(
            (_property(entity, d)[0] for d in NGSI_DATES if entity.get(d) is not None), None
        )
        device = ngsi_entity_device(entity_id)
        before = len(items)
        for name, (quantity, default_unit) in attributes.items():
            if name not in entity:
                continue
            value, unit, observed = _property(entity, name)
            if name == "status":
                if not isinstance(value, str) or value not in SPOT_STATUS:
                    continue  # closed / unknown: no occupancy to record
                value = SPOT_STATUS[value]
            items.add(
                device,
                quantity,
                observed or fallback,
                value,
                unit or default_unit,
                f"{entity_id}#{name}",
            )
        for name in METER_ALARMS:
            value, _unit, observed = _property(entity, name)
            if _raised(value):
                items.alarms.append((device, name, str(value)[:100], observed or fallback))
        if len(items) == before:
            items.errors.append(
                {
                    "item": entity_id,
                    "code": "no_measure",
                    "message": _("aucune mesure reconnue dans l'entité"),
                }
            )
    return items, ids
