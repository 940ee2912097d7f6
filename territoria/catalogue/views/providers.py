"""Providers' self-service: register a provider, see its offers and their moderation,
submit and edit offers. Everything here is for the provider's members only (404 for
anyone else, so a provider's existence and drafts never leak)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from territoria.catalogue import actions
from territoria.catalogue.forms import ProviderForm, SolutionForm, figure_formset
from territoria.catalogue.models import Provider, Solution, SolutionRevision


def _own_provider(request, pk) -> Provider:
    provider = get_object_or_404(Provider, pk=pk)
    if not (provider.is_member(request.user) or request.user.is_operator):
        raise Http404
    return provider


@login_required
def register(request):
    form = ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        provider = actions.register_provider(request.user, form)
        messages.success(request, _("Le fournisseur %(name)s est inscrit.") % {"name": provider})
        return redirect("catalogue:provider", pk=provider.pk)
    mine = request.user.providers.order_by("name")
    return render(request, "catalogue/provider_register.html", {"form": form, "mine": mine})


@login_required
def provider_detail(request, pk):
    provider = _own_provider(request, pk)
    solutions = provider.solutions.prefetch_related(
        Prefetch("revisions", queryset=SolutionRevision.objects.exclude(reason=""))
    ).order_by("name")
    return render(
        request,
        "catalogue/provider_detail.html",
        {
            "provider": provider,
            "solutions": solutions,
            "is_member": provider.is_member(request.user),
        },
    )


def _offer_form(request, provider, solution):
    """Shared by the creation and the edit: the forms, bound on POST."""
    data = request.POST if request.method == "POST" else None
    form = SolutionForm(data, instance=solution)
    formset = figure_formset(data, instance=solution)
    if data is not None and form.is_valid() and formset.is_valid():
        draft = "save_draft" in request.POST
        if solution is None:
            solution = actions.submit_solution(request.user, provider, form, formset, draft=draft)
        else:
            solution = actions.update_solution(request.user, solution, form, formset, draft=draft)
        if draft:
            messages.success(request, _("Le brouillon est enregistré."))
        else:
            messages.success(request, _("L'offre est envoyée en modération."))
        return redirect("catalogue:provider", pk=provider.pk)
    context = {"provider": provider, "solution": solution, "form": form, "formset": formset}
    return render(request, "catalogue/solution_form.html", context)


@login_required
def solution_create(request, pk):
    provider = get_object_or_404(Provider, pk=pk)
    if not provider.is_member(request.user):
        raise Http404
    return _offer_form(request, provider, None)


@login_required
def solution_edit(request, pk, solution_pk):
    provider = get_object_or_404(Provider, pk=pk)
    if not provider.is_member(request.user):
        raise Http404
    solution = get_object_or_404(Solution, pk=solution_pk, provider=provider)
    return _offer_form(request, provider, solution)
