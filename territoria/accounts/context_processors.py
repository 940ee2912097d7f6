from django.conf import settings


def territoria(request):
    """The instance's name, shown in every page's header."""
    return {"SITE_NAME": settings.SITE_NAME}
