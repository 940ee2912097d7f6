"""Citizens' pages: choose a collectivité, its map and list, the form, a report's page,
confirmation, "moi aussi", reopening, photos and the Atom feed. Nothing here shows
who reported."""

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from territoria import images
from territoria.accounts.actions import ActionError
from territoria.reports import actions
from territoria.reports.enums import Status
from territoria.reports.forms import ReopenForm, ReportForm, SupportForm
from territoria.reports.models import Category, Photo, Report, ReportZone, Update
from territoria.territories.models import Collectivite

MAP_MAX_POINTS = 1000
NEARBY_MAX = 5


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _collectivite(slug) -> Collectivite:
    return get_object_or_404(Collectivite.objects.active(), slug=slug)


def _public_reports(collectivite):
    return (
        Report.objects.of(collectivite)
        .published()
        .select_related("category", "collectivite", "commune")
    )


def home(request):
    """The collectivités that take reports online."""
    zones = (
        ReportZone.objects.filter(is_open=True, collectivite__is_active=True)
        .select_related("collectivite")
        .order_by("collectivite__name")
    )
    return render(request, "reports/home.html", {"zones": zones})


def reports_page(request, slug):
    """Map and list of a collectivité's published reports."""
    collectivite = _collectivite(slug)
    zone = ReportZone.objects.filter(collectivite=collectivite).first()
    reports = _public_reports(collectivite)
    state = request.GET.get("etat", "open")
    if state == "open":
        reports = reports.open()
    elif state == "closed":
        reports = reports.closed()
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/reports_page.html",
        {
            "collectivite": collectivite,
            "zone": zone,
            "page": page,
            "state": state,
            "can_manage": _staff_ability(request.user, collectivite),
        },
    )


def _staff_ability(user, collectivite) -> bool:
    from territoria.territories.models import user_role

    return bool(
        user.is_authenticated
        and (user.is_operator or user_role(user, collectivite) in {"agent", "admin", "elu"})
    )


def _parse_bbox(value: str):
    try:
        west, south, east, north = (float(part) for part in value.split(","))
    except ValueError:
        return None
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        return None
    return south, west, north, east


def reports_geojson(request, slug):
    """Published reports as GeoJSON for the map: at most MAP_MAX_POINTS (the newest),
    within ?bbox=west,south,east,north when given; `truncated` says some were left out."""
    collectivite = _collectivite(slug)
    reports = _public_reports(collectivite)
    state = request.GET.get("etat", "open")
    if state == "open":
        reports = reports.open()
    elif state == "closed":
        reports = reports.closed()
    if bbox := _parse_bbox(request.GET.get("bbox", "")):
        reports = reports.in_box(*bbox)
    rows = list(
        reports.values_list(
            "pk", "latitude", "longitude", "status", "category__name", "created_at"
        )[: MAP_MAX_POINTS + 1]
    )
    truncated = len(rows) > MAP_MAX_POINTS
    base = reverse("reports:detail", kwargs={"slug": slug, "report_id": 0})[:-2]
    labels = {value: str(label) for value, label in Status.choices}
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
            "properties": {
                "title": f"#{pk} {category}",
                "url": f"{base}{pk}/",
                "label": f"{labels[status]} — {created:%d/%m/%Y}",
                "state": "closed"
                if status not in {Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS}
                else ("warn" if status == Status.NEW else "new"),
            },
        }
        for pk, lat, lon, status, category, created in rows[:MAP_MAX_POINTS]
    ]
    return JsonResponse(
        {"type": "FeatureCollection", "features": features, "truncated": truncated},
        content_type="application/geo+json",
    )


def new_report(request, slug):
    """The citizen's form (mobile first; works without JavaScript and without the map)."""
    place = _collectivite(slug)
    zone = ReportZone.objects.filter(collectivite=place, is_open=True).first()
    categories = Category.objects.offered_at(place).prefetch_related("questions")
    if zone is None or not categories:
        return render(request, "reports/closed.html", {"collectivite": place}, status=404)
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        place=place,
        categories=categories,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data.get("website"):
            # A robot filled the honeypot: say nothing useful, store nothing.
            return render(request, "reports/sent.html", {"collectivite": place, "report": None})
        submission = actions.Submission(
            place=place,
            category=data["category"],
            description=data["description"],
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            address=data.get("address", ""),
            commune=data.get("commune"),
            answers=form.answers(),
            photos=form.photos(),
            email=data.get("email", ""),
            public_name=data.get("public_name", ""),
            show_name=data.get("show_name", False),
            user=request.user,
            ip=client_ip(request),
        )
        try:
            report = actions.submit_report(submission)
        except ActionError as error:
            target = error.field if error.field in form.fields else None
            if error.field == "location":
                target = "address"
            form.add_error(target, error.message)
        else:
            return render(request, "reports/sent.html", {"collectivite": place, "report": report})
    nearby = []
    if form.is_bound and form.data.get("latitude"):
        nearby = _nearby(
            place, form.data.get("category"), form.data.get("latitude"), form.data.get("longitude")
        )
    return render(
        request,
        "reports/report_form.html",
        {
            "collectivite": place,
            "zone": zone,
            "form": form,
            "nearby": nearby,
        },
        status=400 if form.is_bound else 200,
    )


