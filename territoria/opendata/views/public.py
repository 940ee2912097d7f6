"""Visitors' pages: the dataset list with search and filters, a dataset's page
(preview, chart, map), downloads, the DCAT catalogues and our published schemas."""

import csv
import json
from collections import defaultdict

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from territoria import tabular
from territoria.charts import Series, line_chart
from territoria.opendata import dcat
from territoria.opendata.enums import MEDIA_TYPES, Format
from territoria.opendata.forms import SearchForm
from territoria.opendata.models import Dataset, DownloadCount, Resource, may_publish
from territoria.opendata.schemas import SCHEMAS
from territoria.opendata.summary import CHARTS, chart_points
from territoria.territories.models import Collectivite

PAGE_SIZE = 20
SMALL_FILE = 2 * 1024 * 1024  # answered in one piece; larger files are streamed
CATALOG_TYPES = {"ttl": "text/turtle; charset=utf-8", "jsonld": "application/ld+json"}


def base_url(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _listing(request, collectivite=None):
    datasets = Dataset.objects.published().select_related("collectivite")
    form = SearchForm(request.GET or None)
    with_data = Collectivite.objects.filter(
        pk__in=Dataset.objects.published().values("collectivite")
    ).order_by("name")
    form.fields["collectivite"].choices = [("", _("Toutes"))] + [
        (c.slug, c.name) for c in with_data
    ]
    if collectivite is not None:
        datasets = datasets.of(collectivite)
        del form.fields["collectivite"]
    if form.is_valid():
        data = form.cleaned_data
        datasets = datasets.search(data["q"])
        if data["theme"]:
            datasets = datasets.filter(theme=data["theme"])
        if data["frequency"]:
            datasets = datasets.filter(frequency=data["frequency"])
        if data.get("collectivite"):
            datasets = datasets.filter(collectivite__slug=data["collectivite"])
        if data["format"] == "geojson":
            datasets = datasets.filter(located=True)
    page = Paginator(datasets.order_by("-modified", "title"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return form, page


def _filters(request) -> str:
    """The current filters as a query string, for the pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_safe
def home(request):
    form, page = _listing(request)
    return render(
        request,
        "opendata/home.html",
        {"form": form, "page": page, "filters": _filters(request)},
    )


@require_safe
def collectivite_home(request, slug):
    collectivite = get_object_or_404(Collectivite.objects.active(), slug=slug)
    form, page = _listing(request, collectivite)
    return render(
        request,
        "opendata/home.html",
        {
            "form": form,
            "page": page,
            "collectivite": collectivite,
            "can_publish": may_publish(request.user, collectivite),
            "filters": _filters(request),
        },
    )


def dataset_for(request, slug, uid) -> Dataset:
    dataset = get_object_or_404(
        Dataset.objects.select_related("collectivite"), collectivite__slug=slug, uid=uid
    )
    if not dataset.get_abilities(request.user)["view"]:
        raise Http404
    return dataset


def _csv_rows(resource, limit: int | None):
    if resource is None or not resource.path.exists():
        return [], []
    with open(resource.path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        rows = []
        for index, row in enumerate(reader):
            if limit is not None and index >= limit:
                break
            rows.append([tabular.unescape(cell) for cell in row])  # shown as the agent wrote it
    return header, rows


def _chart(dataset):
    spec = CHARTS.get(dataset.schema)
    points = chart_points(dataset.summary)
    if spec is None or len(points) < 2:
        return None, points
    label = spec[2]
    chart = line_chart(
        [Series(str(label), points)], title=f"{dataset.title} — {label}", y_label=str(label)
    )
    return chart, points


@require_safe
def dataset_page(request, slug, uid):
    dataset = dataset_for(request, slug, uid)
    resources = {r.format: r for r in dataset.resources.all()}
    csv_resource = resources.get(Format.CSV)
    header, rows = _csv_rows(csv_resource, settings.OPENDATA_PREVIEW_ROWS)
    chart, points = _chart(dataset)
    abilities = dataset.get_abilities(request.user)
    counts = []
    if abilities["view_stats"]:
        counts = monthly_counts(dataset)
    return render(
        request,
        "opendata/dataset.html",
        {
            "dataset": dataset,
            "collectivite": dataset.collectivite,
            "resources": list(resources.values()),
            "header": header,
            "rows": rows,
            "chart": chart,
            "points": points[-31:],
            "map_data": dataset.summary.get("map"),
            "abilities": abilities,
            "counts": counts,
            "schema_url": dataset.schema_info.url(base_url(request)),
        },
    )


def monthly_counts(dataset) -> list[dict]:
    """Downloads per month and format, newest month first."""
    rows = defaultdict(dict)
    for month, fmt, count in DownloadCount.objects.filter(dataset=dataset).values_list(
        "month", "resource__format", "count"
    ):
        rows[month][fmt] = count
    return [
        {"month": month, "by_format": by_format, "total": sum(by_format.values())}
        for month, by_format in sorted(rows.items(), reverse=True)
    ]


@require_safe
def download(request, slug, uid, fmt):
    dataset = dataset_for(request, slug, uid)
    resource = get_object_or_404(Resource, dataset=dataset, format=fmt)
    if not resource.path.exists():
        raise Http404
    DownloadCount.objects.record(resource)
    content_type = MEDIA_TYPES[Format(fmt)]
    if resource.byte_size <= SMALL_FILE:
        response = HttpResponse(resource.path.read_bytes(), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{resource.filename}"'
    else:  # streamed from disk in blocks
        response = FileResponse(
            open(resource.path, "rb"),  # noqa: SIM115 - FileResponse closes it
            as_attachment=True,
            filename=resource.filename,
            content_type=content_type,
        )
    response["Content-Length"] = str(resource.byte_size)
    response["Digest"] = f"sha-256={resource.sha256}"
    return response


def _catalog(request, fmt, collectivite=None):
    """One page of a DCAT-AP catalogue; the first page answers at the bare URL. The
    catalogue is named by its address without extension, the same in every format."""
    raw_page = request.GET.get("page", "1")
    if not raw_page.isdigit() or int(raw_page) < 1:
        raise Http404
    page = int(raw_page)
    size = settings.OPENDATA_CATALOG_PAGE_SIZE
    base = base_url(request)
    datasets = Dataset.objects.published().select_related("collectivite")
    if collectivite is not None:
        datasets = datasets.of(collectivite)
        title = _("Données ouvertes — %(name)s") % {"name": collectivite.name}
        description = _("Jeux de données publiés par %(name)s sur Territoria.") % {
            "name": collectivite.name
        }
        publisher = dcat.publisher_of(base, collectivite)
        path = f"/donnees/{collectivite.slug}/catalog"
    else:
        title = _("Données ouvertes des collectivités de Territoria")
        description = _("Jeux de données publiés par les collectivités de cette instance.")
        publisher = {"uri": f"{base}/", "name": settings.SITE_NAME}
        path = "/donnees/catalog"
    total = datasets.count()
    if page > dcat.page_count(total, size):
        raise Http404
    chunk = list(
        datasets.order_by("pk").prefetch_related("resources")[(page - 1) * size : page * size]
    )
    modified = datasets.aggregate(latest=Max("modified"))["latest"]
    extents = dcat.extents(
        Dataset.objects.published()
        .filter(collectivite__in={d.collectivite_id for d in chunk})
        .exclude(bbox="")
        .values_list("collectivite_id", "bbox")
    )
    graph = dcat.catalog_graph(
        base=base, catalog_iri=f"{base}{path}", catalog_url=f"{base}{path}.{fmt}", title=title,
        description=description, publisher=publisher, datasets=chunk, total=total, page=page,
        page_size=size, modified=modified, extents=extents,
    )  # fmt: skip
    response = HttpResponse(dcat.serialize(graph, fmt), content_type=CATALOG_TYPES[fmt])
    if request.resolver_match.kwargs.get("fmt") is None:
        response["Vary"] = "Accept"
    return response


def _negotiated(request, fmt) -> str:
    """The format asked for: the URL's extension, else the Accept header (Turtle unless
    JSON-LD is preferred)."""
    if fmt:
        return fmt
    accept = request.headers.get("Accept", "")
    return "jsonld" if "application/ld+json" in accept and "text/turtle" not in accept else "ttl"


@require_safe
def catalog(request, fmt=None):
    return _catalog(request, _negotiated(request, fmt))


@require_safe
def collectivite_catalog(request, slug, fmt=None):
    collectivite = get_object_or_404(Collectivite.objects.active(), slug=slug)
    return _catalog(request, _negotiated(request, fmt), collectivite)


@require_safe
def schema_json(request, key):
    info = SCHEMAS.get(key)
    if info is None or info.is_national:
        raise Http404
    return HttpResponse(
        json.dumps(info.descriptor(), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
