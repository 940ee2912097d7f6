from django.urls import path, re_path

from territoria.opendata.views import blank, manage, public

app_name = "opendata"

urlpatterns = [
    path("", public.home, name="home"),
    # The catalogues end in catalog.ttl / catalog.jsonld and answer without redirect;
    # catalog alone, their common name, answers in the format the Accept header prefers.
    re_path(r"^catalog(?:\.(?P<fmt>ttl|jsonld))?$", public.catalog, name="catalog"),
    path("schemas/<str:key>.json", public.schema_json, name="schema"),
    path("schemas/<str:key>.csv", blank.schema_template, name="schema_template"),
    path("<slug:slug>/", public.collectivite_home, name="collectivite"),
    re_path(
        r"^(?P<slug>[-\w]+)/catalog(?:\.(?P<fmt>ttl|jsonld))?$",
        public.collectivite_catalog,
        name="collectivite_catalog",
    ),
    path("<slug:slug>/jeux/<uuid:uid>/", public.dataset_page, name="dataset"),
    re_path(
        r"^(?P<slug>[-\w]+)/jeux/(?P<uid>[0-9a-f-]{36})/(?P<fmt>csv|json|geojson|parquet)$",
        public.download,
        name="download",
    ),
    path("<slug:slug>/gerer/", manage.manage, name="manage"),
    path("<slug:slug>/gerer/deposer/", manage.upload, name="upload"),
    path("<slug:slug>/gerer/generer/", manage.generate, name="generate"),
    path("<slug:slug>/gerer/telechargements.csv", manage.downloads_csv, name="downloads_csv"),
    path("<slug:slug>/gerer/<uuid:uid>/", manage.edit, name="edit"),
    path("<slug:slug>/gerer/<uuid:uid>/publier/", manage.publish, name="publish"),
    path("<slug:slug>/gerer/<uuid:uid>/regenerer/", manage.refresh, name="refresh"),
]
