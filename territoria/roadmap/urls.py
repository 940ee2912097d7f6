from django.urls import path
from django.views.generic import TemplateView

app_name = "roadmap"

urlpatterns = [
    path("", TemplateView.as_view(template_name="roadmap/home.html"), name="home"),
]
