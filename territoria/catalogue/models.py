"""The catalogue: use cases, the solutions that implement them, their providers, the
figures (always with a source or labelled "hypothèse") and towns' experience feedback."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from territoria.catalogue.enums import (
    Axis,
    FigureKind,
    Hosting,
    LicenceKind,
    Maturity,
    Metric,
    Moderation,
    PurchaseChannel,
    Unit,
)
from territoria.territories.models import user_role


def _operator(user) -> bool:
    return bool(user.is_authenticated and user.is_operator)


class Tag(models.Model):
    """A reference term shared by the catalogue and the roadmap: a prerequisite
    (fibre, LoRaWAN network…) or a standard (Open311, national schemas…)."""

    class Kind(models.TextChoices):
        PREREQUISITE = "prerequisite", _("Prérequis")
        STANDARD = "standard", _("Norme ou standard")

    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("nom"), max_length=120)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("étiquette")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name

    def get_abilities(self, user) -> dict[str, bool]:
        return {"view": True, "change": _operator(user), "delete": _operator(user)}


class UseCase(models.Model):
    """A need a town can meet with digital means ("détection des fuites d'eau")."""

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(_("intitulé"), max_length=200)
    axis = models.CharField(_("axe"), max_length=20, choices=Axis.choices)
    summary = models.CharField(_("résumé"), max_length=300)
    problem = models.TextField(_("problème résolu"))
    how_it_works = models.TextField(_("fonctionnement"))
    indicators = models.TextField(_("indicateurs de suivi"), blank=True)
    cost_driver = models.CharField(
        _("unité de coût"), max_length=120, blank=True,
        help_text=_("Ce qui fait varier le coût : points lumineux, compteurs, places…"),
    )  # fmt: skip
    maturity = models.CharField(_("maturité"), max_length=20, choices=Maturity.choices)
    regulatory_drivers = models.TextField(_("obligations et cadre réglementaire"), blank=True)
    risks = models.TextField(_("risques et points de vigilance"), blank=True)
    prerequisites = models.ManyToManyField(
        Tag, blank=True, related_name="use_cases", verbose_name=_("prérequis"),
        limit_choices_to={"kind": Tag.Kind.PREREQUISITE},
    )  # fmt: skip
    population_min = models.PositiveIntegerField(_("population minimale conseillée"), default=0)
    population_max = models.PositiveIntegerField(
        _("population maximale conseillée"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("cas d'usage")
        verbose_name_plural = _("cas d'usage")
        ordering = ["axis", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("catalogue:use_case", kwargs={"slug": self.slug})

    def get_abilities(self, user) -> dict[str, bool]:
        return {"view": True, "change": _operator(user), "delete": _operator(user)}


class Provider(models.Model):
    """A company or public body offering solutions; its members edit its offers."""

    name = models.CharField(_("raison sociale"), max_length=200)
    siren = models.CharField(_("SIREN"), max_length=9, unique=True, null=True, blank=True)
    website = models.URLField(_("site internet"), blank=True)
    region = models.ForeignKey(
        "territories.Region", models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("région du siège"),
    )  # fmt: skip
    description = models.TextField(_("présentation"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="providers",
        verbose_name=_("comptes du fournisseur"),
    )  # fmt: skip
    is_fictitious = models.BooleanField(
        _("fictif (démonstration)"), default=False,
        help_text=_("Les fournisseurs fictifs n'existent que dans les données de démonstration."),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fournisseur")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def is_member(self, user) -> bool:
        return user.is_authenticated and self.members.filter(pk=user.pk).exists()

    def get_abilities(self, user) -> dict[str, bool]:
        manage = _operator(user) or self.is_member(user)
        return {"view": True, "change": manage, "delete": _operator(user)}


class SolutionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Moderation.APPROVED)

    def visible_to(self, user):
        """Published offers, plus a provider's own offers and, for operators, all."""
        if _operator(user):
            return self
        if user.is_authenticated:
            return self.filter(
                models.Q(status=Moderation.APPROVED) | models.Q(provider__members=user)
            )
        return self.published()


