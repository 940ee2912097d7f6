"""Writes of the group-purchasing module: validation first, then the write and its audit
event in one transaction; notifications are enqueued on commit."""

import datetime
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from territoria.accounts import audit
from territoria.accounts.actions import ActionError
from territoria.purchasing import allocation, tasks
from territoria.purchasing.enums import CampaignStatus, Notice
from territoria.purchasing.models import (
    Campaign,
    Invitation,
    Lot,
    Need,
    Participant,
    PriceTier,
)
from territoria.territories.models import Collectivite, user_role

audit.register_actions(
    {
        "purchasing.created": _("a préparé un achat groupé"),
        "purchasing.opened": _("a ouvert un achat groupé aux adhésions"),
        "purchasing.invited": _("a invité des collectivités à un achat groupé"),
        "purchasing.joined": _("a inscrit sa collectivité à un achat groupé"),
        "purchasing.needs_changed": _("a modifié ses besoins dans un achat groupé"),
        "purchasing.frozen": _("a arrêté les besoins d'un achat groupé"),
        "purchasing.awarded": _("a enregistré l'attribution d'un achat groupé"),
        "purchasing.closed": _("a clos un achat groupé"),
    }
)


def _notify(campaign, kind, collectivite_ids, detail=""):
    if collectivite_ids:
        transaction.on_commit(
            partial(
                tasks.notify.enqueue,
                campaign.pk,
                str(kind),
                sorted(collectivite_ids),
                detail,
            )
        )


def _require(campaign, user, ability):
    if not campaign.get_abilities(user)[ability]:
        raise PermissionDenied


def check_lots(lots: list[dict]) -> None:
    """lots: [{"name", "unit", "tiers": [(min_quantity, unit_price_cents), …]}]."""
    if not lots:
        raise ActionError("no_lot", _("Un achat groupé a au moins un lot."), field="lots")
    for lot in lots:
        if not str(lot.get("name", "")).strip():
            raise ActionError("lot_name", _("Chaque lot a un nom."), field="lots")
        tiers = [allocation.Tier(q, p) for q, p in lot["tiers"]]
        problems = allocation.check_tiers(tiers)
        if problems:
            raise ActionError(
                "invalid_tiers",
                _("Lot « %(lot)s » : %(problems)s.")
                % {"lot": lot["name"], "problems": " ; ".join(problems)},
                field="lots",
            )


def check_rule(rule: dict) -> None:
    problems = allocation.check_rule(rule)
    if problems:
        raise ActionError("invalid_rule", _("Règle de partage : %s.") % problems[0], field="rule")


def create_campaign(user, coordinator: Collectivite, *, lots: list[dict], **fields) -> Campaign:
    """Prepare a campaign with its lots and price tiers (fixed in the tender)."""
    if user_role(user, coordinator) not in {"agent", "admin"} and not user.is_operator:
        raise PermissionDenied
    check_lots(lots)
    check_rule(fields.get("sharing_rule") or {"quantity": 100})
    if fields["needs_deadline"] < timezone.localdate():
        raise ActionError(
            "deadline_past",
            _("La date limite des besoins est déjà passée."),
            field="needs_deadline",
        )
    with transaction.atomic():
        campaign = Campaign.objects.create(collectivite=coordinator, created_by=user, **fields)
        _write_lots(campaign, lots)
        audit.record(
            user,
            "purchasing.created",
            collectivite=coordinator,
            obj=campaign,
            summary=campaign.title,
        )
    return campaign


def _write_lots(campaign, lots):
    for data in lots:
        lot = Lot.objects.create(
            campaign=campaign, name=data["name"], unit=data.get("unit") or "unité"
        )
        PriceTier.objects.bulk_create(
            PriceTier(lot=lot, min_quantity=q, unit_price_cents=p) for q, p in data["tiers"]
        )


