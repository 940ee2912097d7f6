"""Citizen reports (signalements): categories and their questions, the reports with
their photos, public updates and internal notes, supports ("moi aussi") and the
Open311 client applications."""

import hashlib
import math
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from territoria import images
from territoria.reports.enums import (
    CLOSED_STATUSES,
    OPEN311_STATUS,
    OPEN_STATUSES,
    Datatype,
    Publication,
    Source,
    Status,
)
from territoria.territories.enums import CollectiviteKind
from territoria.territories.models import Collectivite, Commune, user_role
from territoria.territories.tenancy import TenantModel, TenantQuerySet

EARTH_RADIUS_M = 6_371_000
METRES_PER_DEGREE = 111_320


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


class PrivateStorage(images.PrivateStorage):
    """Report photos: outside MEDIA_ROOT (never served as plain files), under random
    names; the folder is read from settings at each use."""

    root_setting = "REPORTS_PHOTO_ROOT"


private_storage = PrivateStorage()


def _staff_abilities(user, collectivite) -> dict[str, bool]:
    role = user_role(user, collectivite)
    is_operator = bool(user.is_authenticated and user.is_operator)
    return {
        "view": role is not None or is_operator,
        "change": role in {"agent", "admin"} or is_operator,
        "delete": role == "admin" or is_operator,
    }


def new_version() -> str:
    """A random token rather than a counter: a restored backup or a new database never
    repeats a version that named other content."""
    return secrets.token_hex(8)


class ReportZoneQuerySet(TenantQuerySet):
    def listing(self, owner_ids, commune_ids):
        """The zones of the jurisdictions whose public lists show reports of these
        owners made in these communes (a commune lists what its EPCI handles in it)."""
        return self.filter(
            Q(collectivite_id__in=set(owner_ids)) | Q(collectivite__commune_id__in=set(commune_ids))
        )

    def offering(self, collectivite):
        """The zones of the jurisdictions that list this collectivité's categories: its
        own, and for an EPCI those of its member communes."""
        condition = Q(collectivite=collectivite)
        if collectivite.epci_id:
            condition |= Q(collectivite__commune__epci_id=collectivite.epci_id)
        return self.filter(condition)

    def changed(self) -> int:
        """Give these jurisdictions a new version of their public lists (Open311)."""
        return self.update(version=new_version())


def reports_changed(*reports) -> None:
    """Call after any write to reports (in its transaction, after the write): the cached
    public lists that may show them are never served again."""
    ReportZone.objects.listing(
        [report.collectivite_id for report in reports],
        [report.commune_id for report in reports if report.commune_id],
    ).changed()


class ReportZone(TenantModel):
    """The area a collectivité takes reports for. The COG carries no geometry, so an
    admin sets a bounding box (docs/reports.md); its centre places reports typed
    without the map. `version` changes with every write to the reports it lists."""

    collectivite = models.OneToOneField(
        Collectivite, models.CASCADE, related_name="report_zone", verbose_name=_("collectivité")
    )
    south = models.FloatField(_("latitude sud"))
    west = models.FloatField(_("longitude ouest"))
    north = models.FloatField(_("latitude nord"))
    east = models.FloatField(_("longitude est"))
    is_open = models.BooleanField(_("signalements ouverts"), default=True)
    version = models.CharField(max_length=16, default=new_version, editable=False)

    objects = ReportZoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("zone des signalements")
        verbose_name_plural = _("zones des signalements")
        constraints = [
            models.CheckConstraint(
                name="reportzone_box_ordered", condition=Q(south__lt=models.F("north"))
            ),
            models.CheckConstraint(
                name="reportzone_box_ordered_we", condition=Q(west__lt=models.F("east"))
            ),
        ]

    def __str__(self):
        return str(self.collectivite)

    @property
    def centre(self) -> tuple[float, float]:
        return ((self.south + self.north) / 2, (self.west + self.east) / 2)

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east

    @classmethod
    def around(cls, collectivite, lat: float, lon: float, metres: float = 4000):
        """An unsaved square zone of `metres` half-width centred on a point."""
        dlat = metres / METRES_PER_DEGREE
        dlon = dlat / max(0.2, math.cos(math.radians(lat)))
        return cls(
            collectivite=collectivite,
            south=lat - dlat,
            north=lat + dlat,
            west=lon - dlon,
            east=lon + dlon,
        )

    def get_abilities(self, user):
        return _staff_abilities(user, self.collectivite) | {"view": True}


