"""Open311 GeoReport v2 server (docs/reports.md, "API Open311").

jurisdiction_id is a collectivité's slug; it may be left out when the instance takes
reports for one collectivité only, or on a POST whose api_key names its collectivité.
Parameters are read from the query string and from a form-encoded body alike. GETs
show published reports only and never who reported them."""

import datetime
from functools import wraps

from django.conf import settings
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from territoria.accounts.actions import ActionError
from territoria.reports import actions
from territoria.reports.enums import OPEN311_STATUS, OPEN311_UPDATE_STATUS, Publication, Source
from territoria.reports.models import (
    Category,
    ClientApplication,
    Photo,
    Report,
    Update,
)
from territoria.reports.open311 import (
    Open311Error,
    body,
    compact,
    date_range,
    error_body,
    paging,
    statuses,
    w3c,
)
from territoria.reports.photos import MAX_BYTES
from territoria.territories.enums import CollectiviteKind
from territoria.territories.models import Collectivite

CHANGESET = "2026-11-23T00:00:00+01:00"


def _respond(fmt, root, value, status=200):
    content, content_type = body(fmt, root, value)
    return HttpResponse(content, content_type=content_type, status=status)


def endpoint(*methods):
    """An Open311 view: spec errors in the asked format, other methods refused."""

    def decorate(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request, fmt, **kwargs):
            try:
                if request.method not in methods:
                    raise Open311Error(405, "method_not_allowed", "méthode non acceptée")
                return view(request, fmt, _params(request), **kwargs)
            except Open311Error as error:
                content, content_type = error_body(fmt, error.errors)
                response = HttpResponse(content, content_type=content_type, status=error.status)
                if error.status == 405:
                    response["Allow"] = ", ".join(methods)
                return response

        return wrapper

    return decorate


def _params(request):
    """Query string and form body together; an empty value counts as absent."""
    merged = {}
    for source in (request.GET, request.POST):
        for key in source:
            values = [v for v in source.getlist(key) if v.strip()]
            if values:
                merged[key] = values
    return merged


def _one(params, name) -> str:
    values = params.get(name)
    return values[0].strip() if values else ""


def _jurisdictions():
    return Collectivite.objects.active().filter(report_zone__isnull=False)


JURISDICTION_SQL = """
SELECT o.id, o.slug, o.name, o.kind, o.commune_id, o.epci_id, o.is_active
FROM territories_collectivite o
WHERE o.slug = %s AND o.is_active = %s
  AND EXISTS (SELECT 1 FROM reports_reportzone z WHERE z.collectivite_id = o.id)
"""


def _jurisdiction(params, default=None) -> Collectivite:
    slug = _one(params, "jurisdiction_id")
    if slug:
        # Raw: the ORM's compilation cost half of a whole GET requests (bench/open311.py).
        found = next(iter(Collectivite.objects.raw(JURISDICTION_SQL, [slug[:80], True])), None)
        if found is None:
            raise Open311Error(
                404, "unknown_jurisdiction", f"jurisdiction_id inconnu : {slug[:80]}"
            )
        return found
    if default is not None:
        return default
    candidates = list(_jurisdictions().select_related("commune")[:2])
    if len(candidates) == 1:
        return candidates[0]
    raise Open311Error(
        400, "missing_jurisdiction", "jurisdiction_id obligatoire : slug de la collectivité"
    )


def index(request):
    return HttpResponseRedirect(reverse("open311:discovery", kwargs={"fmt": "json"}))


