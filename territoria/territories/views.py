from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from territoria.territories.models import Collectivite


def _registered(request):
    query = request.GET.get("q", "").strip()
    collectivites = (
        Collectivite.objects.active()
        .search(query)
        .select_related("commune__departement", "epci")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name")
    )
    return query, collectivites


def home(request):
    query, collectivites = _registered(request)
    context = {
        "query": query,
        "collectivites": collectivites[:12],
        "collectivite_count": Collectivite.objects.active().count(),
    }
    return render(request, "territories/home.html", context)


def collectivite_list(request):
    query, collectivites = _registered(request)
    page = Paginator(collectivites, 24).get_page(request.GET.get("page"))
    context = {"query": query, "page": page, "collectivites": page.object_list}
    if request.htmx:
        return render(request, "territories/includes/collectivite_results.html", context)
    return render(request, "territories/collectivite_list.html", context)


def collectivite_detail(request, slug):
    collectivite = get_object_or_404(
        Collectivite.objects.active().select_related(
            "commune__departement__region", "commune__epci", "epci"
        ),
        slug=slug,
    )
    context = {
        "collectivite": collectivite,
        "current_collectivite": collectivite,
        "abilities": collectivite.get_abilities(request.user),
        "parent_epci": collectivite.parent_epci(),
        "member_communes": collectivite.member_communes().select_related("commune"),
    }
    return render(request, "territories/collectivite_detail.html", context)