class Service(TenantModel):
    """A team of the collectivité that handles some categories (voirie, propreté…)."""

    name = models.CharField(_("nom"), max_length=120)
    email = models.EmailField(_("courriel de l'équipe"), blank=True)

    class Meta:
        verbose_name = _("service")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["collectivite", "name"], name="service_unique_name")
        ]

    def __str__(self):
        return self.name

    def get_abilities(self, user):
        return _staff_abilities(user, self.collectivite)


class CategoryQuerySet(TenantQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def offered_at(self, collectivite):
        """The categories a report in this collectivité may take: its own, and for a
        commune those of its EPCI for the competences the EPCI holds."""
        condition = Q(collectivite=collectivite)
        if collectivite.kind == CollectiviteKind.COMMUNE and collectivite.commune.epci_id:
            condition |= Q(collectivite__epci_id=collectivite.commune.epci_id, epci_competence=True)
        return self.active().filter(condition).select_related("collectivite")


class Category(TenantModel):
    """A kind of problem a collectivité handles: an Open311 service."""

    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("nom"), max_length=120)
    group = models.CharField(_("groupe"), max_length=80, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    keywords = models.CharField(_("mots-clés"), max_length=200, blank=True)
    service = models.ForeignKey(
        Service, models.SET_NULL, null=True, blank=True, related_name="categories"
    )
    duplicate_radius_m = models.PositiveIntegerField(
        _("rayon de recherche des doublons (m)"), default=250
    )
    epci_competence = models.BooleanField(
        _("compétence intercommunale"),
        default=True,
        help_text=_(
            "Pour une intercommunalité : la catégorie est proposée dans toutes ses communes "
            "et les signalements lui sont adressés."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("ordre"), default=0)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("catégorie")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["collectivite", "code"], name="category_unique_code")
        ]

    def __str__(self):
        return self.name

    @property
    def open311_code(self) -> str:
        """Unique across jurisdictions: a commune offers its EPCI's categories too."""
        return f"{self.collectivite.slug}.{self.code}"

    def get_abilities(self, user):
        return _staff_abilities(user, self.collectivite) | {"view": True}


class Question(TenantModel):
    """An extra question of a category (an Open311 service attribute)."""

    category = models.ForeignKey(Category, models.CASCADE, related_name="questions")
    code = models.SlugField(_("code"), max_length=60)
    label = models.CharField(_("question"), max_length=200)
    help_text = models.CharField(_("aide"), max_length=200, blank=True)
    datatype = models.CharField(
        _("type de réponse"), max_length=20, choices=Datatype.choices, default=Datatype.STRING
    )
    required = models.BooleanField(_("obligatoire"), default=False)
    choices = models.JSONField(
        _("choix"), default=list, blank=True, help_text=_("Liste de paires [clé, libellé].")
    )
    order = models.PositiveIntegerField(_("ordre"), default=1)

    class Meta:
        verbose_name = _("question complémentaire")
        verbose_name_plural = _("questions complémentaires")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="question_unique_code")
        ]

    def __str__(self):
        return self.label

    def get_abilities(self, user):
        return _staff_abilities(user, self.collectivite) | {"view": True}


class ReportQuerySet(TenantQuerySet):
    def published(self):
        return self.filter(publication=Publication.PUBLISHED)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def closed(self):
        return self.filter(status__in=CLOSED_STATUSES)

    def in_box(self, south, west, north, east):
        return self.filter(
            latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
        )

    def near(self, lat: float, lon: float, metres: float):
        """Reports within `metres` of a point: a box in SQL, the exact circle in Python
        on the few rows left."""
        dlat = metres / METRES_PER_DEGREE
        dlon = dlat / max(0.01, math.cos(math.radians(lat)))
        candidates = self.in_box(lat - dlat, lon - dlon, lat + dlat, lon + dlon)
        return [r for r in candidates if distance_m(lat, lon, r.latitude, r.longitude) <= metres]