@endpoint("GET", "HEAD")
def discovery(request, fmt, params):
    base = settings.SITE_URL + reverse("open311:index")
    return _respond(
        fmt,
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": _contact(),
            "key_service": _contact(),
            "max_requests": 1000,
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": base.rstrip("/"),
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


def _contact() -> str:
    return (
        f"{settings.SITE_NAME} — clés : l'administrateur de chaque collectivité, "
        f"page « Applications Open311 » ({settings.SITE_URL})"
    )


def _services_of(jurisdiction):
    return Category.objects.offered_at(jurisdiction).prefetch_related("questions")


def _find_service(jurisdiction, code) -> Category:
    owner_slug, _dot, own_code = code.partition(".")
    for category in _services_of(jurisdiction):
        if category.collectivite.slug == owner_slug and category.code == own_code:
            return category
    raise Open311Error(404, "unknown_service_code", f"service_code inconnu : {code[:80]}")


@endpoint("GET", "HEAD")
def services(request, fmt, params):
    jurisdiction = _jurisdiction(params)
    items = [
        compact(
            {
                "service_code": category.open311_code,
                "service_name": category.name,
                "description": category.description,
                "metadata": bool(category.questions.all()),
                "type": "realtime",
                "keywords": category.keywords,
                "group": category.group,
            }
        )
        for category in _services_of(jurisdiction)
    ]
    return _respond(fmt, "services", items)


@endpoint("GET", "HEAD")
def service_definition(request, fmt, params, service_code):
    jurisdiction = _jurisdiction(params)
    category = _find_service(jurisdiction, service_code)
    attributes = []
    for order, question in enumerate(category.questions.all(), start=1):
        attributes.append(
            compact(
                {
                    "variable": True,
                    "code": question.code,
                    "datatype": question.datatype,
                    "required": question.required,
                    "datatype_description": question.help_text,
                    "order": order,
                    "description": question.label,
                    "values": [
                        {"key": str(key), "name": str(name)} for key, name in question.choices
                    ],
                }
            )
        )
    return _respond(
        fmt,
        "service_definition",
        {"service_code": category.open311_code, "attributes": attributes},
    )


def _client(params, jurisdiction_slug) -> ClientApplication:
    key = _one(params, "api_key")
    if not key:
        raise Open311Error(403, "missing_api_key", "api_key obligatoire pour créer un signalement")
    app = ClientApplication.objects.by_key(key)
    if app is None or (jurisdiction_slug and app.collectivite.slug != jurisdiction_slug):
        raise Open311Error(403, "invalid_api_key", "api_key non valide pour cette juridiction")
    return app


def _float(params, name):
    value = _one(params, name)
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise Open311Error(400, f"invalid_{name}", f"{name} : nombre attendu") from None
    if number != number or abs(number) > (90 if name == "lat" else 180):
        raise Open311Error(400, f"invalid_{name}", f"{name} hors des bornes WGS84")
    return number


def _answers(params) -> dict:
    answers = {}
    for key, values in params.items():
        if key.startswith("attribute[") and key.endswith("]"):
            inner = key[len("attribute[") : -1]
            if inner.endswith("]["):
                answers[inner[:-2]] = values
            else:
                answers[inner] = values if len(values) > 1 else values[0]
    return answers


def _create(request, fmt, params):
    app = _client(params, _one(params, "jurisdiction_id"))
    jurisdiction = _jurisdiction(params, default=app.collectivite)
    code = _one(params, "service_code")
    if not code:
        raise Open311Error(400, "missing_service_code", "service_code obligatoire")
    category = _find_service(jurisdiction, code)
    lat, lon = _float(params, "lat"), _float(params, "long")
    if (lat is None) != (lon is None):
        raise Open311Error(400, "missing_location", "lat et long vont ensemble")
    address = _one(params, "address_string") or _one(params, "address_id")
    if lat is None and not address:
        raise Open311Error(
            400, "missing_location", "lat et long, address_string ou address_id obligatoire"
        )
    photos = []
    for upload in list(request.FILES.values())[:4]:
        photos.append((upload.name, upload.read(MAX_BYTES + 1)))
    description = _one(params, "description") or category.name
    name = " ".join(filter(None, [_one(params, "first_name"), _one(params, "last_name")]))
    email = _one(params, "email")
    submission = actions.Submission(
        place=jurisdiction,
        category=category,
        description=description,
        latitude=lat,
        longitude=lon,
        address=_one(params, "address_string"),
        answers=_answers(params),
        photos=photos,
        email=email if "@" in email and len(email) <= 254 else "",
        full_name=name,
        phone=_one(params, "phone"),
        device_id=_one(params, "device_id"),
        source=Source.OPEN311,
        client_application=app,
    )
    try:
        report = actions.submit_report(submission)
    except ActionError as error:
        status = 404 if error.code == "unknown_category" else 400
        raise Open311Error(status, error.code, str(error.message)) from None
    return _respond(fmt, "service_requests", [{"service_request_id": str(report.pk)}])


def _public_requests(jurisdiction):
    """A commune's requests are those made in it, handled by the commune or by its EPCI
    (every report made in a commune's own pages or jurisdiction records the commune)."""
    reports = Report.objects.published()
    if jurisdiction.kind == CollectiviteKind.COMMUNE:
        return reports.filter(commune_id=jurisdiction.commune_id)
    return reports.filter(collectivite=jurisdiction)


def _request_rows(reports):
    notes = (
        Update.objects.filter(report=OuterRef("pk"), is_public=True)
        .exclude(text="")
        .order_by("-created_at", "-pk")
        .values("text")[:1]
    )
    photo = Photo.objects.filter(report=OuterRef("pk")).order_by("order", "pk").values("pk")[:1]
    return reports.annotate(status_notes=Subquery(notes), photo_id=Subquery(photo)).values_list(
        "pk",
        "status",
        "status_notes",
        "category__name",
        "category__code",
        "collectivite__slug",
        "collectivite__name",
        "service__name",
        "description",
        "created_at",
        "updated_at",
        "closed_at",
        "address",
        "approximate_location",
        "latitude",
        "longitude",
        "photo_id",
    )


def _request_item(row, tz) -> dict:
    (
        pk, status, notes, category, code, owner, owner_name, service, description,
        created, updated, closed, address, approximate, lat, lon, photo_id,
    ) = row  # fmt: skip
    open311_status = OPEN311_STATUS[status]
    media = (
        settings.SITE_URL
        + reverse("reports:photo", kwargs={"slug": owner, "photo_id": photo_id, "size": "full"})
        if photo_id
        else ""
    )
    return compact(
        {
            "service_request_id": str(pk),
            "status": open311_status,
            "status_notes": notes or "",
            "service_name": category,
            "service_code": f"{owner}.{code}",
            "description": description,
            "agency_responsible": f"{owner_name} — {service}" if service else owner_name,
            "requested_datetime": w3c(created, tz),
            "updated_datetime": w3c(
                closed if open311_status == "closed" and closed else updated, tz
            ),
            "address": address,
            "lat": lat,
            "long": lon,
            "media_url": media,
        }
    )


# The list is the hot path of the API (clients poll it): its SQL is written once here
# rather than compiled by the ORM on each call (1 ms of the 3 ms a page of 50 costs).
# The columns are those of _request_rows, in the same order.
LIST_SQL = """
SELECT r.id, r.status,
  (SELECT u.text FROM reports_update u
    WHERE u.report_id = r.id AND u.is_public = %s AND u.text <> ''
    ORDER BY u.created_at DESC, u.id DESC LIMIT 1),
  c.name, c.code, o.slug, o.name, s.name, r.description, r.created_at, r.updated_at,
  r.closed_at, r.address, r.approximate_location, r.latitude, r.longitude,
  (SELECT p.id FROM reports_photo p WHERE p.report_id = r.id
    ORDER BY p."order", p.id LIMIT 1)
FROM reports_report r
  JOIN reports_category c ON c.id = r.category_id
  JOIN territories_collectivite o ON o.id = r.collectivite_id
  LEFT JOIN reports_service s ON s.id = r.service_id
WHERE {where}
ORDER BY r.created_at DESC, r.id DESC
LIMIT %s OFFSET %s
"""


def _datetime(value):
    """A datetime column read by a raw cursor: aware already (PostgreSQL) or UTC text
    (SQLite)."""
    if value is None or isinstance(value, datetime.datetime):
        return value
    return parse_datetime(value).replace(tzinfo=datetime.UTC)


def _list(request, fmt, params):
    jurisdiction = _jurisdiction(params)
    number, size = paging(_one(params, "page"), _one(params, "page_size"))
    adapt = connection.ops.adapt_datetimefield_value
    if jurisdiction.kind == CollectiviteKind.COMMUNE:
        where, args = ["r.commune_id = %s"], [jurisdiction.commune_id]
    else:
        where, args = ["r.collectivite_id = %s"], [jurisdiction.pk]
    where.append("r.publication = %s")
    args.append(Publication.PUBLISHED)
    if ids := _one(params, "service_request_id"):
        wanted = [int(part) for part in ids.split(",") if part.strip().isdigit()][:MAX_IDS]
        wanted = [pk for pk in wanted if pk < 2**62] or [0]
        where.append(f"r.id IN ({', '.join(['%s'] * len(wanted))})")
        args += wanted
    else:
        start, end = date_range(_one(params, "start_date"), _one(params, "end_date"))
        where += ["r.created_at >= %s", "r.created_at <= %s"]
        args += [adapt(start), adapt(end)]
        if codes := _one(params, "service_code"):
            pairs = []
            for item in [part.strip() for part in codes.split(",") if part.strip()][:50]:
                owner, _dot, code = item.partition(".")
                pairs.append("(o.slug = %s AND c.code = %s)")
                args += [owner, code]
            where.append(f"({' OR '.join(pairs) or '1 = 0'})")
        kept = statuses(_one(params, "status"))
        if kept is not None:
            if not kept:
                return _respond(fmt, "service_requests", [])
            where.append(f"r.status IN ({', '.join(['%s'] * len(kept))})")
            args += sorted(kept)
    sql = LIST_SQL.format(where=" AND ".join(where))
    with connection.cursor() as cursor:
        cursor.execute(sql, [True, *args, size, (number - 1) * size])
        rows = cursor.fetchall()
    tz = timezone.get_current_timezone()
    items = []
    for row in rows:
        row = list(row)
        row[9], row[10], row[11] = _datetime(row[9]), _datetime(row[10]), _datetime(row[11])
        items.append(_request_item(row, tz))
    return _respond(fmt, "service_requests", items)


MAX_IDS = 200


@endpoint("GET", "HEAD", "POST")
def requests(request, fmt, params):
    if request.method == "POST":
        return _create(request, fmt, params)
    return _list(request, fmt, params)


@endpoint("GET", "HEAD")
def request_detail(request, fmt, params, request_id):
    jurisdiction = _jurisdiction(params)
    rows = (
        list(_request_rows(_public_requests(jurisdiction).filter(pk=int(request_id))))
        if request_id.isdigit() and len(request_id) < 18
        else []
    )
    if not rows:
        raise Open311Error(
            404, "unknown_request", f"service_request_id inconnu : {request_id[:40]}"
        )
    return _respond(
        fmt, "service_requests", [_request_item(rows[0], timezone.get_current_timezone())]
    )


@endpoint("GET", "HEAD")
def token(request, fmt, params, token):
    # Requests are created in real time: POST answers with the id, never with a token.
    _jurisdiction(params)
    raise Open311Error(
        404, "unknown_token", "jeton inconnu : les demandes reçoivent un identifiant immédiatement"
    )


@endpoint("GET", "HEAD", "POST")
def service_request_updates(request, fmt, params):
    """mySociety's extension: the public updates of published reports."""
    if request.method == "POST":
        _client(params, _one(params, "jurisdiction_id"))
        raise Open311Error(
            400, "updates_not_accepted", "les mises à jour se font dans le back-office"
        )
    jurisdiction = _jurisdiction(params)
    start, end = date_range(_one(params, "start_date"), _one(params, "end_date"))
    number, size = paging(_one(params, "page"), _one(params, "page_size"))
    offset = (number - 1) * size
    updates = (
        Update.objects.filter(
            is_public=True,
            report__in=_public_requests(jurisdiction),
            created_at__gte=start,
            created_at__lte=end,
        )
        .order_by("-created_at", "-pk")
        .values_list("pk", "report_id", "status_after", "report__status", "created_at", "text")[
            offset : offset + size
        ]
    )
    tz = timezone.get_current_timezone()
    items = [
        compact(
            {
                "update_id": str(pk),
                "service_request_id": str(report_id),
                "status": OPEN311_UPDATE_STATUS[status_after or report_status],
                "updated_datetime": w3c(created, tz),
                "description": text,
            }
        )
        for pk, report_id, status_after, report_status, created, text in updates
    ]
    return _respond(fmt, "service_request_updates", items)
