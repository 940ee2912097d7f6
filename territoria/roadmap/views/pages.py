"""The roadmap's landing page, a collectivité's overview, its profile and the explained
ranking of use cases (re-ranked by HTMX as priority sliders move)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from territoria.accounts.actions import ActionError
from territoria.catalogue.enums import Axis
from territoria.roadmap import actions, planning
from territoria.roadmap.forms import ProfileForm, ScenarioForm
from territoria.roadmap.models import MAX_WEIGHT, Scenario
from territoria.roadmap.views.common import roadmap_for
from territoria.territories.models import Collectivite


def home(request):
    """What the roadmap does, and the viewer's collectivités."""
    collectivites = []
    if request.user.is_authenticated:
        if request.user.is_operator:
            collectivites = Collectivite.objects.active().order_by("name")
        else:
            collectivites = Collectivite.objects.of_member(request.user).order_by("name")
    return render(request, "roadmap/home.html", {"collectivites": collectivites})


def overview(request, slug):
    collectivite, profile, abilities = roadmap_for(request, slug)
    scenarios = Scenario.objects.of(collectivite)
    context = {
        "collectivite": collectivite,
        "profile": profile,
        "abilities": abilities,
        "cost_bases": profile.cost_bases().values(),
        "scenarios": scenarios,
        "scenario_form": ScenarioForm(collectivite=collectivite),
    }
    return render(request, "roadmap/overview.html", context)


def profile_edit(request, slug):
    """Edit the territory's profile; invalid input is refused whole, in French."""
    collectivite, profile, abilities = roadmap_for(
        request, slug, need="edit_profile" if request.method == "POST" else None
    )
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=profile)
        if form.is_valid():
            saved = form.save(commit=False)
            actions.save_profile(request.user, saved, form.changed_fields())
            messages.success(request, _("Profil enregistré."))
            return redirect("roadmap:overview", slug=collectivite.slug)
        status = 400
    else:
        form = ProfileForm(instance=profile)
        status = 200
    if not abilities["edit_profile"]:
        # Élus read the profile the agents keep; they change the priorities elsewhere.
        for field in form.fields.values():
            field.disabled = True
    context = {
        "collectivite": collectivite,
        "profile": profile,
        "form": form,
        "abilities": abilities,
    }
    return render(request, "roadmap/profile_form.html", context, status=status)


def _weights(request, profile) -> dict[str, int]:
    weights = profile.axis_weights()
    for axis in Axis.values:
        raw = request.GET.get(f"weight_{axis}")
        if raw is not None:
            try:
                weights[axis] = max(0, min(MAX_WEIGHT, int(raw)))
            except ValueError:
                pass
    return weights


def recommendations(request, slug):
    """Every use case scored for this territory, with its reasons; a partial for HTMX."""
    collectivite, profile, abilities = roadmap_for(request, slug)
    weights = _weights(request, profile)
    ranked = planning.recommendation(profile, weights=weights)
    context = {
        "collectivite": collectivite,
        "profile": profile,
        "abilities": abilities,
        "ranked": ranked,
        "weights": [
            {"axis": axis, "label": label, "value": weights[axis]} for axis, label in Axis.choices
        ],
    }
    if request.htmx:
        return render(request, "roadmap/includes/ranking.html", context)
    return render(request, "roadmap/recommendations.html", context)


@require_POST
def save_weights(request, slug):
    """Keep the slider positions as the profile's priorities."""
    collectivite, profile, _abilities = roadmap_for(request, slug, need="steer")
    weights = profile.axis_weights()
    for axis in Axis.values:
        raw = request.POST.get(f"weight_{axis}", "")
        if not raw.isdigit() or not 0 <= int(raw) <= MAX_WEIGHT:
            messages.error(request, _("Une priorité va de 0 à 5 : rien n'a été enregistré."))
            return redirect("roadmap:recommendations", slug=collectivite.slug)
        weights[axis] = int(raw)
    profile.weights = weights
    actions.save_profile(request.user, profile, ["weights"])
    messages.success(request, _("Priorités enregistrées dans le profil."))
    return redirect("roadmap:recommendations", slug=collectivite.slug)


@require_POST
def scenario_create(request, slug):
    collectivite, profile, _abilities = roadmap_for(request, slug, need="steer")
    form = ScenarioForm(request.POST, collectivite=collectivite)
    if form.is_valid():
        try:
            scenario = actions.create_scenario(
                request.user,
                collectivite,
                form.cleaned_data["name"],
                form.cleaned_data["copy_from"],
            )
        except ActionError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Scénario calculé."))
            return redirect(scenario)
    context = {
        "collectivite": collectivite,
        "profile": profile,
        "abilities": _abilities,
        "cost_bases": profile.cost_bases().values(),
        "scenarios": Scenario.objects.of(collectivite),
        "scenario_form": form,
    }
    return render(request, "roadmap/overview.html", context, status=400)
