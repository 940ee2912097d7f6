"""Fleets and their keys, how to connect a network server, device import, CSV upload."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from territoria.accounts.actions import ActionError
from territoria.french import natural_key
from territoria.sensors import actions
from territoria.sensors.forms import CsvUploadForm, FleetForm
from territoria.sensors.ingest import BatchRejected
from territoria.sensors.models import Fleet, may_operate
from territoria.sensors.views.common import scoped
from territoria.territories.tenancy import collectivite_for


def _operator_only(request, collectivite):
    """Fleets, their keys and files are the agents' work: élus read the dashboards."""
    if not may_operate(request.user, collectivite):
        raise PermissionDenied


def fleet_list(request, slug):
    collectivite = collectivite_for(request, slug, "view_private")
    _operator_only(request, collectivite)
    can = {"change": True}
    form = FleetForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                fleet, key = actions.create_fleet(
                    collectivite, request.user, form.cleaned_data["name"]
                )
            except ActionError as refused:
                form.add_error("name", refused.message)
            else:
                return _show_key(request, collectivite, fleet, key)
    fleets = Fleet.objects.of(collectivite)
    return render(
        request,
        "sensors/fleet_list.html",
        {"collectivite": collectivite, "fleets": fleets, "form": form, "can": can},
    )


def _show_key(request, collectivite, fleet, key):
    """The key is shown once, on the answer to the request that made it."""
    return render(
        request,
        "sensors/fleet_detail.html",
        _fleet_context(request, collectivite, fleet) | {"new_key": key},
    )


def _fleet_context(request, collectivite, fleet) -> dict:
    api = settings.SITE_URL + "/api/capteurs"
    return {
        "collectivite": collectivite,
        "fleet": fleet,
        "can": fleet.get_abilities(request.user),
        "devices": sorted(fleet.devices.select_related("site"), key=lambda d: natural_key(d.name)),
        "urls": {
            "native": f"{api}/releves",
            "csv": f"{api}/releves/csv",
            "chirpstack": f"{api}/chirpstack",
            "tts": f"{api}/tts",
            "ngsi": f"{api}/ngsi-ld/v1/entityOperations/upsert",
            "docs": settings.SITE_URL + "/api/docs",
        },
        "import_form": CsvUploadForm(),
    }


def fleet_detail(request, slug, pk):
    collectivite, fleet = scoped(request, slug, Fleet, pk)
    _operator_only(request, collectivite)
    return render(
        request, "sensors/fleet_detail.html", _fleet_context(request, collectivite, fleet)
    )


@require_POST
def fleet_rotate(request, slug, pk):
    collectivite, fleet = scoped(request, slug, Fleet, pk)
    if not fleet.get_abilities(request.user)["change"]:
        raise PermissionDenied
    key = actions.rotate_key(fleet, request.user)
    return _show_key(request, collectivite, fleet, key)


def device_import(request, slug, pk):
    collectivite, fleet = scoped(request, slug, Fleet, pk)
    if not fleet.get_abilities(request.user)["change"]:
        raise PermissionDenied
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            devices = actions.import_devices(fleet, request.user, form.cleaned_data["file"])
        except BatchRejected as rejected:
            report = rejected
        else:
            messages.success(request, _("%(n)s capteurs importés.") % {"n": len(devices)})
            return redirect(reverse("sensors:fleet", kwargs={"slug": slug, "pk": fleet.pk}))
    return render(
        request,
        "sensors/device_import.html",
        {"collectivite": collectivite, "fleet": fleet, "form": form, "report": report},
    )


def upload(request, slug):
    """An agent sends a CSV file of readings; a bad line refuses the whole file and the
    report names every bad line."""
    collectivite = collectivite_for(request, slug, "view_private")
    _operator_only(request, collectivite)
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    report = stored = None
    if request.method == "POST" and form.is_valid():
        try:
            stored = actions.ingest_csv_upload(
                collectivite, request.user, form.cleaned_data["file"]
            )
        except BatchRejected as rejected:
            report = rejected
    return render(
        request,
        "sensors/upload.html",
        {"collectivite": collectivite, "form": form, "report": report, "stored": stored},
    )