class Report(TenantModel):
    """A problem reported by a citizen, handled by the collectivité responsible."""

    category = models.ForeignKey(Category, models.PROTECT, related_name="reports")
    commune = models.ForeignKey(Commune, models.PROTECT, null=True, blank=True, related_name="+")
    service = models.ForeignKey(Service, models.SET_NULL, null=True, blank=True, related_name="+")
    description = models.TextField(_("description"), max_length=4000)
    address = models.CharField(_("adresse ou repère"), max_length=300, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    approximate_location = models.BooleanField(_("position approximative"), default=False)
    answers = models.JSONField(_("réponses aux questions"), default=dict, blank=True)
    status = models.CharField(_("état"), max_length=20, choices=Status.choices, default=Status.NEW)
    publication = models.CharField(
        _("publication"),
        max_length=20,
        choices=Publication.choices,
        default=Publication.UNCONFIRMED,
    )
    source = models.CharField(_("origine"), max_length=10, choices=Source.choices)
    # Personal data: never shown publicly; purged after the retention period.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reporter_email = models.EmailField(_("courriel"), blank=True)
    reporter_name = models.CharField(_("nom"), max_length=150, blank=True)
    reporter_phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    show_name = models.BooleanField(_("afficher mon nom publiquement"), default=False)
    public_name = models.CharField(_("nom affiché"), max_length=80, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    client_application = models.ForeignKey(
        "ClientApplication", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    device_id = models.CharField(max_length=100, blank=True)
    personal_data_purged_at = models.DateTimeField(null=True, blank=True)

    duplicate_of = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agent assigné"),
    )
    supporters = models.PositiveIntegerField(_("soutiens"), default=0)
    created_at = models.DateTimeField(_("signalé le"), default=timezone.now)
    updated_at = models.DateTimeField(_("mis à jour le"), default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("signalement")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["collectivite", "publication", "created_at"], name="report_public_dates"
            ),
            models.Index(
                fields=["collectivite", "publication", "status", "created_at"],
                name="report_public_status",
            ),
            # Open311 lists of a commune read its reports in date order (any owner).
            models.Index(
                fields=["commune", "publication", "created_at"], name="report_commune_dates"
            ),
            models.Index(fields=["collectivite", "latitude", "longitude"], name="report_place"),
            models.Index(fields=["closed_at"], name="report_closed_at"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.category}"

    def get_absolute_url(self):
        return reverse(
            "reports:detail", kwargs={"slug": self.collectivite.slug, "report_id": self.pk}
        )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_public(self) -> bool:
        return self.publication == Publication.PUBLISHED

    @property
    def open311_status(self) -> str:
        return OPEN311_STATUS[self.status]

    @property
    def title(self) -> str:
        return f"{self.category.name} — #{self.pk}"

    @property
    def display_name(self) -> str:
        """The name shown publicly: only when the reporter asked for it."""
        return self.public_name if self.show_name else ""

    def can_reopen(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            not self.is_open
            and self.status != Status.DUPLICATE
            and self.closed_at is not None
            and (now - self.closed_at).days < settings.REPORTS_REOPEN_DAYS
        )

    def get_abilities(self, user):
        abilities = _staff_abilities(user, self.collectivite)
        return abilities | {"view": abilities["view"] or self.is_public}


class Photo(TenantModel):
    """A photo of a report, re-encoded without metadata; served by a checked view."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="photos")
    image = models.FileField(storage=private_storage, upload_to="photos/")
    thumbnail = models.FileField(storage=private_storage, upload_to="thumbnails/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("photo")
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.report_id}/{self.order}"

    def get_absolute_url(self):
        return reverse(
            "reports:photo",
            kwargs={"slug": self.collectivite.slug, "photo_id": self.pk, "size": "full"},
        )

    def thumbnail_url(self):
        return reverse(
            "reports:photo",
            kwargs={"slug": self.collectivite.slug, "photo_id": self.pk, "size": "thumb"},
        )

    def get_abilities(self, user):
        return self.report.get_abilities(user)


class UpdateQuerySet(TenantQuerySet):
    def public(self):
        return self.filter(is_public=True)

    def with_status_then(self):
        """Annotate `status_then`, the report's state when each update was written: its
        own change, else the last earlier change, else the state the next change started
        from. An email or an Open311 update never carries a change made later."""
        changes = Update.objects.filter(report_id=OuterRef("report_id")).exclude(status_after="")
        earlier = changes.filter(pk__lt=OuterRef("pk")).order_by("-pk").values("status_after")
        later = changes.filter(pk__gt=OuterRef("pk")).order_by("pk").values("status_before")
        return self.annotate(
            status_then=Coalesce(
                NullIf(F("status_after"), Value("")),
                Subquery(earlier[:1]),
                Subquery(later[:1]),
                F("report__status"),
            )
        )


class Update(TenantModel):
    """A step in a report's life: a public update (the reporter is told) or an internal
    note (agents only), possibly with a change of status."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_public = models.BooleanField(_("publique"), default=True)
    text = models.TextField(_("message"), max_length=4000, blank=True)
    status_before = models.CharField(max_length=20, choices=Status.choices, blank=True)
    status_after = models.CharField(max_length=20, choices=Status.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)

    objects = UpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("mise à jour")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["collectivite", "is_public", "created_at"])]

    def __str__(self):
        return f"#{self.report_id} {self.created_at:%Y-%m-%d}"

    def status_then(self) -> str:
        """The report's state when this update was written (see with_status_then)."""
        return (
            Update.objects.with_status_then().values_list("status_then", flat=True).get(pk=self.pk)
        )

    def get_abilities(self, user):
        abilities = _staff_abilities(user, self.collectivite)
        return abilities | {"view": abilities["view"] or (self.is_public and self.report.is_public)}


