"""Procedure templates and their published versions, adoptions by a collectivité,
and the dossiers residents file, with their attachments and their history."""

import secrets

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from territoria import images
from territoria.demarches import engine
from territoria.demarches.enums import DECIDED, EventKind, State, TemplateStatus
from territoria.territories.models import Collectivite, user_role
from territoria.territories.tenancy import TenantModel, TenantQuerySet, member_collectivite_ids


def _roles(user, collectivite):
    role = user_role(user, collectivite) if collectivite else None
    is_operator = bool(user.is_authenticated and user.is_operator)
    return role, is_operator


class FormTemplateQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=TemplateStatus.PUBLISHED)

    def visible_to(self, user):
        """Published templates for everyone; drafts for their owner's members."""
        condition = Q(status=TemplateStatus.PUBLISHED)
        if user.is_authenticated:
            if user.is_operator:
                return self
            condition |= Q(owner_id__in=member_collectivite_ids(user))
        return self.filter(condition)


class FormTemplate(models.Model):
    """A standard procedure form, owned by the instance's commons (no owner), an EPCI
    or a commune; `fields` is the working copy, each publication freezes a version."""

    owner = models.ForeignKey(
        Collectivite,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("propriétaire"),
        help_text=_("Vide : modèle commun de l'instance."),
    )
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("présentation pour les habitants"))
    legal_basis = models.TextField(_("base légale"))
    legal_link = models.URLField(_("lien vers le texte"), blank=True)
    licence = models.CharField(_("licence"), max_length=100, default="Licence Ouverte 2.0")
    status = models.CharField(
        _("statut"), max_length=10, choices=TemplateStatus.choices, default=TemplateStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("dernière version publiée"), default=0)
    fields = models.JSONField(_("champs"), default=list)
    sensitive_note = models.TextField(
        _("données sensibles"),
        blank=True,
        help_text=_("Ce que la sensibilité des données change pour la collectivité."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = FormTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("modèle de démarche")
        verbose_name_plural = _("modèles de démarches")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("demarches:template", kwargs={"template_slug": self.slug})

    def clean(self):
        from django.core.exceptions import ValidationError

        try:
            engine.check_definition(self.fields)
        except engine.DefinitionError as error:
            raise ValidationError({"fields": error.problems}) from None

    def latest(self):
        return self.versions.order_by("-number").first()

    def get_abilities(self, user) -> dict[str, bool]:
        role, is_operator = _roles(user, self.owner)
        owner_staff = role in {"agent", "admin"} or is_operator
        return {
            "view": self.status == TemplateStatus.PUBLISHED or role is not None or is_operator,
            "change": owner_staff if self.owner_id else is_operator,
            "publish": owner_staff if self.owner_id else is_operator,
        }


class TemplateVersion(models.Model):
    """The fields of a template as published once; adoptions and dossiers point here."""

    template = models.ForeignKey(FormTemplate, models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    fields = models.JSONField(_("champs"))
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("version publiée")
        ordering = ["template", "number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="one_version_number")
        ]

    def __str__(self):
        return f"{self.template} v{self.number}"

    def get_abilities(self, user) -> dict[str, bool]:
        return {"view": self.template.get_abilities(user)["view"], "change": False}


class AdoptionQuerySet(TenantQuerySet):
    def open_on(self, day):
        return self.filter(
            Q(opens_on__isnull=True) | Q(opens_on__lte=day),
            Q(closes_on__isnull=True) | Q(closes_on__gte=day),
            is_active=True,
        )


class Adoption(TenantModel):
    """A collectivité offers a template to its residents: its dates, its texts, its
    privacy notice, and the upstream version it keeps."""

    template = models.ForeignKey(FormTemplate, models.PROTECT, related_name="adoptions")
    version = models.ForeignKey(TemplateVersion, models.PROTECT, related_name="adoptions")
    is_active = models.BooleanField(_("proposée aux habitants"), default=True)
    opens_on = models.DateField(_("ouverture"), null=True, blank=True)
    closes_on = models.DateField(_("clôture"), null=True, blank=True)
    acknowledgement = models.TextField(
        _("texte de l'accusé de réception"),
        help_text=_("Ce que le demandeur lit après le dépôt et dans son courriel."),
    )
    controller = models.CharField(_("responsable du traitement"), max_length=200)
    purpose = models.TextField(_("finalité"))
    privacy_basis = models.CharField(_("base légale du traitement"), max_length=300)
    retention_months = models.PositiveSmallIntegerField(_("durée de conservation (mois)"))
    recipients = models.TextField(_("destinataires"))
    rights = models.TextField(_("exercice des droits"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AdoptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("démarche adoptée")
        verbose_name_plural = _("démarches adoptées")
        ordering = ["template__title"]
        constraints = [
            models.UniqueConstraint(fields=["collectivite", "template"], name="adopt_once"),
            models.CheckConstraint(
                name="adoption_retention_1_to_120_months",
                condition=Q(retention_months__gte=1, retention_months__lte=120),
            ),
        ]

    def __str__(self):
        return f"{self.template.title} — {self.collectivite}"

    def get_absolute_url(self):
        return reverse(
            "demarches:fill", kwargs={"slug": self.collectivite.slug, "adoption_id": self.pk}
        )

    def is_open(self, day=None) -> bool:
        day = day or timezone.localdate()
        return (
            self.is_active
            and (self.opens_on is None or self.opens_on <= day)
            and (self.closes_on is None or self.closes_on >= day)
        )

    def update_available(self) -> bool:
        return self.template.version > self.version.number

    def get_abilities(self, user) -> dict[str, bool]:
        role, is_operator = _roles(user, self.collectivite)
        staff = role in {"agent", "admin"} or is_operator
        return {
            "view": True,  # the procedure page is public; its dossiers are not
            "instruct": staff,
            "change": staff,
        }


class ReceiptCounter(TenantModel):
    """The last receipt number given by a collectivité in a year."""

    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["collectivite", "year"], name="one_counter_a_year")
        ]

    def __str__(self):
        return f"{self.collectivite} {self.year}: {self.last}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class DossierQuerySet(TenantQuerySet):
    def of_adoption(self, adoption):
        return self.filter(adoption=adoption)


class Dossier(TenantModel):
    """One filing of an adopted procedure by a resident."""

    adoption = models.ForeignKey(Adoption, models.PROTECT, related_name="dossiers")
    version = models.ForeignKey(TemplateVersion, models.PROTECT, related_name="+")
    number = models.CharField(_("numéro"), max_length=30, unique=True)
    # The applicant's only key to their tracking page: never shown to anyone else.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    state = models.CharField(
        _("état"), max_length=12, choices=State.choices, default=State.SUBMITTED
    )
    answers = models.JSONField(_("réponses"), default=dict)
    applicant_email = models.EmailField(_("courriel du demandeur"))
    submitted_at = models.DateTimeField(_("déposé le"), default=timezone.now)
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    decision_reason = models.TextField(_("motif de la décision"), blank=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["adoption", "state", "submitted_at"])]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse(
            "demarches:dossier",
            kwargs={
                "slug": self.collectivite.slug,
                "adoption_id": self.adoption_id,
                "dossier_id": self.pk,
            },
        )

    def tracking_url(self):
        return reverse("demarches:track", kwargs={"token": self.token})

    @property
    def is_decided(self) -> bool:
        return self.state in DECIDED

    def get_abilities(self, user) -> dict[str, bool]:
        role, is_operator = _roles(user, self.collectivite)
        staff = role in {"agent", "admin"} or is_operator
        return {"view": staff, "instruct": staff, "change": staff}


class DossierFile(TenantModel):
    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="files")
    field_id = models.CharField(max_length=40)
    file = models.FileField(storage=images.private_storage, upload_to="demarches/")
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("pièce jointe")

    def __str__(self):
        return f"{self.dossier} {self.field_id}"

    def get_abilities(self, user) -> dict[str, bool]:
        return self.dossier.get_abilities(user)


class Event(TenantModel):
    """A line of a dossier's history: a state change, a message or an internal note."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=EventKind.choices)
    author = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(blank=True)
    state_after = models.CharField(max_length=12, choices=State.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("événement d'un dossier")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.dossier} {self.kind}"

    @property
    def seen_by_applicant(self) -> bool:
        return self.kind != EventKind.NOTE

    def get_abilities(self, user) -> dict[str, bool]:
        return self.dossier.get_abilities(user)
