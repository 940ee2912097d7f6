from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from territoria.purchasing import allocation
from territoria.purchasing.enums import CampaignStatus, LegalType, MarketKind, Notice
from territoria.territories.models import Collectivite, user_role
from territoria.territories.tenancy import TenantModel, TenantQuerySet

DEFAULT_RULE = {"quantity": 100}


class CampaignQuerySet(TenantQuerySet):
    def public(self):
        """Campaigns past their preparation: their existence, lots and volumes are public."""
        return self.exclude(status=CampaignStatus.DRAFT)


class Campaign(TenantModel):
    """A groupement de commandes: the coordinator is the owning collectivité."""

    title = models.CharField(_("objet de l'achat"), max_length=200)
    use_case = models.ForeignKey(
        "catalogue.UseCase", models.PROTECT, related_name="+", verbose_name=_("cas d'usage")
    )
    solution = models.ForeignKey(
        "catalogue.Solution",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("solution du catalogue"),
    )
    legal_type = models.CharField(
        _("forme juridique"), max_length=12, choices=LegalType.choices, default=LegalType.SIMPLE
    )
    market_kind = models.CharField(
        _("nature du marché"),
        max_length=20,
        choices=MarketKind.choices,
        default=MarketKind.SUPPLIES_SERVICES,
    )
    status = models.CharField(
        _("étape"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    open_to_epci = models.BooleanField(
        _("ouvert à toutes les communes de l'intercommunalité"), default=False
    )
    needs_deadline = models.DateField(_("date limite de recensement des besoins"))
    publication_date = models.DateField(_("publication de la consultation"), null=True, blank=True)
    award_date = models.DateField(_("attribution prévue"), null=True, blank=True)
    frozen_at = models.DateTimeField(_("besoins arrêtés le"), null=True, blank=True)
    shared_costs_cents = models.PositiveBigIntegerField(_("frais communs (centimes HT)"), default=0)
    sharing_rule = models.JSONField(_("règle de partage des frais communs"), default=dict)
    legal_note = models.TextField(_("note juridique"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("achat groupé")
        verbose_name_plural = _("achats groupés")
        ordering = ["needs_deadline", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("purchasing:campaign", args=[self.pk])

    def is_invited(self, collectivite) -> bool:
        if collectivite.pk == self.collectivite_id:
            return True
        if self.open_to_epci and self.collectivite.epci_id and collectivite.commune_id:
            if collectivite.commune.epci_id == self.collectivite.epci_id:
                return True
        return self.invitations.filter(collectivite=collectivite).exists()

    def get_abilities(self, user) -> dict[str, bool]:
        """Coordinators manage; invited collectivités' agents join; everyone sees a
        campaign once it is open."""
        role = user_role(user, self.collectivite)
        operator = bool(user.is_authenticated and user.is_operator)
        coordinator = role in {"agent", "admin"} or operator
        joinable = [
            c
            for c in Collectivite.objects.of_member(user).select_related("commune")
            if user_role(user, c) in {"agent", "admin"} and self.is_invited(c)
        ]
        return {
            "view": self.status != CampaignStatus.DRAFT or role is not None or operator,
            "view_members": coordinator
            or role is not None
            or bool(joinable)
            or self.participants.filter(
                collectivite__in=Collectivite.objects.of_member(user)
            ).exists(),
            "change": coordinator and self.status in {CampaignStatus.DRAFT, CampaignStatus.OPEN},
            "manage": coordinator,
            "join": bool(joinable) and self.status == CampaignStatus.OPEN,
            "delete": (role == "admin" or operator) and self.status == CampaignStatus.DRAFT,
        }

    def is_past_deadline(self, today=None) -> bool:
        return (today or timezone.localdate()) > self.needs_deadline

    def rule(self) -> dict[str, int]:
        return self.sharing_rule or DEFAULT_RULE

    def computed(self):
        """Lots and the group's volumes and prices (awarded prices once awarded)."""
        lots = list(self.lots.prefetch_related("tiers"))
        volumes = dict(
            Need.objects.filter(lot__campaign=self)
            .values_list("lot")
            .annotate(total=Sum("quantity"))
            .values_list("lot", "total")
        )
        prices = {}
        for lot in lots:
            tiers = lot.price_list()
            volume = volumes.get(lot.pk, 0)
            prices[lot.pk] = (
                lot.awarded_unit_price_cents
                if lot.awarded_unit_price_cents is not None
                else allocation.tier_for(tiers, volume).unit_price_cents
            )
        return lots, {"volumes": {lot.pk: volumes.get(lot.pk, 0) for lot in lots}, "prices": prices}


class Lot(models.Model):
    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="lots")
    name = models.CharField(_("lot"), max_length=200)
    unit = models.CharField(_("unité"), max_length=50, default="unité")
    awarded_unit_price_cents = models.PositiveBigIntegerField(
        _("prix unitaire attribué (centimes HT)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("lot")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    def get_abilities(self, user) -> dict[str, bool]:
        return self.campaign.get_abilities(user)

    def price_list(self) -> list[allocation.Tier]:
        return [allocation.Tier(t.min_quantity, t.unit_price_cents) for t in self.tiers.all()]

    def priced_tiers(self) -> list[allocation.Tier]:
        """The tiers, or the awarded price once the market is attributed."""
        if self.awarded_unit_price_cents is not None:
            return [allocation.Tier(1, self.awarded_unit_price_cents)]
        return self.price_list()


class PriceTier(models.Model):
    """A volume breakpoint written in the tender: from min_quantity units, this price."""

    lot = models.ForeignKey(Lot, models.CASCADE, related_name="tiers")
    min_quantity = models.PositiveIntegerField(_("à partir de (unités)"))
    unit_price_cents = models.PositiveBigIntegerField(_("prix unitaire (centimes HT)"))

    class Meta:
        verbose_name = _("palier de prix")
        ordering = ["min_quantity"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "min_quantity"], name="purchasing_tier_once")
        ]

    def __str__(self) -> str:
        return f"{self.lot} ≥ {self.min_quantity}"

    def get_abilities(self, user) -> dict[str, bool]:
        return self.lot.campaign.get_abilities(user)


class Invitation(models.Model):
    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="invitations")
    collectivite = models.ForeignKey(Collectivite, models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("collectivité invitée")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "collectivite"], name="purchasing_invitation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.collectivite} → {self.campaign}"

    def get_abilities(self, user) -> dict[str, bool]:
        return self.campaign.get_abilities(user)


class Participant(models.Model):
    """A member of the groupement: its deliberation and its needs."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="participants")
    collectivite = models.ForeignKey(Collectivite, models.PROTECT, related_name="+")
    deliberation_ref = models.CharField(_("référence de la délibération"), max_length=100)
    deliberation_date = models.DateField(_("date de la délibération"))
    joined_at = models.DateTimeField(auto_now_add=True)
    joined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("membre du groupement")
        verbose_name_plural = _("membres du groupement")
        ordering = ["collectivite__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "collectivite"], name="purchasing_member_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.collectivite} ({self.campaign})"

    def get_abilities(self, user) -> dict[str, bool]:
        role = user_role(user, self.collectivite)
        can = self.campaign.get_abilities(user)
        return {
            "view": can["view_members"],
            "change": role in {"agent", "admin"} and self.campaign.status == CampaignStatus.OPEN,
            "delete": False,
        }


class Need(models.Model):
    participant = models.ForeignKey(Participant, models.CASCADE, related_name="needs")
    lot = models.ForeignKey(Lot, models.CASCADE, related_name="needs")
    quantity = models.PositiveIntegerField(_("quantité"))

    class Meta:
        verbose_name = _("besoin")
        constraints = [
            models.UniqueConstraint(fields=["participant", "lot"], name="purchasing_need_once"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="purchasing_need_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} — {self.lot} : {self.quantity}"

    def get_abilities(self, user) -> dict[str, bool]:
        return self.participant.get_abilities(user)


class SentNotice(models.Model):
    """A notification already sent to a collectivité about a campaign: never twice."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="+")
    collectivite = models.ForeignKey(Collectivite, models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Notice.choices)
    detail = models.CharField(max_length=50, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "collectivite", "kind", "detail"],
                name="purchasing_notice_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} — {self.collectivite}"

    def get_abilities(self, user) -> dict[str, bool]:
        return {"view": False, "change": False, "delete": False}


class SharedService(TenantModel):
    """A service an EPCI runs for its communes; its yearly cost is shared by a rule."""

    name = models.CharField(_("service"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    yearly_cost_cents = models.PositiveBigIntegerField(_("coût annuel (centimes TTC)"))
    sharing_rule = models.JSONField(_("règle de partage"), default=dict)
    year = models.PositiveSmallIntegerField(_("année"))

    class Meta:
        verbose_name = _("service mutualisé")
        verbose_name_plural = _("services mutualisés")
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("purchasing:service", args=[self.pk])


class ServiceUse(models.Model):
    """A member commune's use of a shared service (units: sensors, users, hours…)."""

    service = models.ForeignKey(SharedService, models.CASCADE, related_name="uses")
    commune = models.ForeignKey(Collectivite, models.PROTECT, related_name="+")
    units = models.PositiveIntegerField(_("usage (unités)"), default=0)

    class Meta:
        verbose_name = _("usage d'un service mutualisé")
        constraints = [
            models.UniqueConstraint(fields=["service", "commune"], name="purchasing_use_once")
        ]

    def __str__(self) -> str:
        return f"{self.commune} — {self.service}"

    def get_abilities(self, user) -> dict[str, bool]:
        return self.service.get_abilities(user)
