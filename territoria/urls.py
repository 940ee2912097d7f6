from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from territoria import images
from territoria.api import api

admin.site.site_header = _("Administration de Territoria")
admin.site.site_title = _("Territoria")
admin.site.index_title = _("Opérateurs de l'instance")

urlpatterns = [
    path("", include("territoria.territories.urls")),
    path("compte/", include("territoria.accounts.urls")),
    path("catalogue/", include("territoria.catalogue.urls")),
    path("feuille-de-route/", include("territoria.roadmap.urls")),
    path("signalements/", include("territoria.reports.urls")),
    path("open311/v2/", include("territoria.reports.open311_urls")),
    path("capteurs/", include("territoria.sensors.urls")),
    path("aides/", include("territoria.funding.urls")),
    path("participation/", include("territoria.participation.urls")),
    path("achats-groupes/", include("territoria.purchasing.urls")),
    path("donnees/", include("territoria.opendata.urls")),
    path("demarches/", include("territoria.demarches.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path(
        "mentions-legales/",
        TemplateView.as_view(template_name="pages/legal.html"),
        name="legal",
    ),
    path(
        "accessibilite/",
        TemplateView.as_view(template_name="pages/accessibility.html"),
        name="accessibility",
    ),
    path(
        "donnees-personnelles/",
        TemplateView.as_view(template_name="pages/privacy.html"),
        name="privacy",
    ),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(
        re_path(
            rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$",
            images.serve_public,
            name="media",
        )
    )
