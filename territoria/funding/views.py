"""Pages of the funding single window: the programmes, a territory's eligibility, a
collectivité's projects with their expected aid, the calendar of deadlines."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from territoria.funding import links, perimeters
from territoria.funding.enums import Verdict
from territoria.funding.forms import FilterForm, TerritoryChoiceForm
from territoria.funding.matching import compiled, match
from territoria.funding.models import DigestSubscription, Programme, Window
from territoria.territories.models import Collectivite
from territoria.territories.tenancy import collectivite_for

PAGE_SIZE = 20


def _programme_page(request, ids):
    """The programmes of a page, in the given order, with what their cards show."""
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    by_id = Programme.objects.prefetch_related("funders", "windows").in_bulk(list(page))
    return page, [by_id[i] for i in page if i in by_id]


def home(request):
    """Every published programme, filtered; a territory picker to check eligibility."""
    filters = FilterForm(request.GET or None)
    chosen = TerritoryChoiceForm(request.GET if "territoire" in request.GET else None)
    if chosen.is_bound and chosen.is_valid():
        return redirect("funding:territory", code=_code(chosen.cleaned_data["territoire"]))
    keep = filters.filters()
    ids = [p.id for p in compiled() if keep.keep(p)]
    page, programmes = _programme_page(request, ids)
    context = {
        "filters": filters,
        "chosen": chosen,
        "page": page,
        "programmes": programmes,
        "total": len(ids),
        "mine": Collectivite.objects.of_member(request.user).order_by("name"),
        "query": _query_without_page(request),
    }
    return render(request, "funding/home.html", context)


def _code(territory) -> str:
    """The official code of a Commune (INSEE) or an Epci (SIREN)."""
    return getattr(territory, "code", None) or territory.siren


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def programme_detail(request, slug):
    programme = get_object_or_404(
        Programme.objects.published()
        .select_related("named_list")
        .prefetch_related("funders", "windows", "use_cases"),
        slug=slug,
    )
    checks = []
    for collectivite in Collectivite.objects.of_member(request.user).select_related(
        "commune", "epci"
    ):
        territory = perimeters.for_collectivite(collectivite, links.population(collectivite))
        checks.append((collectivite, links.check(programme, territory)))
    context = {
        "programme": programme,
        "checks": checks,
        "today": timezone.localdate(),
        "rules": links.describe(programme),
    }
    return render(request, "funding/programme_detail.html", context)


def territory(request, code):
    """Which programmes a commune (INSEE code) or an intercommunalité (SIREN) may use.
    Public: it uses only public data."""
    found = perimeters.for_code(code)
    if found is None:
        raise Http404
    place, area = found
    filters = FilterForm(request.GET or None)
    results = match(area, filters=filters.filters())
    context = {
        "place": place,
        "filters": filters,
        "eligible": results[Verdict.ELIGIBLE],
        "probable": results[Verdict.PROBABLE],
        "ineligible": results[Verdict.INELIGIBLE],
        "today": timezone.localdate(),
    }
    return render(request, "funding/territory.html", context)


def collectivite(request, slug):
    """For members: the programmes of their collectivité and, for each project of its
    roadmap, the eligible programmes and the aid to expect."""
    collectivite = collectivite_for(request, slug, "view_private")
    area = perimeters.for_collectivite(collectivite, links.population(collectivite))
    results = match(area)
    context = {
        "collectivite": collectivite,
        "eligible": results[Verdict.ELIGIBLE],
        "probable": results[Verdict.PROBABLE],
        "ineligible_count": len(results[Verdict.INELIGIBLE]),
        "projects": links.projects_with_funding(collectivite, area),
        "subscribed": DigestSubscription.objects.filter(
            user=request.user, collectivite=collectivite
        ).exists(),
        "today": timezone.localdate(),
    }
    return render(request, "funding/collectivite.html", context)


@login_required
@require_POST
def subscribe(request, slug):
    """Subscribe to (or leave) the weekly digest of deadlines of a collectivité."""
    collectivite = collectivite_for(request, slug, "view_private")
    if request.POST.get("abonner") == "1":
        DigestSubscription.objects.get_or_create(user=request.user, collectivite=collectivite)
        messages.success(request, _("Vous recevrez chaque semaine les échéances proches."))
    else:
        DigestSubscription.objects.filter(user=request.user, collectivite=collectivite).delete()
        messages.success(request, _("Vous ne recevrez plus le récapitulatif des échéances."))
    return redirect("funding:collectivite", slug=collectivite.slug)


def calendar(request):
    """Application windows closing in the next twelve months, by month; for a territory
    (?code=) only the programmes it may use."""
    today = timezone.localdate()
    windows = (
        Window.objects.filter(
            programme__status="published",
            closes_on__gte=today,
            closes_on__lte=today + timedelta(days=365),
        )
        .select_related("programme")
        .order_by("closes_on", "programme__name")
    )
    place = None
    chosen = TerritoryChoiceForm(request.GET if "territoire" in request.GET else None)
    code = request.GET.get("code", "").strip()
    if chosen.is_bound and chosen.is_valid():
        code = _code(chosen.cleaned_data["territoire"])
    if code:
        found = perimeters.for_code(code)
        if found is None:
            raise Http404
        place, area = found
        usable = {
            m.programme.id
            for verdict in (Verdict.ELIGIBLE, Verdict.PROBABLE)
            for m in match(area)[verdict]
        }
        windows = [w for w in windows if w.programme_id in usable]
    months = {}
    for window in windows:
        months.setdefault(window.closes_on.replace(day=1), []).append(window)
    ongoing = Programme.objects.published().filter(windows__closes_on__isnull=True).distinct()
    context = {
        "months": sorted(months.items()),
        "place": place,
        "ongoing": ongoing.order_by("name"),
        "today": today,
        "chosen": chosen,
    }
    return render(request, "funding/calendar.html", context)
