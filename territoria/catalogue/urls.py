from django.urls import path  # noqa: F401 - routes are added by each views module's author

app_name = "catalogue"

urlpatterns = []
