"""Territoria's URLs plus /bench/ok, a view that does nothing: the servers' own cost."""

from django.http import HttpResponse
from django.urls import include, path


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/ok", ok),
    path("", include("territoria.urls")),
]
