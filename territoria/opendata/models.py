import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from territoria.opendata.enums import LICENCE_URLS, Format, Frequency, Licence, Source, Theme
from territoria.opendata.schemas import SCHEMA_CHOICES, SCHEMAS
from territoria.territories.models import user_role
from territoria.territories.tenancy import TenantModel, TenantQuerySet


def may_publish(user, collectivite) -> bool:
    """Agents and admins of the collectivité (and operators) publish its data."""
    role = user_role(user, collectivite)
    return role in {"agent", "admin"} or bool(user.is_authenticated and user.is_operator)


class DatasetQuerySet(TenantQuerySet):
    def published(self):
        return self.filter(is_published=True, collectivite__is_active=True)

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            Q(title__icontains=text) | Q(description__icontains=text) | Q(keywords__icontains=text)
        )


class Dataset(TenantModel):
    """A dataset of a collectivité, described for the DCAT catalogue."""

    # The stable identifier: minted once, never changed (data.gouv.fr matches on it).
    uid = models.UUIDField(_("identifiant"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"))
    keywords = models.CharField(
        _("mots-clés"), max_length=300, blank=True, help_text=_("Séparés par des virgules.")
    )
    theme = models.CharField(_("thème"), max_length=4, choices=Theme.choices)
    licence = models.CharField(
        _("licence"), max_length=10, choices=Licence.choices, default=Licence.LO2
    )
    frequency = models.CharField(
        _("fréquence de mise à jour"), max_length=12, choices=Frequency.choices
    )
    temporal_start = models.DateField(_("début de la période couverte"), null=True, blank=True)
    temporal_end = models.DateField(_("fin de la période couverte"), null=True, blank=True)
    bbox = models.CharField(
        _("emprise (ouest,sud,est,nord)"),
        max_length=100,
        blank=True,
        help_text=_("Calculée à partir des positions pour les données localisées."),
    )
    contact_name = models.CharField(_("point de contact"), max_length=120)
    contact_email = models.EmailField(
        _("courriel du point de contact"),
        help_text=_("Adresse de service publiée dans le catalogue (pas une adresse personnelle)."),
    )
    schema = models.CharField(_("schéma"), max_length=60, choices=SCHEMA_CHOICES)
    source = models.CharField(_("origine"), max_length=20, choices=Source.choices)
    is_published = models.BooleanField(_("publié"), default=False)
    issued = models.DateTimeField(_("publié le"), null=True, blank=True)
    # When the data last changed: never in the future, untouched by a refresh that
    # finds the same content.
    modified = models.DateTimeField(_("données modifiées le"), null=True, blank=True)
    refreshed_at = models.DateTimeField(_("dernière génération"), null=True, blank=True)
    row_count = models.PositiveIntegerField(_("lignes"), default=0)
    located = models.BooleanField(default=False)
    # The page's chart series and map points, gathered while the files are written.
    summary = models.JSONField(default=dict, blank=True, editable=False)
    upload_name = models.CharField(_("fichier déposé"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DatasetQuerySet.as_manager()

    class Meta:
        verbose_name = _("jeu de données")
        verbose_name_plural = _("jeux de données")
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["collectivite", "is_published"], name="dataset_pub")]

    def __str__(self):
        return self.title

    def temporal_coverage(self) -> tuple:
        """The period the dataset covers: as declared, else the first and last days of
        its daily series (time series the platform generates); the page and the DCAT
        catalogue both read it here."""
        if self.temporal_start or self.temporal_end:
            return self.temporal_start, self.temporal_end
        days = []
        for day, _value in (self.summary or {}).get("series") or []:
            try:
                days.append(datetime.date.fromisoformat(day))
            except (TypeError, ValueError):  # a row without a date has no day to count
                continue
        return (min(days), max(days)) if days else (None, None)

    def get_absolute_url(self):
        return reverse("opendata:dataset", kwargs={"slug": self.collectivite.slug, "uid": self.uid})

    def get_abilities(self, user) -> dict[str, bool]:
        can_publish = may_publish(user, self.collectivite)
        member = user_role(user, self.collectivite) is not None
        return {
            "view": self.is_published or member or can_publish,
            "change": can_publish,
            "delete": can_publish,
            "view_stats": can_publish,
        }

    @property
    def identifier(self) -> str:
        """The dct:identifier published in the catalogue."""
        return f"urn:uuid:{self.uid}"

    @property
    def schema_info(self):
        return SCHEMAS[self.schema]

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS[Licence(self.licence)]

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]

    @property
    def is_generated(self) -> bool:
        return self.source != Source.UPLOAD

    def storage_dir(self):
        return opendata_root() / self.collectivite.slug / str(self.uid)


def opendata_root() -> Path:
    """Where the files are written (OPENDATA_DIR, by default var/opendata/)."""
    return Path(settings.OPENDATA_DIR)


class Resource(TenantModel):
    """One file of a dataset in one format, with its size and checksum."""

    dataset = models.ForeignKey(Dataset, models.CASCADE, related_name="resources")
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    filename = models.CharField(max_length=200)
    byte_size = models.PositiveBigIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    generated_at = models.DateTimeField(_("généré le"), default=timezone.now)

    class Meta:
        verbose_name = _("ressource")
        ordering = ["dataset", "format"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "format"], name="resource_one_per_format")
        ]

    def __str__(self):
        return f"{self.dataset} ({self.get_format_display()})"

    def get_absolute_url(self):
        return reverse(
            "opendata:download",
            # Through the dataset: prefetched resources share their dataset's collectivité.
            kwargs={
                "slug": self.dataset.collectivite.slug,
                "uid": self.dataset.uid,
                "fmt": self.format,
            },
        )

    def get_abilities(self, user) -> dict[str, bool]:
        return self.dataset.get_abilities(user)

    @property
    def path(self):
        return self.dataset.storage_dir() / self.filename


class DownloadCountQuerySet(TenantQuerySet):
    def record(self, resource, today: datetime.date | None = None):
        """Count one download in its month (one UPDATE; an INSERT the first time)."""
        month = (today or timezone.localdate()).replace(day=1)
        updated = self.filter(resource=resource, month=month).update(count=models.F("count") + 1)
        if not updated:
            _obj, created = self.get_or_create(
                resource=resource,
                month=month,
                defaults={"collectivite_id": resource.collectivite_id,
                          "dataset_id": resource.dataset_id, "count": 1},
            )  # fmt: skip
            if not created:
                self.filter(pk=_obj.pk).update(count=models.F("count") + 1)


class DownloadCount(TenantModel):
    """Downloads of one resource in one month (no visitor data is kept)."""

    dataset = models.ForeignKey(Dataset, models.CASCADE, related_name="download_counts")
    resource = models.ForeignKey(Resource, models.CASCADE, related_name="download_counts")
    month = models.DateField(_("mois"))
    count = models.PositiveIntegerField(_("téléchargements"), default=0)

    objects = DownloadCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("téléchargements du mois")
        ordering = ["-month", "dataset"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "month"], name="download_one_per_month")
        ]

    def __str__(self):
        return f"{self.resource} {self.month:%Y-%m}: {self.count}"

    def get_abilities(self, user) -> dict[str, bool]:
        can = may_publish(user, self.collectivite)
        return {"view": can, "change": False, "delete": False}
