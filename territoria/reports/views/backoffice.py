"""Agents' back-office: list and map with filters, bulk actions, a report's workflow,
the dashboard of indicators and the Open311 client applications. Élus may read."""

import datetime

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from territoria.accounts import audit
from territoria.accounts.actions import ActionError
from territoria.charts import Series, bar_chart
from territoria.reports import handling, indicators
from territoria.reports.enums import CLOSED_STATUSES, OPEN_STATUSES, Publication, Status
from territoria.reports.forms import (
    AssignForm,
    CategoryForm,
    ClientApplicationForm,
    DuplicateForm,
    FilterForm,
    QuestionFormSet,
    UpdateForm,
    ZoneForm,
    question_initial,
)
from territoria.reports.models import (
    Category,
    ClientApplication,
    Report,
    ReportZone,
    Service,
    Update,
)
from territoria.territories.enums import CollectiviteKind
from territoria.territories.models import user_role
from territoria.territories.tenancy import collectivite_for


def _staff(request, slug, *, write=False):
    """The collectivité if the person is a member (élus read, agents and admins act)."""
    collectivite = collectivite_for(request, slug, "view_private")
    role = user_role(request.user, collectivite)
    can_change = request.user.is_operator or role in {"agent", "admin"}
    if write and not can_change:
        raise PermissionDenied
    return collectivite, can_change


def _agents(collectivite):
    return (
        get_user_model()
        .objects.filter(
            memberships__collectivite=collectivite, memberships__role__in=["agent", "admin"]
        )
        .order_by("email")
        .distinct()
    )


def _filtered(collectivite, form):
    reports = (
        Report.objects.of(collectivite)
        .select_related("category", "assignee", "commune", "collectivite")
        .order_by("-created_at", "-pk")
    )
    if not form.is_valid():
        return reports
    data = form.cleaned_data
    status = data.get("status")
    if status == "open":
        reports = reports.filter(status__in=OPEN_STATUSES)
    elif status == "closed":
        reports = reports.filter(status__in=CLOSED_STATUSES)
    elif status:
        reports = reports.filter(status=status)
    if data.get("category"):
        reports = reports.filter(category=data["category"])
    if data.get("assignee"):
        reports = reports.filter(assignee=data["assignee"])
    if data.get("since"):
        reports = reports.filter(created_at__date__gte=data["since"])
    if data.get("until"):
        reports = reports.filter(created_at__date__lte=data["until"])
    if area := (data.get("commune") or "").strip():
        reports = reports.filter(Q(commune__name__icontains=area) | Q(address__icontains=area))
    if box := data.get("bbox"):
        west, south, east, north = box
        reports = reports.in_box(south, west, north, east)
    return reports


def manage_list(request, slug):
    """Every report of the collectivité (published or not), filtered; bulk actions."""
    collectivite, can_change = _staff(request, slug)
    agents = _agents(collectivite)
    form = FilterForm(
        request.GET or None,
        categories=Category.objects.of(collectivite),
        agents=agents,
    )
    reports = _filtered(collectivite, form)
    if request.GET.get("format") == "geojson":
        rows = reports.values_list("pk", "latitude", "longitude", "status", "category__name")[:2000]
        return JsonResponse(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [lon, lat]},
                        "properties": {
                            "title": f"#{pk} {name}",
                            "url": reverse(
                                "reports:manage_detail", kwargs={"slug": slug, "report_id": pk}
                            ),
                            "label": Status(status).label,
                            "state": "closed" if status in CLOSED_STATUSES else "new",
                        },
                    }
                    for pk, lat, lon, status, name in rows
                ],
            }
        )
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    whole_map = query.copy()
    whole_map.pop("bbox", None)
    return render(
        request,
        "reports/manage_list.html",
        {
            "collectivite": collectivite,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "whole_map_query": whole_map.urlencode(),
            "in_box": form.is_valid() and form.cleaned_data.get("bbox") is not None,
            "can_change": can_change,
            "agents": agents,
        },
    )


@require_POST
def manage_bulk(request, slug):
    """One action on the ticked reports, all or nothing."""
    collectivite, _can = _staff(request, slug, write=True)
    ids = [int(v) for v in request.POST.getlist("reports") if v.isdigit()]
    reports = Report.objects.of(collectivite).filter(pk__in=ids).select_related("collectivite")
    assignee = None
    if request.POST.get("assignee"):
        assignee = _agents(collectivite).filter(pk=request.POST["assignee"]).first()
    try:
        count = handling.bulk(
            request.user, reports, request.POST.get("action", ""), assignee=assignee
        )
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext("%(count)s signalement traité.", "%(count)s signalements traités.", count)
            % {"count": count},
        )
    return redirect(reverse("reports:manage_list", kwargs={"slug": slug}))


