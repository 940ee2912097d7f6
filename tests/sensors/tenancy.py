"""Capteurs et pilotage URLs for the cross-tenant walker (tests/test_tenancy_walker.py)."""

from territoria.sensors.enums import AlertKind, DeviceKind, SiteKind

PUBLIC: set[str] = {"sensors:home", "api:sensors_public_site", "sensors:public_site"}

SITE_CANARY = "Secteur canari des Capucins"
DEVICE_CANARY = "Compteur canari de la piscine"
ALERT_CANARY = "Alerte canari : débit continu piscine"


def samples(world):
    from django.utils import timezone

    from territoria.sensors.actions import open_alert
    from territoria.sensors.models import Device, Fleet, Site

    fleet = Fleet(collectivite=world.saint_amand, name="Flotte canari")
    fleet.new_key()
    fleet.save()
    site = Site.objects.create(collectivite=world.saint_amand, name=SITE_CANARY, kind=SiteKind.DMA)
    public = Site.objects.create(
        collectivite=world.saint_amand, name="Plage publique", kind=SiteKind.BEACH, is_public=True
    )
    device = Device.objects.create(
        collectivite=world.saint_amand,
        fleet=fleet,
        site=site,
        kind=DeviceKind.WATER_METER,
        name=DEVICE_CANARY,
        external_id="CANARI-1",
    )
    alert = open_alert(
        world.saint_amand,
        kind=AlertKind.CONTINUOUS_FLOW,
        device=device,
        site=site,
        title=ALERT_CANARY,
        started_at=timezone.now(),
    )
    slug = world.saint_amand.slug
    return {
        "api:sensors_public_site": {"slug": slug, "pk": public.pk},
        "sensors:public_site": {"slug": slug, "pk": public.pk},
        "sensors:dashboard": {"slug": slug},
        "sensors:site": {"slug": slug, "pk": site.pk},
        "sensors:device": {"slug": slug, "pk": device.pk},
        "sensors:device_geojson": {"slug": slug},
        "sensors:alerts": {"slug": slug},
        "sensors:alert_emails": {"slug": slug},
        "sensors:alert": {"slug": slug, "pk": alert.pk},
        "sensors:alert_acknowledge": {"slug": slug, "pk": alert.pk},
        "sensors:alert_close": {"slug": slug, "pk": alert.pk},
        "sensors:fleets": {"slug": slug},
        "sensors:fleet": {"slug": slug, "pk": fleet.pk},
        "sensors:fleet_rotate": {"slug": slug, "pk": fleet.pk},
        "sensors:device_import": {"slug": slug, "pk": fleet.pk},
        "sensors:upload": {"slug": slug},
        "sensors:savings": {"slug": slug},
        "CANARIES": [SITE_CANARY, DEVICE_CANARY, ALERT_CANARY, "CANARI-1", "Flotte canari"],
    }
