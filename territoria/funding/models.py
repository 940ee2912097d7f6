from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from territoria.funding.eligibility import Conditions
from territoria.funding.enums import (
    FunderKind,
    ProgrammeStatus,
    Recurrence,
    Scale,
    UpdateStatus,
    ZoneScope,
)


def _operator_abilities(user) -> dict[str, bool]:
    operator = bool(getattr(user, "is_operator", False))
    return {"view": True, "change": operator, "delete": operator}


class Funder(models.Model):
    name = models.CharField(_("nom"), max_length=200, unique=True)
    kind = models.CharField(_("nature"), max_length=20, choices=FunderKind.choices)

    class Meta:
        verbose_name = _("financeur")
        verbose_name_plural = _("financeurs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_abilities(self, user) -> dict[str, bool]:
        return _operator_abilities(user)


class NamedList(models.Model):
    """A national list of towns a programme is reserved to (Action Cœur de Ville…)."""

    slug = models.SlugField(_("identifiant"), unique=True)
    name = models.CharField(_("nom"), max_length=200)
    codes = models.JSONField(_("codes INSEE des communes"), default=list, blank=True)
    source = models.TextField(_("source"), blank=True)
    checked_on = models.DateField(_("vérifiée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("liste de communes")
        verbose_name_plural = _("listes de communes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_abilities(self, user) -> dict[str, bool]:
        return _operator_abilities(user)


class ProgrammeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ProgrammeStatus.PUBLISHED)

    def open_on(self, day: date):
        """Programmes with a window open that day (no deadline means open)."""
        return self.filter(
            Q(windows__opens_on__isnull=True) | Q(windows__opens_on__lte=day),
            Q(windows__closes_on__isnull=True) | Q(windows__closes_on__gte=day),
        ).distinct()

    def closing_between(self, start: date, end: date):
        return self.filter(windows__closes_on__gte=start, windows__closes_on__lte=end).distinct()


class Programme(models.Model):
    """A funding programme: a superset of an Aides-territoires aid, with its conditions
    as data so eligibility can be computed."""

    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    name = models.CharField(_("nom"), max_length=300)
    short_name = models.CharField(_("nom court"), max_length=80, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=ProgrammeStatus.choices,
        default=ProgrammeStatus.PUBLISHED,
    )
    funders = models.ManyToManyField(
        Funder, related_name="programmes", verbose_name=_("financeurs")
    )
    aid_types = models.JSONField(_("types d'aide"), default=list)
    axes = models.JSONField(_("axes"), default=list, blank=True)
    use_cases = models.ManyToManyField(
        "catalogue.UseCase", related_name="programmes", blank=True, verbose_name=_("cas d'usage")
    )
    scale = models.CharField(
        _("périmètre"), max_length=15, choices=Scale.choices, default=Scale.NATIONAL
    )
    perimeter_codes = models.JSONField(_("codes du périmètre"), default=list, blank=True)
    zone = models.CharField(_("zone"), max_length=10, choices=ZoneScope.choices, default="all")
    named_list = models.ForeignKey(
        NamedList,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("réservé aux communes de la liste"),
    )
    beneficiaries = models.JSONField(_("bénéficiaires"), default=list)
    expense_types = models.JSONField(_("types de dépense"), default=list, blank=True)
    rate_min = models.DecimalField(
        _("taux minimal (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    rate_max = models.DecimalField(
        _("taux maximal (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    ceiling_eur = models.PositiveBigIntegerField(_("plafond de l'aide (€)"), null=True, blank=True)
    min_project_cost_eur = models.PositiveBigIntegerField(
        _("coût minimal du projet (€)"), null=True, blank=True
    )
    max_public_rate = models.DecimalField(
        _("taux maximal d'aides publiques (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    stacking_note = models.TextField(_("règles de cumul"), blank=True)
    eligibility = models.JSONField(_("règles d'éligibilité"), default=list, blank=True)
    application_url = models.URLField(_("adresse pour candidater"), blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    field_sources = models.JSONField(_("source de chaque champ"), default=dict, blank=True)
    confidence = models.CharField(_("fiabilité"), max_length=10, blank=True)
    note = models.TextField(_("remarques"), blank=True)
    fictitious = models.BooleanField(_("exemple fictif"), default=False)
    last_checked = models.DateField(_("vérifié le"), null=True, blank=True)
    # Provenance: where the programme comes from, and which fields an operator edited
    # (an import never overwrites them silently: its changes wait for review).
    origin = models.CharField(_("origine"), max_length=30, default="territoria")
    external_id = models.CharField(_("identifiant externe"), max_length=100, blank=True)
    raw = models.JSONField(_("données importées"), default=dict, blank=True)
    edited_fields = models.JSONField(_("champs modifiés à la main"), default=list, blank=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme de financement")
        verbose_name_plural = _("programmes de financement")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["origin", "external_id"],
                condition=~Q(external_id=""),
                name="funding_programme_external_id_unique",
            ),
            models.CheckConstraint(
                condition=Q(rate_min__isnull=True)
                | Q(rate_max__isnull=True)
                | Q(rate_min__lte=models.F("rate_max")),
                name="funding_programme_rate_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("funding:programme", args=[self.slug])

    def get_abilities(self, user) -> dict[str, bool]:
        return _operator_abilities(user)

    def conditions(self) -> Conditions:
        return Conditions(
            beneficiaries=tuple(self.beneficiaries),
            scale=self.scale,
            codes=frozenset(self.perimeter_codes),
            zone=self.zone,
            named_list=self.named_list.slug if self.named_list_id else "",
            named_list_name=self.named_list.name if self.named_list_id else "",
            expense_types=tuple(self.expense_types),
            min_project_cost=self.min_project_cost_eur,
            rules=tuple(self.eligibility),
        )

    def next_deadline(self, today: date | None = None) -> date | None:
        today = today or timezone.localdate()
        upcoming = [w.closes_on for w in self.windows.all() if w.closes_on and w.closes_on >= today]
        return min(upcoming, default=None)

    def is_open(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return any(w.is_open(today) for w in self.windows.all())

    def source_for(self, field: str) -> dict | None:
        index = self.field_sources.get(field)
        if index is None or not 0 <= index < len(self.sources):
            return None
        return self.sources[index]


class Window(models.Model):
    """A period during which applications are accepted."""

    programme = models.ForeignKey(Programme, models.CASCADE, related_name="windows")
    opens_on = models.DateField(_("ouverture"), null=True, blank=True)
    closes_on = models.DateField(_("date limite"), null=True, blank=True)
    recurrence = models.CharField(
        _("récurrence"), max_length=10, choices=Recurrence.choices, default=Recurrence.ONEOFF
    )
    note = models.CharField(_("remarque"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("fenêtre de dépôt")
        verbose_name_plural = _("fenêtres de dépôt")
        ordering = ["closes_on", "opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True)
                | Q(closes_on__isnull=True)
                | Q(opens_on__lte=models.F("closes_on")),
                name="funding_window_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} : {self.opens_on or '…'} → {self.closes_on or '…'}"

    def get_abilities(self, user) -> dict[str, bool]:
        return _operator_abilities(user)

    def is_open(self, today: date) -> bool:
        return (self.opens_on is None or self.opens_on <= today) and (
            self.closes_on is None or today <= self.closes_on
        )

    def closes_within(self, today: date, days: int) -> bool:
        return self.closes_on is not None and today <= self.closes_on <= today + timedelta(days)


class ImportedUpdate(models.Model):
    """A change an import brought to a field an operator had edited: it waits for review."""

    programme = models.ForeignKey(Programme, models.CASCADE, related_name="pending_updates")
    field = models.CharField(_("champ"), max_length=50)
    current = models.JSONField(_("valeur actuelle"), null=True)
    proposed = models.JSONField(_("valeur importée"), null=True)
    origin = models.CharField(_("origine"), max_length=30)
    status = models.CharField(
        _("statut"), max_length=10, choices=UpdateStatus.choices, default=UpdateStatus.PENDING
    )
    created_at = models.DateTimeField(_("importée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("mise à jour importée à examiner")
        verbose_name_plural = _("mises à jour importées à examiner")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.programme} — {self.field}"

    def get_abilities(self, user) -> dict[str, bool]:
        operator = bool(getattr(user, "is_operator", False))
        return {"view": operator, "change": operator, "delete": operator}


class DigestSubscription(models.Model):
    """A member who wants the weekly digest of closing programmes for a collectivité."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    collectivite = models.ForeignKey("territories.Collectivite", models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("abonnement aux échéances")
        verbose_name_plural = _("abonnements aux échéances")
        constraints = [
            models.UniqueConstraint(fields=["user", "collectivite"], name="funding_digest_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.collectivite}"

    def get_abilities(self, user) -> dict[str, bool]:
        own = user.is_authenticated and user.pk == self.user_id
        return {"view": own, "change": own, "delete": own}


class SentAlert(models.Model):
    """A deadline already announced to a person: never the same alert twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    collectivite = models.ForeignKey("territories.Collectivite", models.CASCADE, related_name="+")
    window = models.ForeignKey(Window, models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("alerte envoyée")
        verbose_name_plural = _("alertes envoyées")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "collectivite", "window"], name="funding_alert_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.window}"

    def get_abilities(self, user) -> dict[str, bool]:
        own = user.is_authenticated and user.pk == self.user_id
        return {"view": own, "change": False, "delete": False}