def manage_detail(request, slug, report_id):
    """A report with its personal data (for follow-up only), history and workflow forms."""
    collectivite, can_change = _staff(request, slug)
    report = get_object_or_404(
        Report.objects.select_related("category", "assignee", "commune", "duplicate_of"),
        pk=report_id,
        collectivite=collectivite,
    )
    forms = {
        "update_form": UpdateForm(initial={"status": report.status}),
        "duplicate_form": DuplicateForm(),
        "assign_form": AssignForm(
            agents=_agents(collectivite), initial={"assignee": report.assignee_id}
        ),
    }
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "update":
                form = UpdateForm(request.POST)
                forms["update_form"] = form
                if form.is_valid():
                    handling.change_status(
                        report,
                        request.user,
                        form.cleaned_data["status"],
                        text=form.cleaned_data["text"],
                        public=form.cleaned_data["public"],
                    )
                    messages.success(request, _("Signalement mis à jour."))
                    return redirect(request.path)
            elif action == "duplicate":
                form = DuplicateForm(request.POST)
                forms["duplicate_form"] = form
                if form.is_valid():
                    handling.mark_duplicate(report, request.user, form.cleaned_data["duplicate_of"])
                    messages.success(request, _("Signalement marqué comme doublon."))
                    return redirect(request.path)
            elif action == "assign":
                form = AssignForm(request.POST, agents=_agents(collectivite))
                forms["assign_form"] = form
                if form.is_valid():
                    handling.assign(report, request.user, form.cleaned_data["assignee"])
                    messages.success(request, _("Assignation enregistrée."))
                    return redirect(request.path)
            elif action in {"hide", "publish"}:
                handling.set_publication(
                    report,
                    request.user,
                    Publication.HIDDEN if action == "hide" else Publication.PUBLISHED,
                )
                messages.success(request, _("Publication modifiée."))
                return redirect(request.path)
            else:
                messages.error(request, _("Action inconnue."))
        except ActionError as error:
            messages.error(request, error.message)
    history = Update.objects.filter(report=report).select_related("author")
    return render(
        request,
        "reports/manage_detail.html",
        {
            "collectivite": collectivite,
            "report": report,
            "history": history,
            "photos": report.photos.all(),
            "can_change": can_change,
            **forms,
        },
        status=400 if request.method == "POST" else 200,
    )


def dashboard(request, slug):
    """Per category: received, open, resolved, median time to acknowledge and resolve."""
    collectivite, _can = _staff(request, slug)
    try:
        days = max(7, min(int(request.GET.get("jours", 365)), 3650))
    except ValueError:
        days = 365
    since = timezone.now() - datetime.timedelta(days=days)
    rows = [
        (name, created, acknowledged, closed, status in OPEN_STATUSES, status == Status.RESOLVED)
        for name, created, acknowledged, closed, status in Report.objects.of(collectivite)
        .filter(created_at__gte=since)
        .exclude(publication=Publication.UNCONFIRMED)
        .values_list("category__name", "created_at", "acknowledged_at", "closed_at", "status")
    ]
    per_category = indicators.per_category(rows)
    chart = bar_chart(
        [
            Series(
                _("Prise en compte"),
                [(r.category, r.median_hours_to_acknowledge or 0) for r in per_category],
            ),
            Series(
                _("Résolution"),
                [(r.category, r.median_hours_to_resolve or 0) for r in per_category],
            ),
        ],
        title=_("Délais médians par catégorie"),
        y_label=_("heures"),
    )
    return render(
        request,
        "reports/dashboard.html",
        {
            "collectivite": collectivite,
            "rows": per_category,
            "days": days,
            "chart": chart if per_category else "",
        },
    )


