from django.urls import path

from territoria.sensors.views import alerts, dashboard, fleets

app_name = "sensors"

urlpatterns = [
    path("", dashboard.home, name="home"),
    path("public/<slug:slug>/sites/<int:pk>/", dashboard.public_site, name="public_site"),
    path("<slug:slug>/", dashboard.dashboard, name="dashboard"),
    path("<slug:slug>/carte.geojson", dashboard.device_geojson, name="device_geojson"),
    path("<slug:slug>/sites/<int:pk>/", dashboard.site_detail, name="site"),
    path("<slug:slug>/capteurs/<int:pk>/", dashboard.device_detail, name="device"),
    path("<slug:slug>/economies/", dashboard.savings, name="savings"),
    path("<slug:slug>/alertes/", alerts.alert_list, name="alerts"),
    path("<slug:slug>/alertes/courriels/", alerts.alert_emails, name="alert_emails"),
    path("<slug:slug>/alertes/<int:pk>/", alerts.alert_detail, name="alert"),
    path(
        "<slug:slug>/alertes/<int:pk>/prise-en-compte/",
        alerts.alert_acknowledge,
        name="alert_acknowledge",
    ),
    path("<slug:slug>/alertes/<int:pk>/cloture/", alerts.alert_close, name="alert_close"),
    path("<slug:slug>/flottes/", fleets.fleet_list, name="fleets"),
    path("<slug:slug>/flottes/<int:pk>/", fleets.fleet_detail, name="fleet"),
    path("<slug:slug>/flottes/<int:pk>/nouvelle-cle/", fleets.fleet_rotate, name="fleet_rotate"),
    path("<slug:slug>/flottes/<int:pk>/import/", fleets.device_import, name="device_import"),
    path("<slug:slug>/envoi-csv/", fleets.upload, name="upload"),
]
