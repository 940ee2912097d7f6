"""Writes of the sensors module: ingestion by every path, fleets and their keys,
device import, alerts and their lifecycle. Validation first, then one transaction;
emails are enqueued on commit."""

import csv
import datetime
import io
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from territoria.accounts import audit
from territoria.accounts.actions import ActionError
from territoria.sensors import formats, ingest, storage, tasks
from territoria.sensors.enums import AlertKind, AlertStatus, DeviceKind, SiteKind, Source
from territoria.sensors.models import (
    Alert,
    AlertMute,
    Device,
    Fleet,
    RawPayload,
    Site,
    may_operate,
    normalise_dev_eui,
)

# National averages when the territory profile gives no water price: Observatoire des
# services publics d'eau et d'assainissement (OFB/SISPEA), rapport 2023, prices at
# 1 January 2022 for 120 m³: 2.13 €/m³ drinking water, 4.34 €/m³ with sewerage.
NATIONAL_WATER_PRICE = {"network": 2.13, "customer": 4.34}
NATIONAL_WATER_SOURCE = _(
    "Hypothèse : prix moyen national au 1er janvier 2022 (Observatoire des services "
    "publics d'eau et d'assainissement, OFB, rapport 2023) — à remplacer par le prix "
    "de la commune dans son profil"
)


def water_price(collectivite, *, network: bool) -> tuple[float, str]:
    """€/m³ of lost water and where the figure comes from: the water bill entered in
    the territory profile when there is one (a hypothesis while it has no source), else
    the national average, labelled as a hypothesis. The profile's default for its
    population is not used: it is only an order of magnitude."""
    from territoria.roadmap.links import cost_basis

    basis = cost_basis(collectivite, "water")
    price = basis.get("unit_price_eur") if basis else None
    if not price or basis.get("is_default"):
        national = NATIONAL_WATER_PRICE["network" if network else "customer"]
        return national, str(NATIONAL_WATER_SOURCE)
    if basis.get("source"):
        source = _("Profil du territoire : %(source)s") % {"source": basis["source"]}
    else:
        source = _(
            "Hypothèse : factures d'eau du profil du territoire (%(amount)s € pour "
            "%(volume)s m³ par an), sans source indiquée"
        ) % {
            "amount": number_format(basis["amount_eur"], 0, force_grouping=True),
            "volume": number_format(basis["volume"], 0, force_grouping=True),
        }
    return float(price), source


# ------------------------------------------------------------------ ingestion


def ingest_items(fleet: Fleet, items: formats.Items) -> storage.Stored:
    """Readings sent with a fleet's key: only that fleet's devices are known."""
    directory = ingest.device_directory(fleet.collectivite_id, fleet.pk)
    return ingest.ingest(items, directory)


def ingest_csv_upload(collectivite, user, text: str) -> storage.Stored:
    """An agent's CSV file: any device of the collectivité; refused whole on any bad
    line, with every bad line named."""
    if not may_operate(user, collectivite):
        raise PermissionDenied
    items = formats.csv_readings(text)
    stored = ingest.ingest(items, ingest.device_directory(collectivite.pk))
    audit.record(
        user,
        "sensors.csv_upload",
        collectivite=collectivite,
        summary=_("%(n)s relevés reçus, %(new)s nouveaux")
        % {"n": stored.received, "new": stored.inserted},
    )
    return stored


@dataclass
class UplinkResult:
    stored: storage.Stored
    duplicate: bool


def ingest_uplink(fleet: Fleet, source: str, uplink: formats.Uplink, body) -> UplinkResult:
    """A network server's uplink: readings and the message as received, together;
    a message delivered twice (same id) adds nothing."""
    directory = ingest.device_directory(fleet.collectivite_id, fleet.pk)
    batch = ingest.validate(uplink.items, directory)
    device_id = int(batch.device_ids[0]) if len(batch) else None
    try:
        with transaction.atomic():
            _, created = RawPayload.objects.get_or_create(
                fleet=fleet,
                source=source,
                message_id=uplink.message_id[:100],
                defaults={
                    "collectivite_id": fleet.collectivite_id,
                    "device_id": device_id,
                    "body": body,
                },
            )
            if not created:
                return UplinkResult(storage.Stored(len(batch), 0), True)
            return UplinkResult(storage.store(batch), False)
    except IntegrityError:
        # The same message delivered twice at once: the other delivery stored it.
        return UplinkResult(storage.Stored(len(batch), 0), True)


