"""Sites, devices, fleets (API keys), readings and their rollups, alerts.

Readings live in one narrow table keyed (ts, device, quantity) created by a
migration (WITHOUT ROWID on SQLite): readings arrive in time order, so a key that
starts with the time makes every batch an append. Ingestion writes it with bulk SQL
(territoria/sensors/storage.py), never through the ORM.
"""

import datetime
import hashlib
import hmac
import re
import secrets

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from territoria.sensors import units
from territoria.sensors.enums import (
    AlertKind,
    AlertStatus,
    DeviceKind,
    Quantity,
    SiteKind,
    Source,
)
from territoria.territories.models import user_role
from territoria.territories.tenancy import TenantModel, TenantQuerySet

DEV_EUI = re.compile(r"^[0-9a-f]{16}$")

# The quantity each kind of device mainly reports.
MAIN_QUANTITY = {
    DeviceKind.WATER_METER: Quantity.WATER_VOLUME,
    DeviceKind.FLOW_METER: Quantity.FLOW_RATE,
    DeviceKind.WASTE_BIN: Quantity.FILL_LEVEL,
    DeviceKind.PARKING_SPOT: Quantity.OCCUPIED,
    DeviceKind.CAR_PARK: Quantity.OCCUPIED,
    DeviceKind.PEOPLE_COUNTER: Quantity.PEOPLE_COUNT,
    DeviceKind.ENERGY_METER: Quantity.ENERGY,
    DeviceKind.AIR_QUALITY: Quantity.PM10,
    DeviceKind.STREETLIGHT: Quantity.POWER,
}


def normalise_dev_eui(value: str) -> str:
    """A LoRaWAN DevEUI as 16 lower-case hex digits (ChirpStack sends lower case, The
    Things Stack upper case, some tools add separators); '' when it is not one."""
    cleaned = re.sub(r"[\s:\-]", "", value or "").lower()
    return cleaned if DEV_EUI.match(cleaned) else ""


def hash_key(secret: str) -> str:
    # Keys are 256-bit random secrets: a plain SHA-256 cannot be brute-forced and
    # keeps authentication cheap on every batch.
    return hashlib.sha256(secret.encode()).hexdigest()


def may_operate(user, collectivite) -> bool:
    """Agents and admins of the collectivité (and operators) run its sensors: fleets,
    keys, imports, alerts."""
    role = user_role(user, collectivite)
    return role in {"agent", "admin"} or bool(user.is_authenticated and user.is_operator)


