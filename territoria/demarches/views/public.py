"""Residents: the procedures a collectivité offers, the form (no JavaScript needed),
the receipt and the tracking page reached by the unguessable link."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from territoria.demarches import actions, engine
from territoria.demarches.enums import EventKind
from territoria.demarches.forms import DossierForm
from territoria.demarches.models import Adoption, Dossier
from territoria.territories.models import Collectivite


def procedures(request, slug):
    collectivite = get_object_or_404(Collectivite.objects.active(), slug=slug)
    adoptions = (
        Adoption.objects.of(collectivite)
        .open_on(timezone.localdate())
        .select_related("template", "collectivite")
    )
    return render(
        request,
        "demarches/procedures.html",
        {"collectivite": collectivite, "adoptions": adoptions},
    )


def fill(request, slug, adoption_id):
    adoption = get_object_or_404(
        Adoption.objects.select_related("template", "version", "collectivite"),
        pk=adoption_id,
        collectivite__slug=slug,
        collectivite__is_active=True,
    )
    context = {"adoption": adoption, "collectivite": adoption.collectivite}
    if not adoption.is_open():
        context["closed"] = actions.closed_message(adoption)
        return render(request, "demarches/closed.html", context, status=403)
    fields = adoption.version.fields
    if request.method == "POST":
        form = DossierForm(fields, request.POST, request.FILES)
        if form.is_valid():
            dossier, errors = actions.file_dossier(
                adoption, form.raw_answers(), form.cleaned_data["applicant_email"]
            )
            if dossier:
                request.session["demarches_filed"] = dossier.pk
                return redirect("demarches:track", token=dossier.token)
            form.add_engine_errors(errors)
        else:
            # Show every field's problem at once, not the email's first.
            _answers, _files, errors = engine.clean_answers(
                fields, form.raw_answers(), lambda code: True
            )
            form.add_engine_errors(errors)
    else:
        form = DossierForm(fields)
    context["form"] = form
    status = 400 if form.errors else 200
    return render(request, "demarches/fill.html", context, status=status)


def track(request, token):
    dossier = get_object_or_404(
        Dossier.objects.select_related("adoption__template", "collectivite"), token=token
    )
    just_filed = request.session.pop("demarches_filed", None) == dossier.pk
    events = dossier.events.exclude(kind=EventKind.NOTE)
    response = render(
        request,
        "demarches/track.html",
        {"dossier": dossier, "events": events, "just_filed": just_filed},
    )
    # The link is the applicant's key: no cache or referrer may keep it.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
