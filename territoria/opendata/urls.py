from django.urls import path
from django.views.generic import TemplateView

app_name = "opendata"

urlpatterns = [
    path("", TemplateView.as_view(template_name="opendata/home.html"), name="home"),
]
