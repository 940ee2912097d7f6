from django.core.exceptions import PermissionDenied

from territoria.territories.models import user_role
from territoria.territories.tenancy import collectivite_for


def staff_collectivite(request, slug):
    """The collectivité if the person is one of its agents or admins (élus may not
    read dossiers); 404 for anyone outside it."""
    collectivite = collectivite_for(request, slug, "view_private")
    if not request.user.is_operator and user_role(request.user, collectivite) not in {
        "agent",
        "admin",
    }:
        raise PermissionDenied
    return collectivite
