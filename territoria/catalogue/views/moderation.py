"""Operators' moderation of providers' offers: the queue, an offer's diff against its
last approved version, the decision with its reason, and the check of each figure."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from territoria.catalogue import actions
from territoria.catalogue.enums import Moderation
from territoria.catalogue.forms import DecisionForm
from territoria.catalogue.models import Figure, Solution


def _require_operator(user):
    if not user.is_operator:
        raise PermissionDenied


@login_required
def queue(request):
    _require_operator(request.user)
    solutions = (
        Solution.objects.filter(status=Moderation.SUBMITTED)
        .select_related("provider")
        .order_by("submitted_at", "pk")
    )
    return render(request, "catalogue/moderation_queue.html", {"solutions": solutions})


@login_required
def moderate(request, pk):
    _require_operator(request.user)
    solution = get_object_or_404(Solution.objects.select_related("provider"), pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and solution.status == Moderation.DRAFT:
        # The provider has not sent it yet: there is nothing to decide.
        form.add_error(None, _("Ce brouillon n'a pas été envoyé en modération par le fournisseur."))
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"].strip()
        if form.cleaned_data["decision"] == "approve":
            actions.approve_solution(request.user, solution, reason)
            messages.success(request, _("L'offre %(name)s est publiée.") % {"name": solution})
        else:
            actions.reject_solution(request.user, solution, reason)
            messages.success(request, _("L'offre %(name)s est refusée.") % {"name": solution})
        return redirect("catalogue:moderation")
    previous = actions.last_approved_snapshot(solution)
    context = {
        "solution": solution,
        "form": form,
        "is_new": not previous,
        "changes": actions.diff(previous, actions.snapshot(solution)),
        "figures": solution.figures.select_related("verified_by"),
        "revisions": solution.revisions.select_related("author")[:20],
    }
    return render(request, "catalogue/moderation_detail.html", context)


@login_required
@require_POST
def verify_figure(request, pk):
    _require_operator(request.user)
    figure = get_object_or_404(Figure, pk=pk, solution__isnull=False)
    actions.verify_figure(request.user, figure)
    messages.success(request, _("Le chiffre « %(label)s » est vérifié.") % {"label": figure})
    return redirect("catalogue:moderate", pk=figure.solution_id)