def invite(user, campaign: Campaign, collectivites: list[Collectivite]) -> int:
    """Invite collectivités (never the coordinator itself); returns how many are new."""
    _require(campaign, user, "manage")
    if campaign.status not in {CampaignStatus.DRAFT, CampaignStatus.OPEN}:
        raise ActionError("not_open", _("Les besoins de cet achat groupé sont arrêtés."))
    with transaction.atomic():
        existing = set(campaign.invitations.values_list("collectivite_id", flat=True))
        new = [
            c for c in collectivites if c.pk not in existing and c.pk != campaign.collectivite_id
        ]
        Invitation.objects.bulk_create(Invitation(campaign=campaign, collectivite=c) for c in new)
        if new:
            audit.record(
                user,
                "purchasing.invited",
                collectivite=campaign.collectivite,
                obj=campaign,
                summary=", ".join(c.name for c in new),
            )
        if campaign.status == CampaignStatus.OPEN:
            _notify(campaign, Notice.INVITED, [c.pk for c in new])
    return len(new)


def invited_collectivites(campaign) -> list[Collectivite]:
    """Invited collectivités, and for a campaign open to its EPCI, the registered
    member communes."""
    found = {i.collectivite for i in campaign.invitations.select_related("collectivite")}
    if campaign.open_to_epci and campaign.collectivite.epci_id:
        found |= set(Collectivite.objects.filter(commune__epci_id=campaign.collectivite.epci_id))
    found.discard(campaign.collectivite)
    return sorted(found, key=lambda c: c.name)


def open_campaign(user, campaign: Campaign) -> None:
    _require(campaign, user, "manage")
    if campaign.status != CampaignStatus.DRAFT:
        raise ActionError("already_open", _("Cet achat groupé est déjà ouvert."))
    with transaction.atomic():
        campaign.status = CampaignStatus.OPEN
        campaign.save(update_fields=["status"])
        audit.record(
            user,
            "purchasing.opened",
            collectivite=campaign.collectivite,
            obj=campaign,
            summary=campaign.title,
        )
        _notify(campaign, Notice.INVITED, [c.pk for c in invited_collectivites(campaign)])


def late_message(campaign) -> str:
    return _(
        "Les besoins de cet achat groupé ont été arrêtés le %(date)s : la consultation se "
        "prépare avec les membres et les quantités connus à cette date (un membre ne peut "
        "pas rejoindre une procédure en cours). Demandez au coordonnateur %(coordinator)s "
        "s'il prévoit un autre groupement."
    ) % {
        "date": campaign.needs_deadline.strftime("%d/%m/%Y"),
        "coordinator": campaign.collectivite.name,
    }


def _check_needs(campaign, needs: dict) -> dict:
    """needs: {lot id: quantity}; whole units, zero or more, lots of this campaign."""
    lots = set(campaign.lots.values_list("pk", flat=True))
    checked = {}
    for lot_id, quantity in needs.items():
        if int(lot_id) not in lots:
            raise ActionError("unknown_lot", _("Ce lot n'appartient pas à cet achat groupé."))
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
            raise ActionError(
                "invalid_quantity",
                _("Les quantités sont des nombres entiers d'unités, zéro ou plus."),
                field="needs",
            )
        checked[int(lot_id)] = quantity
    if not any(checked.values()):
        raise ActionError(
            "no_need", _("Indiquez une quantité pour au moins un lot."), field="needs"
        )
    return checked