class Solution(models.Model):
    """An offer (product or service) implementing one or more use cases."""

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    provider = models.ForeignKey(
        Provider, models.PROTECT, null=True, blank=True, related_name="solutions",
        verbose_name=_("fournisseur"),
    )  # fmt: skip
    use_cases = models.ManyToManyField(
        UseCase, related_name="solutions", verbose_name=_("cas d'usage")
    )
    summary = models.CharField(_("résumé"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    maturity = models.CharField(_("maturité"), max_length=20, choices=Maturity.choices)
    licence_kind = models.CharField(_("licence"), max_length=20, choices=LicenceKind.choices)
    licence_name = models.CharField(_("nom de la licence"), max_length=80, blank=True)
    code_url = models.URLField(_("code source"), blank=True)
    hosting = models.CharField(_("hébergement des données"), max_length=20, choices=Hosting.choices)
    secnumcloud = models.BooleanField(_("hébergement qualifié SecNumCloud"), default=False)
    standards = models.ManyToManyField(
        Tag, blank=True, related_name="solutions", verbose_name=_("normes et standards"),
        limit_choices_to={"kind": Tag.Kind.STANDARD},
    )  # fmt: skip
    purchase_channels = models.JSONField(
        _("canaux d'achat"), default=list, blank=True,
        help_text=_("Parmi : %(choices)s") % {"choices": ", ".join(PurchaseChannel.values)},
    )  # fmt: skip
    reversibility = models.TextField(_("réversibilité des données"), blank=True)
    accessibility = models.TextField(_("accessibilité (RGAA)"), blank=True)
    security = models.TextField(_("sécurité et données personnelles (RGPD)"), blank=True)
    population_min = models.PositiveIntegerField(_("population minimale visée"), default=0)
    population_max = models.PositiveIntegerField(
        _("population maximale visée"), null=True, blank=True
    )
    references = models.ManyToManyField(
        "territories.Commune", blank=True, related_name="+",
        verbose_name=_("collectivités de référence"),
    )  # fmt: skip
    # Moderation.
    status = models.CharField(
        _("statut"), max_length=20, choices=Moderation.choices, default=Moderation.DRAFT
    )
    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    moderated_at = models.DateTimeField(_("modérée le"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("modérée par"),
    )  # fmt: skip
    rejection_reason = models.TextField(_("motif du refus"), blank=True)
    is_fictitious = models.BooleanField(_("fictive (démonstration)"), default=False)
    # Derived from the figures, kept for sorting and facets (refresh_summary()).
    capex_min = models.DecimalField(max_digits=14, decimal_places=2, null=True, editable=False)
    payback_years = models.DecimalField(max_digits=6, decimal_places=2, null=True, editable=False)
    saving_percent = models.DecimalField(max_digits=6, decimal_places=2, null=True, editable=False)
    feedback_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SolutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("solution")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # After changing use cases, standards or the provider, call reindex() again.
        from territoria.catalogue.search import reindex  # search imports this module

        reindex([self.pk])

    def get_absolute_url(self):
        return reverse("catalogue:solution", kwargs={"slug": self.slug})

    def clean(self):
        unknown = set(self.purchase_channels) - set(PurchaseChannel.values)
        if unknown:
            raise ValidationError(
                {
                    "purchase_channels": _("Canal d'achat inconnu : %(v)s")
                    % {"v": ", ".join(sorted(unknown))}
                }
            )

    def refresh_summary(self) -> None:
        """Recompute the sortable summary of the figures and the feedback count."""
        figures = list(self.figures.all())

        def central(metric, unit):
            values = [f.central for f in figures if f.metric == metric and f.unit == unit]
            return min(values) if values else None

        capex = [f.value_min for f in figures if f.metric == Metric.CAPEX and f.unit == Unit.EUR]
        self.capex_min = min(capex) if capex else None
        self.payback_years = central(Metric.PAYBACK, Unit.YEARS)
        self.saving_percent = central(Metric.SAVING, Unit.PERCENT)
        self.feedback_count = self.feedback.filter(status=Moderation.APPROVED).count()
        type(self).objects.filter(pk=self.pk).update(
            capex_min=self.capex_min,
            payback_years=self.payback_years,
            saving_percent=self.saving_percent,
            feedback_count=self.feedback_count,
        )
        from territoria.catalogue.search import reindex  # the capex and payback facets

        reindex([self.pk])

    def get_abilities(self, user) -> dict[str, bool]:
        operator = _operator(user)
        own = self.provider is not None and self.provider.is_member(user)
        return {
            "view": self.status == Moderation.APPROVED or own or operator,
            "change": own or operator,
            "moderate": operator,
            "delete": operator,
        }


class Figure(models.Model):
    """One number shown to élus: a range with its unit, basis, kind and source."""

    use_case = models.ForeignKey(
        UseCase, models.CASCADE, null=True, blank=True, related_name="figures"
    )
    solution = models.ForeignKey(
        Solution, models.CASCADE, null=True, blank=True, related_name="figures"
    )
    metric = models.CharField(_("grandeur"), max_length=20, choices=Metric.choices)
    label = models.CharField(_("libellé"), max_length=200)
    value_min = models.DecimalField(_("valeur basse"), max_digits=14, decimal_places=2)
    value_max = models.DecimalField(_("valeur haute"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unité"), max_length=20, choices=Unit.choices)
    basis = models.CharField(
        _("base"), max_length=120, blank=True,
        help_text=_("Par exemple : par point lumineux, de la facture d'eau, par place."),
    )  # fmt: skip
    kind = models.CharField(_("nature"), max_length=20, choices=FigureKind.choices)
    source_title = models.CharField(_("source"), max_length=300, blank=True)
    source_url = models.URLField(_("adresse de la source"), max_length=500, blank=True)
    source_date = models.DateField(_("date de la source"), null=True, blank=True)
    note = models.TextField(
        _("raisonnement"), blank=True,
        help_text=_("Pour une hypothèse : d'où vient l'ordre de grandeur."),
    )  # fmt: skip
    verified_at = models.DateTimeField(_("vérifié le"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("vérifié par"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("chiffre")
        ordering = ["metric", "pk"]
        constraints = [
            models.CheckConstraint(
                name="figure_min_not_above_max",
                condition=models.Q(value_min__lte=models.F("value_max")),
            ),
            models.CheckConstraint(
                name="figure_belongs_to_one",
                condition=models.Q(use_case__isnull=False, solution__isnull=True)
                | models.Q(use_case__isnull=True, solution__isnull=False),
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def central(self) -> Decimal:
        return (self.value_min + self.value_max) / 2

    def clean(self):
        errors = {}
        if (
            self.value_min is not None
            and self.value_max is not None
            and self.value_min > self.value_max
        ):
            errors["value_max"] = _(
                "La valeur haute doit être supérieure ou égale à la valeur basse."
            )
        # A vendor's declaration has no public page: only published figures need an address.
        if self.kind in (FigureKind.ESTIMATED, FigureKind.MEASURED) and not (
            self.source_title and self.source_url
        ):
            errors["source_url"] = _(
                "Un chiffre qui n'est pas une hypothèse doit citer sa source (titre et adresse)."
            )
        elif self.kind == FigureKind.DECLARED and not self.source_title:
            errors["source_title"] = _(
                "Un chiffre déclaré doit citer la déclaration du fournisseur."
            )
        if self.kind == FigureKind.HYPOTHESIS and not self.note:
            errors["note"] = _("Une hypothèse doit expliquer d'où vient son ordre de grandeur.")
        if errors:
            raise ValidationError(errors)

    def get_abilities(self, user) -> dict[str, bool]:
        owner = self.use_case or self.solution
        return owner.get_abilities(user) if owner is not None else {"view": False}


class FeedbackQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Moderation.APPROVED)


class Feedback(models.Model):
    """A town's experience with a use case or solution (retour d'expérience)."""

    use_case = models.ForeignKey(UseCase, models.CASCADE, related_name="feedback")
    solution = models.ForeignKey(
        Solution, models.SET_NULL, null=True, blank=True, related_name="feedback"
    )
    commune = models.ForeignKey(
        "territories.Commune", models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    collectivite = models.ForeignKey(
        "territories.Collectivite", models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("collectivité auteure"),
    )  # fmt: skip
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    population = models.PositiveIntegerField(_("population au moment du projet"))
    title = models.CharField(_("titre"), max_length=200)
    scope = models.CharField(_("périmètre"), max_length=200, blank=True)
    started_on = models.DateField(_("début"), null=True, blank=True)
    capex_actual = models.DecimalField(
        _("investissement réel (€)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    opex_actual = models.DecimalField(
        _("fonctionnement réel (€ par an)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    indicator = models.CharField(_("indicateur suivi"), max_length=200, blank=True)
    value_before = models.CharField(_("avant"), max_length=100, blank=True)
    value_after = models.CharField(_("après"), max_length=100, blank=True)
    method = models.TextField(_("méthode et période de mesure"), blank=True)
    would_do_again = models.BooleanField(_("referait le projet"), null=True, blank=True)
    lessons = models.TextField(_("enseignements"), blank=True)
    evidence_url = models.URLField(_("justificatif (délibération, rapport, article)"), blank=True)
    source_title = models.CharField(_("source publique"), max_length=300, blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=Moderation.choices, default=Moderation.SUBMITTED
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(_("motif du refus"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("retour d'expérience")
        verbose_name_plural = _("retours d'expérience")
        ordering = ["-started_on", "-created_at"]

    def __str__(self):
        return self.title

    def get_abilities(self, user) -> dict[str, bool]:
        operator = _operator(user)
        member = self.collectivite is not None and user_role(user, self.collectivite) is not None
        return {
            "view": self.status == Moderation.APPROVED or member or operator,
            # The writing collectivité edits its feedback while it awaits moderation.
            "change": (member and self.status == Moderation.SUBMITTED) or operator,
            "moderate": operator,
            "delete": operator,
        }


class SolutionRevision(models.Model):
    """One step in an offer's history: a provider's submission or edit, an operator's
    decision. `snapshot` is the offer as it stood after the step (fields, use cases,
    standards, figures), so the moderation queue can diff against the last approved one."""

    solution = models.ForeignKey(Solution, models.CASCADE, related_name="revisions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("auteur"),
    )  # fmt: skip
    at = models.DateTimeField(_("date"), auto_now_add=True)
    action = models.CharField(_("action"), max_length=20)
    status_before = models.CharField(
        _("statut avant"), max_length=20, choices=Moderation.choices, blank=True
    )
    status_after = models.CharField(_("statut après"), max_length=20, choices=Moderation.choices)
    changes = models.JSONField(_("modifications"), default=dict, blank=True)
    snapshot = models.JSONField(_("état de l'offre"), default=dict, blank=True)
    reason = models.TextField(_("motif"), blank=True)
    notified_at = models.DateTimeField(_("fournisseur prévenu le"), null=True, blank=True)

    class Meta:
        verbose_name = _("révision d'une offre")
        verbose_name_plural = _("révisions des offres")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.solution} — {self.action}"

    def get_abilities(self, user) -> dict[str, bool]:
        """The history is read by the offer's provider and operators, written by no one."""
        solution = self.solution.get_abilities(user)
        return {"view": solution["change"], "change": False, "delete": False}
