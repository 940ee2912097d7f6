"""Helpers shared by the participation views."""

from django.contrib import messages
from django.shortcuts import get_object_or_404

from territoria.participation.models import staff_of
from territoria.territories.models import Collectivite


def public_collectivite(slug) -> Collectivite:
    return get_object_or_404(Collectivite.objects.active(), slug=slug)


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def refuse(request, error, form=None) -> None:
    """Show an ActionError on the form's field (or as a page message)."""
    if form is not None and error.field and error.field in form.fields:
        form.add_error(error.field, str(error.message))
    elif form is not None:
        form.add_error(None, str(error.message))
    else:
        messages.error(request, str(error.message))


def is_staff(request, collectivite) -> bool:
    return staff_of(request.user, collectivite)


def staff_collectivite(request, slug) -> Collectivite:
    """The collectivité if the person is one of its agents or admins (or an operator):
    404 for people with no role there, 403 for élus."""
    from django.core.exceptions import PermissionDenied

    from territoria.territories.tenancy import collectivite_for

    place = collectivite_for(request, slug, "view_private")
    if not staff_of(request.user, place):
        raise PermissionDenied
    return place
