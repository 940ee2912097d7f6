"""Agents' pages of a participatory budget: creation, rules, technical review, census
and codes, paper ballots, opening the vote, results and implementation follow-up."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from territoria.accounts.actions import ActionError
from territoria.participation import budget_actions
from territoria.participation.census import import_census
from territoria.participation.forms import (
    CampaignForm,
    CensusForm,
    MilestoneForm,
    PaperForm,
    ReviewForm,
    RulesForm,
)
from territoria.participation.models import Ballot, Campaign, Project, VoteCode
from territoria.participation.views.common import refuse, staff_collectivite


def _campaign(request, slug, campaign) -> Campaign:
    place = staff_collectivite(request, slug)
    found = get_object_or_404(Campaign, collectivite=place, slug=campaign)
    found.collectivite = place
    return found


def campaign_new(request, slug):
    place = staff_collectivite(request, slug)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        campaign = form.save(commit=False)
        campaign.collectivite = place
        if Campaign.objects.filter(collectivite=place, slug=campaign.slug).exists():
            form.add_error("slug", _("Cet identifiant est déjà pris."))
        else:
            try:
                budget_actions.check_rule(campaign.rule, campaign.max_projects, campaign.envelope)
            except ActionError as error:
                refuse(request, error, form)
            else:
                campaign.save()
                return redirect("participation:campaign_manage", slug=slug, campaign=campaign.slug)
    return render(
        request,
        "participation/campaign_form.html",
        {"collectivite": place, "form": form},
        status=400 if form.errors else 200,
    )


def campaign_manage(request, slug, campaign):
    """The agent's desk for one budget."""
    campaign = _campaign(request, slug, campaign)
    return render(
        request,
        "participation/campaign_manage.html",
        {
            "campaign": campaign,
            "collectivite": campaign.collectivite,
            "projects": Project.objects.filter(campaign=campaign).select_related("idea"),
            "rules_form": RulesForm(instance=campaign),
            "census_form": CensusForm(),
            "paper_form": PaperForm(),
            "census_count": campaign.census.count(),
            "codes_count": VoteCode.objects.filter(campaign=campaign).count(),
            "codes_used": VoteCode.objects.filter(campaign=campaign, used=True).count(),
            "ballots_count": Ballot.objects.filter(campaign=campaign).count(),
            "paper_count": Ballot.objects.filter(campaign=campaign, paper=True).count(),
            "feasible": Project.objects.filter(campaign=campaign).on_ballot(),
        },
    )


def _back(campaign):
    return redirect(
        "participation:campaign_manage", slug=campaign.collectivite.slug, campaign=campaign.slug
    )


@require_POST
def campaign_rules(request, slug, campaign):
    campaign = _campaign(request, slug, campaign)
    form = RulesForm(request.POST, instance=Campaign.objects.get(pk=campaign.pk))
    if form.is_valid():
        try:
            budget_actions.set_rules(
                campaign, request.user, **{k: form.cleaned_data[k] for k in RulesForm.Meta.fields}
            )
            messages.success(request, _("Règles enregistrées."))
        except ActionError as error:
            messages.error(request, str(error.message))
    else:
        messages.error(request, _("Règles non valables : vérifiez les champs."))
    return _back(campaign)


@require_POST
def campaign_transition(request, slug, campaign, step):
    campaign = _campaign(request, slug, campaign)
    verbs = {
        "ouvrir": (budget_actions.open_vote, _("Le vote est ouvert ; les règles sont figées.")),
        "resultats": (budget_actions.publish_results, _("Résultats publiés.")),
        "suivi": (budget_actions.start_implementation, _("Suivi de réalisation ouvert.")),
    }
    if step not in verbs:
        return HttpResponse(status=404)
    verb, done = verbs[step]
    try:
        verb(campaign, request.user)
        messages.success(request, done)
    except ActionError as error:
        messages.error(request, str(error.message))
    return _back(campaign)


def project_review(request, slug, campaign, pk):
    campaign = _campaign(request, slug, campaign)
    project = get_object_or_404(Project, campaign=campaign, pk=pk)
    form = ReviewForm(
        request.POST or None,
        initial={
            "feasible": "yes" if project.status != "unfeasible" else "no",
            "cost": project.cost,
            "reason": project.review_reason,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            budget_actions.review_project(project, request.user, **form.cleaned_data)
        except ActionError as error:
            refuse(request, error, form)
        else:
            messages.success(request, _("Analyse enregistrée."))
            return _back(campaign)
    return render(
        request,
        "participation/project_review.html",
        {"campaign": campaign, "project": project, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def census_import(request, slug, campaign):
    """Import the census; with codes, answer with the mail-merge file (shown once)."""
    campaign = _campaign(request, slug, campaign)
    form = CensusForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choisissez un fichier CSV."))
        return _back(campaign)
    try:
        added, known, letters = import_census(
            campaign,
            request.user,
            form.cleaned_data["file"].read(),
            with_codes=form.cleaned_data["with_codes"],
        )
    except budget_actions.LineErrors as error:
        return render(
            request,
            "participation/census_errors.html",
            {"campaign": campaign, "error": error},
            status=400,
        )
    except ActionError as error:
        messages.error(request, str(error.message))
        return _back(campaign)
    if letters is not None:
        response = HttpResponse(letters, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="courriers-{campaign.slug}.csv"'
        response["Cache-Control"] = "no-store"
        return response
    messages.success(
        request, _("%(a)s personnes ajoutées, %(k)s déjà présentes.") % {"a": added, "k": known}
    )
    return _back(campaign)


@require_POST
def paper_ballot(request, slug, campaign):
    """An agent enters the ballot of a person who voted on paper at the desk."""
    campaign = _campaign(request, slug, campaign)
    form = PaperForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bulletin non enregistré : vérifiez les champs."))
        return _back(campaign)
    try:
        budget_actions.paper_ballot(
            campaign, request.user, choices=request.POST.getlist("projects"), **form.cleaned_data
        )
        messages.success(
            request, _("Bulletin papier enregistré ; cette personne ne peut plus voter en ligne.")
        )
    except ActionError as error:
        messages.error(request, _("Bulletin papier refusé : %(m)s") % {"m": error.message})
    return _back(campaign)


def milestone_new(request, slug, campaign, pk):
    campaign = _campaign(request, slug, campaign)
    project = get_object_or_404(Project, campaign=campaign, pk=pk)
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            budget_actions.add_milestone(project, request.user, **form.cleaned_data)
        except ActionError as error:
            refuse(request, error, form)
        else:
            messages.success(request, _("Étape ajoutée."))
            return _back(campaign)
    return render(
        request,
        "participation/milestone_form.html",
        {"campaign": campaign, "project": project, "form": form},
        status=400 if form.errors else 200,
    )
