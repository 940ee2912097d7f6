"""Open311 GeoReport v2 endpoints, mounted at /open311/v2/ (territoria/urls.py)."""

from django.urls import path, re_path

from territoria.reports.views import open311

app_name = "open311"

FORMAT = r"\.(?P<fmt>xml|json)$"

urlpatterns = [
    re_path(rf"^discovery{FORMAT}", open311.discovery, name="discovery"),
    re_path(rf"^services{FORMAT}", open311.services, name="services"),
    re_path(
        rf"^services/(?P<service_code>[^/]+){FORMAT}", open311.service_definition, name="service"
    ),
    re_path(rf"^requests{FORMAT}", open311.requests, name="requests"),
    re_path(rf"^requests/(?P<request_id>[^/]+){FORMAT}", open311.request_detail, name="request"),
    re_path(rf"^tokens/(?P<token>[^/]+){FORMAT}", open311.token, name="token"),
    re_path(rf"^servicerequestupdates{FORMAT}", open311.service_request_updates, name="updates"),
    path("", open311.index, name="index"),
]
