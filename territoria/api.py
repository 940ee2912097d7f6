"""The JSON API (django-ninja): each app adds its router; OpenAPI at /api/docs."""

from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from territoria.catalogue.api import router as catalogue_router
from territoria.funding.api import router as funding_router
from territoria.opendata.api import router as opendata_router
from territoria.participation.api import router as participation_router
from territoria.purchasing.api import router as purchasing_router
from territoria.reports.api import router as reports_router
from territoria.roadmap.api import router as roadmap_router
from territoria.sensors.api import router as sensors_router
from territoria.territories.api import router as territories_router

api = NinjaAPI(
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