def clients(request, slug):
    """Open311 client applications: an admin issues a key (shown once) or revokes one."""
    collectivite = collectivite_for(request, slug, "manage_members")
    form = ClientApplicationForm(request.POST or None)
    new_key = None
    if request.method == "POST":
        if "revoke" in request.POST:
            app = get_object_or_404(
                ClientApplication.objects.of(collectivite), pk=request.POST.get("revoke")
            )
            with transaction.atomic():
                app.is_active = False
                app.save(update_fields=["is_active"])
                audit.record(request.user, "reports.client_revoke", obj=app, summary=app.name)
            messages.success(request, _("Clé révoquée."))
            return redirect(request.path)
        if form.is_valid():
            app = ClientApplication(collectivite=collectivite, **form.cleaned_data)
            new_key = app.issue_key()
            with transaction.atomic():
                app.save()
                audit.record(request.user, "reports.client_create", obj=app, summary=app.name)
            form = ClientApplicationForm()
    return render(
        request,
        "reports/clients.html",
        {
            "collectivite": collectivite,
            "applications": ClientApplication.objects.of(collectivite).order_by("-created_at"),
            "form": form,
            "new_key": new_key,
        },
    )


def settings_page(request, slug):
    """An admin sets the zone and the categories of the collectivité."""
    collectivite = collectivite_for(request, slug, "manage_members")
    zone = ReportZone.objects.filter(collectivite=collectivite).first()
    is_epci = collectivite.kind == CollectiviteKind.EPCI
    zone_form = ZoneForm(
        initial={
            "south": zone.south,
            "north": zone.north,
            "west": zone.west,
            "east": zone.east,
            "is_open": zone.is_open,
        }
        if zone
        else {"is_open": True}
    )
    category_form = CategoryForm(is_epci=is_epci)
    if request.method == "POST":
        if request.POST.get("form") == "zone":
            zone_form = ZoneForm(request.POST)
            if zone_form.is_valid():
                with transaction.atomic():
                    ReportZone.objects.update_or_create(
                        collectivite=collectivite, defaults=zone_form.cleaned_data
                    )
                    audit.record(
                        request.user,
                        "reports.zone",
                        collectivite=collectivite,
                        changes=zone_form.cleaned_data,
                    )
                messages.success(request, _("Zone enregistrée."))
                return redirect(request.path)
        elif request.POST.get("form") == "category":
            category_form = CategoryForm(request.POST, is_epci=is_epci)
            if category_form.is_valid():
                data = dict(category_form.cleaned_data)
                if Category.objects.of(collectivite).filter(code=data["code"]).exists():
                    category_form.add_error("code", _("Ce code est déjà pris."))
                else:
                    with transaction.atomic():
                        service, _created = Service.objects.get_or_create(
                            collectivite=collectivite, name=data.pop("service")
                        )
                        category = Category.objects.create(
                            collectivite=collectivite, service=service, **data
                        )
                        audit.record(
                            request.user, "reports.category", obj=category, summary=category.name
                        )
                    messages.success(request, _("Catégorie ajoutée."))
                    return redirect(request.path)
        elif "toggle" in request.POST:
            category = get_object_or_404(
                Category.objects.of(collectivite), pk=request.POST.get("toggle")
            )
            with transaction.atomic():
                category.is_active = not category.is_active
                category.save(update_fields=["is_active"])
                audit.record(request.user, "reports.category", obj=category, summary=category.name)
            return redirect(request.path)
    return render(
        request,
        "reports/settings.html",
        {
            "collectivite": collectivite,
            "zone": zone,
            "zone_form": zone_form,
            "category_form": category_form,
            "categories": Category.objects.of(collectivite)
            .select_related("service")
            .prefetch_related("questions"),
        },
        status=400 if request.method == "POST" else 200,
    )


def questions(request, slug, category_id=None):
    """The extra questions of the collectivité's categories: élus read, agents and
    admins edit them (all the rows of a category saved together, or none)."""
    collectivite, can_change = _staff(request, slug)
    categories = Category.objects.of(collectivite).prefetch_related("questions")
    category = get_object_or_404(categories, pk=category_id) if category_id else None
    formset = None
    if category is not None:
        initial = [question_initial(q) for q in category.questions.all()]
        formset = QuestionFormSet(initial=initial, prefix="questions")
        if request.method == "POST":
            if not can_change:
                raise PermissionDenied
            formset = QuestionFormSet(request.POST, initial=initial, prefix="questions")
            if formset.is_valid():
                try:
                    handling.set_questions(
                        category, request.user, formset.questions(), formset.deleted_ids()
                    )
                except ActionError as error:
                    messages.error(request, error.message)
                else:
                    messages.success(request, _("Questions enregistrées."))
                    return redirect(request.path)
    return render(
        request,
        "reports/questions.html",
        {
            "collectivite": collectivite,
            "categories": categories,
            "category": category,
            "formset": formset,
            "can_change": can_change,
        },
        status=400 if request.method == "POST" else 200,
    )
