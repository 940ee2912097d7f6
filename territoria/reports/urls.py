from django.urls import path

from territoria.reports.views import backoffice, public

app_name = "reports"

urlpatterns = [
    path("", public.home, name="home"),
    path("confirmer/<str:token>/", public.confirm, name="confirm"),
    path("rouvrir/<str:token>/", public.reopen, name="reopen"),
    path("<slug:slug>/", public.reports_page, name="reports"),
    path("<slug:slug>/carte.geojson", public.reports_geojson, name="geojson"),
    path("<slug:slug>/flux.atom", public.feed, name="feed"),
    path("<slug:slug>/nouveau/", public.new_report, name="new"),
    path("<slug:slug>/proches/", public.nearby, name="nearby"),
    path("<slug:slug>/<int:report_id>/", public.detail, name="detail"),
    path("<slug:slug>/<int:report_id>/soutenir/", public.support, name="support"),
    path("<slug:slug>/photos/<int:photo_id>/<str:size>.jpg", public.photo, name="photo"),
    path("<slug:slug>/gestion/", backoffice.manage_list, name="manage_list"),
    path("<slug:slug>/gestion/groupe/", backoffice.manage_bulk, name="manage_bulk"),
    path("<slug:slug>/gestion/<int:report_id>/", backoffice.manage_detail, name="manage_detail"),
    path("<slug:slug>/gestion/indicateurs/", backoffice.dashboard, name="dashboard"),
    path("<slug:slug>/gestion/open311/", backoffice.clients, name="clients"),
    path("<slug:slug>/gestion/reglages/", backoffice.settings_page, name="settings"),
    path("<slug:slug>/gestion/questions/", backoffice.questions, name="questions"),
    path(
        "<slug:slug>/gestion/questions/<int:category_id>/",
        backoffice.questions,
        name="category_questions",
    ),
]
