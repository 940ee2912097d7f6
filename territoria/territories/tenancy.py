"""Tenancy: every private object belongs to one collectivité.

A private model inherits `TenantModel`; its QuerySet's `visible_to(user)` is the one
place that scopes a query to the person's collectivités, and `get_abilities(user)`
is the one answer to "what may this person do with this object".
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from territoria.territories.models import Collectivite, user_role, user_roles


class SignInRequired(Http404):
    """A signed-out visitor asked for a members' page (a link from an email): pages send
    them to sign in and back (accounts' middleware); anything else answers 404."""


def collectivite_for(request, slug, ability):
    """The active collectivité if the person may do `ability` there: 404 when they have
    no role in it (its private pages stay unknown), 403 when their role is not enough;
    a signed-out visitor is asked to sign in first, before any object is looked up."""
    collectivite = get_object_or_404(Collectivite.objects.active(), slug=slug)
    can = collectivite.get_abilities(request.user)
    if not can["view_private"]:
        if not request.user.is_authenticated:
            raise SignInRequired
        raise Http404
    if not can[ability]:
        raise PermissionDenied
    return collectivite


def member_collectivite_ids(user) -> set[int]:
    return set(user_roles(user))


class TenantQuerySet(models.QuerySet):
    def of(self, collectivite):
        return self.filter(collectivite=collectivite)

    def visible_to(self, user):
        """Objects of the person's collectivités; for an EPCI's members, also the
        shared objects of its registered member communes when the model allows it."""
        if not user.is_authenticated:
            return self.none()
        if user.is_operator:
            return self
        ids = member_collectivite_ids(user)
        condition = Q(collectivite_id__in=ids)
        if self.model.visible_to_epci:
            epci_codes = Collectivite.objects.filter(pk__in=ids, epci__isnull=False).values(
                "epci_id"
            )
            condition |= Q(
                collectivite__commune__epci_id__in=epci_codes, **self.model.shared_filter()
            )
        return self.filter(condition)

    def changeable_by(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_operator:
            return self
        return self.filter(collectivite_id__in=member_collectivite_ids(user))


class TenantModel(models.Model):
    collectivite = models.ForeignKey(
        Collectivite,
        models.PROTECT,
        related_name="+",
        verbose_name=_("collectivité"),
    )

    # A module sets this to let an EPCI's members read (never change) the shared
    # objects of its member communes; `shared_filter` says which objects are shared.
    visible_to_epci = False

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def shared_filter(cls) -> dict:
        return {}

    def _epci_reader(self, user) -> bool:
        if not self.visible_to_epci or not self.collectivite.commune_id:
            return False
        if not type(self).objects.filter(pk=self.pk, **self.shared_filter()).exists():
            return False
        epci = self.collectivite.parent_epci()
        return epci is not None and user_role(user, epci) is not None

    def get_abilities(self, user) -> dict[str, bool]:
        role = user_role(user, self.collectivite)
        is_operator = bool(user.is_authenticated and user.is_operator)
        return {
            "view": role is not None or is_operator or self._epci_reader(user),
            "change": role in {"agent", "admin"},
            "delete": role == "admin",
        }
