"""The JSON API (django-ninja): each app adds its router; OpenAPI at /api/docs."""

import logging

from django.http import Http404
from django.utils.translation import gettext as _

from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from territoria.api_errors import ErrorOut, InvalidRequestOut
from territoria.catalogue.api import router as catalogue_router
from territoria.funding.api import router as funding_router
from territoria.opendata.api import router as opendata_router
from territoria.participation.api import router as participation_router
from territoria.purchasing.api import router as purchasing_router
from territoria.reports.api import router as reports_router
from territoria.roadmap.api import router as roadmap_router
from territoria.sensors.api import router as sensors_router
from territoria.territories.api import router as territories_router

logger = logging.getLogger("territoria.api")

BODY_METHODS = {"post", "put", "patch"}


class TerritoriaAPI(NinjaAPI):
    """The OpenAPI description says what every route may answer besides its own
    responses: invalid parameters (422), an unreadable or oversized body (400, 413)."""

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {})
        schemas = components.setdefault("schemas", {})
        for model in (ErrorOut, InvalidRequestOut):
            found = model.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(found.pop("$defs", {}))
            schemas.setdefault(model.__name__, found)
        components.setdefault("securitySchemes", {}).update(SECURITY_SCHEMES)
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                _add_common_responses(method, operation)
        return schema


SECURITY_SCHEMES = {
    "cleFlotte": {
        "type": "http",
        "scheme": "bearer",
        "description": "Clé d'API d'une flotte de capteurs (trk_…).",
    },
    "cleFlotteEntete": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Api-Key",
        "description": "La même clé, dans l'en-tête X-Api-Key.",
    },
    "session": {
        "type": "apiKey",
        "in": "cookie",
        "name": "sessionid",
        "description": "Session d'une personne connectée au site.",
    },
}


def _ref(name: str) -> dict:
    return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}


def _add_common_responses(method: str, operation: dict) -> None:
    # ninja keys responses by int status; ours are added only where a route has none.
    responses = operation.setdefault("responses", {})
    common = []
    if operation.get("parameters") or "requestBody" in operation:
        common.append((422, "Paramètres ou champs invalides.", "InvalidRequestOut"))
    if method in BODY_METHODS:
        common.append((400, "Corps illisible.", "ErrorOut"))
        common.append((413, "Corps trop volumineux (payload_too_large).", "ErrorOut"))
    for status, description, schema in common:
        if status not in responses and str(status) not in responses:
            responses[status] = {"description": description, **_ref(schema)}


api = TerritoriaAPI(
    title="API Territoria",
    version="1",
    description="API de la plateforme Territoria. Les réponses d'erreur ont la forme "
    '{"code": "...", "message": "..."} avec un message en français.',
    urls_namespace="api",
)
api.add_router("/territoires", territories_router)
api.add_router("/catalogue", catalogue_router)
api.add_router("/feuille-de-route", roadmap_router)
api.add_router("/signalements", reports_router)
api.add_router("/capteurs", sensors_router)
api.add_router("/aides", funding_router)
api.add_router("/participation", participation_router)
api.add_router("/achats-groupes", purchasing_router)
api.add_router("/donnees", opendata_router)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    """Payload and parameter errors in our shape: a French message and, per bad field,
    where it is and what is wrong."""
    fields = [
        {
            "field": ".".join(str(part) for part in item.get("loc", ()) if part != "body"),
            "message": _FIELD_MESSAGES.get(item.get("type", ""), "valeur invalide"),
        }
        for item in exc.errors
    ]
    summary = "; ".join(f"{f['field']} : {f['message']}" for f in fields)
    return api.create_response(
        request,
        {"code": "invalid_payload", "message": f"Requête invalide — {summary}.", "fields": fields},
        status=422,
    )


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return api.create_response(
        request, {"code": "not_found", "message": _("Ressource introuvable.")}, status=404
    )


@api.exception_handler(Exception)
def server_error(request, exc: Exception):
    """An unexpected failure still answers in our shape; the traceback goes to the logs."""
    logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return api.create_response(
        request,
        {"code": "server_error", "message": _("Erreur interne du serveur ; elle est consignée.")},
        status=500,
    )


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    """ninja's own refusals (an unreadable body, a missing authentication) in our shape."""
    known = {
        "Cannot parse request body": (
            "unreadable_body",
            "Corps de requête illisible : JSON attendu.",
        ),
        "Unauthorized": ("unauthorized", "Authentification requise."),
    }
    code, message = known.get(str(exc), ("http_error", str(exc)))
    return api.create_response(request, {"code": code, "message": message}, status=exc.status_code)


_FIELD_MESSAGES = {
    "missing": "champ obligatoire manquant",
    "json_invalid": "JSON mal formé",
    "int_parsing": "nombre entier attendu",
    "int_type": "nombre entier attendu",
    "float_parsing": "nombre attendu",
    "float_type": "nombre attendu",
    "string_type": "texte attendu",
    "bool_parsing": "booléen attendu (true ou false)",
    "datetime_parsing": "date et heure ISO 8601 attendues",
    "datetime_from_date_parsing": "date et heure ISO 8601 attendues",
    "date_parsing": "date ISO 8601 attendue (AAAA-MM-JJ)",
    "date_from_datetime_parsing": "date ISO 8601 attendue (AAAA-MM-JJ)",
    "list_type": "liste attendue",
    "dict_type": "objet attendu",
    "model_attributes_type": "objet attendu",
    "literal_error": "valeur hors de la liste permise",
    "enum": "valeur hors de la liste permise",
    "greater_than": "valeur trop petite",
    "greater_than_equal": "valeur trop petite",
    "less_than": "valeur trop grande",
    "less_than_equal": "valeur trop grande",
    "string_too_long": "texte trop long",
    "string_too_short": "texte trop court",
    "too_long": "trop d'éléments",
    "too_short": "pas assez d'éléments",
    "extra_forbidden": "champ inconnu",
    "value_error": "valeur invalide",
}
