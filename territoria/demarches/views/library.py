"""The library of templates (public), adoption and upstream updates (the
collectivité's agents and admins)."""

import json

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from territoria.demarches import actions, engine
from territoria.demarches.forms import AdoptionForm, FieldsForm
from territoria.demarches.models import Adoption, FormTemplate
from territoria.demarches.views.access import staff_collectivite as _staff


def library(request):
    templates = (
        FormTemplate.objects.published()
        .select_related("owner")
        .annotate(adopters=Count("adoptions"))
        .order_by("title")
    )
    return render(request, "demarches/library.html", {"templates": templates})


def template_detail(request, template_slug):
    template = get_object_or_404(FormTemplate.objects.visible_to(request.user), slug=template_slug)
    version = template.latest()
    fields = version.fields if version else template.fields
    context = {
        "template": template,
        "fields": fields,
        "types": engine.TYPES,
        "adopters": template.adoptions.select_related("collectivite").order_by(
            "collectivite__name"
        ),
        "can": template.get_abilities(request.user),
    }
    return render(request, "demarches/template.html", context)


def edit_fields(request, template_slug):
    """The owner edits the working fields; adopters see nothing until it publishes."""
    template = get_object_or_404(FormTemplate.objects.visible_to(request.user), slug=template_slug)
    if not template.get_abilities(request.user)["change"]:
        raise Http404
    initial = {"fields_json": json.dumps(template.fields, ensure_ascii=False, indent=2)}
    form = FieldsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        template.fields = form.cleaned_data["fields_json"]
        template.save(update_fields=["fields", "updated_at"])
        messages.success(
            request,
            _("Champs enregistrés : publiez-les pour les proposer aux collectivités."),
        )
        return redirect(template)
    return render(request, "demarches/fields.html", {"template": template, "form": form})


@require_POST
def publish(request, template_slug):
    template = get_object_or_404(FormTemplate.objects.visible_to(request.user), slug=template_slug)
    if not template.get_abilities(request.user)["publish"]:
        raise Http404
    try:
        version = actions.publish_template(template, request.user)
    except (actions.DemarcheError, engine.DefinitionError) as error:
        messages.error(request, str(getattr(error, "message", error)))
    else:
        messages.success(request, _("Version %(n)s publiée.") % {"n": version.number})
    return redirect(template)


def manage(request, slug):
    collectivite = _staff(request, slug)
    adoptions = (
        Adoption.objects.of(collectivite)
        .select_related("template", "version", "collectivite")
        .annotate(count=Count("dossiers"))
    )
    adopted = {a.template_id for a in adoptions}
    available = FormTemplate.objects.published().exclude(pk__in=adopted).order_by("title")
    return render(
        request,
        "demarches/manage.html",
        {"collectivite": collectivite, "adoptions": adoptions, "available": available},
    )


def _initial(collectivite, template):
    return {
        "acknowledgement": _(
            "Votre demande est bien reçue. Le service vous répondra par courriel."
        ),
        "controller": collectivite.name,
        "purpose": _("Instruire la démarche « %(title)s ».") % {"title": template.title},
        "privacy_basis": _("Mission d'intérêt public (RGPD, article 6-1-e)"),
        "retention_months": 24,
        "recipients": _("Les agents de %(name)s chargés de la démarche.")
        % {"name": collectivite.name},
        "rights": _(
            "Vous pouvez accéder à vos données, les faire rectifier ou limiter leur "
            "traitement en écrivant à la collectivité ; en cas de difficulté, saisir la CNIL."
        ),
    }


def adopt(request, slug, template_slug):
    collectivite = _staff(request, slug)
    template = get_object_or_404(FormTemplate.objects.published(), slug=template_slug)
    form = AdoptionForm(request.POST or None, initial=_initial(collectivite, template))
    if request.method == "POST" and form.is_valid():
        try:
            actions.adopt(template, collectivite, request.user, **form.cleaned_data)
        except actions.DemarcheError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Démarche adoptée."))
            return redirect("demarches:manage", slug=slug)
    return render(
        request,
        "demarches/adopt.html",
        {"collectivite": collectivite, "template": template, "form": form},
    )


def adoption_settings(request, slug, adoption_id):
    collectivite = _staff(request, slug)
    adoption = get_object_or_404(Adoption.objects.of(collectivite), pk=adoption_id)
    form = AdoptionForm(request.POST or None, instance=adoption)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Réglages enregistrés."))
        return redirect("demarches:manage", slug=slug)
    latest = adoption.template.latest()
    changes = (
        engine.diff(adoption.version.fields, latest.fields) if adoption.update_available() else None
    )
    return render(
        request,
        "demarches/adoption.html",
        {
            "collectivite": collectivite,
            "adoption": adoption,
            "form": form,
            "latest": latest,
            "changes": changes,
        },
    )


@require_POST
def take_update(request, slug, adoption_id):
    collectivite = _staff(request, slug)
    adoption = get_object_or_404(Adoption.objects.of(collectivite), pk=adoption_id)
    try:
        actions.take_update(adoption, request.user)
    except actions.DemarcheError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Version %(n)s appliquée.") % {"n": adoption.version.number})
    return redirect("demarches:adoption", slug=slug, adoption_id=adoption.pk)
