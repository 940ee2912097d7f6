"""What every roadmap page needs: the collectivité, its profile and the viewer's rights."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from territoria.roadmap import planning
from territoria.roadmap.models import Scenario
from territoria.territories.tenancy import collectivite_for


def roadmap_for(request, slug, *, need=None):
    """(collectivité, profile, abilities): members see; `need` names the ability a
    write asks for (edit_profile, steer, adopt), refused with 403."""
    collectivite = collectivite_for(request, slug, "view_private")
    profile = planning.profile_for(collectivite)
    abilities = profile.get_abilities(request.user)
    if need and not abilities[need]:
        raise PermissionDenied
    return collectivite, profile, abilities


def scenario_of(collectivite, pk) -> Scenario:
    return get_object_or_404(Scenario.objects.of(collectivite), pk=pk)
