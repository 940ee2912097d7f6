from django.urls import path
from django.views.generic import TemplateView

app_name = "sensors"

urlpatterns = [
    path("", TemplateView.as_view(template_name="sensors/home.html"), name="home"),
]
