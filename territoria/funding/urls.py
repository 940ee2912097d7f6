from django.urls import path

from territoria.funding import views

app_name = "funding"

urlpatterns = [
    path("", views.home, name="home"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme"),
    path("territoire/<str:code>/", views.territory, name="territory"),
    path("calendrier/", views.calendar, name="calendar"),
    path("c/<slug:slug>/", views.collectivite, name="collectivite"),
    path("c/<slug:slug>/abonnement/", views.subscribe, name="subscribe"),
]
