"""Pages of group purchasing: campaigns (list, page, preparation, joining, the
coordinator's steps, convention exports) and the EPCI's shared services."""

from decimal import Decimal
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from territoria import tabular
from territoria.accounts.actions import ActionError
from territoria.purchasing import actions
from territoria.purchasing.convention import convention
from territoria.purchasing.enums import CampaignStatus
from territoria.purchasing.forms import (
    AwardForm,
    CampaignForm,
    InviteForm,
    JoinForm,
    LotFormSet,
)
from territoria.purchasing.models import Campaign, SharedService
from territoria.purchasing.shared import statement
from territoria.territories.models import Collectivite, user_role, user_roles


def _writer_collectivites(user):
    """The collectivités where this person is an agent or an admin."""
    roles = user_roles(user)
    ids = [pk for pk, role in roles.items() if role in {"agent", "admin"}]
    return Collectivite.objects.filter(pk__in=ids).order_by("name")


def home(request):
    campaigns = (
        Campaign.objects.public()
        .exclude(status=CampaignStatus.CLOSED)
        .select_related("collectivite", "use_case", "solution")
    )
    mine = Collectivite.objects.of_member(request.user)
    drafts = Campaign.objects.filter(status=CampaignStatus.DRAFT, collectivite__in=mine)
    services = SharedService.objects.filter(collectivite__in=mine) | SharedService.objects.filter(
        uses__commune__in=mine
    )
    context = {
        "campaigns": campaigns,
        "drafts": drafts.select_related("collectivite"),
        "can_create": _writer_collectivites(request.user).exists(),
        "services": services.distinct().select_related("collectivite"),
        "closed": Campaign.objects.filter(status=CampaignStatus.CLOSED).select_related(
            "collectivite"
        )[:10],
    }
    return render(request, "purchasing/home.html", context)


@login_required
def create(request):
    coordinators = _writer_collectivites(request.user)
    if not coordinators.exists():
        raise PermissionDenied
    form = CampaignForm(request.POST or None, coordinators=coordinators)
    lots = LotFormSet(request.POST or None, prefix="lots")
    if request.method == "POST" and form.is_valid() and lots.is_valid():
        data = form.cleaned_data
        try:
            campaign = actions.create_campaign(
                request.user,
                data["coordinator"],
                lots=[lot for lot in (f.lot() for f in lots) if lot],
                title=data["title"],
                use_case=data["use_case"],
                solution=data["solution"],
                legal_type=data["legal_type"],
                market_kind=data["market_kind"],
                open_to_epci=data["open_to_epci"],
                needs_deadline=data["needs_deadline"],
                publication_date=data["publication_date"],
                award_date=data["award_date"],
                shared_costs_cents=data["shared_costs"] or 0,
                sharing_rule=form.rule(),
                legal_note=data["legal_note"],
            )
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Achat groupé préparé. Invitez les membres puis ouvrez-le.")
            )
            return redirect(campaign)
    return render(request, "purchasing/create.html", {"form": form, "lots": lots})


def _campaign(request, pk):
    campaign = get_object_or_404(
        Campaign.objects.select_related("collectivite__commune", "use_case", "solution"), pk=pk
    )
    can = campaign.get_abilities(request.user)
    if not can["view"]:
        raise Http404
    return campaign, can


def _joinable(request, campaign):
    return [c for c in _writer_collectivites(request.user) if campaign.is_invited(c)]


def campaign_detail(request, pk):
    campaign, can = _campaign(request, pk)
    data = convention(campaign)
    joinable = _joinable(request, campaign) if request.user.is_authenticated else []
    join_form = None
    if can["join"]:
        join_form = JoinForm(
            members=Collectivite.objects.filter(pk__in=[c.pk for c in joinable]),
            lots=[state.lot for state in data.lots],
            initial=_join_initial(data, joinable),
        )
    context = {
        "campaign": campaign,
        "can": can,
        "data": data,
        "join_form": join_form,
        "mine": [line for line in data.members if line.participant.collectivite in joinable],
        "today": timezone.localdate(),
    }
    if can["manage"]:
        context["invite_form"] = InviteForm(candidates=_candidates(campaign))
        context["award_form"] = AwardForm(lots=[s.lot for s in data.lots])
        context["invited"] = actions.invited_collectivites(campaign)
    return render(request, "purchasing/campaign.html", context)


def _join_initial(data, joinable):
    """A member already in the groupement finds its needs in the form."""
    for line in data.members:
        if line.participant.collectivite in joinable:
            participant = line.participant
            initial = {f"lot_{lot}": quantity for lot, quantity in line.quantities.items()}
            return initial | {
                "member": participant.collectivite_id,
                "deliberation_ref": participant.deliberation_ref,
                "deliberation_date": participant.deliberation_date,
            }
    return {}


def _candidates(campaign):
    return Collectivite.objects.active().exclude(pk=campaign.collectivite_id).order_by("name")


def _post_action(ability):
    """A coordinator's or member's step, for people with that ability on the campaign
    (403 otherwise); refusals of the step itself are shown as a message on the page."""

    def decorate(view):
        @wraps(view)
        @login_required
        @require_POST
        def wrapper(request, pk):
            campaign, can = _campaign(request, pk)
            if ability and not can[ability]:
                raise PermissionDenied
            try:
                view(request, campaign, can)
            except ActionError as error:
                messages.error(request, error.message)
            return redirect(campaign)

        return wrapper

    return decorate


