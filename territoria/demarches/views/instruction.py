"""Instruction: the queue of an adoption's dossiers (filters, pages), a dossier with its
state, messages and notes, its attachments, and the CSV export."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from territoria import tabular
from territoria.demarches import actions, engine
from territoria.demarches.enums import State
from territoria.demarches.forms import QueueFilter, StateForm, WriteForm
from territoria.demarches.models import Adoption, Dossier, DossierFile
from territoria.demarches.views.access import staff_collectivite

PAGE_SIZE = 50


def _adoption(request, slug, adoption_id):
    collectivite = staff_collectivite(request, slug)
    adoption = get_object_or_404(
        Adoption.objects.of(collectivite).select_related("template", "version", "collectivite"),
        pk=adoption_id,
    )
    return adoption


def _filtered(adoption, form):
    dossiers = Dossier.objects.of_adoption(adoption).order_by("-submitted_at", "-pk")
    if form.is_valid():
        data = form.cleaned_data
        if data["state"]:
            dossiers = dossiers.filter(state=data["state"])
        if data["since"]:
            dossiers = dossiers.filter(submitted_at__date__gte=data["since"])
        if data["until"]:
            dossiers = dossiers.filter(submitted_at__date__lte=data["until"])
    return dossiers


def queue(request, slug, adoption_id):
    adoption = _adoption(request, slug, adoption_id)
    form = QueueFilter(request.GET or None)
    page = Paginator(_filtered(adoption, form), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "demarches/queue.html",
        {
            "adoption": adoption,
            "collectivite": adoption.collectivite,
            "form": form,
            "page": page,
            "query": query.urlencode(),
        },
    )


def export_schema(adoption) -> dict:
    return engine.table_schema(adoption.version.fields, list(State.values))


def export(request, slug, adoption_id):
    """The filtered dossiers as CSV: one column per field of the adopted version."""
    adoption = _adoption(request, slug, adoption_id)
    form = QueueFilter(request.GET or None)
    fields = adoption.version.fields
    schema = export_schema(adoption)
    response, writer = tabular.csv_response(f"{adoption.template.slug}-dossiers.csv")
    writer.writerow([column["name"] for column in schema["fields"]])
    for dossier in _filtered(adoption, form).iterator():
        writer.writerow(
            [dossier.number, dossier.state, dossier.submitted_at.date(), adoption.collectivite.name]
            + engine.export_row(fields, dossier.answers)
        )
    return response


def export_schema_view(request, slug, adoption_id):
    from django.http import JsonResponse

    adoption = _adoption(request, slug, adoption_id)
    return JsonResponse(export_schema(adoption), json_dumps_params={"ensure_ascii": False})


def _dossier(request, slug, adoption_id, dossier_id):
    adoption = _adoption(request, slug, adoption_id)
    return get_object_or_404(
        Dossier.objects.of_adoption(adoption).select_related("version", "adoption__template"),
        pk=dossier_id,
    )


def dossier_detail(request, slug, adoption_id, dossier_id):
    dossier = _dossier(request, slug, adoption_id, dossier_id)
    fields = [f for f in dossier.version.fields if f["type"] not in engine.LAYOUT]
    files = {f.field_id: f for f in dossier.files.all()}
    answers = []
    for field in fields:
        value = dossier.answers.get(field["id"])
        if field["type"] == "multiple" and value:
            value = engine.MULTIPLE_SEPARATOR.join(
                label for v, label in engine.choice_values(field) if v in value
            )
        elif field["type"] == "choice" and value:
            value = dict(engine.choice_values(field)).get(value, value)
        elif field["type"] == "yesno" and value is not None:
            value = _("Oui") if value else _("Non")
        answers.append((field, value, files.get(field["id"])))
    return render(
        request,
        "demarches/dossier.html",
        {
            "dossier": dossier,
            "adoption": dossier.adoption,
            "collectivite": dossier.collectivite,
            "answers": answers,
            "events": dossier.events.select_related("author"),
            "state_form": StateForm(initial={"state": State.INSTRUCTING}),
            "write_form": WriteForm(),
        },
    )


@require_POST
def dossier_state(request, slug, adoption_id, dossier_id):
    dossier = _dossier(request, slug, adoption_id, dossier_id)
    form = StateForm(request.POST)
    if form.is_valid():
        try:
            actions.change_state(
                dossier, request.user, form.cleaned_data["state"], form.cleaned_data["reason"]
            )
        except actions.DemarcheError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("État du dossier mis à jour."))
    else:
        messages.error(request, _("Choisissez un état."))
    return redirect(dossier)


@require_POST
def dossier_write(request, slug, adoption_id, dossier_id):
    dossier = _dossier(request, slug, adoption_id, dossier_id)
    form = WriteForm(request.POST)
    if form.is_valid():
        internal = form.cleaned_data["internal"]
        actions.write(dossier, request.user, form.cleaned_data["text"], internal=internal)
        messages.success(
            request, _("Note enregistrée.") if internal else _("Message envoyé au demandeur.")
        )
    else:
        messages.error(request, _("Le message est vide."))
    return redirect(dossier)


def attachment(request, slug, adoption_id, dossier_id, file_id):
    dossier = _dossier(request, slug, adoption_id, dossier_id)
    stored = get_object_or_404(DossierFile.objects.filter(dossier=dossier), pk=file_id)
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = stored.file.name.rsplit(".", 1)[-1]
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{dossier.number}-{stored.field_id}.{extension}",
    )
    response["Cache-Control"] = "private, no-store"
    return response