def _nearby(place, category_id, lat, lon) -> list[Report]:
    try:
        category = Category.objects.offered_at(place).get(pk=int(category_id))
        lat, lon = float(lat), float(lon)
    except (Category.DoesNotExist, TypeError, ValueError):
        return []
    candidates = (
        Report.objects.of(category.collectivite)
        .published()
        .open()
        .filter(category=category)
        .prefetch_related("photos")
        .select_related("collectivite")
        .near(lat, lon, category.duplicate_radius_m)
    )
    return sorted(candidates, key=lambda r: r.created_at, reverse=True)[:NEARBY_MAX]


def nearby(request, slug):
    """Open reports of the chosen category near the chosen point, while the form is
    being written (HTMX partial)."""
    place = _collectivite(slug)
    reports = _nearby(
        place,
        request.GET.get("category"),
        request.GET.get("latitude"),
        request.GET.get("longitude"),
    )
    return render(request, "reports/includes/nearby.html", {"nearby": reports})


def confirm(request, token):
    """The emailed link publishes an anonymous report."""
    try:
        report = actions.confirm_report(token)
    except ActionError as error:
        return render(request, "reports/token_error.html", {"message": error.message}, status=404)
    messages.success(request, _("Merci : votre signalement est publié et transmis aux services."))
    return redirect(report.get_absolute_url())


def _public_report(request, slug, report_id) -> Report:
    report = get_object_or_404(
        Report.objects.select_related("category", "collectivite", "commune", "duplicate_of"),
        pk=report_id,
        collectivite__slug=slug,
    )
    if not report.get_abilities(request.user)["view"]:
        raise Http404
    return report


def detail(request, slug, report_id):
    """A report's public page: what, where, when, its public updates, its photos."""
    report = _public_report(request, slug, report_id)
    updates = Update.objects.filter(report=report).public()
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "collectivite": report.collectivite,
            "updates": updates,
            "photos": report.photos.all(),
            "support_form": SupportForm(),
            "point": {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {
                            "type": "Point",
                            "coordinates": [report.longitude, report.latitude],
                        },
                        "properties": {"title": report.title},
                    }
                ],
            },
            "can_manage": _staff_ability(request.user, report.collectivite),
        },
    )


@require_POST
def support(request, slug, report_id):
    """ "Moi aussi": add one's support instead of a new report."""
    report = _public_report(request, slug, report_id)
    if not report.is_public:
        raise Http404
    form = SupportForm(request.POST)
    if form.is_valid():
        try:
            created = actions.add_support(
                report, email=form.cleaned_data["email"], ip=client_ip(request)
            )
        except ActionError as error:
            messages.error(request, error.message)
        else:
            if created:
                messages.success(request, _("Merci, votre soutien est compté."))
            else:
                messages.info(request, _("Votre soutien était déjà compté."))
    else:
        messages.error(request, _("Indiquez un courriel valide pour soutenir ce signalement."))
    return redirect(report.get_absolute_url())


def reopen(request, token):
    """The reporter reopens a closed report from the link of the update email."""
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = actions.reopen_by_reporter(token, form.cleaned_data["text"])
        except ActionError as error:
            return render(
                request, "reports/token_error.html", {"message": error.message}, status=error.status
            )
        messages.success(request, _("Le signalement est rouvert ; le service en est averti."))
        return redirect(report.get_absolute_url())
    return render(request, "reports/reopen.html", {"form": form})


def photo(request, slug, photo_id, size):
    """A photo, only to those who may see its report (published, or staff)."""
    item = get_object_or_404(
        Photo.objects.select_related("report__collectivite"),
        pk=photo_id,
        collectivite__slug=slug,
    )
    if not item.report.get_abilities(request.user)["view"]:
        raise Http404
    return images.serve(item.thumbnail if size == "thumb" else item.image)


class ReportsFeed(Feed):
    """Atom feed of a collectivité's published reports and their public updates."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return _collectivite(slug)

    def title(self, obj):
        return _("Signalements — %(name)s") % {"name": obj.name}

    def link(self, obj):
        return reverse("reports:reports", kwargs={"slug": obj.slug})

    def subtitle(self, obj):
        return _("Les derniers signalements publiés et leur suivi.")

    def items(self, obj):
        return _public_reports(obj).order_by("-updated_at")[:50]

    def item_title(self, item):
        return f"#{item.pk} {item.category.name} — {item.get_status_display()}"

    def item_description(self, item):
        return item.description

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at


feed = ReportsFeed()
