from django.conf import settings

from territoria.territories.models import Collectivite


def territoria(request):
    """The instance name and, for a signed-in person, their collectivités."""
    user = getattr(request, "user", None)
    mine = []
    if user is not None and user.is_authenticated:
        mine = list(Collectivite.objects.of_member(user).only("slug", "name"))
    return {"SITE_NAME": settings.SITE_NAME, "my_collectivites": mine}
