"""Open311 GeoReport v2 server (docs/reports.md, "API Open311").

jurisdiction_id is a collectivité's slug; it may be left out when the instance takes
reports for one collectivité only, or on a POST whose api_key names its collectivité.
Parameters are read from the query string and from a form-encoded body alike. GETs
show published reports only and never who reported them."""

import datetime
import re
from functools import wraps

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.http import HttpResponse, HttpResponseNotModified, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import parse_etags
from django.views.decorators.csrf import csrf_exempt

from territoria.accounts.actions import ActionError
from territoria.reports import actions
from territoria.reports import open311_lists as lists
from territoria.reports.enums import OPEN311_UPDATE_STATUS, Source
from territoria.reports.models import (
    Category,
    ClientApplication,
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
from territoria.reports.text import strip_controls
from territoria.territories.enums import CollectiviteKind
from territoria.territories.models import Collectivite, Commune

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
                if request.method == "POST":
                    _require_form_body(request)
                return view(request, fmt, _params(request), **kwargs)
            except Open311Error as error:
                content, content_type = error_body(fmt, error.errors)
                response = HttpResponse(content, content_type=content_type, status=error.status)
                if error.status == 405:
                    response["Allow"] = ", ".join(methods)
                return response

        return wrapper

    return decorate


FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def _require_form_body(request):
    """GeoReport v2 sends form fields: a JSON (or other) body would be read as empty and
    refused for a reason that is not the real one."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > 0 and request.content_type not in FORM_TYPES:
        received = (request.content_type or "?")[:60]
        raise Open311Error(
            400,
            "invalid_format",
            "corps attendu en application/x-www-form-urlencoded ou multipart/form-data "
            f"(reçu : {received}) ; les paramètres peuvent aussi aller dans l'URL",
        )


def _params(request):
    """Query string and form body together; an empty value counts as absent. Control
    characters are dropped here, before any value reaches a query (PostgreSQL refuses
    NUL) or a report."""
    merged = {}
    for source in (request.GET, request.POST):
        for key in source:
            values = [v for v in map(strip_controls, source.getlist(key)) if v.strip()]
            if values:
                merged[key] = values
    return merged


def _one(params, name) -> str:
    values = params.get(name)
    return values[0].strip() if values else ""


def _jurisdictions():
    return Collectivite.objects.active().filter(report_zone__isnull=False)


# With the version of its public lists (the key of their cache), read first: a write
# committed after this read gives a new version, so no older body is cached under it.
JURISDICTION_SQL = """
SELECT o.id, o.slug, o.name, o.kind, o.commune_id, o.epci_id, o.is_active,
  z.version AS reports_version
FROM territories_collectivite o
  JOIN reports_reportzone z ON z.collectivite_id = o.id
WHERE o.slug = %s AND o.is_active = %s
"""


JURISDICTION_FIELDS = ["id", "slug", "name", "kind", "commune_id", "epci_id", "is_active"]


def _jurisdiction(params, default=None) -> Collectivite:
    slug = _one(params, "jurisdiction_id")
    if slug:
        # A plain cursor: the ORM's compilation, then a raw queryset's column mapping, cost
        # most of a cached GET requests (bench/open311.py).
        with connection.cursor() as cursor:
            cursor.execute(JURISDICTION_SQL, [slug[:80], True])
            row = cursor.fetchone()
        if row is None:
            raise Open311Error(
                404, "unknown_jurisdiction", f"jurisdiction_id inconnu : {slug[:80]}"
            )
        found = Collectivite.from_db(connection.alias, JURISDICTION_FIELDS, row[:-1])
        found.reports_version = row[-1]
        return found
    if default is not None:
        return default
    candidates = list(
        _jurisdictions()
        .select_related("commune")
        .annotate(reports_version=F("report_zone__version"))[:2]
    )
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
                # Clients show it under the name: the name stands in when none is written.
                "description": category.description or category.name,
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


# A BAN address identifier (cle_interop): the commune's INSEE code, then the street
# and the number, e.g. 18197_0250_00012.
BAN_ID = re.compile(r"^(\d[\dAB]\d{3})_[0-9A-Za-z_]{1,40}$")


def _address_commune(jurisdiction, address_id):
    """The commune a BAN identifier designates, if the jurisdiction covers it: the
    report is placed there (None for a commune's own jurisdiction, which is implied)."""
    match = BAN_ID.match(address_id)
    if match is None:
        raise Open311Error(
            400,
            "invalid_address_id",
            "address_id : identifiant d'adresse BAN attendu, commençant par le code INSEE "
            "de la commune (par exemple 18197_0250_00012)",
        )
    code = match[1]
    if jurisdiction.kind == CollectiviteKind.COMMUNE:
        if code == jurisdiction.commune_id:
            return None
    elif commune := Commune.objects.filter(pk=code, epci_id=jurisdiction.epci_id).first():
        return commune
    raise Open311Error(
        400,
        "outside_area",
        f"address_id : la commune {code} n'est pas dans la juridiction {jurisdiction.slug}",
    )


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
    address = _one(params, "address_string")
    commune = None
    if lat is None and not address:
        address_id = _one(params, "address_id")
        if not address_id:
            raise Open311Error(
                400, "missing_location", "lat et long, address_string ou address_id obligatoire"
            )
        commune = _address_commune(jurisdiction, address_id)
        address = address_id[:300]
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
        address=address,
        commune=commune,
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


def _list(request, fmt, params, request_id=None):
    """The public requests matching the parameters (or the one asked), as a response;
    304 when the client already holds this body (If-None-Match)."""
    jurisdiction = _jurisdiction(params)
    if request_id is None:
        number, size = paging(_one(params, "page"), _one(params, "page_size"))
    else:
        number, size = 1, 1
    query = lists.Query(jurisdiction, page=number, size=size)
    if request_id is not None:
        query.ids([int(request_id)])
    elif ids := _one(params, "service_request_id"):
        wanted = [int(part) for part in ids.split(",") if part.strip().isdigit()][:MAX_IDS]
        query.ids([pk for pk in wanted if pk < 2**62] or [0])
    else:
        # "Now" to the next whole second: polls within a second share one cached body.
        now = timezone.now().replace(microsecond=0) + datetime.timedelta(seconds=1)
        start, end = date_range(_one(params, "start_date"), _one(params, "end_date"), now)
        query.created_between(start, end)
        if codes := _one(params, "service_code"):
            query.services([part.strip() for part in codes.split(",") if part.strip()][:50])
        kept = statuses(_one(params, "status"))
        if kept is not None:
            query.statuses(kept)
    found = lists.body(query, fmt, timezone.get_current_timezone())
    if request_id is not None and not found.count:
        raise Open311Error(
            404, "unknown_request", f"service_request_id inconnu : {request_id[:40]}"
        )
    held = {tag.removeprefix("W/") for tag in parse_etags(request.headers.get("If-None-Match", ""))}
    if found.etag in held or "*" in held:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(found.content, content_type=found.content_type)
    response["ETag"] = found.etag
    return response


MAX_IDS = 200


@endpoint("GET", "HEAD", "POST")
def requests(request, fmt, params):
    if request.method == "POST":
        return _create(request, fmt, params)
    return _list(request, fmt, params)


@endpoint("GET", "HEAD")
def request_detail(request, fmt, params, request_id):
    if not (request_id.isdigit() and len(request_id) < 18):
        raise Open311Error(
            404, "unknown_request", f"service_request_id inconnu : {request_id[:40]}"
        )
    return _list(request, fmt, params, request_id=request_id)


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
        .with_status_then()
        .order_by("-created_at", "-pk")
        .values_list("pk", "report_id", "status_then", "created_at", "text")[offset : offset + size]
    )
    tz = timezone.get_current_timezone()
    items = [
        compact(
            {
                "update_id": str(pk),
                "service_request_id": str(report_id),
                "status": OPEN311_UPDATE_STATUS[status_then],
                "updated_datetime": w3c(created, tz),
                "description": text,
            }
        )
        for pk, report_id, status_then, created, text in updates
    ]
    return _respond(fmt, "service_request_updates", items)