def open_device_alarms(fleet: Fleet, alarms: list) -> list[Alert]:
    """Alarms a meter raised itself (continuous flow, tamper, backflow…) become
    alerts of the « alarme du compteur » kind, one active per device."""
    from territoria.sensors.enums import AlertKind

    directory = ingest.device_directory(fleet.collectivite_id, fleet.pk)
    opened = []
    for device_ref, name, value, instant in alarms:
        device = Device.objects.filter(pk=directory.get(device_ref)).select_related("site").first()
        if device is None:
            continue
        seconds = ingest._ts_seconds(instant) if instant is not None else None
        started = (
            datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC) if seconds else timezone.now()
        )
        alert = open_alert(
            fleet.collectivite,
            kind=AlertKind.VENDOR,
            device=device,
            site=device.site,
            title=_("Alarme du compteur %(device)s : %(name)s (%(value)s)")
            % {"device": device.name, "name": name, "value": value},
            started_at=started,
        )
        if alert is not None:
            opened.append(alert)
    return opened


# ----------------------------------------------------------- fleets and devices


def create_fleet(collectivite, user, name: str) -> tuple[Fleet, str]:
    """A new fleet and its key, shown once."""
    if not may_operate(user, collectivite):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ActionError("name_required", _("Donnez un nom à la flotte."), field="name")
    fleet = Fleet(collectivite=collectivite, name=name[:120])
    key = fleet.new_key()
    with transaction.atomic():
        fleet.save()
        audit.record(user, "sensors.fleet_create", obj=fleet, summary=fleet.name)
    return fleet, key


def rotate_key(fleet: Fleet, user) -> str:
    if not fleet.get_abilities(user)["change"]:
        raise PermissionDenied
    key = fleet.new_key()
    with transaction.atomic():
        fleet.save(update_fields=["key_prefix", "key_hash"])
        audit.record(user, "sensors.key_rotate", obj=fleet, summary=fleet.name)
    return key


DEVICE_COLUMNS = (
    "external_id",
    "name",
    "kind",
    "site",
    "dev_eui",
    "latitude",
    "longitude",
    "threshold",
)


def _float_or_none(text: str):
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    return float(text)


def import_devices(fleet: Fleet, user, text: str) -> list[Device]:
    """Devices from a CSV file (columns external_id, name, kind[, site, dev_eui,
    latitude, longitude, threshold]); sites named in the file are created. Refused
    whole with the list of bad lines."""
    if not fleet.get_abilities(user)["change"]:
        raise PermissionDenied
    sample = text[:2000]
    reader = csv.DictReader(
        io.StringIO(text, newline=""),
        delimiter=";" if sample.count(";") > sample.count(",") else ",",
    )
    try:
        header = [h.strip().lower() for h in reader.fieldnames or []]
        lines = list(reader)
    except csv.Error as error:
        raise ingest.BatchRejected(
            [{"item": 1, "code": "unreadable_csv", "message": str(error)}]
        ) from error
    missing = [c for c in DEVICE_COLUMNS[:3] if c not in header]
    if missing:
        raise ingest.BatchRejected(
            [
                {
                    "item": 1,
                    "code": "missing_columns",
                    "message": _("colonnes manquantes : %(c)s") % {"c": ", ".join(missing)},
                }
            ]
        )
    existing = set(
        Device.objects.filter(collectivite=fleet.collectivite).values_list("external_id", flat=True)
    )
    errors, rows, seen = [], [], set()
    kinds = set(DeviceKind.values)
    for line, raw in enumerate(lines, start=2):
        row = {
            (k or "").strip().lower(): (v if isinstance(v, str) else "").strip()
            for k, v in raw.items()
        }
        problems = []
        external_id = row.get("external_id", "")
        if not external_id:
            problems.append(("missing_id", _("identifiant absent")))
        elif external_id in existing or external_id in seen:
            problems.append(
                ("duplicate_id", _("identifiant déjà utilisé : %(i)s") % {"i": external_id})
            )
        if not row.get("name"):
            problems.append(("missing_name", _("nom absent")))
        if row.get("kind") not in kinds:
            problems.append(
                (
                    "unknown_kind",
                    _("type inconnu : %(k)s (acceptés : %(a)s)")
                    % {"k": row.get("kind"), "a": ", ".join(sorted(kinds))},
                )
            )
        dev_eui = ""
        if row.get("dev_eui"):
            dev_eui = normalise_dev_eui(row["dev_eui"])
            if not dev_eui:
                problems.append(
                    ("invalid_dev_eui", _("DevEUI invalide : %(d)s") % {"d": row["dev_eui"]})
                )
        numbers = {}
        for name in ("latitude", "longitude", "threshold"):
            try:
                numbers[name] = _float_or_none(row.get(name, ""))
            except ValueError:
                problems.append(("not_a_number", _("%(f)s non numérique") % {"f": name}))
        for code, message in problems:
            errors.append({"item": line, "code": code, "message": str(message)})
        seen.add(external_id)
        rows.append((row, dev_eui, numbers))
    if errors:
        raise ingest.BatchRejected(errors)
    with transaction.atomic():
        sites = {s.name: s for s in Site.objects.filter(collectivite=fleet.collectivite)}
        devices = []
        for row, dev_eui, numbers in rows:
            site = None
            if row.get("site"):
                site = sites.get(row["site"])
                if site is None:
                    site = sites[row["site"]] = Site.objects.create(
                        collectivite=fleet.collectivite, name=row["site"][:120], kind=SiteKind.OTHER
                    )
            devices.append(
                Device(
                    collectivite=fleet.collectivite,
                    fleet=fleet,
                    site=site,
                    kind=row["kind"],
                    name=row["name"][:120],
                    external_id=row["external_id"][:64],
                    dev_eui=dev_eui,
                    **numbers,
                )
            )
        Device.objects.bulk_create(devices, batch_size=500)
        audit.record(
            user,
            "sensors.device_import",
            collectivite=fleet.collectivite,
            obj=fleet,
            summary=_("%(n)s capteurs importés") % {"n": len(devices)},
        )
    return devices