class Site(TenantModel):
    name = models.CharField(_("nom"), max_length=120)
    kind = models.CharField(_("type"), max_length=20, choices=SiteKind.choices)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacité"),
        null=True,
        blank=True,
        help_text=_(
            "Nombre de places d'un parking ; personnes accueillies à la fois sur une plage "
            "ou un lieu à compteurs de passages."
        ),
    )
    max_stay_minutes = models.PositiveIntegerField(
        _("durée maximale de stationnement (minutes)"),
        null=True,
        blank=True,
        help_text=_("Laisser vide pour 120 minutes (zone bleue courante)."),
    )
    is_public = models.BooleanField(
        _("page publique en temps réel"),
        default=False,
        help_text=_("Les comptages du site sont publiés sur une page ouverte à tous."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("site")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["collectivite", "name"], name="sensors_site_unique_name"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("sensors:site", kwargs={"slug": self.collectivite.slug, "pk": self.pk})


class Fleet(TenantModel):
    """A set of devices sending with one API key (a network-server application)."""

    name = models.CharField(_("nom"), max_length=120)
    key_prefix = models.CharField(max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    simulated = models.BooleanField(
        _("données simulées"),
        default=False,
        help_text=_("Flotte de démonstration alimentée par le simulateur."),
    )

    class Meta:
        verbose_name = _("flotte de capteurs")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def new_key(self) -> str:
        """Give the fleet a new key and return it: the only time it is readable."""
        self.key_prefix = secrets.token_hex(4)
        secret = secrets.token_urlsafe(32)
        self.key_hash = hash_key(secret)
        return f"trk_{self.key_prefix}_{secret}"

    @classmethod
    def authenticate(cls, key: str):
        """The fleet this key opens, or None."""
        parts = (key or "").strip().split("_", 2)
        if len(parts) != 3 or parts[0] != "trk":
            return None
        fleet = cls.objects.select_related("collectivite").filter(key_prefix=parts[1]).first()
        if fleet is None or not hmac.compare_digest(fleet.key_hash, hash_key(parts[2])):
            return None
        return fleet


class DeviceQuerySet(TenantQuerySet):
    def silent(self, now=None) -> list["Device"]:
        """Devices that have not reported for longer than their own silence delay."""
        return [device for device in self if device.is_silent(now)]


class Device(TenantModel):
    fleet = models.ForeignKey(
        Fleet, models.PROTECT, related_name="devices", verbose_name=_("flotte")
    )
    site = models.ForeignKey(
        Site,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="devices",
        verbose_name=_("site"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=DeviceKind.choices)
    name = models.CharField(_("nom"), max_length=120)
    external_id = models.CharField(
        _("identifiant"), max_length=64, help_text=_("Identifiant du capteur chez l'exploitant.")
    )
    dev_eui = models.CharField(_("DevEUI LoRaWAN"), max_length=16, blank=True, db_index=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    threshold = models.FloatField(
        _("seuil d'alerte"),
        null=True,
        blank=True,
        help_text=_("Seuil sur la grandeur principale (en % pour un conteneur)."),
    )
    silent_after_hours = models.PositiveIntegerField(_("muet après (heures)"), default=26)
    last_seen_at = models.DateTimeField(_("dernier relevé"), null=True, blank=True)
    last_value = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DeviceQuerySet.as_manager()

    class Meta:
        verbose_name = _("capteur")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["collectivite", "external_id"], name="sensors_device_unique_external_id"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("sensors:device", kwargs={"slug": self.collectivite.slug, "pk": self.pk})

    @property
    def main_quantity(self) -> int:
        return MAIN_QUANTITY[self.kind]

    @property
    def unit_label(self) -> str:
        return units.unit_label(self.main_quantity)

    def is_silent(self, now=None) -> bool:
        now = now or timezone.now()
        return self.last_seen_at is None or self.last_seen_at < now - datetime.timedelta(
            hours=self.silent_after_hours
        )


class _ReadingRow(models.Model):
    """Rows of the tables the ingestion writes with bulk SQL (created by migration
    0002); read through the ORM only for small lookups and the admin."""

    device = models.ForeignKey(Device, models.DO_NOTHING, db_constraint=False, related_name="+")
    quantity = models.SmallIntegerField(choices=Quantity.choices)

    class Meta:
        abstract = True
        managed = False

    def __str__(self):
        return f"{self.device_id}/{self.get_quantity_display()}"

    def get_abilities(self, user) -> dict[str, bool]:
        return self.device.get_abilities(user)


class Reading(_ReadingRow):
    pk = models.CompositePrimaryKey("ts", "device", "quantity")
    ts = models.BigIntegerField(help_text=_("Instant UTC en secondes depuis 1970."))
    value = models.FloatField()

    class Meta(_ReadingRow.Meta):
        db_table = "sensors_reading"


class HourlyRollup(_ReadingRow):
    pk = models.CompositePrimaryKey("hour", "device", "quantity")
    hour = models.BigIntegerField()
    n = models.IntegerField()
    total = models.FloatField()
    minimum = models.FloatField()
    maximum = models.FloatField()
    last_ts = models.BigIntegerField()
    last_value = models.FloatField()

    class Meta(_ReadingRow.Meta):
        db_table = "sensors_hourly"


class DailyRollup(_ReadingRow):
    pk = models.CompositePrimaryKey("day", "device", "quantity")
    day = models.BigIntegerField()
    n = models.IntegerField()
    total = models.FloatField()
    minimum = models.FloatField()
    maximum = models.FloatField()
    last_ts = models.BigIntegerField()
    last_value = models.FloatField()

    class Meta(_ReadingRow.Meta):
        db_table = "sensors_daily"


class RawPayload(TenantModel):
    """A network server's message as received: decoders change, the bytes stay."""

    fleet = models.ForeignKey(Fleet, models.CASCADE, related_name="+")
    device = models.ForeignKey(Device, models.SET_NULL, null=True, related_name="+")
    source = models.CharField(max_length=20, choices=Source.choices)
    message_id = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)
    body = models.JSONField()

    class Meta:
        verbose_name = _("message brut")
        constraints = [
            models.UniqueConstraint(
                fields=["fleet", "source", "message_id"], name="sensors_raw_unique_message"
            )
        ]


class AlertQuerySet(TenantQuerySet):
    def active(self):
        return self.exclude(status=AlertStatus.CLOSED)

    def leaks(self):
        return self.filter(kind__in=[AlertKind.CONTINUOUS_FLOW, AlertKind.NIGHT_FLOW])


class Alert(TenantModel):
    kind = models.CharField(_("type"), max_length=20, choices=AlertKind.choices)
    status = models.CharField(
        _("état"), max_length=20, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    device = models.ForeignKey(Device, models.CASCADE, null=True, blank=True, related_name="alerts")
    site = models.ForeignKey(Site, models.CASCADE, null=True, blank=True, related_name="alerts")
    title = models.CharField(_("intitulé"), max_length=200)
    detail = models.TextField(_("détail"), blank=True)
    severity = models.FloatField(_("gravité"), default=0)
    severity_unit = models.CharField(max_length=20, blank=True)
    started_at = models.DateTimeField(_("début estimé"))
    opened_at = models.DateTimeField(_("ouverte le"), default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # Leak alerts: flow lost in m³/h and the price of a m³ with where it comes from.
    leak_m3_per_hour = models.FloatField(default=0)
    price_per_m3 = models.FloatField(null=True, blank=True)
    price_source = models.CharField(max_length=300, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("alerte")
        ordering = ["-opened_at"]
        constraints = [
            # One alert at a time per rule and object: a detector run twice adds nothing.
            models.UniqueConstraint(
                fields=["kind", "device", "site"],
                condition=~models.Q(status=AlertStatus.CLOSED),
                name="sensors_alert_one_active",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("sensors:alert", kwargs={"slug": self.collectivite.slug, "pk": self.pk})

    @property
    def is_leak(self) -> bool:
        return self.kind in {AlertKind.CONTINUOUS_FLOW, AlertKind.NIGHT_FLOW}

    def lost_m3(self, now=None) -> float:
        """Water lost from the estimated start of the leak to its closing (or now)."""
        if not self.is_leak:
            return 0.0
        end = self.closed_at or now or timezone.now()
        hours = max((end - self.started_at).total_seconds() / 3600, 0)
        return self.leak_m3_per_hour * hours

    def lost_eur(self, now=None) -> float | None:
        if self.price_per_m3 is None:
            return None
        return self.lost_m3(now) * self.price_per_m3

    def cost_per_day_eur(self) -> float | None:
        """What the leak costs for each day it stays open, at the profile's water price."""
        if not self.is_leak or self.price_per_m3 is None:
            return None
        return self.leak_m3_per_hour * 24 * self.price_per_m3

    def yearly_saving_m3(self) -> float:
        """Closing a leak saves its flow for the rest of the year."""
        return self.leak_m3_per_hour * 24 * 365 if self.is_leak else 0.0


class SavingsMeasure(TenantModel):
    """A roadmap project's saving measured from sensor data: one quantity summed over
    a site's devices, baseline period against a current period of the same length."""

    use_case_slug = models.SlugField(_("cas d'usage"), max_length=120)
    label = models.CharField(_("intitulé"), max_length=200)
    site = models.ForeignKey(Site, models.CASCADE, null=True, blank=True, related_name="+")
    device_kind = models.CharField(max_length=20, choices=DeviceKind.choices)
    quantity = models.SmallIntegerField(choices=Quantity.choices)
    baseline_start = models.DateField(_("début de la période de référence"))
    baseline_end = models.DateField(_("fin de la période de référence"))
    current_start = models.DateField(_("début de la période mesurée"))
    current_end = models.DateField(_("fin de la période mesurée"))
    price_per_unit = models.FloatField(_("prix unitaire (€)"), null=True, blank=True)
    price_source = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("économie mesurée")
        ordering = ["use_case_slug"]


class AlertMute(TenantModel):
    """An alert kind one member of the collectivité does not want by email (every kind
    is sent to its agents and administrators unless they say so)."""

    user = models.ForeignKey("accounts.User", models.CASCADE, related_name="+")
    kind = models.CharField(_("type"), max_length=20, choices=AlertKind.choices)

    class Meta:
        verbose_name = _("alerte non reçue par courriel")
        constraints = [
            models.UniqueConstraint(
                fields=["collectivite", "user", "kind"], name="sensors_alertmute_unique"
            )
        ]

    def get_abilities(self, user) -> dict[str, bool]:
        mine = bool(user.is_authenticated and user.pk == self.user_id)
        return {"view": mine, "change": mine, "delete": mine}
