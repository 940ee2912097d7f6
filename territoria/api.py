"""The JSON API (django-ninja): each app adds its router; OpenAPI at /api/docs."""

from ninja import NinjaAPI

from territoria.catalogue.api import router as catalogue_router
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