class Support(TenantModel):
    """A "moi aussi" on a report: counted once per person (email kept only as a hash)."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="supports")
    email_hash = models.CharField(max_length=64)
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("soutien")
        constraints = [
            models.UniqueConstraint(fields=["report", "email_hash"], name="support_once")
        ]

    def __str__(self):
        return f"+1 #{self.report_id}"

    def get_abilities(self, user):
        return _staff_abilities(user, self.collectivite)


def hash_secret(value: str) -> str:
    """A keyed hash for values we must recognise but never read back (emails, IPs)."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{value.strip().lower()}".encode()).hexdigest()


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ClientApplicationQuerySet(TenantQuerySet):
    def by_key(self, key: str):
        """The active application holding this api_key, or None."""
        if not key or len(key) > 200:
            return None
        return (
            self.filter(key_hash=hash_key(key), is_active=True)
            .select_related("collectivite")
            .first()
        )


class ClientApplication(TenantModel):
    """An Open311 client (a mobile app, a partner's tool) allowed to POST reports to
    its collectivité. Only a hash of its api_key is kept."""

    name = models.CharField(_("nom de l'application"), max_length=120)
    contact = models.EmailField(_("contact technique"), blank=True)
    key_prefix = models.CharField(_("début de la clé"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ClientApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application cliente Open311")
        verbose_name_plural = _("applications clientes Open311")

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"

    def issue_key(self) -> str:
        """Set a new key and return it: shown once, never stored in clear."""
        key = secrets.token_urlsafe(24)
        self.key_prefix = key[:8]
        self.key_hash = hash_key(key)
        return key

    def get_abilities(self, user):
        role = user_role(user, self.collectivite)
        is_operator = bool(user.is_authenticated and user.is_operator)
        manage = role == "admin" or is_operator
        return {"view": manage, "change": manage, "delete": manage}
