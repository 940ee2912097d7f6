"""Agents' pages: the collectivité's datasets (published or not), uploading a file
declared against a national schema, declaring a generated dataset, editing metadata,
publishing, refreshing, and monthly download counts with their CSV export."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from territoria import tabular
from territoria.accounts.actions import ActionError
from territoria.opendata import actions
from territoria.opendata.enums import Format
from territoria.opendata.forms import METADATA_FIELDS, GeneratedForm, MetadataForm, UploadForm
from territoria.opendata.models import Dataset, DownloadCount, may_publish
from territoria.opendata.schemas import UPLOAD_CHOICES
from territoria.opendata.views.public import monthly_counts
from territoria.territories.tenancy import collectivite_for


def _publisher_collectivite(request, slug):
    collectivite = collectivite_for(request, slug, "view_private")
    if not may_publish(request.user, collectivite):
        raise PermissionDenied
    return collectivite


def _dataset(request, slug, uid) -> Dataset:
    collectivite = _publisher_collectivite(request, slug)
    return get_object_or_404(Dataset.objects.of(collectivite), uid=uid)


def _defaults(collectivite) -> dict:
    return {
        "contact_name": _("Service données ouvertes — %(name)s") % {"name": collectivite.name},
        "licence": "lov2",
    }


def manage(request, slug):
    collectivite = _publisher_collectivite(request, slug)
    datasets = Dataset.objects.of(collectivite).prefetch_related("resources").order_by("title")
    return render(
        request,
        "opendata/manage.html",
        {"collectivite": collectivite, "datasets": datasets},
    )


def upload(request, slug):
    collectivite = _publisher_collectivite(request, slug)
    errors, notes = [], []
    form = UploadForm(request.POST or None, request.FILES or None, initial=_defaults(collectivite))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                uploaded = actions.upload_dataset(
                    request.user, collectivite, data["file"], data["schema"],
                    **{name: data[name] for name in METADATA_FIELDS},
                )  # fmt: skip
            except ActionError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                errors, notes = uploaded.errors, uploaded.notes
                if not errors:
                    messages.success(
                        request,
                        _("Fichier conforme au schéma : « %(title)s » est prêt à être publié.")
                        % {"title": uploaded.dataset.title},
                    )
                    if notes:
                        messages.info(
                            request,
                            _("Converti vers la forme du schéma : %(notes)s.")
                            % {"notes": " ; ".join(notes)},
                        )
                    return redirect("opendata:edit", slug=slug, uid=uploaded.dataset.uid)
    return render(
        request,
        "opendata/upload.html",
        {
            "collectivite": collectivite,
            "form": form,
            "errors": errors,
            "notes": notes,
            "templates": UPLOAD_CHOICES,
        },
        status=status,
    )


def generate(request, slug):
    collectivite = _publisher_collectivite(request, slug)
    form = GeneratedForm(request.POST or None, initial=_defaults(collectivite))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            dataset = actions.create_generated_dataset(
                request.user, collectivite, data["source"],
                **{name: data[name] for name in METADATA_FIELDS},
            )  # fmt: skip
            messages.success(request, _("Jeu de données généré."))
            return redirect("opendata:edit", slug=slug, uid=dataset.uid)
    return render(
        request,
        "opendata/generate.html",
        {"collectivite": collectivite, "form": form},
        status=status,
    )


def edit(request, slug, uid):
    dataset = _dataset(request, slug, uid)
    form = MetadataForm(request.POST or None, instance=dataset)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            form.save()
            messages.success(request, _("Description enregistrée."))
            return redirect("opendata:edit", slug=slug, uid=uid)
    return render(
        request,
        "opendata/edit.html",
        {
            "collectivite": dataset.collectivite,
            "dataset": dataset,
            "form": form,
            "resources": dataset.resources.all(),
            "counts": monthly_counts(dataset),
        },
        status=status,
    )


@require_POST
def publish(request, slug, uid):
    dataset = _dataset(request, slug, uid)
    published = request.POST.get("published") == "1"
    if published and not dataset.resources.filter(format=Format.CSV).exists():
        messages.error(request, _("Ce jeu de données n'a pas encore de fichier."))
    else:
        actions.set_published(request.user, dataset, published)
        messages.success(
            request, _("Jeu de données publié.") if published else _("Jeu de données dépublié.")
        )
    return redirect("opendata:edit", slug=slug, uid=uid)


@require_POST
def refresh(request, slug, uid):
    dataset = _dataset(request, slug, uid)
    actions.refresh_dataset(dataset)
    messages.success(request, _("Fichiers régénérés."))
    return redirect("opendata:edit", slug=slug, uid=uid)


def downloads_csv(request, slug):
    """Monthly downloads of every dataset of the collectivité, one row per month,
    dataset and format."""
    collectivite = _publisher_collectivite(request, slug)
    response, writer = tabular.csv_response(f"telechargements-{slug}.csv")
    writer.writerow(["mois", "jeu_de_donnees_id", "jeu_de_donnees", "format", "telechargements"])
    rows = (
        DownloadCount.objects.of(collectivite)
        .order_by("month", "dataset__title", "resource__format")
        .values_list("month", "dataset__uid", "dataset__title", "resource__format", "count")
    )
    for month, uid, title, fmt, count in rows:
        writer.writerow([month.strftime("%Y-%m"), uid, title, fmt, count])
    return response