@_post_action(None)
def join(request, campaign, can):
    joinable = _joinable(request, campaign)
    if not joinable:
        raise PermissionDenied(_("Aucune de vos collectivités n'est invitée à cet achat groupé."))
    if campaign.status != CampaignStatus.OPEN or campaign.is_past_deadline():
        raise ActionError("frozen", actions.late_message(campaign))
    form = JoinForm(
        request.POST,
        members=Collectivite.objects.filter(pk__in=[c.pk for c in joinable]),
        lots=campaign.lots.all(),
    )
    if not form.is_valid():
        errors = "; ".join(
            f"{form.fields[name].label if name in form.fields else ''} : {problems[0]}"
            for name, problems in form.errors.items()
        )
        raise ActionError("invalid", _("Inscription refusée — %s.") % errors)
    actions.join(
        request.user,
        campaign,
        form.cleaned_data["member"],
        needs=form.needs(),
        deliberation_ref=form.cleaned_data["deliberation_ref"],
        deliberation_date=form.cleaned_data["deliberation_date"],
    )
    messages.success(request, _("Besoins enregistrés."))


@_post_action("manage")
def invite(request, campaign, can):
    form = InviteForm(request.POST, candidates=_candidates(campaign))
    if not form.is_valid():
        raise ActionError("invalid", _("Choisissez au moins une collectivité."))
    count = actions.invite(request.user, campaign, list(form.cleaned_data["collectivites"]))
    messages.success(
        request,
        ngettext("%(n)s collectivité invitée.", "%(n)s collectivités invitées.", count)
        % {"n": count},
    )


@_post_action("manage")
def open_campaign(request, campaign, can):
    actions.open_campaign(request.user, campaign)
    messages.success(request, _("L'achat groupé est ouvert : les invités sont prévenus."))


@_post_action("manage")
def freeze(request, campaign, can):
    if actions.freeze(campaign, request.user):
        messages.success(request, _("Besoins arrêtés : plus aucune adhésion ni modification."))


@_post_action("manage")
def award(request, campaign, can):
    form = AwardForm(request.POST, lots=campaign.lots.all())
    if not form.is_valid():
        raise ActionError("invalid", _("Indiquez le prix attribué de chaque lot, en euros."))
    actions.award(request.user, campaign, form.prices())
    messages.success(request, _("Attribution enregistrée : les parts sont recalculées."))


@_post_action("manage")
def close(request, campaign, can):
    actions.close(request.user, campaign)
    messages.success(request, _("Achat groupé clos."))


def _members_only(request, pk):
    campaign, can = _campaign(request, pk)
    if not can["view_members"]:
        raise Http404
    return campaign


def convention_pdf(request, pk):
    from weasyprint import HTML

    campaign = _members_only(request, pk)
    html = render_to_string(
        "purchasing/convention_pdf.html",
        {"campaign": campaign, "data": convention(campaign), "today": timezone.localdate()},
        request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="groupement-{campaign.pk}.pdf"'
    return response


def convention_csv(request, pk):
    """One row per member and lot: needs, unit price and amounts in euros HT."""
    campaign = _members_only(request, pk)
    data = convention(campaign)
    response, writer = tabular.csv_response(f"groupement-{campaign.pk}.csv")
    writer.writerow(
        [
            "membre",
            "code",
            "deliberation",
            "date_deliberation",
            "lot",
            "quantite",
            "prix_unitaire_ht",
            "montant_lot_ht",
            "part_frais_communs_ht",
            "total_membre_ht",
            "cout_seul_ht",
            "economie_ht",
        ]
    )
    for line in data.members:
        collectivite = line.participant.collectivite
        code = collectivite.commune_id or collectivite.epci_id
        for state in data.lots:
            lot = state.lot.pk
            writer.writerow(
                [
                    collectivite.name,
                    code,
                    line.participant.deliberation_ref,
                    line.participant.deliberation_date.isoformat(),
                    state.lot.name,
                    line.quantities.get(lot, 0),
                    _euros(state.unit_price_cents),
                    _euros(line.share.lots_cents[lot]),
                    _euros(line.share.shared_cents),
                    _euros(line.share.total_cents),
                    _euros(sum(line.share.alone_cents.values())),
                    _euros(line.share.saving_cents),
                ]
            )
    return response


def _euros(cents: int) -> Decimal:
    """Euros with two decimals, a number the CSV writer leaves as it is (-12.50)."""
    return Decimal(cents).scaleb(-2)


def service_detail(request, pk):
    """The yearly statement of a shared service, per member commune."""
    service = get_object_or_404(SharedService.objects.select_related("collectivite"), pk=pk)
    communes = Collectivite.objects.filter(pk__in=service.uses.values("commune"))
    readers = {service.collectivite} | set(communes)
    if not request.user.is_authenticated or not (
        request.user.is_operator or any(user_role(request.user, c) for c in readers)
    ):
        raise Http404
    return render(
        request, "purchasing/service.html", {"service": service, "lines": statement(service)}
    )
