from django.urls import path
from django.views.generic import TemplateView

app_name = "purchasing"

urlpatterns = [
    path("", TemplateView.as_view(template_name="purchasing/home.html"), name="home"),
]
