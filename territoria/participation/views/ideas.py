"""The idea box: list, propose, support, comment, flag; agents answer and moderate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from territoria import images
from territoria.accounts.actions import ActionError
from territoria.participation import idea_actions
from territoria.participation.enums import IdeaCategory, IdeaStatus, Visibility
from territoria.participation.forms import AnswerForm, CommentForm, IdeaForm
from territoria.participation.models import Campaign, Comment, Idea
from territoria.participation.views.common import (
    is_staff,
    public_collectivite,
    refuse,
    staff_collectivite,
)


def ideas(request, slug):
    place = public_collectivite(slug)
    found = Idea.objects.of(place).published().with_supports().order_by("-created_at", "-pk")
    category = request.GET.get("theme", "")
    if category in IdeaCategory.values:
        found = found.filter(category=category)
    status = request.GET.get("statut", "")
    if status in IdeaStatus.values:
        found = found.filter(status=status)
    if request.GET.get("tri") == "soutiens":
        found = found.order_by("-support_count", "-created_at")
    page = Paginator(found, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "participation/ideas.html",
        {
            "collectivite": place,
            "page": page,
            "categories": IdeaCategory.choices,
            "statuses": IdeaStatus.choices,
            "category": category,
            "status": status,
            "staff": is_staff(request, place),
        },
    )


@login_required
def idea_new(request, slug):
    place = public_collectivite(slug)
    form = IdeaForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            idea = idea_actions.propose_idea(place, request.user, **form.cleaned_data)
        except ActionError as error:
            refuse(request, error, form)
        else:
            messages.success(request, _("Merci ! Votre idée est publiée."))
            return redirect(idea)
    return render(
        request,
        "participation/idea_form.html",
        {"collectivite": place, "form": form},
        status=400 if form.errors else 200,
    )


def _idea(request, slug, pk) -> Idea:
    place = public_collectivite(slug)
    idea = get_object_or_404(Idea.objects.with_supports(), collectivite=place, pk=pk)
    idea.collectivite = place
    if not idea.get_abilities(request.user)["view"]:
        raise Http404
    return idea


def idea(request, slug, pk):
    idea = _idea(request, slug, pk)
    staff = is_staff(request, idea.collectivite)
    comments = idea.comments.all()
    if not staff:
        comments = comments.filter(visibility=Visibility.VISIBLE)
    return render(
        request,
        "participation/idea.html",
        {
            "idea": idea,
            "collectivite": idea.collectivite,
            "comments": comments,
            "can": idea.get_abilities(request.user),
            "staff": staff,
            "comment_form": CommentForm(),
            "answer_form": AnswerForm(initial={"status": idea.status, "answer": idea.answer}),
            "supported": request.user.is_authenticated
            and idea.supports.filter(user=request.user).exists(),
            "projects": idea.projects.select_related("campaign"),
            "open_campaigns": Campaign.objects.of(idea.collectivite).filter(rules_frozen_at=None)
            if staff
            else [],
        },
    )


def idea_image(request, slug, pk):
    """An idea's image, only to those who may see the idea (hidden: its moderators)."""
    return images.serve(_idea(request, slug, pk).image)


@require_POST
@login_required
def idea_support(request, slug, pk):
    idea = _idea(request, slug, pk)
    try:
        added = idea_actions.support_idea(idea, request.user)
    except PermissionDenied:
        raise Http404 from None
    if added:
        messages.success(request, _("Votre soutien est compté."))
    else:
        messages.info(request, _("Vous soutenez déjà cette idée."))
    return redirect(idea)


@require_POST
@login_required
def idea_comment(request, slug, pk):
    idea = _idea(request, slug, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            idea_actions.comment_idea(idea, request.user, **form.cleaned_data)
            messages.success(request, _("Commentaire publié."))
        except PermissionDenied:
            raise Http404 from None
    else:
        messages.error(request, _("Le commentaire est vide ou trop long."))
    return redirect(idea)


@require_POST
@login_required
def idea_flag(request, slug, pk):
    idea = _idea(request, slug, pk)
    comment = None
    if request.POST.get("comment"):
        comment = get_object_or_404(
            Comment, idea=idea, pk=request.POST["comment"], visibility=Visibility.VISIBLE
        )
    try:
        idea_actions.flag(
            request.user,
            idea=None if comment else idea,
            comment=comment,
            reason=request.POST.get("reason", ""),
        )
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Merci, la modération examinera ce contenu."))
    return redirect("participation:ideas", slug=slug) if comment is None else redirect(idea)


@require_POST
def idea_answer(request, slug, pk):
    place = staff_collectivite(request, slug)
    idea = get_object_or_404(Idea, collectivite=place, pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            idea_actions.answer_idea(idea, request.user, **form.cleaned_data)
            messages.success(request, _("Réponse publiée."))
        except ActionError as error:
            messages.error(request, str(error.message))
    else:
        messages.error(request, _("Choisissez un statut et écrivez un message."))
    return redirect(idea)


def moderation(request, slug):
    """Flagged and hidden contributions; hide or restore in bulk."""
    place = staff_collectivite(request, slug)
    if request.method == "POST":
        try:
            if request.POST.get("author"):
                n = idea_actions.hide_author(request.user, place, int(request.POST["author"]))
            else:
                n = idea_actions.moderate(
                    request.user,
                    place,
                    ideas=request.POST.getlist("ideas"),
                    comments=request.POST.getlist("comments"),
                    decision=request.POST.get("decision", ""),
                    note=request.POST.get("note", ""),
                )
            messages.success(request, _("%(n)s contributions modifiées.") % {"n": n})
        except (ActionError, ValueError) as error:
            messages.error(request, str(getattr(error, "message", _("Demande invalide."))))
        return redirect("participation:moderation", slug=slug)
    needs_review = Q(flag_count__gt=0) | ~Q(visibility=Visibility.VISIBLE)
    flagged_ideas = Idea.objects.of(place).annotate(flag_count=Count("flags")).filter(needs_review)
    flagged_comments = (
        Comment.objects.filter(idea__collectivite=place)
        .annotate(flag_count=Count("flags"))
        .filter(needs_review)
        .select_related("idea")
    )
    return render(
        request,
        "participation/moderation.html",
        {
            "collectivite": place,
            "ideas": flagged_ideas,
            "comments": flagged_comments,
        },
    )


@require_POST
def idea_to_project(request, slug, pk):
    """An agent makes a project of the participatory budget out of an idea."""
    from territoria.participation import budget_actions

    place = staff_collectivite(request, slug)
    idea = get_object_or_404(Idea, collectivite=place, pk=pk)
    campaign = get_object_or_404(Campaign, collectivite=place, pk=request.POST.get("campaign") or 0)
    try:
        budget_actions.project_from_idea(campaign, request.user, idea)
        messages.success(
            request, _("L'idée est devenue un projet de « %(c)s ».") % {"c": campaign.title}
        )
    except ActionError as error:
        messages.error(request, str(error.message))
    return redirect(idea)
