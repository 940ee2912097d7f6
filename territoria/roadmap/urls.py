from django.urls import path

from territoria.roadmap.views import exports, pages, plan

app_name = "roadmap"

urlpatterns = [
    path("", pages.home, name="home"),
    path("c/<slug:slug>/", pages.overview, name="overview"),
    path("c/<slug:slug>/profil/", pages.profile_edit, name="profile"),
    path("c/<slug:slug>/recommandations/", pages.recommendations, name="recommendations"),
    path("c/<slug:slug>/priorites/", pages.save_weights, name="save_weights"),
    path("c/<slug:slug>/scenarios/", pages.scenario_create, name="scenario_create"),
    path("c/<slug:slug>/comparer/", plan.compare, name="compare"),
    path("c/<slug:slug>/scenarios/<int:pk>/", plan.scenario_detail, name="scenario"),
    path("c/<slug:slug>/scenarios/<int:pk>/decision/", plan.decide, name="decide"),
    path("c/<slug:slug>/scenarios/<int:pk>/adoption/", plan.adopt, name="adopt"),
    path("c/<slug:slug>/scenarios/<int:pk>/recalculer/", plan.replan, name="replan"),
    path("c/<slug:slug>/scenarios/<int:pk>/realise/", plan.lock_done, name="lock_done"),
    path("c/<slug:slug>/scenarios/<int:pk>/reference/", plan.make_current, name="make_current"),
    path("c/<slug:slug>/scenarios/<int:pk>/supprimer/", plan.delete, name="delete"),
    path("c/<slug:slug>/scenarios/<int:pk>/plan.pdf", exports.scenario_pdf, name="scenario_pdf"),
    path(
        "c/<slug:slug>/scenarios/<int:pk>/tresorerie.csv", exports.scenario_csv, name="scenario_csv"
    ),
    path(
        "c/<slug:slug>/scenarios/<int:pk>/projets.csv",
        exports.scenario_projects_csv,
        name="scenario_projects_csv",
    ),
]
