"""Open311 GeoReport v2 server (filled in by the reports module)."""

from django.http import HttpResponse


def _unavailable(request, **kwargs):
    return HttpResponse(status=404)


discovery = services = service_definition = requests = request_detail = token = _unavailable
service_request_updates = index = _unavailable
