from django.conf import settings


def territoria(request):
    """The instance's name, shown in every page's header, and the map tiles' address."""
    return {"SITE_NAME": settings.SITE_NAME, "MAP_TILES_URL": settings.MAP_TILES_URL}
