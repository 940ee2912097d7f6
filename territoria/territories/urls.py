from django.urls import path

from territoria.territories import views

app_name = "territories"

urlpatterns = [
    path("", views.home, name="home"),
    path("collectivites/", views.collectivite_list, name="collectivite_list"),
    path("collectivites/inscrire/", views.collectivite_register, name="collectivite_register"),
    path("c/<slug:slug>/", views.collectivite_detail, name="collectivite"),
    path("c/<slug:slug>/modifier/", views.collectivite_edit, name="collectivite_edit"),
]
