from django.urls import path

from territoria.accounts import views

app_name = "accounts"

urlpatterns = [
    path("espace/", views.space, name="space"),
]
