"""Fleets, sites and devices for the sensors tests."""

import itertools

from territoria.sensors.enums import DeviceKind, SiteKind
from territoria.sensors.models import Device, Fleet, Site

_seq = itertools.count(1)


def make_fleet(collectivite, name=None) -> tuple[Fleet, str]:
    fleet = Fleet(collectivite=collectivite, name=name or f"Flotte {next(_seq)}")
    key = fleet.new_key()
    fleet.save()
    return fleet, key


def make_site(collectivite, name=None, kind=SiteKind.DMA, **extra) -> Site:
    return Site.objects.create(
        collectivite=collectivite, name=name or f"Site {next(_seq)}", kind=kind, **extra
    )


def make_device(fleet, external_id=None, kind=DeviceKind.WATER_METER, **extra) -> Device:
    external_id = external_id or f"DEV-{next(_seq)}"
    return Device.objects.create(
        collectivite=fleet.collectivite,
        fleet=fleet,
        kind=kind,
        name=extra.pop("name", f"Capteur {external_id}"),
        external_id=external_id,
        **extra,
    )