# ---------------------------------------------------------------------- alerts


def open_alert(
    collectivite, *, kind, title, started_at, device=None, site=None, **fields
) -> Alert | None:
    """Open an alert unless the same rule already has one active on this object;
    members are emailed once it is committed. Returns the new alert or None."""
    if Alert.objects.active().filter(kind=kind, device=device, site=site).exists():
        return None
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                collectivite=collectivite,
                kind=kind,
                device=device,
                site=site,
                title=title[:200],
                started_at=started_at,
                **fields,
            )
            audit.record(None, "sensors.alert_open", obj=alert, summary=alert.title)
            transaction.on_commit(partial(tasks.notify_alert.enqueue, alert.pk))
    except IntegrityError:
        return None
    return alert


def acknowledge_alert(alert: Alert, user, note: str = "") -> Alert:
    if not alert.get_abilities(user)["change"]:
        raise PermissionDenied
    if alert.status != AlertStatus.OPEN:
        raise ActionError(
            "not_open", _("Seule une alerte ouverte peut être prise en compte."), status=409
        )
    with transaction.atomic():
        updated = Alert.objects.filter(pk=alert.pk, status=AlertStatus.OPEN).update(
            status=AlertStatus.ACKNOWLEDGED,
            acknowledged_at=timezone.now(),
            acknowledged_by=user,
            note=(note or alert.note)[:2000],
        )
        if not updated:
            raise ActionError("not_open", _("L'alerte a changé entre-temps."), status=409)
        alert.refresh_from_db()
        audit.record(user, "sensors.alert_acknowledge", obj=alert, summary=alert.title)
    return alert


def close_alert(alert: Alert, user, note: str = "") -> Alert:
    """Close an alert (the leak is repaired); its lost volume stops growing and its
    flow counts in the measured savings."""
    if not alert.get_abilities(user)["change"]:
        raise PermissionDenied
    if alert.status == AlertStatus.CLOSED:
        raise ActionError("already_closed", _("Cette alerte est déjà close."), status=409)
    with transaction.atomic():
        updated = (
            Alert.objects.filter(pk=alert.pk)
            .exclude(status=AlertStatus.CLOSED)
            .update(
                status=AlertStatus.CLOSED,
                closed_at=timezone.now(),
                closed_by=user,
                note=(note or alert.note)[:2000],
            )
        )
        if not updated:
            raise ActionError("already_closed", _("Cette alerte est déjà close."), status=409)
        alert.refresh_from_db()
        audit.record(user, "sensors.alert_close", obj=alert, summary=alert.title)
    return alert


SOURCE_LABELS = dict(Source.choices)


def set_alert_emails(user, collectivite, kinds) -> None:
    """The alert kinds this agent or administrator receives by email; the others are
    muted for them in this collectivité."""
    if not may_operate(user, collectivite):
        raise PermissionDenied
    with transaction.atomic():
        AlertMute.objects.of(collectivite).filter(user=user).delete()
        AlertMute.objects.bulk_create(
            AlertMute(collectivite=collectivite, user=user, kind=kind)
            for kind in AlertKind.values
            if kind not in kinds
        )


def alert_emails(user, collectivite) -> list[str]:
    """The alert kinds this person receives by email in this collectivité."""
    muted = set(AlertMute.objects.of(collectivite).filter(user=user).values_list("kind", flat=True))
    return [kind for kind in AlertKind.values if kind not in muted]
