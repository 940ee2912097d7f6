"""Alerts of a collectivité: list, detail, acknowledge, close."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from territoria.accounts.actions import ActionError
from territoria.sensors import actions, indicators
from territoria.sensors.enums import AlertStatus
from territoria.sensors.forms import AlertEmailsForm, AlertNoteForm
from territoria.sensors.models import Alert, may_operate
from territoria.sensors.views.common import scoped
from territoria.territories.tenancy import collectivite_for


def alert_list(request, slug):
    collectivite = collectivite_for(request, slug, "view_private")
    status = request.GET.get("etat", "")
    alerts = Alert.objects.of(collectivite).select_related("device", "site")
    if status in AlertStatus.values:
        alerts = alerts.filter(status=status)
    else:
        status = ""
        alerts = alerts.active()
    return render(
        request,
        "sensors/alert_list.html",
        {
            "collectivite": collectivite,
            "alerts": alerts[:200],
            "status": status,
            "statuses": AlertStatus.choices,
            "now": timezone.now(),
            "summary": indicators.alert_summary(collectivite),
        },
    )


def alert_detail(request, slug, pk):
    collectivite, alert = scoped(request, slug, Alert, pk)
    return render(
        request,
        "sensors/alert_detail.html",
        {
            "collectivite": collectivite,
            "alert": alert,
            "can": alert.get_abilities(request.user),
            "form": AlertNoteForm(initial={"note": alert.note}),
            "lost_m3": alert.lost_m3(),
            "lost_eur": alert.lost_eur(),
        },
    )


def _transition(request, slug, pk, verb, done_message):
    collectivite, alert = scoped(request, slug, Alert, pk)
    if not alert.get_abilities(request.user)["change"]:
        raise PermissionDenied
    form = AlertNoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        verb(alert, request.user, note)
    except ActionError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, done_message)
    return redirect(alert.get_absolute_url())


@require_POST
def alert_acknowledge(request, slug, pk):
    return _transition(request, slug, pk, actions.acknowledge_alert, _("Alerte prise en compte."))


@require_POST
def alert_close(request, slug, pk):
    return _transition(request, slug, pk, actions.close_alert, _("Alerte close."))


def alert_emails(request, slug):
    """The alert kinds the signed-in agent or administrator receives by email; élus
    receive none and are told so."""
    collectivite = collectivite_for(request, slug, "view_private")
    receives = may_operate(request.user, collectivite)
    status = 200
    if request.method == "POST":
        form = AlertEmailsForm(request.POST)
        if form.is_valid():
            actions.set_alert_emails(request.user, collectivite, form.cleaned_data["kinds"])
            messages.success(request, _("Vos choix sont enregistrés."))
            return redirect("sensors:alert_emails", slug=collectivite.slug)
        status = 400
    else:
        form = AlertEmailsForm(initial={"kinds": actions.alert_emails(request.user, collectivite)})
    return render(
        request,
        "sensors/alert_emails.html",
        {"collectivite": collectivite, "form": form, "receives": receives},
        status=status,
    )
