from django.urls import path  # noqa: F401 - routes are added by each views module's author

from territoria.catalogue.views import compare, moderation, pages, providers, search
from territoria.catalogue.views import feedback as feedback_views

app_name = "catalogue"

urlpatterns = [
    # The catalogue home: search with facets (views/search.py).
    path("", search.search, name="search"),
    # Use-case and solution pages, comparison (views/pages.py, views/compare.py).
    path("cas-d-usage/", pages.use_case_list, name="use_case_list"),
    path("cas-d-usage/<slug:slug>/", pages.use_case_detail, name="use_case"),
    path("solutions/<slug:slug>/", pages.solution_detail, name="solution"),
    path("comparer/", compare.compare, name="compare"),
    path("comparer/pdf/", compare.compare_pdf, name="compare_pdf"),
    # Providers' self-service and operators' moderation (views/providers.py, moderation.py).
    path("fournisseurs/inscription/", providers.register, name="provider_register"),
    path("fournisseurs/<int:pk>/", providers.provider_detail, name="provider"),
    path(
        "fournisseurs/<int:pk>/offres/nouvelle/", providers.solution_create, name="solution_create"
    ),
    path(
        "fournisseurs/<int:pk>/offres/<int:solution_pk>/modifier/",
        providers.solution_edit,
        name="solution_edit",
    ),
    path("moderation/", moderation.queue, name="moderation"),
    path("moderation/offres/<int:pk>/", moderation.moderate, name="moderate"),
    path("moderation/chiffres/<int:pk>/verifier/", moderation.verify_figure, name="verify_figure"),
    # Towns' experience feedback and its moderation (views/feedback.py).
    path("retours/", feedback_views.feedback_mine, name="feedback_mine"),
    path("retours/nouveau/", feedback_views.feedback_new, name="feedback_new"),
    path("retours/<int:pk>/", feedback_views.feedback_detail, name="feedback_detail"),
    path("retours/<int:pk>/modifier/", feedback_views.feedback_edit, name="feedback_edit"),
    path("moderation/retours/", feedback_views.feedback_moderation, name="feedback_moderation"),
    path(
        "moderation/retours/<int:pk>/", feedback_views.feedback_moderate, name="feedback_moderate"
    ),
]
