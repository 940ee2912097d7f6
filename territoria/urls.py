from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from territoria.api import api

admin.site.site_header = _("Administration de Territoria")
admin.site.site_title = _("Territoria")
admin.site.index_title = _("Opérateurs de l'instance")

urlpatterns = [
    path("", include("territoria.territories.urls")),
    path("compte/", include("territoria.accounts.urls")),
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