def join(
    user,
    campaign: Campaign,
    member: Collectivite,
    *,
    needs: dict,
    deliberation_ref: str,
    deliberation_date: datetime.date,
) -> Participant:
    """A collectivité joins with its deliberation and needs, or updates its needs.

    The campaign row is locked while the needs are written, so concurrent joins are
    applied one after the other: volumes and the "tier reached" notice stay exact.
    """
    if user_role(user, member) not in {"agent", "admin"}:
        raise PermissionDenied
    if not deliberation_ref.strip():
        raise ActionError(
            "deliberation",
            _("La référence de la délibération est obligatoire."),
            field="deliberation_ref",
        )
    if deliberation_date > timezone.localdate():
        raise ActionError(
            "deliberation_date",
            _("La délibération ne peut pas être datée du futur."),
            field="deliberation_date",
        )
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status != CampaignStatus.OPEN or locked.is_past_deadline():
            raise ActionError("frozen", late_message(locked), status=409)
        if not locked.is_invited(member):
            raise ActionError(
                "not_invited",
                _("%(name)s n'est pas invitée à cet achat groupé.") % {"name": member.name},
                status=403,
            )
        checked = _check_needs(locked, needs)
        before = _tiers_reached(locked)
        participant, created = Participant.objects.update_or_create(
            campaign=locked,
            collectivite=member,
            defaults={
                "deliberation_ref": deliberation_ref.strip(),
                "deliberation_date": deliberation_date,
                "joined_by": user,
            },
        )
        for lot_id, quantity in checked.items():
            Need.objects.update_or_create(
                participant=participant, lot_id=lot_id, defaults={"quantity": quantity}
            )
        audit.record(
            user,
            "purchasing.joined" if created else "purchasing.needs_changed",
            collectivite=member,
            obj=locked,
            summary=", ".join(f"{k}: {v}" for k, v in checked.items()),
        )
        after = _tiers_reached(locked)
        for lot_id, tier in after.items():
            if tier > before.get(lot_id, 1):
                members = list(locked.participants.values_list("collectivite_id", flat=True))
                _notify(locked, Notice.TIER, members + [locked.collectivite_id], f"{lot_id}:{tier}")
    return participant


def _tiers_reached(campaign) -> dict[int, int]:
    lots, group = campaign.computed()
    return {
        lot.pk: allocation.tier_for(lot.price_list(), group["volumes"][lot.pk]).min_quantity
        for lot in lots
    }


def freeze(campaign: Campaign, user=None) -> bool:
    """Stop membership changes (at the needs deadline, or earlier by the coordinator)."""
    if user is not None:
        _require(campaign, user, "manage")
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status != CampaignStatus.OPEN:
            return False
        locked.status = campaign.status = CampaignStatus.FROZEN
        locked.frozen_at = campaign.frozen_at = timezone.now()
        locked.save(update_fields=["status", "frozen_at"])
        audit.record(
            user,
            "purchasing.frozen",
            collectivite=locked.collectivite,
            obj=locked,
            summary=locked.title,
        )
    return True


def _locked(campaign, status, code, message):
    """The campaign re-read under its row lock, refused unless it is at that step."""
    locked = Campaign.objects.select_for_update().select_related("collectivite").get(pk=campaign.pk)
    if locked.status != status:
        raise ActionError(code, message)
    return locked


def award(user, campaign: Campaign, prices: dict) -> None:
    """Record the awarded unit price of every lot (cents HT); shares are recomputed."""
    _require(campaign, user, "manage")
    lots = {lot.pk: lot for lot in campaign.lots.all()}
    if set(map(int, prices)) != set(lots):
        raise ActionError(
            "award_prices", _("Indiquez le prix attribué de chaque lot."), field="prices"
        )
    if any(isinstance(p, bool) or not isinstance(p, int) or p < 0 for p in prices.values()):
        raise ActionError("award_prices", _("Les prix sont des montants positifs."), field="prices")
    with transaction.atomic():
        locked = _locked(
            campaign,
            CampaignStatus.FROZEN,
            "not_frozen",
            _("Arrêtez les besoins avant d'enregistrer l'attribution."),
        )
        for lot_id, price in prices.items():
            lot = lots[int(lot_id)]
            lot.awarded_unit_price_cents = price
            lot.save(update_fields=["awarded_unit_price_cents"])
        locked.status = campaign.status = CampaignStatus.AWARDED
        locked.save(update_fields=["status"])
        audit.record(
            user,
            "purchasing.awarded",
            collectivite=locked.collectivite,
            obj=locked,
            summary=locked.title,
        )
        members = list(locked.participants.values_list("collectivite_id", flat=True))
        _notify(locked, Notice.AWARDED, members)


def close(user, campaign: Campaign) -> None:
    _require(campaign, user, "manage")
    with transaction.atomic():
        locked = _locked(
            campaign,
            CampaignStatus.AWARDED,
            "not_awarded",
            _("Enregistrez l'attribution avant de clore."),
        )
        locked.status = campaign.status = CampaignStatus.CLOSED
        locked.save(update_fields=["status"])
        audit.record(
            user,
            "purchasing.closed",
            collectivite=locked.collectivite,
            obj=locked,
            summary=locked.title,
        )
