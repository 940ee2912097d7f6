"""Citizens' pages of a participatory budget: projects, submitting one, verifying who
votes (census, printed code, digital identity) and casting the ballot."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from territoria.accounts.actions import ActionError
from territoria.charts import bar_chart
from territoria.participation import budget_actions, oidc
from territoria.participation.enums import Channel, Phase, ProjectStatus
from territoria.participation.forms import CensusVerifyForm, CodeForm, ProjectForm
from territoria.participation.models import Campaign, Project
from territoria.participation.views.common import client_ip, is_staff, public_collectivite, refuse

SESSION_KEY = "participation_voter"


def get_campaign(slug, campaign) -> Campaign:
    place = public_collectivite(slug)
    return get_object_or_404(
        Campaign.objects.select_related("collectivite"), collectivite=place, slug=campaign
    )


def campaign_page(request, slug, campaign):
    """Phases, rule, projects and, once published, the results."""
    campaign = get_campaign(slug, campaign)
    staff = is_staff(request, campaign.collectivite)
    projects = list(Project.objects.filter(campaign=campaign).prefetch_related("milestones"))
    results = campaign.phase in {Phase.RESULTS, Phase.IMPLEMENTATION}
    ranked = sorted((p for p in projects if p.rank), key=lambda p: p.rank)
    chart = (
        bar_chart(
            [(p.title, p.votes) for p in ranked],
            title=_("Voix par projet"),
            y_label=_("Voix"),
            height=280,
        )
        if results and ranked
        else None
    )
    return render(
        request,
        "participation/campaign.html",
        {
            "campaign": campaign,
            "collectivite": campaign.collectivite,
            "projects": projects,
            "results": results,
            "chart": chart,
            "winners": [p for p in projects if p.status == ProjectStatus.SELECTED],
            "ballot_projects": [p for p in projects if p.status == ProjectStatus.FEASIBLE],
            "staff": staff,
        },
    )


@login_required
def project_new(request, slug, campaign):
    """A resident submits a project during the submission phase."""
    campaign = get_campaign(slug, campaign)
    form = ProjectForm(request.POST or None)
    if campaign.phase != Phase.SUBMISSION:
        messages.error(request, _("Le dépôt des projets est clos."))
        return redirect(campaign)
    if request.method == "POST" and form.is_valid():
        try:
            budget_actions.submit_project(campaign, request.user, **form.cleaned_data)
        except ActionError as error:
            refuse(request, error, form)
        else:
            messages.success(
                request, _("Votre projet est déposé ; il sera analysé par les services.")
            )
            return redirect(campaign)
    return render(
        request,
        "participation/project_form.html",
        {"campaign": campaign, "form": form},
        status=400 if form.errors else 200,
    )


def _verified(request, campaign) -> dict | None:
    return request.session.get(SESSION_KEY, {}).get(str(campaign.pk))


def _remember(request, campaign, digest, channel, code_hash="") -> None:
    voters = request.session.get(SESSION_KEY, {})
    voters[str(campaign.pk)] = {"hash": digest, "channel": channel, "code": code_hash}
    request.session[SESSION_KEY] = voters
    request.session.cycle_key()


def _forget(request, campaign) -> None:
    voters = request.session.get(SESSION_KEY, {})
    voters.pop(str(campaign.pk), None)
    request.session[SESSION_KEY] = voters


def vote(request, slug, campaign):
    """Step 1: prove who you are, with the letter's code, the census or a digital
    identity. No account is needed. Failed checks from one network are limited."""
    campaign = get_campaign(slug, campaign)
    if not campaign.is_voting_open:
        return render(request, "participation/vote_closed.html", {"campaign": campaign}, status=409)
    method = request.POST.get("method")
    code_form = CodeForm(request.POST if method == "code" else None, prefix="code")
    census_form = CensusVerifyForm(request.POST if method == "census" else None, prefix="census")
    form = code_form if method == "code" else census_form
    status = 200
    if request.method == "POST":
        network = None
        try:
            network = budget_actions.check_attempts(campaign, client_ip(request))
            if method == "code" and code_form.is_valid():
                digest, code_hash = budget_actions.verify_code(
                    campaign, code_form.cleaned_data["code"]
                )
                _remember(request, campaign, digest, Channel.CODE, code_hash)
                return redirect("participation:ballot", slug=slug, campaign=campaign.slug)
            if method == "census" and census_form.is_valid():
                data = census_form.cleaned_data
                digest = budget_actions.verify_census(
                    campaign, data["last_name"], data["first_name"], data["birth"]
                )
                _remember(request, campaign, digest, Channel.CENSUS)
                return redirect("participation:ballot", slug=slug, campaign=campaign.slug)
            status = 400
        except ActionError as error:
            refuse(request, error, form)
            status = error.status
            if network and error.code in {"unknown_code", "not_in_census"}:
                budget_actions.record_failure(campaign, network)
    return render(
        request,
        "participation/vote.html",
        {
            "campaign": campaign,
            "code_form": code_form,
            "census_form": census_form,
            "oidc": campaign.allow_oidc and oidc.enabled(),
            "oidc_name": oidc.settings.PARTICIPATION_OIDC_NAME,
            "has_census": campaign.census.exists(),
        },
        status=status,
    )


def ballot(request, slug, campaign):
    """Step 2: choose projects within the rule, and cast the ballot."""
    campaign = get_campaign(slug, campaign)
    voter = _verified(request, campaign)
    if voter is None:
        return redirect("participation:vote", slug=slug, campaign=campaign.slug)
    projects = list(Project.objects.filter(campaign=campaign, status=ProjectStatus.FEASIBLE))
    chosen = request.POST.getlist("projects")
    error, status = None, 200
    if request.method == "POST":
        try:
            budget_actions.cast_ballot(
                campaign, voter["hash"], voter["channel"], chosen, code_hash=voter.get("code", "")
            )
        except ActionError as refused:
            error, status = refused.message, refused.status
            if refused.code in {"already_voted", "code_used", "vote_closed"}:
                _forget(request, campaign)
        else:
            _forget(request, campaign)
            return redirect("participation:voted", slug=slug, campaign=campaign.slug)
    return render(
        request,
        "participation/ballot.html",
        {
            "campaign": campaign,
            "projects": projects,
            "chosen": chosen,
            "error": error,
        },
        status=status,
    )


def voted(request, slug, campaign):
    campaign = get_campaign(slug, campaign)
    return render(request, "participation/voted.html", {"campaign": campaign})


@require_POST
def oidc_start(request, slug, campaign):
    """Send the person to the identity provider (authorization code flow)."""
    campaign = get_campaign(slug, campaign)
    if not (campaign.allow_oidc and oidc.enabled() and campaign.is_voting_open):
        messages.error(
            request, _("La vérification par identité numérique n'est pas proposée pour ce vote.")
        )
        return redirect("participation:vote", slug=slug, campaign=campaign.slug)
    try:
        url, state, nonce = oidc.authorization_url(_redirect_uri(request))
    except oidc.OIDCError:
        messages.error(
            request,
            _(
                "Le fournisseur d'identité ne répond pas ; réessayez plus "
                "tard ou utilisez le code reçu par courrier."
            ),
        )
        return redirect("participation:vote", slug=slug, campaign=campaign.slug)
    request.session["participation_oidc"] = {
        "state": state,
        "nonce": nonce,
        "campaign": campaign.pk,
    }
    return redirect(url)


def _redirect_uri(request) -> str:
    return request.build_absolute_uri(reverse("participation:oidc_callback"))


def oidc_callback(request):
    """Back from the provider: check state, exchange the code, verify the id_token."""
    pending = request.session.pop("participation_oidc", None)
    if not pending or request.GET.get("state") != pending["state"] or not request.GET.get("code"):
        return render(request, "participation/oidc_error.html", status=400)
    campaign = get_object_or_404(
        Campaign.objects.select_related("collectivite"), pk=pending["campaign"]
    )
    back = reverse(
        "participation:vote", kwargs={"slug": campaign.collectivite.slug, "campaign": campaign.slug}
    )
    try:
        claims = oidc.exchange(request.GET["code"], _redirect_uri(request), pending["nonce"])
        digest = budget_actions.verify_claims(campaign, claims)
    except oidc.OIDCError:
        return render(request, "participation/oidc_error.html", status=400)
    except ActionError as error:
        messages.error(request, str(error.message))
        return redirect(back)
    _remember(request, campaign, digest, Channel.OIDC)
    return redirect("participation:ballot", slug=campaign.collectivite.slug, campaign=campaign.slug)
