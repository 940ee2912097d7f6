"""Writes about collectivités: registering them on the instance, editing their page."""

from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from territoria.accounts import audit
from territoria.accounts.actions import ActionError, invite_member
from territoria.accounts.enums import Role
from territoria.territories.enums import CollectiviteKind
from territoria.territories.models import Collectivite, Commune, Epci

PROFILE_FIELDS = ("description", "contact_email", "contact_phone", "website", "logo")


def _free_slug(name: str, code: str) -> str:
    """The name as an address; homonyms (there are 20 communes named Saint-Denis)
    get their code appended."""
    slug = slugify(name)[:70] or code
    if Collectivite.objects.filter(slug=slug).exists():
        slug = f"{slug}-{code.lower()}"
    return slug


def _create(actor, territory) -> Collectivite:
    if isinstance(territory, Epci):
        fields = {"kind": CollectiviteKind.EPCI, "epci": territory}
        code = territory.siren
    else:
        fields = {"kind": CollectiviteKind.COMMUNE, "commune": territory}
        code = territory.code
    collectivite = Collectivite.objects.create(
        slug=_free_slug(territory.name, code), name=territory.name, **fields
    )
    audit.record(
        actor,
        "collectivite.registered",
        collectivite=collectivite,
        obj=collectivite,
        summary=_("Inscription de %(name)s sur l'instance") % {"name": collectivite.name},
        changes={"code": code},
    )
    return collectivite


@transaction.atomic
def register_collectivite(
    actor, territory: Commune | Epci, *, admin_email: str = "", with_member_communes=False
) -> list[Collectivite]:
    """Register a commune or an EPCI (and, for an EPCI, optionally all its member
    communes not yet registered); invite the first admin. Operators only."""
    if not (actor.is_authenticated and actor.is_operator):
        raise PermissionDenied
    if Collectivite.objects.filter(
        **{"epci" if isinstance(territory, Epci) else "commune": territory}
    ).exists():
        raise ActionError(
            "already_registered",
            _("%(name)s est déjà inscrite sur cette instance.") % {"name": territory.name},
            field="territoire",
        )
    collectivite = _create(actor, territory)
    created = [collectivite]
    if with_member_communes and isinstance(territory, Epci):
        registered = Collectivite.objects.filter(commune__epci=territory).values("commune_id")
        for commune in territory.communes.exclude(code__in=registered).order_by("name"):
            created.append(_create(actor, commune))
    if admin_email:
        invite_member(actor, collectivite, admin_email, Role.ADMIN)
    return created


@transaction.atomic
def update_collectivite(actor, collectivite: Collectivite, changes: dict) -> Collectivite:
    """Change the public presentation of a collectivité (its admins, operators)."""
    if not collectivite.get_abilities(actor)["change"]:
        raise PermissionDenied
    original = Collectivite.objects.get(pk=collectivite.pk)
    before = {field: str(getattr(original, field)) for field in PROFILE_FIELDS}
    for field in PROFILE_FIELDS:
        if field in changes:
            setattr(collectivite, field, changes[field])
    collectivite.full_clean()
    collectivite.save()
    after = {field: str(getattr(collectivite, field)) for field in PROFILE_FIELDS}
    changed = {field: after[field] for field in PROFILE_FIELDS if before[field] != after[field]}
    if "logo" in changed and original.logo:
        # A replaced logo keeps no public copy behind.
        transaction.on_commit(partial(original.logo.storage.delete, original.logo.name))
    if changed:
        audit.record(
            actor,
            "collectivite.updated",
            collectivite=collectivite,
            obj=collectivite,
            summary=_("Présentation de la collectivité modifiée"),
            changes=changed,
        )
    return collectivite
