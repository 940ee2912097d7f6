from django.urls import path  # noqa: F401 - routes are added by each views module's author

from territoria.catalogue.views import compare, pages, search

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
]
