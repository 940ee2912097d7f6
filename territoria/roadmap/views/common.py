"""What every roadmap page needs: the collectivité, its profile and the viewer's rights."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from territoria.roadmap import planning
from territoria.roadmap.models import Scenario
from territoria.territories.tenancy import collectivite_for


def roadmap_for(request, slug, *, change=False):
    """(collectivité, profile, abilities): members see, agents and admins change."""
    collectivite = collectivite_for(request, slug, "view_private")
    profile = planning.profile_for(collectivite)
    abilities = profile.get_abilities(request.user)
    if request.user.is_operator:
        abilities = abilities | {"change": True}
    if change and not abilities["change"]:
        raise PermissionDenied
    return collectivite, profile, abilities


def scenario_of(collectivite, pk) -> Scenario:
    return get_object_or_404(Scenario.objects.of(collectivite), pk=pk)
