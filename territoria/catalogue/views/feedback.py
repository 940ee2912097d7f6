"""Towns' experience feedback: members of a commune write it, operators moderate it.

Feedback awaiting moderation is known only to the writing collectivité's members and
to operators (404 for everyone else); published feedback shows on the use-case and
solution pages, without its author.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from territoria.accounts.actions import ActionError
from territoria.catalogue import feedback_actions
from territoria.catalogue.enums import Moderation
from territoria.catalogue.feedback_forms import FeedbackForm, ModerationForm, commune_collectivites
from territoria.catalogue.models import Feedback, Solution, UseCase
from territoria.territories.models import Collectivite


def _visible(request, pk) -> Feedback:
    feedback = get_object_or_404(
        Feedback.objects.select_related("use_case", "solution", "commune", "collectivite"), pk=pk
    )
    if not feedback.get_abilities(request.user)["view"]:
        raise Http404
    return feedback


def _initial(request, collectivites) -> dict:
    """Use case and solution from the page the person came from; the population of
    their commune today."""
    initial = {}
    use_case = UseCase.objects.filter(slug=request.GET.get("cas", "")).first()
    solution = Solution.objects.published().filter(slug=request.GET.get("solution", "")).first()
    if solution is not None:
        initial["solution"] = solution.slug
        if use_case is None:
            use_case = solution.use_cases.order_by("title").first()
    if use_case is not None:
        initial["use_case"] = use_case.slug
    if len(collectivites) >= 1:
        initial["population"] = collectivites[0].population
    return initial


@login_required
def feedback_new(request):
    """A member of a commune writes feedback; it waits for an operator's moderation."""
    collectivites = list(commune_collectivites(request.user))
    if not collectivites:
        member = Collectivite.objects.of_member(request.user).exists()
        return render(request, "catalogue/feedback_refused.html", {"member": member}, status=403)
    if request.method == "POST":
        form = FeedbackForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                feedback = feedback_actions.submit_feedback(request.user, form)
            except ActionError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(
                    request,
                    _("Merci : votre retour d'expérience sera publié après relecture."),
                )
                return redirect("catalogue:feedback_detail", pk=feedback.pk)
    else:
        form = FeedbackForm(user=request.user, initial=_initial(request, collectivites))
    return render(request, "catalogue/feedback_form.html", {"form": form, "feedback": None})


@login_required
def feedback_edit(request, pk):
    """The writing collectivité's members edit their feedback while it awaits moderation."""
    feedback = _visible(request, pk)
    if not feedback_actions.can_edit(feedback, request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = FeedbackForm(request.POST, instance=feedback, user=request.user)
        if form.is_valid():
            feedback_actions.update_feedback(request.user, feedback, form)
            messages.success(request, _("Votre retour d'expérience est enregistré."))
            return redirect("catalogue:feedback_detail", pk=feedback.pk)
    else:
        form = FeedbackForm(instance=feedback, user=request.user)
    return render(request, "catalogue/feedback_form.html", {"form": form, "feedback": feedback})


def feedback_detail(request, pk):
    """A feedback as it is (or will be) published, with its moderation status for the
    writing collectivité's members and operators."""
    feedback = _visible(request, pk)
    abilities = feedback.get_abilities(request.user)
    context = {
        "item": feedback,
        "can_edit": feedback_actions.can_edit(feedback, request.user),
        "show_status": abilities["change"] or abilities["moderate"]
        or feedback.status != Moderation.APPROVED,
    }  # fmt: skip
    return render(request, "catalogue/feedback_detail.html", context)


@login_required
def feedback_mine(request):
    """The feedback written by the person's collectivités, whatever its status."""
    collectivites = Collectivite.objects.of_member(request.user)
    feedback = (
        Feedback.objects.filter(collectivite__in=collectivites)
        .select_related("use_case", "commune")
        .order_by("-created_at")
    )
    context = {"feedback": feedback, "can_write": commune_collectivites(request.user).exists()}
    return render(request, "catalogue/feedback_list.html", context)


def _require_operator(user) -> None:
    if not user.is_operator:
        raise PermissionDenied


@login_required
def feedback_moderation(request):
    """Operators: the feedback awaiting moderation, oldest first."""
    _require_operator(request.user)
    pending = (
        Feedback.objects.filter(status=Moderation.SUBMITTED)
        .select_related("use_case", "solution", "commune", "collectivite")
        .order_by("created_at", "pk")
    )
    items = [(item, ModerationForm(prefix=f"f{item.pk}")) for item in pending]
    return render(request, "catalogue/feedback_moderation.html", {"items": items})


@require_POST
@login_required
def feedback_moderate(request, pk):
    """Operators publish or refuse one feedback; a refusal needs its reason."""
    if not request.user.is_operator:
        raise Http404
    feedback = get_object_or_404(Feedback, pk=pk)
    form = ModerationForm(request.POST, prefix=f"f{feedback.pk}")
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                feedback_actions.approve_feedback(request.user, feedback)
                messages.success(request, _("Le retour d'expérience est publié."))
            else:
                feedback_actions.reject_feedback(
                    request.user, feedback, form.cleaned_data["reason"]
                )
                messages.success(request, _("Le retour d'expérience est refusé."))
        except ActionError as error:
            messages.error(request, error.message)
        return redirect(reverse("catalogue:feedback_moderation"))
    pending = (
        Feedback.objects.filter(status=Moderation.SUBMITTED)
        .select_related("use_case", "solution", "commune", "collectivite")
        .order_by("created_at", "pk")
    )
    items = [
        (item, form if item.pk == feedback.pk else ModerationForm(prefix=f"f{item.pk}"))
        for item in pending
    ]
    return render(request, "catalogue/feedback_moderation.html", {"items": items}, status=400)
