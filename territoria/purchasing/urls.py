from django.urls import path

from territoria.purchasing import views

app_name = "purchasing"

urlpatterns = [
    path("", views.home, name="home"),
    path("nouveau/", views.create, name="create"),
    path("<int:pk>/", views.campaign_detail, name="campaign"),
    path("<int:pk>/adherer/", views.join, name="join"),
    path("<int:pk>/inviter/", views.invite, name="invite"),
    path("<int:pk>/ouvrir/", views.open_campaign, name="open"),
    path("<int:pk>/arreter/", views.freeze, name="freeze"),
    path("<int:pk>/attribuer/", views.award, name="award"),
    path("<int:pk>/clore/", views.close, name="close"),
    path("<int:pk>/convention.pdf", views.convention_pdf, name="convention_pdf"),
    path("<int:pk>/convention.csv", views.convention_csv, name="convention_csv"),
    path("services/<int:pk>/", views.service_detail, name="service"),
]
